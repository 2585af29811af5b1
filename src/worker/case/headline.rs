//! Each case's headline: its wrong and right analysis (run once, then kept), the
//! truth built into the simulation, and the SpatialBench eval graded against the right
//! analysis (`crate::demo::demo_eval`, the file `sbx demo` writes). For the clustering
//! cases it also returns the computed columns, to colour the Viewer by.

use super::outcome::Outcome;
use super::{run, tissue, Held};
use crate::worker::protocol::{Analysis, HeadlineAnswer};
use sbx_kernels::cases;
use sbx_kernels::cases::spec::spec;
use sbx_kernels::sim::ScenarioKind;

/// The analyses each case compares, (wrong, right), as the kernels' table names them.
pub fn wrong_and_right(kind: ScenarioKind) -> (Analysis, Analysis) {
    let sp = spec(kind);
    (sp.wrong.analysis.into(), sp.right.analysis.into())
}

/// The headline and its eval, and for batch integration and niche
/// discovery the computed columns (with the units' coordinates) as Arrow bytes. The headline is the
/// kernels' own (`sbx_kernels::cases`), built from the results the worker keeps.
pub fn headline(
    held: &mut Held,
    now: &dyn Fn() -> f64,
) -> Result<(HeadlineAnswer, Option<Vec<u8>>), String> {
    let kind = held.kind;
    let (wa, ra) = wrong_and_right(kind);
    // Every result needed is run (or found) before any is borrowed for reading; the
    // spatial-units headlines also count the cumulus beads (the page asks for them next).
    run(held, &wa, now)?;
    run(held, &ra, now)?;
    if kind == ScenarioKind::SpatialUnits {
        run(held, &Analysis::Cumulus, now)?;
    }
    let get = |a: &Analysis| held.done.get(&super::key(a)).map(|(o, _)| o);
    let s = &held.scenario;
    let (all, columns) = match (get(&wa), get(&ra)) {
        (Some(Outcome::De(w)), Some(Outcome::De(r))) => {
            (cases::pseudoreplication_headlines(s, w, r), None)
        }
        (Some(Outcome::Corr(w)), Some(Outcome::Corr(r))) => {
            (cases::normalization_headlines(s, w, r), None)
        }
        (Some(Outcome::Batch(w)), Some(Outcome::Batch(r))) => (
            cases::batch_headlines(s, w, r),
            Some(vec![
                tissue::cluster_column("cluster (no integration)", w),
                tissue::cluster_column("cluster (integrated)", r),
            ]),
        ),
        (Some(Outcome::Oocytes(w)), Some(Outcome::Oocytes(r))) => match get(&Analysis::Cumulus) {
            Some(Outcome::Cumulus(cw, cr)) => (cases::spatial_units_headlines(w, r, cw, cr)?, None),
            _ => return Err("spatial_units: the cumulus counts were not kept".into()),
        },
        (Some(Outcome::Proximity(w)), Some(Outcome::Niches(r))) => (
            cases::niche_headlines(s, w, r),
            Some(vec![tissue::niche_column(r)]),
        ),
        _ => {
            return Err(format!(
                "{}: the wrong and right analyses do not match the case",
                kind.id()
            ))
        }
    };
    let key = spec(kind).key;
    let h = all
        .into_iter()
        .find(|h| h.key == key)
        .ok_or_else(|| format!("{}: no headline `{key}`", kind.id()))?;
    let bytes = match columns {
        Some(cols) => {
            let ds = tissue::computed_columns(s, cols)?;
            Some(sbx_data::write_ipc(&ds).map_err(|e| format!("{}: {e}", kind.id()))?)
        }
        None => None,
    };
    let eval = crate::demo::demo_eval(s, &h);
    Ok((HeadlineAnswer { headline: h, eval }, bytes))
}
