//! The case-study page's side of the worker (`crate::case_job` runs there): one
//! worker per page visit, requests one at a time in the order they were made, the
//! step in progress shown to the reader, errors to the error panel. Closing the page
//! stops the worker, so a clustering nobody waits for stops using the CPU. Answers
//! are kept for the whole session ([`AnswerCache`]): a case opened again shows at
//! once, and its worker starts only for a choice not made before.

use crate::app::data_worker::Converter;
use crate::app::state::AppState;
use crate::case_job::answers::{AnswerCache, DEFAULT_CAPACITY};
use crate::case_job::{Analysis, CaseRequest};
use js_sys::{Function, Promise};
use leptos::prelude::*;
use sbx_data::Dataset;
use sbx_kernels::sim::ScenarioKind;
use serde_json::Value;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use std::sync::Arc;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

thread_local! {
    /// The worker's answers, kept across visits of the case pages.
    static ANSWERS: RefCell<AnswerCache> = RefCell::new(AnswerCache::new(DEFAULT_CAPACITY));
}

/// The client as the page's components hold it (a `Copy` handle).
pub type Client = StoredValue<Rc<CaseClient>, LocalStorage>;

pub struct CaseClient {
    kind: ScenarioKind,
    seed: u64,
    /// The step being computed, shown as "Computing… <step>".
    progress: RwSignal<Option<String>>,
    /// Started with the first request.
    conv: RefCell<Option<Rc<Converter>>>,
    busy: Cell<bool>,
    waiting: RefCell<VecDeque<Function>>,
    stopped: Cell<bool>,
}

impl CaseClient {
    pub fn new(kind: ScenarioKind, seed: u64, progress: RwSignal<Option<String>>) -> Self {
        CaseClient {
            kind,
            seed,
            progress,
            conv: RefCell::new(None),
            busy: Cell::new(false),
            waiting: RefCell::new(VecDeque::new()),
            stopped: Cell::new(false),
        }
    }

    /// Runs `analysis` in the worker once the requests before it are answered,
    /// unless `wanted()` has turned false by then (a newer choice replaced it) or
    /// the page was closed. Errors are reported and give None.
    pub async fn run(
        &self,
        step: &str,
        analysis: Analysis,
        wanted: impl Fn() -> bool,
    ) -> Option<(Value, Option<Vec<u8>>)> {
        let request = CaseRequest::new(self.kind.id(), self.seed, analysis).to_json();
        self.lock().await;
        let out = if self.stopped.get() || !wanted() {
            None
        } else if let Some((mut v, bytes)) = ANSWERS.with(|a| a.borrow_mut().get(&request)) {
            if let Some(obj) = v.as_object_mut() {
                obj.insert("kept".into(), true.into());
            }
            Some((v, bytes))
        } else {
            self.progress.set(Some(step.to_string()));
            let r = self.call(&request).await;
            match r {
                // Once the page is closed nothing is handed back to it.
                Ok(_) if self.stopped.get() => None,
                Ok(answer) => Some(answer),
                Err(e) => {
                    if !self.stopped.get() {
                        AppState::get().report(format!("{step}: {e}"));
                    }
                    None
                }
            }
        };
        if !self.stopped.get() {
            self.progress.set(None);
        }
        self.unlock();
        out
    }

    /// The page's headline step: sets `eval` to the case's SpatialBench eval. Gives
    /// the tissue with the computed columns as Arrow bytes when the worker sent them
    /// (the clustering cases), None when the step failed or the page was closed.
    pub async fn headline(
        &self,
        step: &str,
        eval: RwSignal<Option<Value>>,
    ) -> Option<Option<Vec<u8>>> {
        let (h, bytes) = self.run(step, Analysis::Headline, always).await?;
        eval.set(h.get("eval").cloned());
        Some(bytes)
    }

    /// Stops the worker and lets every waiting request return None.
    pub fn shutdown(&self) {
        self.stopped.set(true);
        if let Some(c) = self.conv.borrow_mut().take() {
            c.stop();
        }
        for w in self.waiting.borrow_mut().drain(..) {
            let _ = w.call0(&JsValue::NULL);
        }
    }

