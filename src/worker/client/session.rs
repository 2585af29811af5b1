//! A page's conversation with the worker (wasm32): one worker per page visit, started
//! with the first request; requests one at a time in the order they were made; the
//! step in progress shown to the reader; errors to the error panel. Closing the page
//! stops the worker, so work nobody waits for stops using the CPU. The answers to pure
//! requests are kept for the whole session ([`AnswerCache`]): a page opened again
//! shows at once, and its worker starts only for a request not made before.

use super::Connection;
use crate::app::state::AppState;
use crate::worker::answers::{AnswerCache, DEFAULT_CAPACITY};
use crate::worker::protocol::{Request, Response};
use js_sys::{Function, Promise};
use leptos::prelude::*;
use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

thread_local! {
    /// The worker's answers to pure requests, kept across page visits.
    static ANSWERS: RefCell<AnswerCache<Response>> = RefCell::new(AnswerCache::new(DEFAULT_CAPACITY));
}

/// An answer and whether it came from the answers kept this session.
pub struct Answer {
    pub response: Response,
    pub bytes: Option<Vec<u8>>,
    pub kept: bool,
}

pub struct Session {
    /// The step being computed, shown as "Computing… <step>".
    progress: RwSignal<Option<String>>,
    /// Started with the first request.
    conn: RefCell<Option<Rc<Connection>>>,
    busy: Cell<bool>,
    waiting: RefCell<VecDeque<Function>>,
    stopped: Cell<bool>,
}

impl Session {
    pub fn new(progress: RwSignal<Option<String>>) -> Self {
        Session {
            progress,
            conn: RefCell::new(None),
            busy: Cell::new(false),
            waiting: RefCell::new(VecDeque::new()),
            stopped: Cell::new(false),
        }
    }

    /// Sends `request` once the requests before it are answered, unless `wanted()`
    /// has turned false by then (a newer choice replaced it) or the page was closed.
    /// `step` is shown while the worker computes; errors are reported and give None.
    pub async fn run(
        &self,
        step: &str,
        request: Request,
        wanted: &dyn Fn() -> bool,
    ) -> Option<Answer> {
        let key = request.is_pure().then(|| request.to_json());
        self.lock().await;
        let kept = key
            .as_ref()
            .and_then(|k| ANSWERS.with(|a| a.borrow_mut().get(k)));
        let out = if self.stopped.get() || !wanted() {
            None
        } else if let Some((response, bytes)) = kept {
            Some(Answer {
                response,
                bytes,
                kept: true,
            })
        } else {
            self.progress.set(Some(step.to_string()));
            match self.call(&request, key).await {
                // Once the page is closed nothing is handed back to it.
                Ok(_) if self.stopped.get() => None,
                Ok((response, bytes)) => Some(Answer {
                    response,
                    bytes,
                    kept: false,
                }),
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

    /// Whether the worker's answer to `request` is kept from earlier this session.
    pub fn has_kept(request: &Request) -> bool {
        request.is_pure() && Self::has_kept_text(&request.to_json())
    }

    /// Whether the answer to the request written as `text` is kept.
    pub fn has_kept_text(text: &str) -> bool {
        ANSWERS.with(|a| a.borrow().contains(text))
    }

    /// Whether the page was closed.
    pub fn is_stopped(&self) -> bool {
        self.stopped.get()
    }

    /// Stops the worker and lets every waiting request return None.
    pub fn shutdown(&self) {
        self.stopped.set(true);
        if let Some(c) = self.conn.borrow_mut().take() {
            c.stop();
        }
        for w in self.waiting.borrow_mut().drain(..) {
            let _ = w.call0(&JsValue::NULL);
        }
    }

    /// Sends `request` to the worker (started with the first one); the answer is kept
    /// under `key` when there is one.
    async fn call(
        &self,
        request: &Request,
        key: Option<String>,
    ) -> Result<(Response, Option<Vec<u8>>), String> {
        let existing = self.conn.borrow().clone();
        let conn = match existing {
            Some(c) => c,
            None => {
                let c = Rc::new(Connection::spawn().await?);
                if self.stopped.get() {
                    c.stop();
                    return Err("the page was closed".into());
                }
                *self.conn.borrow_mut() = Some(c.clone());
                c
            }
        };
        let (response, bytes, len) = conn.call_sized(request, None).await?;
        if let Some(k) = key {
            ANSWERS.with(|a| a.borrow_mut().put(k, response.clone(), len, bytes.clone()));
        }
        Ok((response, bytes))
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
