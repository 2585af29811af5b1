//! The Web Worker side of the `.h5ad` conversion and of the case studies
//! (`src/bin/data_worker.rs` runs it): turns `{request, bytes?}` messages into
//! [`crate::data_job::Job`] or [`crate::case_job::CaseJob`] calls and posts
//! `{response, bytes?}` back, transferring the Arrow bytes instead of copying them.

use crate::case_job::{is_case_request, CaseJob};
use crate::data_job::{Job, Request, Response};
use js_sys::{Array, ArrayBuffer, Object, Reflect, Uint8Array};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(resp: &Response, bytes: Option<Vec<u8>>) {
    let text = serde_json::to_string(resp).unwrap_or_else(|e| {
        format!(r#"{{"kind":"error","message":"the converter could not encode its answer: {e}"}}"#)
    });
    post_text(text, bytes);
}

fn post_text(text: String, bytes: Option<Vec<u8>>) {
    let msg = Object::new();
    let _ = Reflect::set(&msg, &"response".into(), &text.into());
    let sent = match bytes {
        Some(b) => {
            let buf = Uint8Array::from(&b[..]).buffer();
            let _ = Reflect::set(&msg, &"bytes".into(), &buf);
            scope().post_message_with_transfer(&msg, &Array::of1(&buf))
        }
        None => scope().post_message(&msg),
    };
    if let Err(e) = sent {
        web_sys::console::error_2(&"h5ad worker: postMessage failed".into(), &e);
    }
}

/// Installs the message handler. A panic is reported to the page as an error answer
/// (the page then starts a fresh worker for the next file).
pub fn run() {
    std::panic::set_hook(Box::new(|info| {
        post(
            &Response::Error {
                message: format!("the converter stopped: {info}"),
            },
            None,
        );
    }));
    let job = RefCell::new(Job::default());
    let cases = RefCell::new(CaseJob::default());
    let now = || js_sys::Date::now();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        let data = ev.data();
        let request = Reflect::get(&data, &"request".into())
            .ok()
            .and_then(|v| v.as_string());
        let bytes = Reflect::get(&data, &"bytes".into())
            .ok()
            .filter(|v| v.is_instance_of::<ArrayBuffer>())
            .map(|b| Uint8Array::new(&b).to_vec());
        if let Some(text) = request.as_deref().filter(|t| is_case_request(t)) {
            let (answer, out) = match cases.try_borrow_mut() {
                Ok(mut c) => c.handle_text(text, &now),
                // Only after a panic inside the job (its answer was already posted).
                Err(_) => (
                    r#"{"kind":"error","message":"the case-study worker stopped after an error; reload the page"}"#.into(),
                    None,
                ),
            };
            post_text(answer, out);
            return;
        }
        let (resp, out) = match request.as_deref().map(serde_json::from_str::<Request>) {
            Some(Ok(req)) => job.borrow_mut().handle(req, bytes, &now),
            Some(Err(e)) => (
                Response::Error {
                    message: format!("malformed request: {e}"),
                },
                None,
            ),
            None => (
                Response::Error {
                    message: "malformed request: no `request` text".into(),
                },
                None,
            ),
        };
        post(&resp, out);
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    post(&Response::Ready, None);
}
