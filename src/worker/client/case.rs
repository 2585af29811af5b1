//! The case-study pages' use of a [`Session`]: requests for one case and seed,
//! answers taken by type (`BatchAnswer`, `SweepAnswer`, …), and the reader's "your
//! choice" runs, of which only the newest is shown.

use super::precomputed::{Confirm, Precomputed};
use super::{Answer, Session};
use crate::app::state::AppState;
use crate::worker::protocol::{Analysis, CaseReply, FromCaseAnswer, Request, Response};
use leptos::prelude::*;
use sbx_data::Dataset;
use sbx_kernels::sim::ScenarioKind;
use serde_json::Value;
use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;

/// The client as the page's components hold it (a `Copy` handle).
pub type Client = StoredValue<Rc<CaseClient>, LocalStorage>;

/// One answer of the case study, of the type asked for.
pub struct Got<T> {
    pub answer: T,
    /// How long the analysis took in the worker (when it first ran); NaN when the
    /// answer is the build's (its live time goes to `run`'s `live_ms` later).
    pub ms: f64,
    /// Shown from the answers kept since an earlier visit.
    pub kept: bool,
    pub bytes: Option<Vec<u8>>,
}

/// A case answer, whether it was kept, and its bytes; or what was wrong with it.
type CaseResult = Result<(CaseReply, bool, Option<Vec<u8>>), String>;

pub struct CaseClient {
    kind: ScenarioKind,
    seed: u64,
    session: Rc<Session>,
    /// The build's answers of the page's first view, shown before the worker's.
    precomputed: RefCell<Precomputed>,
    /// How far the worker has confirmed the precomputed answers shown.
    pub confirm: RwSignal<Confirm>,
}

impl CaseClient {
    pub fn new(kind: ScenarioKind, seed: u64, progress: RwSignal<Option<String>>) -> Self {
        CaseClient {
            kind,
            seed,
            session: Rc::new(Session::new(progress)),
            precomputed: RefCell::new(Precomputed::default()),
            confirm: RwSignal::new(Confirm::default()),
        }
    }

    /// Fetches the build's answers of the page's first view; without them (or on a
    /// failure, reported) every answer is computed live.
    pub async fn load_precomputed(&self) {
        match Precomputed::fetch(self.kind.id(), self.seed).await {
            Ok(p) => *self.precomputed.borrow_mut() = p,
            Err(e) => AppState::get().report(format!("precomputed answers: {e}")),
        }
    }

    /// Runs `analysis` in the worker after the requests before it (see
    /// [`Session::run`]); an answer of another type than `T` is reported. An answer
    /// the build precomputed is given at once, and recomputed live behind the
    /// requests before it (see [`Confirm`]). `live_ms` gets the worker's time.
    pub async fn run<T: FromCaseAnswer>(
        &self,
        step: &str,
        analysis: Analysis,
        wanted: impl Fn() -> bool,
        live_ms: Option<RwSignal<Option<f64>>>,
    ) -> Option<Got<T>> {
        let typed =
            self.ask(step, analysis, &wanted, live_ms)
                .await?
                .and_then(|(c, kept, bytes)| {
                    c.answer.into_typed().map(|answer| Got {
                        answer,
                        ms: c.ms,
                        kept,
                        bytes,
                    })
                });
        match typed {
            Ok(got) => Some(got),
            Err(e) => {
                AppState::get().report(format!("{step}: {e}"));
                None
            }
        }
    }

    /// The untyped part of `run` (one copy in the page's wasm, not one per answer type).
    async fn ask(
        &self,
        step: &str,
        analysis: Analysis,
        wanted: &dyn Fn() -> bool,
        live_ms: Option<RwSignal<Option<f64>>>,
    ) -> Option<CaseResult> {
        let request = Request::case(self.kind.id(), self.seed, analysis);
        // An answer the worker gave earlier this session is shown as kept, not as the build's.
        let built = if Session::has_kept(&request) {
            None
        } else {
            self.precomputed.borrow_mut().take(&request.to_json())
        };
        if let Some((mut reply, file)) = built {
            let bytes = match file {
                Some(f) => match f.bytes().await {
                    Ok(b) => Some(b),
                    Err(e) => return Some(Err(e)),
                },
                None => None,
            };
            // the page may have closed while the bytes came (as a live answer would say)
            if self.session.is_stopped() {
                return None;
            }
            self.confirm.update(|c| c.shown += 1);
            self.confirm_live(step, request, reply.digest.clone(), live_ms);
            reply.ms = f64::NAN;
            return Some(Ok((reply, false, bytes)));
        }
        let Answer {
            response,
            bytes,
            kept,
        } = self.session.run(step, request, wanted).await?;
        Some(match response {
            Response::Case(c) => {
                if let Some(ms) = live_ms {
                    ms.set(Some(c.ms));
                }
                Ok((c, kept, bytes))
            }
            other => Err(format!(
                "unexpected `{}` answer from the worker",
                other.kind()
            )),
        })
    }

