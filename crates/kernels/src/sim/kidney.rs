//! Scenario 5: Xenium-like mouse kidney injury time course. Cortex is
//! tubules (proximal, distal) with interstitium between them (endothelium,
//! fibroblasts, a few resident immune cells). After injury, foci of a
//! fibro-inflammatory niche appear and grow: myofibroblasts, macrophages,
//! T cells and injured proximal tubule cells packed together. The share of
//! cells inside the niche is the ground truth per timepoint.

use super::{
    filler_gene_name, lognormal, pick_weighted, poisson_counts, rng, Categorical, Rng, Scenario,
    ScenarioKind, Truth,
};

#[derive(Clone, Debug)]
pub struct KidneyConfig {
    pub timepoints: Vec<&'static str>,
    /// Target share of cells inside the niche per timepoint
    /// (published: sham 0.033, day 14 0.23).
    pub niche_fraction: Vec<f64>,
    /// Side of the square field per section (um); cells on a ~10 um lattice.
    pub field_um: f32,
    pub cell_pitch_um: f32,
}

impl Default for KidneyConfig {
    fn default() -> Self {
        KidneyConfig {
            timepoints: vec!["sham", "day1", "day3", "day7", "day14"],
            niche_fraction: vec![0.033, 0.07, 0.12, 0.17, 0.23],
            field_um: 1420.0,
            cell_pitch_um: 10.0,
        }
    }
}

pub const CELL_TYPES: [&str; 8] = [
    "PT",
    "Distal",
    "Endothelial",
    "Fibroblast",
    "Myofibroblast",
    "Macrophage",
    "T cell",
    "Injured PT",
];
/// Two marker genes per cell type, in `CELL_TYPES` order.
const MARKERS: [[&str; 2]; 8] = [
    ["Lrp2", "Slc34a1"],
    ["Slc12a1", "Umod"],
    ["Pecam1", "Emcn"],
    ["Pdgfra", "Dcn"],
    ["Acta2", "Col1a1"],
    ["Cd68", "Adgre1"],
    ["Cd3e", "Cd8a"],
    ["Havcr1", "Lcn2"],
];

const PT: usize = 0;
const DISTAL: usize = 1;
const INJURED: usize = 7;

