//! One connection to a data worker (wasm32, page side): starts the worker, sends a
//! [`Request`] with its bytes transferred, and awaits the [`Response`]. The Datasets
//! page holds one per opened file; pages that make several requests in a row use a
//! [`super::Session`]. One request in flight at a time.

use crate::app::fetch::{copy_in, copy_out};
use crate::worker::protocol::{Request, Response};
use js_sys::{Array, ArrayBuffer, Function, Object, Promise, Reflect, Uint8Array};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ErrorEvent, MessageEvent, Worker};

/// Built by Trunk from `src/bin/data_worker.rs` (`data-type="worker"` in index.html).
const WORKER_URL: &str = "./data-worker_loader.js";

type Pending = Rc<RefCell<Option<(Function, Function)>>>;

pub struct Connection {
    worker: Worker,
    pending: Pending,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

impl Connection {
    /// Starts the worker and waits until it listens.
    pub async fn spawn() -> Result<Self, String> {
        Self::spawn_at(WORKER_URL).await
    }

    /// Starts a worker for one purpose, named in its address's fragment
    /// (`…#corpus`) so that developer tools and tests can tell it apart; the
    /// fragment changes neither what is loaded nor what is cached.
    pub async fn spawn_named(purpose: &str) -> Result<Self, String> {
        Self::spawn_at(&format!("{WORKER_URL}#{purpose}")).await
    }

    async fn spawn_at(url: &str) -> Result<Self, String> {
        let pending: Pending = Rc::new(RefCell::new(None));
        let ready = expect_answer(&pending);
        let worker = Worker::new(url)
            .map_err(|e| format!("the data worker could not start: {}", js_text(&e)))?;
        let p = pending.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            if let Some((resolve, _)) = p.borrow_mut().take() {
                let _ = resolve.call1(&JsValue::NULL, &ev.data());
            }
        });
        let p = pending.clone();
        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |ev: ErrorEvent| {
            ev.prevent_default();
            if let Some((_, reject)) = p.borrow_mut().take() {
                let msg = format!("the data worker failed: {}", ev.message());
                let _ = reject.call1(&JsValue::NULL, &msg.into());
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        let conv = Self {
            worker,
            pending,
            _on_message: on_message,
            _on_error: on_error,
        };
        match read_answer(JsFuture::from(ready).await.map_err(|e| js_text(&e))?)? {
            (Response::Ready, _, _) => Ok(conv),
            (Response::Error { message }, _, _) => Err(message),
            (other, _, _) => Err(format!(
                "the data worker started with an unexpected `{}` message",
                other.kind()
            )),
        }
    }

    /// Sends one request (with `bytes` transferred) and waits for the answer. An
    /// error answer is an `Err` with the worker's message.
    pub async fn call(
        &self,
        req: &Request,
        bytes: Option<Vec<u8>>,
    ) -> Result<(Response, Option<Vec<u8>>), String> {
        let (resp, bytes, _) = self.call_sized(req, bytes).await?;
        Ok((resp, bytes))
    }

    /// As [`Self::call`], with the length of the answer's JSON text (what keeping it costs).
    pub async fn call_sized(
        &self,
        req: &Request,
        bytes: Option<Vec<u8>>,
    ) -> Result<(Response, Option<Vec<u8>>, usize), String> {
        match read_answer(self.send(req.to_json(), bytes).await?)? {
            (Response::Error { message }, _, _) => Err(message),
            (resp, None, len) => Ok((resp, None, len)),
            (resp, Some(b), len) => Ok((resp, Some(copy_in(&b).await?), len)),
        }
    }

    /// Stops the worker now (e.g. its page was closed mid-computation); a call
    /// waiting for an answer gets an error instead of waiting forever.
    pub fn stop(&self) {
        self.worker.terminate();
        if let Some((_, reject)) = self.pending.borrow_mut().take() {
            let _ = reject.call1(&JsValue::NULL, &"the data worker was stopped".into());
        }
    }

    async fn send(&self, text: String, bytes: Option<Vec<u8>>) -> Result<JsValue, String> {
        if self.pending.borrow().is_some() {
            return Err("the data worker is still busy with the previous step".into());
        }
        let msg = Object::new();
        let _ = Reflect::set(&msg, &"request".into(), &text.into());
        let answer = expect_answer(&self.pending);
        let sent = match bytes {
            Some(b) => {
                let buf = copy_out(b).await.buffer();
                let _ = Reflect::set(&msg, &"bytes".into(), &buf);
                self.worker
                    .post_message_with_transfer(&msg, &Array::of1(&buf))
            }
            None => self.worker.post_message(&msg),
        };
        if let Err(e) = sent {
            self.pending.borrow_mut().take();
            return Err(format!(
                "could not send the file to the data worker: {}",
                js_text(&e)
            ));
        }
        JsFuture::from(answer).await.map_err(|e| js_text(&e))
    }
}

/// A promise settled by the worker's next message (or its error event).
fn expect_answer(pending: &Pending) -> Promise {
    let pending = pending.clone();
    Promise::new(&mut |resolve, reject| {
        *pending.borrow_mut() = Some((resolve, reject));
    })
}

/// `{response, bytes?}` from the worker, with the length of the response text.
fn read_answer(data: JsValue) -> Result<(Response, Option<Uint8Array>, usize), String> {
    let resp = Reflect::get(&data, &"response".into())
        .ok()
        .and_then(|v| v.as_string())
        .ok_or("the data worker sent an answer without text")?;
    let len = resp.len();
    let resp = Response::from_json(&resp)
        .map_err(|e| format!("unreadable answer from the data worker: {e}"))?;
    Ok((resp, answer_bytes(&data), len))
}

fn answer_bytes(data: &JsValue) -> Option<Uint8Array> {
    Reflect::get(data, &"bytes".into())
        .ok()
        .filter(|v| v.is_instance_of::<ArrayBuffer>())
        .map(|b| Uint8Array::new(&b))
}

impl Drop for Connection {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

/// The message of a JavaScript error value.
pub(crate) fn js_text(v: &JsValue) -> String {
    v.as_string()
        .or_else(|| {
            v.dyn_ref::<js_sys::Error>()
                .map(|e| String::from(e.message()))
        })
        .unwrap_or_else(|| format!("{v:?}"))
}
