//! The case-study work the case pages run in the Web Worker (`src/worker.rs` routes
//! requests whose `op` is "case" here): simulate the scenario once per (case, seed),
//! run the wrong, right and "your choice" analyses on it, and answer with the numbers
//! as JSON and the tissue as Arrow bytes. Off the main thread the page stays
//! responsive during the seconds a clustering takes, and the page's wasm carries
//! neither the simulators nor the kernels. Plain Rust, tested natively.

pub mod answers;
mod headline;
mod outcome;
mod tissue;
pub mod wire;

pub use outcome::Outcome;
pub use wire::{is_case_request, Analysis, CaseRequest};

use sbx_kernels::sim::{build, Scenario, ScenarioKind};
use serde_json::{json, Value};
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
    /// Answers one request text with the answer's JSON text and Arrow bytes, if any.
    /// Every failure is an answer of kind "error"; `now` is a millisecond clock.
    pub fn handle_text(&mut self, text: &str, now: &dyn Fn() -> f64) -> (String, Option<Vec<u8>>) {
        let result = serde_json::from_str::<CaseRequest>(text)
            .map_err(|e| format!("malformed case-study request: {e}"))
            .and_then(|req| self.handle(&req, now));
        match result {
            Ok((v, bytes)) => (v.to_string(), bytes),
            Err(message) => (
                json!({"kind": "error", "message": message}).to_string(),
                None,
            ),
        }
    }

    /// Answers one request: `{"kind": "case", "case", "analysis", "ms", "cached", …}`.
    pub fn handle(
        &mut self,
        req: &CaseRequest,
        now: &dyn Fn() -> f64,
    ) -> Result<(Value, Option<Vec<u8>>), String> {
        let kind = kind_of(&req.case)?;
        let held = self.scenario(kind, req.seed, now);
        let t0 = now();
        let (mut v, bytes, ms, cached) = match &req.analysis {
            Analysis::Tissue { dataset } => {
                let s = &held.scenario;
                let bytes = if *dataset {
                    let ds = crate::demo::scenario_dataset(s);
                    Some(sbx_data::write_ipc(&ds).map_err(|e| format!("{}: {e}", req.case))?)
                } else {
                    None
                };
                let v = json!({
                    "title": s.title, "platform": s.platform, "description": s.description,
                    "n_units": s.n_units(), "build_ms": held.build_ms,
                });
                (v, bytes, now() - t0, false)
            }
            Analysis::Headline => {
                let (v, bytes) = headline::headline(held, now)?;
                (v, bytes, now() - t0, false)
            }
            a => {
                let (ms, cached) = run(held, a, now)?;
                let (o, _) = held
                    .done
                    .get(&key(a))
                    .ok_or("the analysis result was not kept")?;
                let (v, bytes) = outcome::answer(&held.scenario, o)?;
                (v, bytes, ms, cached)
            }
        };
        if let Some(obj) = v.as_object_mut() {
            obj.insert("kind".into(), "case".into());
            obj.insert("case".into(), req.case.clone().into());
            obj.insert("analysis".into(), req.analysis.name().into());
            obj.insert("ms".into(), ms.into());
            obj.insert("cached".into(), cached.into());
        }
        Ok((v, bytes))
    }

    /// The scenario of (kind, seed), simulated unless it is the one held.
    fn scenario(&mut self, kind: ScenarioKind, seed: u64, now: &dyn Fn() -> f64) -> &mut Held {
        let held = match self.held.take() {
            Some(h) if h.kind == kind && h.seed == seed => h,
            old => {
                // Drop the old one first: two scenarios at once could exhaust wasm memory.
                drop(old);
                let t0 = now();
                let scenario = build(kind, seed);
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
