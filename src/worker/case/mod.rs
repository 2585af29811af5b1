//! The case-study work the case pages run in the Web Worker (`super::jobs` routes
//! `Request::Case` here): simulate the scenario once per (case, seed),
//! run the wrong, right and "your choice" analyses on it, and answer with the numbers
//! ([`CaseReply`]) and the tissue as Arrow bytes. Off the main thread the page stays
//! responsive during the seconds a clustering takes, and the page's wasm carries
//! neither the simulators nor the kernels. Plain Rust, tested natively.

mod headline;
mod outcome;
mod precomputed;
mod tissue;

pub use headline::wrong_and_right;
pub use outcome::Outcome;
pub use precomputed::{default_choice, digest, first_view, precompute, CaseFile};

use super::protocol::{Analysis, CaseAnswer, CaseReply, TissueInfo};
use sbx_kernels::sim::{Scenario, ScenarioKind};
use std::collections::HashMap;

/// The simulated scenario the worker holds, with the analyses already run on it.
struct Held {
    kind: ScenarioKind,
    seed: u64,
    scenario: Scenario,
    build_ms: f64,
    /// Outcomes by their request's JSON, with the milliseconds they took.
    done: HashMap<String, (Outcome, f64)>,
}

/// The worker's state: the last scenario asked for (one at a time: a scenario
/// holds the full count matrix, tens of MB).
#[derive(Default)]
pub struct CaseJob {
    held: Option<Held>,
}

pub fn kind_of(id: &str) -> Result<ScenarioKind, String> {
    ScenarioKind::ALL
        .into_iter()
        .find(|k| k.id() == id)
        .ok_or_else(|| format!("unknown case study `{id}`"))
}

impl CaseJob {
    /// Answers one `Case` request; `now` is a millisecond clock.
    pub fn handle(
        &mut self,
        case: &str,
        seed: u64,
        analysis: &Analysis,
        now: &dyn Fn() -> f64,
    ) -> Result<(CaseReply, Option<Vec<u8>>), String> {
        let kind = kind_of(case)?;
        let held = self.scenario(kind, seed, now);
        let t0 = now();
        let (answer, bytes, ms, cached) = match analysis {
            Analysis::Tissue { dataset } => {
                let s = &held.scenario;
                let bytes = if *dataset {
                    let ds = crate::demo::scenario_dataset(s);
                    Some(sbx_data::write_ipc(&ds).map_err(|e| format!("{case}: {e}"))?)
                } else {
                    None
                };
                let info = TissueInfo {
                    title: s.title.clone(),
                    platform: s.platform.clone(),
                    description: s.description.clone(),
                    n_units: s.n_units(),
                    build_ms: held.build_ms,
                };
                (CaseAnswer::Tissue(info), bytes, now() - t0, false)
            }
            Analysis::Headline => {
                let (h, bytes) = headline::headline(held, now)?;
                (CaseAnswer::Headline(h), bytes, now() - t0, false)
            }
            a => {
                let (ms, cached) = run(held, a, now)?;
                let (o, _) = held
                    .done
                    .get(&key(a))
                    .ok_or("the analysis result was not kept")?;
                let (answer, bytes) = outcome::answer(&held.scenario, o)?;
                (answer, bytes, ms, cached)
            }
        };
        let reply = CaseReply {
            case: case.to_string(),
            ms,
            cached,
            kept: false,
            digest: digest(&answer, bytes.as_deref()),
            answer,
        };
        Ok((reply, bytes))
    }

    /// The scenario of (kind, seed), simulated unless it is the one held.
    fn scenario(&mut self, kind: ScenarioKind, seed: u64, now: &dyn Fn() -> f64) -> &mut Held {
        let held = match self.held.take() {
            Some(h) if h.kind == kind && h.seed == seed => h,
            old => {
                // Drop the old one first: two scenarios at once could exhaust wasm memory.
                drop(old);
                let t0 = now();
                let scenario = crate::demo::site_scenario(kind, seed);
                Held {
                    kind,
                    seed,
                    scenario,
                    build_ms: now() - t0,
                    done: HashMap::new(),
                }
            }
        };
        self.held.insert(held)
    }
}

fn key(a: &Analysis) -> String {
    serde_json::to_string(a).unwrap_or_default()
}

/// Runs `a` unless it has run on this scenario: (milliseconds it took, whether it was kept).
fn run(held: &mut Held, a: &Analysis, now: &dyn Fn() -> f64) -> Result<(f64, bool), String> {
    let k = key(a);
    if let Some((_, ms)) = held.done.get(&k) {
        return Ok((*ms, true));
    }
    let t0 = now();
    let o = outcome::compute(&held.scenario, a)?;
    let ms = now() - t0;
    held.done.insert(k, (o, ms));
    Ok((ms, false))
}

#[cfg(test)]
mod tests;