    /// Sends `request` to the worker (started with the first one); the answer is kept.
    async fn call(&self, request: &str) -> Result<(Value, Option<Vec<u8>>), String> {
        let existing = self.conv.borrow().clone();
        let conv = match existing {
            Some(c) => c,
            None => {
                let c = Rc::new(Converter::spawn().await?);
                if self.stopped.get() {
                    c.stop();
                    return Err("the page was closed".into());
                }
                *self.conv.borrow_mut() = Some(c.clone());
                c
            }
        };
        let (answer, bytes) = conv.call_text(request.to_string()).await?;
        let v: Value = serde_json::from_str(&answer)
            .map_err(|e| format!("unreadable answer from the worker: {e}"))?;
        match v.get("kind").and_then(|k| k.as_str()) {
            Some("case") => {
                ANSWERS.with(|a| {
                    a.borrow_mut()
                        .put(request.to_string(), v.clone(), answer.len(), bytes.clone())
                });
                Ok((v, bytes))
            }
            Some("error") => Err(v
                .get("message")
                .and_then(|m| m.as_str())
                .unwrap_or("the worker failed")
                .to_string()),
            other => Err(format!("unexpected answer {other:?} from the worker")),
        }
    }

    /// Waits for the requests made before this one (first come, first served).
    async fn lock(&self) {
        while self.busy.get() && !self.stopped.get() {
            let p = Promise::new(&mut |resolve, _| self.waiting.borrow_mut().push_back(resolve));
            let _ = JsFuture::from(p).await;
        }
        self.busy.set(true);
    }

    fn unlock(&self) {
        self.busy.set(false);
        let next = self.waiting.borrow_mut().pop_front();
        if let Some(w) = next {
            let _ = w.call0(&JsValue::NULL);
        }
    }
}

/// Whether the page is still open: its signals and stored values are dropped only
/// after `shutdown`, so while this holds they can be read (reading a dropped one panics).
pub fn is_open(client: Client) -> bool {
    client.try_with_value(|c| !c.stopped.get()).unwrap_or(false)
}

/// The reader's "your choice" runs: a new choice supersedes the ones still
/// waiting, and the answer to a superseded choice is dropped.
#[derive(Clone, Copy)]
pub struct Choice(StoredValue<u64>);

impl Choice {
    pub fn new() -> Self {
        Choice(StoredValue::new(0))
    }

    /// Runs `analysis` as the newest choice; `done` gets its answer unless a
    /// newer choice was made meanwhile or the page was closed.
    pub fn run(
        self,
        client: Client,
        step: &'static str,
        analysis: Analysis,
        done: impl FnOnce(Value, Option<Vec<u8>>) + 'static,
    ) {
        if !is_open(client) {
            return;
        }
        let (asked, g) = (self.0, self.0.get_value() + 1);
        asked.set_value(g);
        let c = client.get_value();
        leptos::task::spawn_local(async move {
            let wanted = move || asked.try_get_value() == Some(g);
            if let Some((v, bytes)) = c.run(step, analysis, wanted).await {
                if wanted() {
                    done(v, bytes);
                }
            }
        });
    }
}

impl Choice {
    /// The reader's choice on a page: clears `mine` and runs the analysis `ask`
    /// builds (reading the page's selects) as the newest choice; `read` turns its
    /// answer into what `mine` holds. Nothing once the page is closed, whose
    /// signals are gone then.
    pub fn fill<T: Send + Sync + 'static>(
        self,
        client: Client,
        step: &'static str,
        ask: impl FnOnce() -> Analysis,
        mine: RwSignal<Option<T>>,
        read: impl FnOnce(&Value) -> T + 'static,
    ) {
        if !is_open(client) {
            return;
        }
        mine.set(None);
        self.run(client, step, ask(), move |v, _| mine.set(Some(read(&v))));
    }
}

/// Always wanted (the fixed steps of a page).
pub fn always() -> bool {
    true
}

/// A number of an answer; NaN when it is missing or null (JSON has no NaN).
pub fn num(v: &Value, key: &str) -> f64 {
    v.get(key).and_then(|x| x.as_f64()).unwrap_or(f64::NAN)
}

pub fn nums(v: &Value, key: &str) -> Vec<f64> {
    v.get(key)
        .and_then(|x| x.as_array())
        .map(|a| a.iter().map(|x| x.as_f64().unwrap_or(f64::NAN)).collect())
        .unwrap_or_default()
}

pub fn floats(v: &Value, key: &str) -> Vec<f32> {
    nums(v, key).into_iter().map(|x| x as f32).collect()
}

pub fn texts(v: &Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(|x| x.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

pub fn text(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(|x| x.as_str())
        .unwrap_or_default()
        .to_string()
}

/// The Arrow bytes of an answer as a dataset; a failure is reported.
pub fn dataset(bytes: Option<Vec<u8>>, what: &str) -> Option<Arc<Dataset>> {
    let r = bytes
        .ok_or_else(|| "the worker sent no data".to_string())
        .and_then(|b| {
            sbx_data::read_ipc_owned(b, &sbx_data::Limits::default()).map_err(|e| e.to_string())
        });
    super::ok(r, what).map(Arc::new)
}
