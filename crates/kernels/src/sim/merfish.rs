//! Scenario 2: MERFISH-like brain section on a 374-gene targeted panel.
//! In oligodendrocytes a handful of myelin genes take about half of all
//! counts, and Mbp and Plp1 share a true myelination program (positive
//! co-expression). Library-size normalisation forces the dominant genes to
//! compete for a fixed total and turns their correlation negative.

use super::{
    lognormal, normal, poisson_counts, rng, Categorical, Rng, Scenario, ScenarioKind, Truth,
};

#[derive(Clone, Debug)]
pub struct MerfishConfig {
    pub n_oligodendrocytes: usize,
    pub n_other: usize,
    pub n_genes: usize,
    /// Log-SD of the shared myelination program (Mbp and Plp1 together).
    pub program_sd: f64,
    /// Log-SD of each gene's own cell-to-cell variation.
    pub gene_sd: f64,
    /// Log-SD of cell size / capture.
    pub size_sd: f64,
    /// Mean counts of all non-myelin genes in an oligodendrocyte.
    pub other_counts: f64,
}

impl Default for MerfishConfig {
    fn default() -> Self {
        MerfishConfig {
            n_oligodendrocytes: 3000,
            n_other: 3000,
            n_genes: 374,
            program_sd: 0.6,
            gene_sd: 0.9,
            size_sd: 0.2,
            other_counts: 200.0,
        }
    }
}

pub const MYELIN: [&str; 7] = ["Mbp", "Plp1", "Mobp", "Mog", "Mag", "Cnp", "Cldn11"];
const TYPES: [&str; 4] = ["Oligodendrocyte", "Astrocyte", "Neuron", "Microglia"];
const MARKERS: [(&str, usize); 9] = [
    ("Gfap", 1),
    ("Aqp4", 1),
    ("Aldh1l1", 1),
    ("Snap25", 2),
    ("Slc17a7", 2),
    ("Gad1", 2),
    ("Cx3cr1", 3),
    ("P2ry12", 3),
    ("Olig2", 0),
];

pub fn simulate(cfg: &MerfishConfig, seed: u64) -> Scenario {
    let mut r = rng(seed, 2);
    let mut names: Vec<String> = MYELIN.iter().map(|s| s.to_string()).collect();
    names.extend(MARKERS.iter().map(|m| m.0.to_string()));
    while names.len() < cfg.n_genes {
        names.push(format!("Panel{:03}", names.len()));
    }
    let n_my = MYELIN.len();
    // Baseline gene weights for the non-myelin genes (shared by all cells).
    let base_w: Vec<f64> = (0..cfg.n_genes)
        .map(|g| {
            if g < n_my {
                0.0
            } else {
                lognormal(&mut r, 0.0, 0.8)
            }
        })
        .collect();
    let n = cfg.n_oligodendrocytes + cfg.n_other;
    let mut cell_type = Vec::with_capacity(n);
    let (mut x, mut y) = (Vec::with_capacity(n), Vec::with_capacity(n));
    let mut rates: Vec<Vec<f64>> = Vec::with_capacity(n);
    let (mut true_a, mut true_b) = (Vec::new(), Vec::new());
    for i in 0..n {
        let t = if i < cfg.n_oligodendrocytes {
            0
        } else {
            1 + r.random_range(0..3usize)
        };
        // Oligodendrocytes sit in a white-matter band; other cells in cortex.
        let (cx, cy) = if t == 0 {
            let u = r.random::<f64>() * 3000.0;
            (
                u,
                1500.0
                    + 250.0 * (u / 3000.0 * std::f64::consts::PI).sin()
                    + normal(&mut r, 0.0, 120.0),
            )
        } else {
            (
                r.random::<f64>() * 3000.0,
                r.random::<f64>() * 1200.0 + if r.random::<bool>() { 0.0 } else { 1900.0 },
            )
        };
        x.push(cx as f32);
        y.push(cy as f32);
        cell_type.push(t as u32);
        let s = lognormal(&mut r, 0.0, cfg.size_sd);
        let mut rate = vec![0.0; cfg.n_genes];
        let w_sum: f64 = base_w.iter().sum();
        if t == 0 {
            let a = lognormal(&mut r, 0.0, cfg.program_sd);
            let (e1, e2) = (
                lognormal(&mut r, 0.0, cfg.gene_sd),
                lognormal(&mut r, 0.0, cfg.gene_sd),
            );
            rate[0] = 60.0 * s * a * e1;
            rate[1] = 50.0 * s * a * e2;
            true_a.push(rate[0]);
            true_b.push(rate[1]);
            for g in 2..n_my {
                rate[g] = 5.0 * s * a * lognormal(&mut r, 0.0, 0.4);
            }
            for g in n_my..cfg.n_genes {
                rate[g] = cfg.other_counts * s * base_w[g] / w_sum;
            }
        } else {
            for g in 0..n_my {
                rate[g] = 0.3 * s;
            }
            for g in n_my..cfg.n_genes {
                rate[g] = 250.0 * s * base_w[g] / w_sum;
            }
        }
        for (k, m) in MARKERS.iter().enumerate() {
            if m.1 == t {
                rate[n_my + k] += 15.0 * s;
            }
        }
        rates.push(rate);
    }
    let counts = poisson_counts(&mut r, n, cfg.n_genes, |u, g| rates[u][g]);
    let true_rho = crate::stats::spearman(&true_a, &true_b);
    let description = format!(
        "Simulated data (seed {seed}), not a real tissue. MERFISH-like brain section, {n} cells on a {ng}-gene targeted panel. \
         In the {no} oligodendrocytes the myelin genes ({my}) take about half of all counts; Mbp and Plp1 share a true \
         myelination program (log-SD {pa}) on top of independent per-gene variation (log-SD {ge}) and cell size (log-SD {sz}), \
         giving a positive Mbp-Plp1 co-expression (Spearman of the true rates {true_rho:.2}). Library-size normalisation makes \
         the dominant genes compete for a fixed total.",
        ng = cfg.n_genes,
        no = cfg.n_oligodendrocytes,
        my = MYELIN.join(", "),
        pa = cfg.program_sd,
        ge = cfg.gene_sd,
        sz = cfg.size_sd,
    );
    Scenario {
        kind: ScenarioKind::Normalization,
        title: "Normalisation on a targeted panel: Mbp-Plp1 co-expression in oligodendrocytes"
            .into(),
        platform: "Vizgen MERFISH (simulated)".into(),
        description,
        seed,
        x,
        y,
        obs: vec![Categorical::new(
            "cell_type",
            cell_type,
            TYPES.iter().copied(),
        )],
        counts,
        gene_names: names,
        truth: Truth::Normalization {
            true_rate_spearman: true_rho,
            gene_a: "Mbp".into(),
            gene_b: "Plp1".into(),
            dominant_genes: MYELIN.iter().map(|s| s.to_string()).collect(),
        },
    }
}
