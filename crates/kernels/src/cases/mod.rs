//! The wrong and the right analysis of each scenario, with the key choice
//! exposed as a parameter.

pub mod batch;
pub mod niches;
pub mod normalization;
pub mod parse;
pub mod pseudoreplication;
pub mod run;
pub mod spatial_units;
pub mod spec;

use crate::sim::{Scenario, Truth};
use serde::{Deserialize, Serialize};

/// One headline number of a case study: what the wrong default analysis
/// gives, what the right one gives, and the simulated truth when there is one.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Headline {
    /// Short key, e.g. "pct_genes_sex_de" (used for eval tasks).
    pub key: String,
    /// What is measured, in words.
    pub question: String,
    pub wrong: f64,
    pub wrong_method: String,
    pub right: f64,
    pub right_method: String,
    /// Value built into the simulation (NaN when the truth is not a number).
    pub truth: f64,
}

fn h(key: &str, q: &str, wrong: f64, wm: &str, right: f64, rm: &str, truth: f64) -> Headline {
    Headline {
        key: key.into(),
        question: q.into(),
        wrong,
        wrong_method: wm.into(),
        right,
        right_method: rm.into(),
        truth,
    }
}

/// Run each case's wrong and right analysis (as [`spec::spec`] names them) and return
/// the headline numbers (for `sbx demo`'s eval tasks and runs, and page titles).
pub fn headlines(s: &Scenario) -> Result<Vec<Headline>, String> {
    use run::Outcome;
    let sp = spec::spec(s.kind);
    let w = run::run(s, &sp.wrong.analysis)?;
    let r = run::run(s, &sp.right.analysis)?;
    match (&w, &r) {
        (Outcome::De(w), Outcome::De(r)) => Ok(pseudoreplication_headlines(s, w, r)),
        (Outcome::Corr(w), Outcome::Corr(r)) => Ok(normalization_headlines(s, w, r)),
        (Outcome::Batch(w), Outcome::Batch(r)) => Ok(batch_headlines(s, w, r)),
        (Outcome::Oocytes(w), Outcome::Oocytes(r)) => {
            use spatial_units::{case_cumulus_count, CumulusRule};
            let first = &w.first().ok_or("no timepoints")?.timepoint;
            let cw = case_cumulus_count(s, first, CumulusRule::AnyMarker)?;
            let cr = case_cumulus_count(s, first, spatial_units::COHERENT_CUMULUS)?;
            spatial_units_headlines(w, r, &cw, &cr)
        }
        (Outcome::Proximity(w), Outcome::Niches(r)) => Ok(niche_headlines(s, w, r)),
        _ => Err(format!(
            "{}: the wrong and right analyses do not match the case",
            s.kind.id()
        )),
    }
}

// The headlines of each case from its wrong and right results, for `headlines` and for
// callers that already hold the results (the case-study worker keeps them).

pub fn pseudoreplication_headlines(
    s: &Scenario,
    w: &pseudoreplication::DeSummary,
    r: &pseudoreplication::DeSummary,
) -> Vec<Headline> {
    let truth = match &s.truth {
        Truth::Pseudoreplication {
            pct_true_sex_genes, ..
        } => *pct_true_sex_genes,
        _ => f64::NAN,
    };
    vec![
        h(
            "pct_genes_sex_de",
            "% of genes with a sex difference (BH 5%)",
            w.pct_genes_significant,
            "per-barcode Wilcoxon on library-size + log1p",
            r.pct_genes_significant,
            "donor pseudobulk, log-CPM, t-test",
            truth,
        ),
        h(
            "housekeeping_sex_de",
            "how many of the 10 housekeeping genes differ by sex",
            w.housekeeping_called.len() as f64,
            "per-barcode Wilcoxon",
            r.housekeeping_called.len() as f64,
            "donor pseudobulk t-test",
            0.0,
        ),
    ]
}

