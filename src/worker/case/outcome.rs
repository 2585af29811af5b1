//! Each analysis of the case studies: the kernel call the page used to make on its
//! main thread, its result kept by the worker (so a choice made again, or the
//! headline after the wrong and right analyses, costs nothing), and its typed answer.

use super::tissue;
use crate::worker::protocol::{
    Analysis, BatchAnswer, CaseAnswer, CumulusAnswer, DeAnswer, NicheAnswer, OocyteAnswer,
    SweepAnswer, TimepointCount,
};
use sbx_kernels::cases::batch::BatchSummary;
use sbx_kernels::cases::niches::{NicheSummary, PairwiseSummary};
use sbx_kernels::cases::normalization::CorrSummary;
use sbx_kernels::cases::pseudoreplication::DeSummary;
use sbx_kernels::cases::run;
use sbx_kernels::cases::spatial_units::{
    case_cumulus_count, case_oocyte_count, oocyte_radius_sweep, CountMethod, CumulusCount,
    CumulusRule, StructureCount, SweepPoint, COHERENT_CUMULUS,
};
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

/// The scenario's first timepoint (the spatial-units page looks at it closely).
pub fn first_timepoint(s: &Scenario) -> Result<String, String> {
    s.obs("timepoint")
        .and_then(|c| c.categories.first().cloned())
        .ok_or_else(|| "the scenario has no timepoint".to_string())
}

/// Runs one analysis (not `Tissue` or `Headline`, which are not kernel calls); the
/// wrong, right and chosen analyses go through the same `sbx_kernels::cases::run`
/// calls as the kernels' own headlines.
pub fn compute(s: &Scenario, a: &Analysis) -> Result<Outcome, String> {
    match a {
        Analysis::Batch { integration } => run::batch(s, integration).map(Outcome::Batch),
        Analysis::De { level, test } => run::de(s, level, test).map(Outcome::De),
        Analysis::Corr { norm } => run::corr(s, norm).map(Outcome::Corr),
        Analysis::Oocytes { method, radius } => {
            run::oocytes(s, method, *radius).map(Outcome::Oocytes)
        }
        Analysis::Cumulus => {
            let tp = first_timepoint(s)?;
            let any = case_cumulus_count(s, &tp, CumulusRule::AnyMarker)?;
            Ok(Outcome::Cumulus(
                any,
                case_cumulus_count(s, &tp, COHERENT_CUMULUS)?,
            ))
        }
        Analysis::Sweep => {
            let tp = first_timepoint(s)?;
            let truth =
                case_oocyte_count(s, &tp, CountMethod::Components { radius: 10.0 })?.true_count;
            let points = oocyte_radius_sweep(s, &tp, &SWEEP_RADII, 3)?;
            Ok(Outcome::Sweep(tp, truth, points))
        }
        Analysis::Proximity { k } => run::proximity(s, *k).map(Outcome::Proximity),
        Analysis::Niches { n, k, seed } => run::niches(s, *n, *k, *seed).map(Outcome::Niches),
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
                harmony_rounds: b.harmony_rounds,
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
