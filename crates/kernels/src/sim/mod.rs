//! Seeded simulators for the five case-study scenarios. Each returns a
//! [`Scenario`]: coordinates, categorical obs columns, a sparse count matrix
//! with gene names, a plain-language description of what was built in, and
//! the ground truth the right analysis should recover. All data is
//! simulated; the descriptions say so.

pub mod dbit;
pub mod kidney;
pub mod merfish;
pub mod oocyte;
pub mod seeker;

use crate::csr::CsrMatrix;
use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, Normal, Poisson};
use rand_pcg::Pcg64Mcg;
use serde::{Deserialize, Serialize};

/// The seed every scenario uses unless the caller picks another.
pub const DEFAULT_SEED: u64 = 20_240_611;

/// A categorical obs column: `codes[i]` indexes `categories`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Categorical {
    pub name: String,
    pub codes: Vec<u32>,
    pub categories: Vec<String>,
}

impl Categorical {
    pub fn new<S: Into<String>>(
        name: &str,
        codes: Vec<u32>,
        categories: impl IntoIterator<Item = S>,
    ) -> Self {
        Categorical {
            name: name.to_string(),
            codes,
            categories: categories.into_iter().map(Into::into).collect(),
        }
    }
    /// The category name of unit `i`.
    pub fn label(&self, i: usize) -> &str {
        &self.categories[self.codes[i] as usize]
    }
    /// Code of a category name, if present.
    pub fn code_of(&self, category: &str) -> Option<u32> {
        self.categories
            .iter()
            .position(|c| c == category)
            .map(|i| i as u32)
    }
}

/// Which case study a scenario belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ScenarioKind {
    Pseudoreplication,
    Normalization,
    BatchIntegration,
    SpatialUnits,
    NicheDiscovery,
}

impl ScenarioKind {
    pub const ALL: [ScenarioKind; 5] = [
        ScenarioKind::Pseudoreplication,
        ScenarioKind::Normalization,
        ScenarioKind::BatchIntegration,
        ScenarioKind::SpatialUnits,
        ScenarioKind::NicheDiscovery,
    ];
    /// Stable identifier (file names, routes).
    pub fn id(&self) -> &'static str {
        match self {
            ScenarioKind::Pseudoreplication => "pseudoreplication",
            ScenarioKind::Normalization => "normalization",
            ScenarioKind::BatchIntegration => "batch_integration",
            ScenarioKind::SpatialUnits => "spatial_units",
            ScenarioKind::NicheDiscovery => "niche_discovery",
        }
    }
}

/// One simulated dataset.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Scenario {
    pub kind: ScenarioKind,
    pub title: String,
    /// Platform the design imitates (e.g. "AtlasXomics DBiT-seq").
    pub platform: String,
    /// What was built into the data, in plain words, starting with
    /// "Simulated data".
    pub description: String,
    pub seed: u64,
    /// Spatial coordinates in micrometres, one per unit.
    pub x: Vec<f32>,
    pub y: Vec<f32>,
    /// Categorical obs columns (donor, sex, timepoint, cell type, ...).
    pub obs: Vec<Categorical>,
    /// Units x genes counts.
    pub counts: CsrMatrix,
    pub gene_names: Vec<String>,
    pub truth: Truth,
}

impl Scenario {
    pub fn n_units(&self) -> usize {
        self.x.len()
    }
    /// An obs column by name.
    pub fn obs(&self, name: &str) -> Option<&Categorical> {
        self.obs.iter().find(|c| c.name == name)
    }
    /// Index of a gene by name.
    pub fn gene(&self, name: &str) -> Option<usize> {
        self.gene_names.iter().position(|g| g == name)
    }
}

/// Build a scenario of the given kind with the default size.
pub fn build(kind: ScenarioKind, seed: u64) -> Scenario {
    match kind {
        ScenarioKind::Pseudoreplication => dbit::simulate(&dbit::DbitConfig::default(), seed),
        ScenarioKind::Normalization => merfish::simulate(&merfish::MerfishConfig::default(), seed),
        ScenarioKind::SpatialUnits => oocyte::simulate(&oocyte::OocyteConfig::default(), seed),
        ScenarioKind::NicheDiscovery => kidney::simulate(&kidney::KidneyConfig::default(), seed),
        ScenarioKind::BatchIntegration => seeker::simulate(&seeker::SeekerConfig::default(), seed),
    }
}

