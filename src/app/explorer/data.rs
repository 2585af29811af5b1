//! Lazy loading of bundle files: evals of a suite, runs of an eval, steps
//! of a trajectory. Each file is fetched (or read from an in-memory bundle)
//! once and kept parsed in a per-page-session cache.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::Arc;

use leptos::prelude::*;

use sbx_suite::bundle::{read_evals_file, read_runs_file, read_trajectory_part};
use sbx_suite::{Eval, Run, Step};

use crate::app::state::{AppState, BundleSource, LoadedBundle};

thread_local! {
    static EVALS: RefCell<HashMap<String, Arc<Vec<Eval>>>> = RefCell::new(HashMap::new());
    static RUNS: RefCell<HashMap<String, Arc<Vec<Run>>>> = RefCell::new(HashMap::new());
    static STEPS: RefCell<HashMap<String, Arc<Vec<Step>>>> = RefCell::new(HashMap::new());
}

fn cache_key(b: &LoadedBundle, path: &str) -> String {
    format!("{}\u{1f}{path}", b.name)
}

/// The bytes of one file of a bundle.
pub async fn bundle_file(b: &LoadedBundle, path: &str) -> Result<Vec<u8>, String> {
    match &b.source {
        BundleSource::Remote(base) => {
            crate::app::fetch::fetch_bytes(&format!("{base}{path}")).await
        }
        BundleSource::Memory(m) => m
            .files
            .get(path)
            .cloned()
            .ok_or_else(|| format!("bundle {:?} has no file {path}", b.name)),
    }
}

fn bundle_for(suite: &str) -> Result<LoadedBundle, String> {
    AppState::get()
        .bundles
        .with_untracked(|bs| bs.iter().find(|b| b.has_suite(suite)).cloned())
        .ok_or_else(|| format!("suite {suite:?} is not loaded"))
}

/// Every eval (full prompt, grader, notes) of a suite.
pub async fn evals_of(suite: &str) -> Result<Arc<Vec<Eval>>, String> {
    let b = bundle_for(suite)?;
    let file = b
        .manifest
        .suite(suite)
        .map(|s| s.evals_file.clone())
        .ok_or_else(|| format!("suite {suite:?} is not in its bundle's manifest"))?;
    let key = cache_key(&b, &file);
    if let Some(v) = EVALS.with(|c| c.borrow().get(&key).cloned()) {
        return Ok(v);
    }
    let bytes = bundle_file(&b, &file).await?;
    let evals = Arc::new(read_evals_file(&file, &bytes).map_err(|e| e.to_string())?);
    EVALS.with(|c| c.borrow_mut().insert(key, evals.clone()));
    Ok(evals)
}

/// One eval of a suite.
pub async fn eval_of(suite: &str, id: &str) -> Result<Eval, String> {
    evals_of(suite)
        .await?
        .iter()
        .find(|e| e.id == id)
        .cloned()
        .ok_or_else(|| format!("eval {id:?} is not in the evals file of suite {suite:?}"))
}

/// Every run (answer, recorded result) of one eval.
pub async fn runs_of(suite: &str, eval_id: &str) -> Result<Arc<Vec<Run>>, String> {
    let b = bundle_for(suite)?;
    let Some(file) = b
        .manifest
        .suite(suite)
        .and_then(|s| s.runs_files.get(eval_id).cloned())
    else {
        return Ok(Arc::new(Vec::new()));
    };
    let key = cache_key(&b, &file);
    if let Some(v) = RUNS.with(|c| c.borrow().get(&key).cloned()) {
        return Ok(v);
    }
    let bytes = bundle_file(&b, &file).await?;
    let runs = Arc::new(read_runs_file(&file, &bytes).map_err(|e| e.to_string())?);
    RUNS.with(|c| c.borrow_mut().insert(key, runs.clone()));
    Ok(runs)
}

/// One run.
pub async fn run_of(suite: &str, eval_id: &str, id: &str) -> Result<Run, String> {
    runs_of(suite, eval_id)
        .await?
        .iter()
        .find(|r| r.id == id)
        .cloned()
        .ok_or_else(|| format!("run {id:?} is not in the runs file of eval {eval_id:?}"))
}

/// All steps of a run's trajectory (every part), or `None` when it has none.
pub async fn steps_of(suite: &str, run_id: &str) -> Result<Option<Arc<Vec<Step>>>, String> {
    let b = bundle_for(suite)?;
    let Some(t) = b
        .manifest
        .run(suite, run_id)
        .and_then(|r| r.trajectory.clone())
    else {
        return Ok(None);
    };
    let key = cache_key(&b, &format!("steps:{suite}:{run_id}"));
    if let Some(v) = STEPS.with(|c| c.borrow().get(&key).cloned()) {
        return Ok(Some(v));
    }
    let mut steps = Vec::with_capacity(t.n_steps);
    for p in &t.parts {
        let bytes = bundle_file(&b, &p.file).await?;
        steps.extend(
            read_trajectory_part(&p.file, &bytes)
                .map_err(|e| e.to_string())?
                .steps,
        );
    }
    let steps = Arc::new(steps);
    STEPS.with(|c| c.borrow_mut().insert(key, steps.clone()));
    Ok(Some(steps))
}
