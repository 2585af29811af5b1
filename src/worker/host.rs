//! The Web Worker side (wasm32): turns `{request, bytes?}` messages into
//! [`Jobs`] calls and posts `{response, bytes?}` back, transferring the Arrow bytes
//! instead of copying them.

use super::jobs::Jobs;
use super::protocol::Response;
use js_sys::{Array, ArrayBuffer, Object, Reflect, Uint8Array};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

fn scope() -> DedicatedWorkerGlobalScope {
    js_sys::global().unchecked_into()
}

fn post(text: String, bytes: Option<Vec<u8>>) {
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
        web_sys::console::error_2(&"data worker: postMessage failed".into(), &e);
    }
}

fn post_error(message: String) {
    post(Response::Error { message }.to_json(), None);
}

/// Installs the message handler. A panic is reported to the page as an error answer
/// (the page then starts a fresh worker for the next file).
pub fn run() {
    std::panic::set_hook(Box::new(|info| {
        post_error(format!("the worker stopped: {info}"));
    }));
    let jobs = RefCell::new(Jobs::default());
    // performance.now(): sub-millisecond, for per-trajectory timings (Date.now() counts whole ms).
    let performance = scope().performance();
    let now = move || {
        performance
            .as_ref()
            .map_or_else(js_sys::Date::now, |p| p.now())
    };
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
        let data = ev.data();
        let request = Reflect::get(&data, &"request".into())
            .ok()
            .and_then(|v| v.as_string());
        let bytes = Reflect::get(&data, &"bytes".into())
            .ok()
            .filter(|v| v.is_instance_of::<ArrayBuffer>())
            .map(|b| Uint8Array::new(&b).to_vec());
        let Some(text) = request else {
            post_error("malformed request: no `request` text".into());
            return;
        };
        match jobs.try_borrow_mut() {
            Ok(mut j) => {
                let (answer, out) = j.handle_text(&text, bytes, &now);
                post(answer, out);
            }
            // Only after a panic inside a job (its answer was already posted).
            Err(_) => post_error("the worker stopped after an error; reload the page".into()),
        }
    });
    scope().set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    post(Response::Ready.to_json(), None);
}
