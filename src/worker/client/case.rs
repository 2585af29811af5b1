//! The case-study pages' use of a [`Session`]: requests for one case and seed,
//! answers taken by type (`BatchAnswer`, `SweepAnswer`, …), and the reader's "your
//! choice" runs, of which only the newest is shown.

use super::{Answer, Session};
use crate::app::state::AppState;
use crate::worker::protocol::{Analysis, CaseReply, FromCaseAnswer, Request, Response};
use leptos::prelude::*;
use sbx_data::Dataset;
use sbx_kernels::sim::ScenarioKind;
use serde_json::Value;
use std::rc::Rc;
use std::sync::Arc;

/// The client as the page's components hold it (a `Copy` handle).
pub type Client = StoredValue<Rc<CaseClient>, LocalStorage>;

/// One answer of the case study, of the type asked for.
pub struct Got<T> {
    pub answer: T,
    /// How long the analysis took in the worker (when it first ran).
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
    session: Session,
}

impl CaseClient {
    pub fn new(kind: ScenarioKind, seed: u64, progress: RwSignal<Option<String>>) -> Self {
        CaseClient {
            kind,
            seed,
            session: Session::new(progress),
        }
    }

    /// Runs `analysis` in the worker after the requests before it (see
    /// [`Session::run`]); an answer of another type than `T` is reported.
    pub async fn run<T: FromCaseAnswer>(
        &self,
        step: &str,
        analysis: Analysis,
        wanted: impl Fn() -> bool,
    ) -> Option<Got<T>> {
        let typed = self
            .ask(step, analysis, &wanted)
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
    ) -> Option<CaseResult> {
        let request = Request::case(self.kind.id(), self.seed, analysis);
        let Answer {
            response,
            bytes,
            kept,
        } = self.session.run(step, request, wanted).await?;
        Some(match response {
            Response::Case(c) => Ok((c, kept, bytes)),
            other => Err(format!(
                "unexpected `{}` answer from the worker",
                other.kind()
            )),
        })
    }

    /// The page's headline step: sets `eval` to the case's SpatialBench eval. Gives
    /// the tissue with the computed columns as Arrow bytes when the worker sent them
    /// (the clustering cases), None when the step failed or the page was closed.
    pub async fn headline(
        &self,
        step: &str,
        eval: RwSignal<Option<Value>>,
    ) -> Option<Option<Vec<u8>>> {
        let got = self
            .run::<crate::worker::protocol::HeadlineAnswer>(step, Analysis::Headline, always)
            .await?;
        eval.set(Some(got.answer.eval));
        Some(got.bytes)
    }

    /// Stops the worker and lets every waiting request return None.
    pub fn shutdown(&self) {
        self.session.shutdown();
    }
}

/// Whether the page is still open: its signals and stored values are dropped only
/// after `shutdown`, so while this holds they can be read (reading a dropped one panics).
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
            if let Some(got) = c.run(step, analysis, wanted).await {
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

/// The Arrow bytes of an answer as a dataset; a failure is reported.
pub fn dataset(bytes: Option<Vec<u8>>, what: &str) -> Option<Arc<Dataset>> {
    let r = bytes
        .ok_or_else(|| "the worker sent no data".to_string())
        .and_then(|b| {
            sbx_data::read_ipc_owned(b, &sbx_data::Limits::default()).map_err(|e| e.to_string())
        });
    match r {
        Ok(d) => Some(Arc::new(d)),
        Err(e) => {
            AppState::get().report(format!("{what}: {e}"));
            None
        }
    }
}
