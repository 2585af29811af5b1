//! What the case-study pages draw that is shaped like the tissue: computed columns
//! of the scenario's units, the bead map of one timepoint, and per-cluster
//! timepoint shares. Built in the worker so the page only decodes and draws.

use sbx_data::{CategoricalColumn, Dataset, Metadata, UnitKind};
use sbx_kernels::cases::batch::BatchSummary;
use sbx_kernels::cases::niches::NicheSummary;
use sbx_kernels::cases::spatial_units::StructureCount;
use sbx_kernels::sim::Scenario;

/// Colours of the structures in the bead map (they repeat after ten).
const SHADES: [&str; 10] = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
    "#9c755f", "#2f4b7c",
];

/// A clustering as a categorical column ("c0", "c1", …).
pub fn cluster_column(name: &str, b: &BatchSummary) -> CategoricalColumn {
    let labels: Vec<String> = b.clusters.iter().map(|c| format!("c{c}")).collect();
    CategoricalColumn::from_labels(name, &labels)
}

/// The niches as a column; the fibro-inflammatory ones share one name (and colour).
pub fn niche_column(n: &NicheSummary) -> CategoricalColumn {
    let labels: Vec<String> = n
        .labels
        .iter()
        .map(|&l| {
            if n.niches.contains(&l) {
                "fibro-inflammatory niche".to_string()
            } else {
                format!("niche {l}")
            }
        })
        .collect();
    CategoricalColumn::from_labels("niche", &labels)
}

/// Computed columns of the scenario's units (each must have one code per unit), with
/// the units' coordinates and nothing else: the page joins them onto the tissue it
/// already has ([`Dataset::with_columns_of`]), so the tissue is not sent twice.
pub fn computed_columns(s: &Scenario, cols: Vec<CategoricalColumn>) -> Result<Dataset, String> {
    let tissue = crate::demo::scenario_dataset(s);
    let mut d = Dataset {
        x: tissue.x,
        y: tissue.y,
        ..Default::default()
    };
    for c in cols {
        if c.codes.len() != d.len() {
            return Err(format!(
                "column `{}` has {} values for {} units",
                c.name,
                c.codes.len(),
                d.len()
            ));
        }
        d.categorical.push(c);
    }
    Ok(d)
}

/// Per cluster, the share of its units from each timepoint (largest clusters first,
/// at most 20), and the timepoint names.
pub fn timepoint_shares(s: &Scenario, b: &BatchSummary) -> (Vec<Vec<f64>>, Vec<String>) {
    let Some(tp) = s.obs("timepoint") else {
        return (Vec::new(), Vec::new());
    };
    let k = tp.categories.len();
    let mut counts = vec![vec![0usize; k]; b.n_clusters];
    for (u, &c) in b.clusters.iter().enumerate() {
        if let (Some(row), Some(&t)) = (counts.get_mut(c as usize), tp.codes.get(u)) {
            if let Some(slot) = row.get_mut(t as usize) {
                *slot += 1;
            }
        }
    }
    let mut order: Vec<usize> = (0..counts.len()).collect();
    order.sort_by_key(|&c| std::cmp::Reverse(counts[c].iter().sum::<usize>()));
    let parts = order
        .into_iter()
        .take(20)
        .map(|c| {
            let n = counts[c].iter().sum::<usize>().max(1) as f64;
            counts[c].iter().map(|&x| x as f64 / n).collect()
        })
        .collect();
    (parts, tp.categories.clone())
}

/// One timepoint's beads, coloured by the structure each belongs to (grey: none).
pub fn bead_map(s: &Scenario, c: &StructureCount) -> Result<Dataset, String> {
    let tp = s
        .obs("timepoint")
        .ok_or("the scenario has no timepoint column")?;
    let code = tp
        .code_of(&c.timepoint)
        .ok_or_else(|| format!("no timepoint `{}`", c.timepoint))?;
    let rows: Vec<usize> = (0..s.n_units())
        .filter(|&u| tp.codes.get(u) == Some(&code))
        .collect();
    let mut categories = vec!["no structure".to_string()];
    categories.extend((0..SHADES.len()).map(|k| format!("structure (colour {})", k + 1)));
    let codes: Vec<u32> = (0..rows.len())
        .map(|i| match c.labels.get(i) {
            Some(&l) if l >= 0 => 1 + (l as u32 % SHADES.len() as u32),
            _ => 0,
        })
        .collect();
    let mut colors = vec!["#e3e3e3".to_string()];
    colors.extend(SHADES.iter().map(|s| s.to_string()));
    let col = CategoricalColumn {
        name: "structure".into(),
        codes,
        categories,
        colors: Some(colors),
    };
    Ok(Dataset {
        x: rows.iter().map(|&u| s.x[u]).collect(),
        y: rows.iter().map(|&u| s.y[u]).collect(),
        categorical: vec![col],
        numeric: Vec::new(),
        expression: None,
        meta: Metadata {
            name: format!("beads at {}", c.timepoint),
            platform: s.platform.clone(),
            unit_kind: UnitKind::Bead,
            unit_size: Some(10.0),
            coord_unit: "um".into(),
            simulated: true,
            ..Default::default()
        },
    })
}
