//! Each analysis of the case studies: the kernel call the page used to make on its
//! main thread, its result kept by the worker (so a choice made again, or the
//! headline after the wrong and right analyses, costs nothing), and its typed answer.

use super::tissue;
use crate::worker::protocol::{
    Analysis, BatchAnswer, CaseAnswer, CumulusAnswer, DeAnswer, NicheAnswer, OocyteAnswer,
    SweepAnswer, TimepointCount,
};
use sbx_kernels::cases::batch::{
    case_batch_integration, BatchSummary, ClusterOptions, Integration,
};
use sbx_kernels::cases::niches::{
    case_fibro_immune_proximity, case_niches, NicheSummary, PairwiseSummary,
};
use sbx_kernels::cases::normalization::{case_normalization, CorrSummary};
use sbx_kernels::cases::pseudoreplication::{case_pseudoreplication, DeSummary, TestLevel};
use sbx_kernels::cases::spatial_units::{
    case_cumulus_count, case_oocyte_count, oocyte_radius_sweep, CountMethod, CumulusCount,
    CumulusRule, StructureCount, SweepPoint,
};
use sbx_kernels::de::TestKind;
use sbx_kernels::norm::Normalization;
use sbx_kernels::sim::Scenario;

/// The radii of the spatial-units sweep, in µm.
pub const SWEEP_RADII: [f32; 9] = [5.0, 7.5, 10.0, 12.5, 15.0, 20.0, 25.0, 30.0, 40.0];

/// A kernel result, as computed.
pub enum Outcome {
    Batch(BatchSummary),
    De(DeSummary),
    Corr(CorrSummary),
    /// One count per timepoint.
    Oocytes(Vec<StructureCount>),
    /// Any marker, coherent clusters.
    Cumulus(CumulusCount, CumulusCount),
    /// The timepoint, its true oocytes, the counts per radius.
    Sweep(String, usize, Vec<SweepPoint>),
    Proximity(PairwiseSummary),
    Niches(NicheSummary),
}

pub fn integration(name: &str) -> Result<Integration, String> {
    match name {
        "none" => Ok(Integration::None),
        "harmony" => Ok(Integration::Harmony),
        "scaling" => Ok(Integration::PerBatchScaling),
        other => Err(format!(
            "unknown integration `{other}` (none, harmony or scaling)"
        )),
    }
}

pub fn test_level(name: &str) -> Result<TestLevel, String> {
    match name {
        "unit" => Ok(TestLevel::Unit),
        "donor" => Ok(TestLevel::Replicate),
        other => Err(format!("unknown test level `{other}` (unit or donor)")),
    }
}

pub fn test_kind(name: &str) -> Result<TestKind, String> {
    match name {
        "wilcoxon" => Ok(TestKind::Wilcoxon),
        "welch" => Ok(TestKind::Welch),
        "student" => Ok(TestKind::Student),
        other => Err(format!(
            "unknown test `{other}` (wilcoxon, welch or student)"
        )),
    }
}

pub fn normalization(name: &str) -> Result<Normalization, String> {
    match name {
        "raw" => Ok(Normalization::Raw),
        "libsize" => Ok(Normalization::LibSizeLog1p { target_sum: 1e4 }),
        "panel" => Ok(Normalization::PanelAware { n_dominant: 7 }),
        "scale" => Ok(Normalization::PerGeneScale),
        other => Err(format!(
            "unknown normalization `{other}` (raw, libsize, panel or scale)"
        )),
    }
}

pub fn count_method(name: &str, radius: f32) -> Result<CountMethod, String> {
    // The page's slider spans 5–40 µm; far outside that the kernels would only be slow.
    if !(radius.is_finite() && (0.5..=200.0).contains(&radius)) {
        return Err(format!("a radius of {radius} µm is outside 0.5–200 µm"));
    }
    match name {
        "components" => Ok(CountMethod::Components { radius }),
        "dbscan" => Ok(CountMethod::Dbscan {
            eps: radius,
            min_samples: 3,
        }),
        other => Err(format!(
            "unknown counting method `{other}` (components or dbscan)"
        )),
    }
}

/// The scenario's first timepoint (the spatial-units page looks at it closely).
pub fn first_timepoint(s: &Scenario) -> Result<String, String> {
    s.obs("timepoint")
        .and_then(|c| c.categories.first().cloned())
        .ok_or_else(|| "the scenario has no timepoint".to_string())
}

