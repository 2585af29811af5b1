//! Scenario 3: Seeker-like ovary sections at four timepoints after hCG,
//! each processed as its own batch. Every gene carries a timepoint-specific
//! shift (library chemistry, section quality) larger than the cell-type
//! differences, so unintegrated clusters follow the timepoint. Cell types
//! are shared across timepoints, except that luteal cells and immune cells
//! grow late, which sets the best achievable mixing.

use super::{
    filler_gene_name, lognormal, normal, pick_weighted, poisson_counts, rng, Categorical, Rng,
    Scenario, ScenarioKind, Truth,
};

#[derive(Clone, Debug)]
pub struct SeekerConfig {
    pub timepoints: Vec<&'static str>,
    /// Beads per side of each section's square grid (10 um pitch).
    pub side: usize,
    pub n_genes: usize,
    /// Log-SD of the per-timepoint, per-gene batch shift.
    pub batch_sd: f64,
    /// Mean counts per bead.
    pub depth: f64,
}

impl Default for SeekerConfig {
    fn default() -> Self {
        SeekerConfig {
            timepoints: vec!["0h", "4h", "8h", "12h"],
            side: 45,
            n_genes: 600,
            batch_sd: 0.7,
            depth: 400.0,
        }
    }
}

pub const CELL_TYPES: [&str; 7] = [
    "Granulosa",
    "Theca",
    "Stroma",
    "Oocyte",
    "Luteal",
    "Endothelial",
    "Immune",
];
/// Expected composition per timepoint (rows: cell types, columns: timepoints).
const COMPOSITION: [[f64; 4]; 7] = [
    [0.30, 0.28, 0.25, 0.22],
    [0.12, 0.12, 0.12, 0.12],
    [0.35, 0.33, 0.30, 0.28],
    [0.05, 0.05, 0.04, 0.04],
    [0.00, 0.00, 0.05, 0.15],
    [0.08, 0.08, 0.08, 0.08],
    [0.01, 0.02, 0.05, 0.08],
];
const MARKERS_PER_TYPE: usize = 25;

pub fn simulate(cfg: &SeekerConfig, seed: u64) -> Scenario {
    let mut r = rng(seed, 3);
    let n_types = CELL_TYPES.len();
    let n_tp = cfg.timepoints.len();
    let base: Vec<f64> = (0..cfg.n_genes)
        .map(|_| lognormal(&mut r, 0.0, 1.0))
        .collect();
    // Cell-type programs: 25 marker genes per type, up-regulated 4-12 fold.
    let mut type_lfc = vec![vec![0.0f64; cfg.n_genes]; n_types];
    for (t, lfc) in type_lfc.iter_mut().enumerate() {
        for m in 0..MARKERS_PER_TYPE {
            lfc[t * MARKERS_PER_TYPE + m] = r.random_range(1.4..2.5);
        }
    }
    let batch_lfc: Vec<Vec<f64>> = (0..n_tp)
        .map(|_| {
            (0..cfg.n_genes)
                .map(|_| normal(&mut r, 0.0, cfg.batch_sd))
                .collect()
        })
        .collect();
    let batch_depth: Vec<f64> = (0..n_tp).map(|_| lognormal(&mut r, 0.0, 0.3)).collect();
    let (mut x, mut y, mut tp, mut ct) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for t in 0..n_tp {
        let ox = t as f32 * (cfg.side as f32 * 10.0 + 100.0);
        // Tissue domains: Voronoi cells around seeds with a drawn cell type.
        let weights: Vec<f64> = (0..n_types).map(|c| COMPOSITION[c][t.min(3)]).collect();
        let seeds: Vec<(f32, f32, usize)> = (0..220)
            .map(|_| {
                let s = cfg.side as f32 * 10.0;
                (
                    r.random_range(0.0..s),
                    r.random_range(0.0..s),
                    pick_weighted(&mut r, &weights),
                )
            })
            .collect();
        for i in 0..cfg.side {
            for j in 0..cfg.side {
                let (bx, by) = (
                    i as f32 * 10.0 + r.random_range(-2.0..2.0),
                    j as f32 * 10.0 + r.random_range(-2.0..2.0),
                );
                let nearest = seeds
                    .iter()
                    .min_by(|a, b| {
                        ((a.0 - bx).powi(2) + (a.1 - by).powi(2))
                            .total_cmp(&((b.0 - bx).powi(2) + (b.1 - by).powi(2)))
                    })
                    .map(|s| s.2)
                    .unwrap_or(2);
                x.push(ox + bx);
                y.push(by);
                tp.push(t as u32);
                ct.push(nearest as u32);
            }
        }
    }
    let n = x.len();
    let base_sum: f64 = base.iter().sum();
    let depth: Vec<f64> = (0..n)
        .map(|u| cfg.depth * batch_depth[tp[u] as usize] * lognormal(&mut r, 0.0, 0.35) / base_sum)
        .collect();
    let counts = poisson_counts(&mut r, n, cfg.n_genes, |u, g| {
        depth[u] * base[g] * (type_lfc[ct[u] as usize][g] + batch_lfc[tp[u] as usize][g]).exp()
    });
    // What perfect cell-type clusters would score: mean over types of the
    // largest single-timepoint share.
    let mut cnt = vec![vec![0usize; n_tp]; n_types];
    for u in 0..n {
        cnt[ct[u] as usize][tp[u] as usize] += 1;
    }
    let present: Vec<&Vec<usize>> = cnt.iter().filter(|c| c.iter().sum::<usize>() > 0).collect();
    let balanced = present
        .iter()
        .map(|c| *c.iter().max().unwrap_or(&0) as f64 / c.iter().sum::<usize>() as f64)
        .sum::<f64>()
        / present.len() as f64;
    let mut names: Vec<String> = Vec::new();
    for t in CELL_TYPES {
        for m in 0..MARKERS_PER_TYPE {
            names.push(format!("{t}_m{:02}", m + 1));
        }
    }
    while names.len() < cfg.n_genes {
        names.push(filler_gene_name(names.len()));
    }
    let description = format!(
        "Simulated data (seed {seed}), not a real tissue. Seeker-like ovary sections on 10 um beads at timepoints {tps} \
         ({n} beads, {ng} genes), each section its own batch. Seven cell types in spatial domains, each with 25 marker genes \
         up 4-12 fold; every gene also carries a timepoint-specific shift (log-SD {bsd}) and sections differ in depth. \
         Cell types are shared across timepoints except luteal and immune cells, which grow late: clusters that follow cell \
         type score a mean max-timepoint fraction of {balanced:.3}.",
        tps = cfg.timepoints.join(", "),
        ng = cfg.n_genes,
        bsd = cfg.batch_sd,
    );
    Scenario {
        kind: ScenarioKind::BatchIntegration,
        title: "Batch integration: clusters that track the timepoint".into(),
        platform: "TakaraBio Seeker (simulated)".into(),
        description,
        seed,
        x,
        y,
        obs: vec![
            Categorical::new("timepoint", tp, cfg.timepoints.iter().copied()),
            Categorical::new("cell_type", ct, CELL_TYPES.iter().copied()),
        ],
        counts,
        gene_names: names,
        truth: Truth::BatchIntegration {
            balanced_max_fraction: balanced,
            n_cell_types: present.len(),
        },
    }
}
