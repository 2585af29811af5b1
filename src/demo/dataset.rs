//! A scenario as a viewer dataset: coordinates, every obs column, total
//! counts and a small set of informative genes as plain columns; with
//! [`scenario_dataset_full`], every gene of the simulation as sparse rows too.

use sbx_data::{
    CategoricalColumn, Dataset, Metadata, NumericColumn, NumericKind, SparseExpression, UnitKind,
};
use sbx_kernels::sim::{Scenario, ScenarioKind, Truth};

/// How many of the highest-count genes join the scenario's own genes of
/// interest as plain columns (every gene is in the sparse matrix as well).
const TOP_GENES: usize = 8;

fn unit_kind(kind: ScenarioKind) -> (UnitKind, Option<f32>) {
    match kind {
        ScenarioKind::Pseudoreplication => (UnitKind::Tixel, Some(20.0)),
        ScenarioKind::BatchIntegration | ScenarioKind::SpatialUnits => (UnitKind::Bead, Some(10.0)),
        ScenarioKind::Normalization | ScenarioKind::NicheDiscovery => (UnitKind::Cell, None),
    }
}

/// Genes named by the scenario's design (housekeeping genes, the correlated
/// pair, dominant panel genes), then the highest-count genes.
fn chosen_genes(s: &Scenario) -> Vec<usize> {
    let mut genes: Vec<usize> = match &s.truth {
        Truth::Pseudoreplication {
            housekeeping,
            sex_genes,
            ..
        } => housekeeping
            .iter()
            .take(4)
            .chain(sex_genes.iter().take(2))
            .copied()
            .collect(),
        Truth::Normalization {
            gene_a,
            gene_b,
            dominant_genes,
            ..
        } => std::iter::once(gene_a)
            .chain(std::iter::once(gene_b))
            .chain(dominant_genes.iter())
            .filter_map(|g| s.gene(g))
            .collect(),
        _ => Vec::new(),
    };
    let mut seen = std::collections::HashSet::new();
    genes.retain(|g| seen.insert(*g));
    let sums = s.counts.col_sums();
    let mut order: Vec<usize> = (0..sums.len()).collect();
    order.sort_by(|&a, &b| sums[b].total_cmp(&sums[a]).then(a.cmp(&b)));
    for g in order {
        if genes.len() >= 12 || (genes.len() >= TOP_GENES && sums[g] <= 0.0) {
            break;
        }
        if !genes.contains(&g) {
            genes.push(g);
        }
    }
    genes.truncate(12);
    genes
}

pub fn scenario_dataset(s: &Scenario) -> Dataset {
    let (unit_kind, unit_size) = unit_kind(s.kind);
    let categorical = s
        .obs
        .iter()
        .map(|c| CategoricalColumn {
            name: c.name.clone(),
            codes: c.codes.clone(),
            categories: c.categories.clone(),
            colors: None,
        })
        .collect();
    let mut numeric = vec![NumericColumn {
        name: "total_counts".into(),
        values: s.counts.row_sums().into_iter().map(|v| v as f32).collect(),
        kind: NumericKind::Value,
    }];
    for g in chosen_genes(s) {
        numeric.push(NumericColumn {
            name: s.gene_names[g].clone(),
            values: s.counts.col_dense(g),
            kind: NumericKind::Gene,
        });
    }
    let meta = Metadata {
        name: s.title.clone(),
        platform: s.platform.clone(),
        unit_kind,
        unit_size,
        coord_unit: "um".into(),
        y_down: false,
        source: format!("sbx demo (seed {})", s.seed),
        downsampling: None,
        simulated: true,
        simulated_description: Some(s.description.clone()),
        extra: [
            ("scenario".to_string(), s.kind.id().to_string()),
            (
                "genes_in_simulation".to_string(),
                s.gene_names.len().to_string(),
            ),
        ]
        .into_iter()
        .collect(),
    };
    Dataset {
        x: s.x.clone(),
        y: s.y.clone(),
        categorical,
        numeric,
        meta,
        expression: None,
    }
}

/// The scenario's dataset with every gene as sparse rows: what the demo's evals point
/// at, so that each question can be answered from its data node alone. (The case
/// pages' tissue leaves the matrix out: the page draws it and needs no other gene.)
pub fn scenario_dataset_full(s: &Scenario) -> Dataset {
    let mut d = scenario_dataset(s);
    d.expression = Some(std::sync::Arc::new(SparseExpression {
        genes: s.gene_names.clone(),
        values: "raw counts".into(),
        indptr: s.counts.indptr.iter().map(|&o| o as u32).collect(),
        indices: s.counts.indices.clone(),
        data: s.counts.data.clone(),
    }));
    d
}