    /// Recomputes a precomputed answer in the worker, after the requests made
    /// before it, and records whether its digest is the build's.
    fn confirm_live(
        &self,
        step: &str,
        request: Request,
        built: String,
        live_ms: Option<RwSignal<Option<f64>>>,
    ) {
        let (session, confirm) = (self.session.clone(), self.confirm);
        let name = step.to_string();
        let step = format!("recomputing in your browser: {step}");
        leptos::task::spawn_local(async move {
            let Some(Answer { response, .. }) = session.run(&step, request, &always).await else {
                return;
            };
            let live = match response {
                Response::Case(c) => {
                    if let Some(ms) = live_ms {
                        ms.set(Some(c.ms));
                    }
                    c.digest
                }
                other => other.kind().to_string(),
            };
            let _ = confirm.try_update(|c| {
                if live == built {
                    c.identical += 1;
                } else {
                    c.different.push(format!("{name} ({built} → {live})"));
                }
            });
        });
    }

    /// The page's headline step: sets `eval` to the case's SpatialBench eval. Gives
    /// the computed columns as Arrow bytes when the worker sent them
    /// (the clustering cases), None when the step failed or the page was closed.
    pub async fn headline(
        &self,
        step: &str,
        eval: RwSignal<Option<Value>>,
    ) -> Option<Option<Vec<u8>>> {
        let got = self
            .run::<crate::worker::protocol::HeadlineAnswer>(step, Analysis::Headline, always, None)
            .await?;
        eval.set(Some(got.answer.eval));
        Some(got.bytes)
    }

    /// Stops the worker and lets every waiting request return None.
    pub fn shutdown(&self) {
        self.session.shutdown();
    }
}

/// Whether the page is still open: the case page's own signals and stored values are
/// dropped only after `shutdown`, so while this holds they can be read (reading a
/// dropped one panics). A child component's values go before `shutdown` runs: those
/// are read with `try_` (see `CaseState::choose`).
pub fn is_open(client: Client) -> bool {
    client
        .try_with_value(|c| !c.session.is_stopped())
        .unwrap_or(false)
}

/// The reader's "your choice" runs: a new choice supersedes the ones still
/// waiting, and the answer to a superseded choice is dropped.
#[derive(Clone, Copy)]
pub struct Choice(StoredValue<u64>);

impl Default for Choice {
    fn default() -> Self {
        Self::new()
    }
}

impl Choice {
    pub fn new() -> Self {
        Choice(StoredValue::new(0))
    }

    /// Runs `analysis` as the newest choice; `done` gets its answer unless a
    /// newer choice was made meanwhile or the page was closed.
    pub fn run<T: FromCaseAnswer + 'static>(
        self,
        client: Client,
        step: &'static str,
        analysis: Analysis,
        done: impl FnOnce(Got<T>) + 'static,
    ) {
        if !is_open(client) {
            return;
        }
        let (asked, g) = (self.0, self.0.get_value() + 1);
        asked.set_value(g);
        let c = client.get_value();
        leptos::task::spawn_local(async move {
            let wanted = move || asked.try_get_value() == Some(g);
            if let Some(got) = c.run(step, analysis, wanted, None).await {
                if wanted() {
                    done(got);
                }
            }
        });
    }
}

/// Always wanted (the fixed steps of a page).
pub fn always() -> bool {
    true
}

/// `tissue` with the computed columns of an answer's Arrow bytes (the units'
/// coordinates and the columns only, see `crate::worker::case::tissue`); a failure
/// is reported.
pub fn with_computed(
    tissue: Option<&Arc<Dataset>>,
    bytes: Option<Vec<u8>>,
    what: &str,
) -> Option<Arc<Dataset>> {
    let cols = dataset(bytes, what)?;
    let joined = tissue
        .ok_or_else(|| "no tissue to add them to".to_string())
        .and_then(|t| t.with_columns_of(&cols));
    reported(joined, what)
}

/// The Arrow bytes of an answer as a dataset; a failure is reported.
pub fn dataset(bytes: Option<Vec<u8>>, what: &str) -> Option<Arc<Dataset>> {
    let r = bytes
        .ok_or_else(|| "the worker sent no data".to_string())
        .and_then(|b| {
            sbx_data::read_ipc_owned(b, &sbx_data::Limits::default()).map_err(|e| e.to_string())
        });
    reported(r, what)
}

/// As [`dataset`], a record batch per task (see `app::decode::decode_batches`): for a
/// tissue of a hundred thousand cells and more, which in one go held the page for 60 ms.
pub async fn dataset_in_steps(bytes: Option<Vec<u8>>, what: &str) -> Option<Arc<Dataset>> {
    let r = match bytes {
        Some(b) => crate::app::decode::decode_batches(b).await,
        None => Err("the worker sent no data".to_string()),
    };
    reported(r, what)
}

/// The dataset, or None with the error reported.
fn reported(r: Result<Dataset, String>, what: &str) -> Option<Arc<Dataset>> {
    match r {
        Ok(d) => Some(Arc::new(d)),
        Err(e) => {
            AppState::get().report(format!("{what}: {e}"));
            None
        }
    }
}
