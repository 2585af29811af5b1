//! Case 5: neighbourhood-composition niches per timepoint and the
//! co-localisation of the fibro-inflammatory niche.

use crate::sim::{Categorical, Scenario};
use crate::spatial::{colocalization, kmeans, knn, neighborhood_composition, Neighbors};
use serde::{Deserialize, Serialize};

/// Cell types that define the fibro-inflammatory niche.
pub const NICHE_TYPES: [&str; 4] = ["Myofibroblast", "Macrophage", "T cell", "Injured PT"];

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NicheSummary {
    pub n_niches: usize,
    pub k_neighbors: usize,
    pub timepoints: Vec<String>,
    /// Share of cells in the fibro-inflammatory niche, per timepoint.
    pub niche_fraction: Vec<f64>,
    /// Last over first timepoint.
    pub fold: f64,
    /// The niche(s) identified as fibro-inflammatory: every niche whose
    /// centroid is at least half niche cell types, or else the one with the
    /// largest such share.
    pub niches: Vec<u32>,
    /// Niche centroids: n_niches rows of cell-type fractions (cell_type order).
    pub centroids: Vec<Vec<f32>>,
    pub cell_types: Vec<String>,
    /// Niche per cell.
    pub labels: Vec<u32>,
}

/// Neighbours within each timepoint's section (sections never touch; kNN
/// on all coordinates is the same as per section when sections are apart).
fn neighbors(s: &Scenario, k: usize) -> Neighbors {
    knn(&s.x, &s.y, k)
}

/// The scenario's cell-type and timepoint columns.
fn types_and_timepoints(s: &Scenario) -> Result<(&Categorical, &Categorical), String> {
    let ct = s
        .obs("cell_type")
        .ok_or("scenario has no 'cell_type' column")?;
    let tp = s
        .obs("timepoint")
        .ok_or("scenario has no 'timepoint' column")?;
    Ok((ct, tp))
}

/// k-means (`n_niches`) on each cell's k-NN cell-type composition, fitted
/// on all timepoints together; the niche whose centroid has the largest
/// share of `NICHE_TYPES` is the fibro-inflammatory niche (with many
/// niches it can split in two; all niches at least half niche types count).
pub fn case_niches(
    s: &Scenario,
    n_niches: usize,
    k_neighbors: usize,
    seed: u64,
) -> Result<NicheSummary, String> {
    let (ct, tp) = types_and_timepoints(s)?;
    if !(2..=30).contains(&n_niches) {
        return Err(format!("niche count must be 2..=30, got {n_niches}"));
    }
    let nb = neighbors(s, k_neighbors);
    let comp = neighborhood_composition(&nb, &ct.codes, ct.categories.len());
    let (labels, cent, _) = kmeans(&comp, n_niches, 3, 100, seed);
    let niche_cols: Vec<usize> = NICHE_TYPES
        .iter()
        .filter_map(|t| ct.code_of(t).map(|c| c as usize))
        .collect();
    let score = |c: usize| niche_cols.iter().map(|&j| cent[[c, j]]).sum::<f32>();
    let best = (0..n_niches)
        .max_by(|&a, &b| score(a).total_cmp(&score(b)))
        .unwrap_or(0) as u32;
    let mut niches: Vec<u32> = (0..n_niches as u32)
        .filter(|&c| score(c as usize) >= 0.5)
        .collect();
    if niches.is_empty() {
        niches.push(best);
    }
    let mut is_niche = vec![false; n_niches];
    niches.iter().for_each(|&c| is_niche[c as usize] = true);
    let n_tp = tp.categories.len();
    let mut tot = vec![0usize; n_tp];
    let mut inn = vec![0usize; n_tp];
    for u in 0..s.n_units() {
        tot[tp.codes[u] as usize] += 1;
        if is_niche[labels[u] as usize] {
            inn[tp.codes[u] as usize] += 1;
        }
    }
    let frac: Vec<f64> = (0..n_tp)
        .map(|t| {
            if tot[t] > 0 {
                inn[t] as f64 / tot[t] as f64
            } else {
                0.0
            }
        })
        .collect();
    Ok(NicheSummary {
        n_niches,
        k_neighbors,
        timepoints: tp.categories.clone(),
        fold: frac.last().copied().unwrap_or(0.0) / frac.first().copied().unwrap_or(0.0).max(1e-12),
        niche_fraction: frac,
        niches,
        centroids: cent.rows().into_iter().map(|r| r.to_vec()).collect(),
        cell_types: ct.categories.clone(),
        labels,
    })
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PairwiseSummary {
    pub timepoints: Vec<String>,
    /// Mean share of immune cells among the k nearest neighbours of
    /// fibroblast-lineage cells, per timepoint.
    pub score: Vec<f64>,
    pub fold: f64,
}

/// The shortcut: fibroblast-immune proximity (fibroblasts and
/// myofibroblasts -> macrophages and T cells), per timepoint.
pub fn case_fibro_immune_proximity(
    s: &Scenario,
    k_neighbors: usize,
) -> Result<PairwiseSummary, String> {
    let (ct, tp) = types_and_timepoints(s)?;
    let code = |n: &str| ct.code_of(n).ok_or_else(|| format!("no cell type '{n}'"));
    let (fib, myo, mac, t) = (
        code("Fibroblast")?,
        code("Myofibroblast")?,
        code("Macrophage")?,
        code("T cell")?,
    );
    // Two-label view: 0 other, 1 fibroblast lineage, 2 immune.
    let lab: Vec<u32> = ct
        .codes
        .iter()
        .map(|&c| {
            if c == fib || c == myo {
                1
            } else if c == mac || c == t {
                2
            } else {
                0
            }
        })
        .collect();
    let nb = neighbors(s, k_neighbors);
    let mut score = Vec::new();
    for ti in 0..tp.categories.len() as u32 {
        // Restrict the source cells to this timepoint by masking the others' labels.
        let masked: Vec<u32> = lab
            .iter()
            .zip(&tp.codes)
            .map(|(&l, &c)| if c == ti || l != 1 { l } else { 0 })
            .collect();
        score.push(colocalization(&nb, &masked, 1, 2));
    }
    Ok(PairwiseSummary {
        timepoints: tp.categories.clone(),
        fold: score.last().copied().unwrap_or(0.0)
            / score.first().copied().unwrap_or(0.0).max(1e-12),
        score,
    })
}