pub fn simulate(cfg: &KidneyConfig, seed: u64) -> Scenario {
    let mut r = rng(seed, 5);
    let (mut x, mut y, mut tp, mut ctype, mut in_niche) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let side = (cfg.field_um / cfg.cell_pitch_um) as usize;
    let mut realised = Vec::new();
    for (t, &target) in cfg.niche_fraction.iter().enumerate() {
        let ox = t as f32 * (cfg.field_um + 150.0);
        // Cell positions: jittered lattice.
        let pos: Vec<(f32, f32)> = (0..side * side)
            .map(|k| {
                let (i, j) = (k / side, k % side);
                (
                    i as f32 * cfg.cell_pitch_um + r.random_range(-3.0..3.0),
                    j as f32 * cfg.cell_pitch_um + r.random_range(-3.0..3.0),
                )
            })
            .collect();
        // Tubules: discs on a jittered 65 um lattice, each proximal or distal.
        let tub_pitch = 65.0f32;
        let nt = (cfg.field_um / tub_pitch).ceil() as usize + 1;
        let tubules: Vec<(f32, f32, f32, usize)> = (0..nt * nt)
            .map(|k| {
                let (i, j) = (k / nt, k % nt);
                let kind = if r.random::<f64>() < 0.72 { PT } else { DISTAL };
                (
                    i as f32 * tub_pitch + r.random_range(-8.0..8.0),
                    j as f32 * tub_pitch + r.random_range(-8.0..8.0),
                    r.random_range(24.0..31.0),
                    kind,
                )
            })
            .collect();
        // Niche foci: add discs until the covered share of cells reaches the target.
        let mut covered = vec![false; pos.len()];
        let mut n_cov = 0usize;
        let target_n = (target * pos.len() as f64).round() as usize;
        while n_cov < target_n {
            let (cx, cy) = (
                r.random_range(80.0..cfg.field_um - 80.0),
                r.random_range(80.0..cfg.field_um - 80.0),
            );
            let rad = r.random_range(45.0..95.0f32);
            for (k, &(px, py)) in pos.iter().enumerate() {
                if n_cov >= target_n {
                    break;
                }
                if !covered[k] && (px - cx).powi(2) + (py - cy).powi(2) <= rad * rad {
                    covered[k] = true;
                    n_cov += 1;
                }
            }
        }
        realised.push(n_cov as f64 / pos.len() as f64);
        // Scattered injury outside the foci grows early, then resolves.
        let scattered_injury = [0.0, 0.12, 0.10, 0.06, 0.04][t.min(4)];
        for (k, &(px, py)) in pos.iter().enumerate() {
            let c = if covered[k] {
                pick_weighted(&mut r, &[0.0, 0.0, 0.05, 0.08, 0.27, 0.25, 0.10, 0.25])
            } else {
                let tub = tubules
                    .iter()
                    .find(|tb| (tb.0 - px).powi(2) + (tb.1 - py).powi(2) <= tb.2 * tb.2);
                match tub {
                    Some(tb) if tb.3 == PT && r.random::<f64>() < scattered_injury => INJURED,
                    Some(tb) => tb.3,
                    // Interstitium: endothelium, fibroblasts, resident immune cells.
                    None => pick_weighted(&mut r, &[0.0, 0.0, 0.45, 0.33, 0.02, 0.14, 0.06, 0.0]),
                }
            };
            x.push(ox + px);
            y.push(py);
            tp.push(t as u32);
            ctype.push(c as u32);
            in_niche.push(covered[k]);
        }
    }
    // Expression: two markers per type (rate 6 each), low background on all genes.
    let mut names: Vec<String> = MARKERS
        .iter()
        .flat_map(|m| m.iter().map(|s| s.to_string()))
        .collect();
    while names.len() < 40 {
        names.push(filler_gene_name(names.len()));
    }
    let n_genes = names.len();
    let depth: Vec<f64> = (0..x.len()).map(|_| lognormal(&mut r, 0.0, 0.3)).collect();
    let counts = poisson_counts(&mut r, x.len(), n_genes, |u, g| {
        let own = g / 2 == ctype[u] as usize && g < 16;
        depth[u]
            * if own {
                6.0
            } else if g < 16 {
                0.05
            } else {
                0.5
            }
    });
    let description = format!(
        "Simulated data (seed {seed}), not a real tissue. Xenium-like kidney sections, {n} cells over timepoints {tps}, \
         annotated with 8 cell types. Cortex is proximal and distal tubules with interstitium (endothelium, fibroblasts, \
         resident macrophages and T cells) between them. After injury, foci of a fibro-inflammatory niche (myofibroblasts, \
         macrophages, T cells, injured proximal tubule) appear and grow; the share of cells inside the niche is \
         {fr} per timepoint (fold {fold:.1} from first to last).",
        n = x.len(),
        tps = cfg.timepoints.join(", "),
        fr = realised.iter().map(|f| format!("{f:.3}")).collect::<Vec<_>>().join(", "),
        fold = realised.last().unwrap_or(&0.0) / realised.first().unwrap_or(&1.0),
    );
    Scenario {
        kind: ScenarioKind::NicheDiscovery,
        title: "De novo niche discovery: a fibro-inflammatory niche emerges after injury".into(),
        platform: "10x Xenium (simulated)".into(),
        description,
        seed,
        x,
        y,
        obs: vec![
            Categorical::new("timepoint", tp, cfg.timepoints.iter().copied()),
            Categorical::new("cell_type", ctype, CELL_TYPES.iter().copied()),
        ],
        counts,
        gene_names: names,
        truth: Truth::NicheDiscovery {
            niche_fraction: realised,
            in_niche,
        },
    }
}
