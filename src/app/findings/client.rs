//! The page side of the failure finder and the trajectory search. One data
//! worker holds every trajectory checked so far and their search index, for
//! the whole visit (so the Findings page, the runs list, the case studies
//! and the Search page share one pass over the corpus). Trajectories are
//! loaded only when a page asks: all of them for the Findings and Search
//! pages, the runs list's class filter and a case study's real runs; one for
//! a run page's findings panel. The page sends each run's bundle part files
//! as bytes; parsing, the finder and the index run in the worker.

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet, VecDeque};
use std::rc::Rc;

use js_sys::{Function, Promise};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

use leptos::prelude::*;
use leptos::task::spawn_local;

use sbx_search::Query;
use sbx_suite::bundle::ManifestRun;
use serde_json::Value;

use crate::app::explorer::data::{bundle_file, eval_of};
use crate::app::state::{AppState, LoadState};
use crate::corpus::summary::RunFindings;
use crate::worker::client::Connection;
use crate::worker::protocol::{CorpusAdded, CorpusFound, PartLen, Request, Response};

/// How far the corpus has been checked, and the findings so far.
#[derive(Clone, Debug, Default)]
pub struct CorpusStatus {
    pub started: bool,
    pub finished: bool,
    pub total: usize,
    pub done: usize,
    /// Runs whose trajectory could not be read or checked, with why.
    pub failed: Vec<String>,
    pub runs: Vec<RunFindings>,
    /// The finder's time over the trajectories it checked in this visit.
    pub detect_ms: f64,
    pub detected: usize,
}

impl CorpusStatus {
    /// The finder's mean time per trajectory in the worker.
    pub fn detect_ms_per_run(&self) -> Option<f64> {
        (self.detected > 0).then(|| self.detect_ms / self.detected as f64)
    }

    pub fn find(&self, suite: &str, id: &str) -> Option<&RunFindings> {
        self.runs
            .iter()
            .find(|r| r.run.suite == suite && r.run.id == id)
    }
}

thread_local! {
    /// Reference-counted rather than owned by a page, so it outlives the page
    /// that started the corpus pass.
    static STATUS: ArcRwSignal<CorpusStatus> = ArcRwSignal::new(CorpusStatus::default());
    /// The worker holding the corpus, started with the first request and kept
    /// for the visit (it holds the findings and the index).
    static WORKER: RefCell<Option<Rc<Connection>>> = const { RefCell::new(None) };
    static BUSY: Cell<bool> = const { Cell::new(false) };
    static WAITING: RefCell<VecDeque<Function>> = const { RefCell::new(VecDeque::new()) };
    /// Runs already sent (or being sent) to the worker by the corpus pass.
    static SENT: RefCell<HashSet<(String, String)>> = RefCell::new(HashSet::new());
    /// Findings of runs checked one at a time (run pages), by (suite, id).
    static SINGLE: RefCell<HashMap<(String, String), RunFindings>> = RefCell::new(HashMap::new());
    static LOADING: Cell<bool> = const { Cell::new(false) };
}

/// The corpus status (tracked by whoever reads it), as a handle owned by the
/// calling component.
pub fn status() -> RwSignal<CorpusStatus> {
    STATUS.with(|s| RwSignal::from(s.clone()))
}

fn status_arc() -> ArcRwSignal<CorpusStatus> {
    STATUS.with(Clone::clone)
}

/// One request to the corpus worker, after the ones made before it (the
/// corpus pass, a run page and a search may ask at the same time).
async fn call(request: Request, bytes: Option<Vec<u8>>) -> Result<Response, String> {
    while BUSY.with(Cell::get) {
        let p = Promise::new(&mut |resolve, _| WAITING.with(|w| w.borrow_mut().push_back(resolve)));
        let _ = JsFuture::from(p).await;
    }
    BUSY.with(|b| b.set(true));
    let answer = async {
        let existing = WORKER.with(|w| w.borrow().clone());
        let conn = match existing {
            Some(c) => c,
            None => {
                let c = Rc::new(Connection::spawn_named("corpus").await?);
                WORKER.with(|w| *w.borrow_mut() = Some(c.clone()));
                c
            }
        };
        conn.call(&request, bytes).await.map(|(r, _)| r)
    }
    .await;
    BUSY.with(|b| b.set(false));
    if let Some(next) = WAITING.with(|w| w.borrow_mut().pop_front()) {
        let _ = next.call0(&JsValue::NULL);
    }
    answer
}

/// Every run with a trajectory in the loaded bundles.
fn runs_with_trajectories() -> Vec<ManifestRun> {
    AppState::get().bundles.with_untracked(|bs| {
        bs.iter()
            .flat_map(|b| b.manifest.runs.iter())
            .filter(|r| r.trajectory.is_some())
            .cloned()
            .collect()
    })
}

