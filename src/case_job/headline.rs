//! Each case's headline: its wrong and right analysis (run once, then kept), the
//! truth built into the simulation, and the SpatialBench eval graded against the right
//! analysis (`crate::demo::demo_eval`, the file `sbx demo` writes). For the clustering
//! cases it also returns the tissue with the computed columns, to colour the Viewer by.

use super::outcome::{oocyte_totals, Outcome};
use super::wire::Analysis;
use super::{run, tissue, Held};
use sbx_kernels::cases::Headline;
use sbx_kernels::sim::{ScenarioKind, Truth};
use serde_json::{json, Value};

/// The analyses each case compares: (wrong, right).
pub fn wrong_and_right(kind: ScenarioKind) -> (Analysis, Analysis) {
    let s = |x: &str| x.to_string();
    match kind {
        ScenarioKind::Pseudoreplication => (
            Analysis::De {
                level: s("unit"),
                test: s("wilcoxon"),
            },
            Analysis::De {
                level: s("donor"),
                test: s("student"),
            },
        ),
        ScenarioKind::Normalization => (
            Analysis::Corr { norm: s("libsize") },
            Analysis::Corr { norm: s("raw") },
        ),
        ScenarioKind::BatchIntegration => (
            Analysis::Batch {
                integration: s("none"),
            },
            Analysis::Batch {
                integration: s("harmony"),
            },
        ),
        ScenarioKind::SpatialUnits => (
            Analysis::Oocytes {
                method: s("components"),
                radius: 10.0,
            },
            Analysis::Oocytes {
                method: s("dbscan"),
                radius: 15.0,
            },
        ),
        ScenarioKind::NicheDiscovery => (
            Analysis::Proximity { k: 10 },
            Analysis::Niches {
                n: 8,
                k: 15,
                seed: 1,
            },
        ),
    }
}

fn outcome<'a>(
    held: &'a mut Held,
    a: &Analysis,
    now: &dyn Fn() -> f64,
) -> Result<&'a Outcome, String> {
    run(held, a, now)?;
    held.done
        .get(&super::key(a))
        .map(|(o, _)| o)
        .ok_or_else(|| "the analysis result was not kept".to_string())
}

/// `{"key", "wrong", "right", "truth", "eval"}`, and for batch integration and niche
/// discovery the tissue with the computed columns as Arrow bytes.
pub fn headline(
    held: &mut Held,
    now: &dyn Fn() -> f64,
) -> Result<(Value, Option<Vec<u8>>), String> {
    let kind = held.kind;
    let (wa, ra) = wrong_and_right(kind);
    // Both are run (or found) before either is borrowed for reading.
    outcome(held, &wa, now)?;
    outcome(held, &ra, now)?;
    let get = |a: &Analysis| held.done.get(&super::key(a)).map(|(o, _)| o);
    let s = &held.scenario;
    let (h, columns) = match (get(&wa), get(&ra)) {
        (Some(Outcome::De(w)), Some(Outcome::De(r))) => (
            Headline {
                key: "pct_genes_sex_de".into(),
                question: "% of genes with a sex difference (BH 5%)".into(),
                wrong: w.pct_genes_significant,
                wrong_method: "per-barcode Wilcoxon on library-size + log1p".into(),
                right: r.pct_genes_significant,
                right_method: "donor pseudobulk, log-CPM, t-test".into(),
                truth: match &s.truth {
                    Truth::Pseudoreplication {
                        pct_true_sex_genes, ..
                    } => *pct_true_sex_genes,
                    _ => f64::NAN,
                },
            },
            None,
        ),
        (Some(Outcome::Corr(w)), Some(Outcome::Corr(r))) => (
            Headline {
                key: "mbp_plp1_spearman".into(),
                question: "Spearman correlation of Mbp and Plp1 in oligodendrocytes".into(),
                wrong: w.spearman,
                wrong_method: "normalize_total(1e4) + log1p".into(),
                right: r.spearman,
                right_method: "raw counts (panel-aware gives the same sign)".into(),
                truth: match &s.truth {
                    Truth::Normalization {
                        true_rate_spearman, ..
                    } => *true_rate_spearman,
                    _ => f64::NAN,
                },
            },
            None,
        ),
        (Some(Outcome::Batch(w)), Some(Outcome::Batch(r))) => (
            Headline {
                key: "mean_max_timepoint_fraction".into(),
                question: "mean over clusters of the largest single-timepoint fraction".into(),
                wrong: w.mean_max_fraction,
                wrong_method: "PCA + Louvain on pooled timepoints".into(),
                right: r.mean_max_fraction,
                right_method: "Harmony-style integration, then PCA + Louvain".into(),
                truth: match &s.truth {
                    Truth::BatchIntegration {
                        balanced_max_fraction,
                        ..
                    } => *balanced_max_fraction,
                    _ => f64::NAN,
                },
            },
            Some(vec![
                tissue::cluster_column("cluster (no integration)", w),
                tissue::cluster_column("cluster (integrated)", r),
            ]),
        ),
        (Some(Outcome::Oocytes(w)), Some(Outcome::Oocytes(r))) => {
            let (wrong, _) = oocyte_totals(w);
            let (right, truth) = oocyte_totals(r);
            (
                Headline {
                    key: "oocyte_count_total".into(),
                    question: "immature oocytes over all timepoints".into(),
                    wrong,
                    wrong_method: "connected components of marker-positive beads at 10 um".into(),
                    right,
                    right_method: "DBSCAN of marker-positive beads, eps 15 um, min_samples 3"
                        .into(),
                    truth,
                },
                None,
            )
        }
        (Some(Outcome::Proximity(w)), Some(Outcome::Niches(r))) => (
            Headline {
                key: "niche_fold".into(),
                question: "fold increase sham -> day 14".into(),
                wrong: w.fold,
                wrong_method: "fibroblast-immune proximity".into(),
                right: r.fold,
                right_method: "k-means niches (8)".into(),
                truth: match &s.truth {
                    Truth::NicheDiscovery { niche_fraction, .. } => {
                        niche_fraction.last().copied().unwrap_or(f64::NAN)
                            / niche_fraction.first().copied().unwrap_or(f64::NAN)
                    }
                    _ => f64::NAN,
                },
            },
            Some(vec![tissue::niche_column(r)]),
        ),
        _ => {
            return Err(format!(
                "{}: the wrong and right analyses do not match the case",
                kind.id()
            ))
        }
    };
    let bytes = match columns {
        Some(cols) => {
            let ds = tissue::with_columns(s, cols)?;
            Some(sbx_data::write_ipc(&ds).map_err(|e| format!("{}: {e}", kind.id()))?)
        }
        None => None,
    };
    let eval = crate::demo::demo_eval(s, &h);
    Ok((
        json!({"key": h.key, "wrong": h.wrong, "right": h.right, "truth": h.truth, "eval": eval}),
        bytes,
    ))
}