/// Runs one analysis (not `Tissue` or `Headline`, which are not kernel calls).
pub fn compute(s: &Scenario, a: &Analysis) -> Result<Outcome, String> {
    match a {
        Analysis::Batch { integration: i } => {
            case_batch_integration(s, integration(i)?, &ClusterOptions::default())
                .map(Outcome::Batch)
        }
        Analysis::De { level, test } => {
            case_pseudoreplication(s, test_level(level)?, test_kind(test)?, 0.05).map(Outcome::De)
        }
        Analysis::Corr { norm } => {
            case_normalization(s, &normalization(norm)?, "Mbp", "Plp1", "Oligodendrocyte")
                .map(Outcome::Corr)
        }
        Analysis::Oocytes { method, radius } => {
            let m = count_method(method, *radius)?;
            let tps = s
                .obs("timepoint")
                .ok_or("the scenario has no timepoint")?
                .categories
                .clone();
            tps.iter()
                .map(|tp| case_oocyte_count(s, tp, m))
                .collect::<Result<Vec<_>, _>>()
                .map(Outcome::Oocytes)
        }
        Analysis::Cumulus => {
            let tp = first_timepoint(s)?;
            let any = case_cumulus_count(s, &tp, CumulusRule::AnyMarker)?;
            let rule = CumulusRule::Coherent {
                min_distinct: 2,
                eps: 15.0,
                min_samples: 3,
            };
            Ok(Outcome::Cumulus(any, case_cumulus_count(s, &tp, rule)?))
        }
        Analysis::Sweep => {
            let tp = first_timepoint(s)?;
            let truth =
                case_oocyte_count(s, &tp, CountMethod::Components { radius: 10.0 })?.true_count;
            let points = oocyte_radius_sweep(s, &tp, &SWEEP_RADII, 3)?;
            Ok(Outcome::Sweep(tp, truth, points))
        }
        Analysis::Proximity { k } => {
            if !(1..=100).contains(k) {
                return Err(format!("{k} neighbours is outside 1–100"));
            }
            case_fibro_immune_proximity(s, *k).map(Outcome::Proximity)
        }
        Analysis::Niches { n, k, seed } => {
            if !(2..=30).contains(n) || !(1..=100).contains(k) {
                return Err(format!(
                    "{n} niches of {k} neighbours: niches must be 2–30 and neighbours 1–100"
                ));
            }
            case_niches(s, *n, *k, *seed).map(Outcome::Niches)
        }
        Analysis::Tissue { .. } | Analysis::Headline => {
            Err(format!("`{}` is not a kernel analysis", a.name()))
        }
    }
}

/// What the page shows of an outcome, and the Arrow bytes it draws (the bead map).
pub fn answer(s: &Scenario, o: &Outcome) -> Result<(CaseAnswer, Option<Vec<u8>>), String> {
    Ok(match o {
        Outcome::Batch(b) => {
            let (shares, timepoints) = tissue::timepoint_shares(s, b);
            let a = BatchAnswer {
                mean_max_fraction: b.mean_max_fraction,
                n_clusters: b.n_clusters,
                mean_cell_type_purity: b.mean_cell_type_purity,
                shares,
                timepoints,
            };
            (CaseAnswer::Batch(a), None)
        }
        Outcome::De(d) => {
            let a = DeAnswer {
                test: d.test.clone(),
                pct_genes_significant: d.pct_genes_significant,
                n_significant: d.n_significant,
                housekeeping_called: d.housekeeping_called.clone(),
                p: d.p.clone(),
            };
            (CaseAnswer::De(a), None)
        }
        Outcome::Corr(c) => (CaseAnswer::Corr(c.clone()), None),
        Outcome::Oocytes(per) => {
            let first = per.first().ok_or("no timepoint was counted")?;
            let map = tissue::bead_map(s, first)?;
            let bytes = sbx_data::write_ipc(&map).map_err(|e| format!("bead map: {e}"))?;
            let a = OocyteAnswer {
                total: per.iter().map(|c| c.count).sum(),
                true_total: per.iter().map(|c| c.true_count).sum(),
                per_timepoint: per
                    .iter()
                    .map(|c| TimepointCount {
                        timepoint: c.timepoint.clone(),
                        count: c.count,
                        true_count: c.true_count,
                    })
                    .collect(),
            };
            (CaseAnswer::Oocytes(a), Some(bytes))
        }
        Outcome::Cumulus(any, coherent) => {
            let a = CumulusAnswer {
                timepoint: any.timepoint.clone(),
                any_marker: any.beads,
                coherent: coherent.beads,
                true_beads: any.true_beads,
            };
            (CaseAnswer::Cumulus(a), None)
        }
        Outcome::Sweep(tp, truth, points) => {
            let a = SweepAnswer {
                timepoint: tp.clone(),
                true_count: *truth,
                points: points.clone(),
            };
            (CaseAnswer::Sweep(a), None)
        }
        Outcome::Proximity(p) => (CaseAnswer::Proximity(p.clone()), None),
        Outcome::Niches(n) => {
            let a = NicheAnswer {
                n_niches: n.n_niches,
                timepoints: n.timepoints.clone(),
                niche_fraction: n.niche_fraction.clone(),
                fold: n.fold,
            };
            (CaseAnswer::Niches(a), None)
        }
    })
}