/// Starts checking every loaded trajectory not checked yet (a no-op while a
/// pass is running or once everything is checked). Call it from an effect
/// that tracks `AppState::bundles`, so folders opened later are checked too.
pub fn ensure_loaded() {
    let state = AppState::get();
    if !matches!(state.manifest.get_untracked(), LoadState::Ready(_)) {
        return;
    }
    if LOADING.with(Cell::get) {
        return;
    }
    let todo: Vec<ManifestRun> = runs_with_trajectories()
        .into_iter()
        .filter(|m| {
            SENT.with(|s| {
                !s.borrow()
                    .contains(&(m.summary.suite.clone(), m.summary.id.clone()))
            })
        })
        .collect();
    let st = status_arc();
    if todo.is_empty() {
        if !st.with_untracked(|s| s.finished) {
            st.update(|s| {
                s.started = true;
                s.finished = true;
            });
        }
        return;
    }
    LOADING.with(|l| l.set(true));
    st.update(|s| {
        s.started = true;
        s.finished = false;
        s.total += todo.len();
    });
    spawn_local(async move {
        for m in todo {
            let key = (m.summary.suite.clone(), m.summary.id.clone());
            SENT.with(|s| s.borrow_mut().insert(key));
            let got = add(&m).await;
            st.update(|s| {
                s.done += 1;
                match got {
                    Ok((rf, ms)) => {
                        if let Some(ms) = ms {
                            s.detect_ms += ms;
                            s.detected += 1;
                        }
                        s.runs.push(rf);
                    }
                    Err(e) => s.failed.push(format!("{}: {e}", m.summary.id)),
                }
            });
        }
        LOADING.with(|l| l.set(false));
        st.update(|s| s.finished = true);
        for e in st.with_untracked(|s| s.failed.clone()) {
            AppState::get().report(format!("Failure finder: {e}"));
        }
        // Bundles may have been added meanwhile.
        ensure_loaded();
    });
}

/// The findings of one run: from the corpus pass when it has the run, else
/// checked on its own in the worker.
pub async fn run_findings(m: &ManifestRun) -> Result<RunFindings, String> {
    let key = (m.summary.suite.clone(), m.summary.id.clone());
    if let Some(r) = status_arc().with_untracked(|s| s.find(&key.0, &key.1).cloned()) {
        return Ok(r);
    }
    if let Some(r) = SINGLE.with(|c| c.borrow().get(&key).cloned()) {
        return Ok(r);
    }
    let (rf, _) = add(m).await?;
    SINGLE.with(|c| c.borrow_mut().insert(key, rf.clone()));
    Ok(rf)
}

/// The eval as the finder reads it: its prompt and metadata.
fn eval_value(e: &sbx_suite::Eval) -> Value {
    let metadata: serde_json::Map<String, Value> = e
        .metadata
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    serde_json::json!({ "id": e.id, "task": e.task, "metadata": metadata })
}

/// Sends one run to the worker; its findings and the finder's time (None
/// when the worker already held the run).
async fn add(m: &ManifestRun) -> Result<(RunFindings, Option<f64>), String> {
    let s = &m.summary;
    let t = m
        .trajectory
        .as_ref()
        .ok_or_else(|| format!("run {} has no trajectory", s.id))?;
    let b = AppState::get()
        .bundle_of(&s.suite)
        .ok_or_else(|| format!("suite {:?} is not loaded", s.suite))?;
    // A run whose eval is missing is still checked on its code alone.
    let eval = eval_of(&s.suite, &s.eval_id)
        .await
        .ok()
        .map(|e| eval_value(&e));
    let mut bytes = Vec::new();
    let mut parts = Vec::with_capacity(t.parts.len());
    for p in &t.parts {
        let part = bundle_file(&b, &p.file).await?;
        parts.push(PartLen {
            file: p.file.clone(),
            len: part.len(),
        });
        bytes.extend_from_slice(&part);
    }
    let request = Request::CorpusAdd {
        run: s.clone(),
        eval,
        parts,
    };
    match call(request, Some(bytes)).await? {
        Response::CorpusAdded(CorpusAdded {
            findings,
            detect_ms,
            kept,
            ..
        }) => Ok((
            RunFindings {
                run: s.clone(),
                findings,
            },
            (!kept).then_some(detect_ms),
        )),
        other => Err(format!("unexpected answer `{}`", other.kind())),
    }
}

/// Searches every trajectory checked so far.
pub async fn search(query: Query) -> Result<CorpusFound, String> {
    match call(Request::CorpusSearch { query }, None).await? {
        Response::CorpusFound(f) => Ok(f),
        other => Err(format!("unexpected answer `{}`", other.kind())),
    }
}