/// The ground truth each scenario was built with.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum Truth {
    Pseudoreplication {
        /// Genes given a true sex effect.
        sex_genes: Vec<usize>,
        /// The 10 housekeeping genes (no sex effect).
        housekeeping: Vec<usize>,
        /// Share of genes with a true sex effect, in percent.
        pct_true_sex_genes: f64,
    },
    Normalization {
        /// Spearman correlation of the two genes' true (noise-free) expression
        /// rates in oligodendrocytes.
        true_rate_spearman: f64,
        gene_a: String,
        gene_b: String,
        /// Genes that dominate oligodendrocyte counts.
        dominant_genes: Vec<String>,
    },
    BatchIntegration {
        /// Mean over cell types of the largest single-timepoint fraction —
        /// what a perfectly integrated clustering by cell type gives.
        balanced_max_fraction: f64,
        n_cell_types: usize,
    },
    SpatialUnits {
        /// True oocytes per sample (sample order of the `sample` column).
        oocytes_per_sample: Vec<usize>,
        /// True cumulus granulosa beads per sample.
        cumulus_beads_per_sample: Vec<usize>,
        /// Which samples are immature (unstimulated).
        immature: Vec<bool>,
        /// Per bead: the oocyte it lies in (u32::MAX if none).
        oocyte_id: Vec<u32>,
    },
    NicheDiscovery {
        /// Fraction of cells inside the fibro-inflammatory niche per timepoint
        /// (timepoint order of the `timepoint` column).
        niche_fraction: Vec<f64>,
        /// Per cell: whether it was placed inside a niche focus.
        in_niche: Vec<bool>,
    },
}

/// The simulators' RNG: PCG64 (MCG variant), seeded.
pub type SimRng = Pcg64Mcg;

pub fn rng(seed: u64, stream: u64) -> SimRng {
    // Separate streams per purpose keep scenarios stable when one part changes.
    SimRng::seed_from_u64(seed ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15))
}

pub fn normal(rng: &mut SimRng, mean: f64, sd: f64) -> f64 {
    Normal::new(mean, sd).map(|d| d.sample(rng)).unwrap_or(mean)
}

pub fn lognormal(rng: &mut SimRng, mu: f64, sigma: f64) -> f64 {
    normal(rng, mu, sigma).exp()
}

/// Poisson draw; zero for a non-positive or non-finite rate.
pub fn poisson(rng: &mut SimRng, lambda: f64) -> u32 {
    // Also rejects NaN.
    if lambda.is_nan() || !lambda.is_finite() || lambda < 1e-12 {
        return 0;
    }
    Poisson::new(lambda)
        .map(|d| d.sample(rng) as u32)
        .unwrap_or(0)
}

/// Pick an index with probability proportional to `weights` via the
/// cumulative sums `cum` (last element = total).
pub fn pick_cumulative(rng: &mut SimRng, cum: &[f64]) -> usize {
    let total = *cum.last().unwrap_or(&0.0);
    let u = rng.random::<f64>() * total;
    cum.partition_point(|&c| c <= u)
        .min(cum.len().saturating_sub(1))
}

/// Categorical draw from unnormalised probabilities.
pub fn pick_weighted(rng: &mut SimRng, weights: &[f64]) -> usize {
    let total: f64 = weights.iter().sum();
    let mut u = rng.random::<f64>() * total;
    for (i, &w) in weights.iter().enumerate() {
        if u < w {
            return i;
        }
        u -= w;
    }
    weights.len() - 1
}

/// Names "G00001".. for filler genes.
pub fn filler_gene_name(i: usize) -> String {
    format!("G{:05}", i)
}

/// Counts for units drawn independently: unit u, gene g ~ Poisson(rate(u, g)).
/// `rates` is units x genes dense (row-major). Used by the smaller scenarios.
pub fn poisson_counts(
    rng: &mut SimRng,
    n_units: usize,
    n_genes: usize,
    rate: impl Fn(usize, usize) -> f64,
) -> CsrMatrix {
    let mut b = crate::csr::CsrBuilder::new(n_genes);
    let mut row: Vec<(u32, f32)> = Vec::new();
    for u in 0..n_units {
        row.clear();
        for g in 0..n_genes {
            let c = poisson(rng, rate(u, g));
            if c > 0 {
                row.push((g as u32, c as f32));
            }
        }
        b.push_row_sorted(&row);
    }
    b.finish()
}
