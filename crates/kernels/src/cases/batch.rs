//! Case 3: clustering beads from several timepoints with and without
//! integration, scored by the mean over clusters of the largest
//! single-timepoint fraction.

use crate::graph::{knn_rows, louvain, Graph};
use crate::harmony::{harmony_py, HarmonyPy};
use crate::integrate::{harmony, max_batch_fraction, scale_by_batch, HarmonyOptions};
use crate::norm::{library_size_log1p, scale_columns};
use crate::pca::pca;
use crate::sim::Scenario;
use ndarray::Array2;
use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Integration {
    /// Pool all timepoints and cluster (wrong).
    None,
    /// z-score every gene within each timepoint before PCA.
    PerBatchScaling,
    /// The project's Harmony-style correction of the PCA embedding, tuned to the
    /// scenario (`integrate::HarmonyOptions`).
    Harmony,
    /// Harmony as harmonypy runs it with its own defaults (`harmony::HarmonyPy`).
    HarmonyDefaults,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ClusterOptions {
    pub n_pcs: usize,
    pub k_neighbors: usize,
    pub resolution: f64,
    pub seed: u64,
    /// Used when integration is `Harmony` (its seed is replaced by `seed`).
    pub harmony: HarmonyOptions,
}

impl Default for ClusterOptions {
    fn default() -> Self {
        ClusterOptions {
            n_pcs: 20,
            k_neighbors: 15,
            resolution: 1.0,
            seed: 0,
            harmony: HarmonyOptions::default(),
        }
    }
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct BatchSummary {
    pub integration: Integration,
    pub n_clusters: usize,
    /// Per cluster: largest single-timepoint fraction, and size.
    pub max_fraction: Vec<f64>,
    pub cluster_sizes: Vec<usize>,
    /// Mean over clusters of the largest single-timepoint fraction.
    pub mean_max_fraction: f64,
    /// Mean over clusters of the largest single-cell-type fraction (how
    /// well clusters follow the simulated cell types).
    pub mean_cell_type_purity: f64,
    pub clusters: Vec<u32>,
    /// The Harmony rounds run (0 without Harmony).
    pub harmony_rounds: usize,
    /// First two embedding coordinates (for a scatter).
    pub embedding: Vec<[f32; 2]>,
}

pub fn case_batch_integration(
    s: &Scenario,
    integration: Integration,
    opt: &ClusterOptions,
) -> Result<BatchSummary, String> {
    let tp = s
        .obs("timepoint")
        .ok_or("scenario has no 'timepoint' column")?;
    let n = s.n_units();
    let norm = library_size_log1p(&s.counts, 1e4);
    let mut dense =
        Array2::from_shape_vec((n, s.counts.ncols), norm.to_dense()).map_err(|e| e.to_string())?;
    if integration == Integration::PerBatchScaling {
        scale_by_batch(&mut dense, &tp.codes);
        dense.mapv_inplace(|v| v.clamp(-10.0, 10.0));
    } else {
        scale_columns(&mut dense, 10.0);
    }
    let mut emb = pca(&dense, opt.n_pcs, opt.seed).scores;
    let mut harmony_rounds = 0;
    if integration == Integration::Harmony {
        let o = HarmonyOptions {
            seed: opt.seed,
            ..opt.harmony.clone()
        };
        emb = harmony(&emb, &tp.codes, &o);
        harmony_rounds = o.n_iter;
    } else if integration == Integration::HarmonyDefaults {
        let run = harmony_py(
            &emb,
            &tp.codes,
            &HarmonyPy {
                seed: opt.seed,
                ..HarmonyPy::default()
            },
        );
        emb = run.corrected;
        harmony_rounds = run.rounds;
    }
    let graph = Graph::from_neighbors(&knn_rows(&emb, opt.k_neighbors)?);
    let clusters = louvain(&graph, opt.resolution, opt.seed);
    let (fr, sizes, mean) = max_batch_fraction(&clusters, &tp.codes);
    let purity = match s.obs("cell_type") {
        Some(ct) => max_batch_fraction(&clusters, &ct.codes).2,
        None => f64::NAN,
    };
    Ok(BatchSummary {
        integration,
        n_clusters: fr.len(),
        max_fraction: fr,
        cluster_sizes: sizes,
        mean_max_fraction: mean,
        mean_cell_type_purity: purity,
        clusters,
        harmony_rounds,
        embedding: (0..n)
            .map(|i| [emb[[i, 0]], emb[[i, 1.min(emb.ncols() - 1)]]])
            .collect(),
    })
}