pub fn normalization_headlines(
    s: &Scenario,
    w: &normalization::CorrSummary,
    r: &normalization::CorrSummary,
) -> Vec<Headline> {
    let truth = match &s.truth {
        Truth::Normalization {
            true_rate_spearman, ..
        } => *true_rate_spearman,
        _ => f64::NAN,
    };
    vec![h(
        "mbp_plp1_spearman",
        "Spearman correlation of Mbp and Plp1 in oligodendrocytes",
        w.spearman,
        "normalize_total(1e4) + log1p",
        r.spearman,
        "raw counts (panel-aware gives the same sign)",
        truth,
    )]
}

pub fn batch_headlines(
    s: &Scenario,
    w: &batch::BatchSummary,
    r: &batch::BatchSummary,
) -> Vec<Headline> {
    let truth = match &s.truth {
        Truth::BatchIntegration {
            balanced_max_fraction,
            ..
        } => *balanced_max_fraction,
        _ => f64::NAN,
    };
    vec![h(
        "mean_max_timepoint_fraction",
        "mean over clusters of the largest single-timepoint fraction",
        w.mean_max_fraction,
        "PCA + Louvain on pooled timepoints",
        r.mean_max_fraction,
        "Harmony-style integration tuned to the scenario (harmonypy's defaults stop early here), then PCA + Louvain",
        truth,
    )]
}

/// `w` and `r`: the oocyte counts of every timepoint (first timepoint first) by
/// components at 10 µm and by DBSCAN (15 µm, 3); `cw`, `cr`: the cumulus beads of the
/// first timepoint by any marker and by coherent clusters.
pub fn spatial_units_headlines(
    w: &[spatial_units::StructureCount],
    r: &[spatial_units::StructureCount],
    cw: &spatial_units::CumulusCount,
    cr: &spatial_units::CumulusCount,
) -> Result<Vec<Headline>, String> {
    let (Some(w0), Some(r0)) = (w.first(), r.first()) else {
        return Err("no timepoints".into());
    };
    let first = &w0.timepoint;
    let total = |c: &[spatial_units::StructureCount],
                 f: fn(&spatial_units::StructureCount) -> usize| {
        c.iter().map(|x| f(x) as f64).sum::<f64>()
    };
    Ok(vec![
        h(
            "oocyte_count_total",
            "immature oocytes over all timepoints",
            total(w, |c| c.count),
            "connected components of marker-positive beads at 10 um",
            total(r, |c| c.count),
            "DBSCAN of marker-positive beads, eps 15 um, min_samples 3",
            total(r, |c| c.true_count),
        ),
        h(
            "oocyte_count_first_timepoint",
            &format!("oocytes at {first}"),
            w0.count as f64,
            "components at 10 um",
            r0.count as f64,
            "DBSCAN 15 um / 3",
            r0.true_count as f64,
        ),
        h(
            "cumulus_beads_unstimulated",
            &format!("cumulus granulosa beads at {first} (unstimulated)"),
            cw.beads as f64,
            "any cumulus-marker count",
            cr.beads as f64,
            ">= 2 cumulus markers in a coherent DBSCAN cluster",
            cw.true_beads as f64,
        ),
    ])
}

pub fn niche_headlines(
    s: &Scenario,
    w: &niches::PairwiseSummary,
    r: &niches::NicheSummary,
) -> Vec<Headline> {
    let first = |v: &[f64]| v.first().copied().unwrap_or(f64::NAN);
    let last = |v: &[f64]| v.last().copied().unwrap_or(f64::NAN);
    let (t0, t1) = match &s.truth {
        Truth::NicheDiscovery { niche_fraction, .. } => {
            (first(niche_fraction), last(niche_fraction))
        }
        _ => (f64::NAN, f64::NAN),
    };
    vec![
        h(
            "niche_colocalization_first",
            "niche co-localisation at sham",
            first(&w.score),
            "fibroblast-immune proximity (k = 10)",
            first(&r.niche_fraction),
            "k-means niches (8) on 15-NN cell-type composition",
            t0,
        ),
        h(
            "niche_colocalization_last",
            "niche co-localisation at day 14",
            last(&w.score),
            "fibroblast-immune proximity",
            last(&r.niche_fraction),
            "k-means niches (8)",
            t1,
        ),
        h(
            "niche_fold",
            "fold increase sham -> day 14",
            w.fold,
            "fibroblast-immune proximity",
            r.fold,
            "k-means niches (8)",
            t1 / t0,
        ),
    ]
}
