//! A case page's first view as the build computed it (`bundle/cases/<case>.json`, see
//! `worker::case::precompute`), and the state of its confirmation by the live worker.

use super::Session;
use crate::app::fetch::{copy_in, fetch_array, fetch_bytes};
use crate::worker::client::js_text;
use crate::worker::protocol::{CaseReply, Response};
use serde_json::Value;
use std::collections::HashMap;
use wasm_bindgen::JsValue;

/// The precomputed answers by request text (as the page writes it), each with the
/// Arrow bytes of its map being fetched; an answer is taken once, when the page first
/// asks for it.
#[derive(Default)]
pub struct Precomputed(HashMap<String, (CaseReply, Option<Pending>)>);

/// A file of a precomputed answer, fetched from the moment the answers are read: a
/// page asks for its answers one after another (a niche page's tissue map, then its
/// niche map, 7 MB each), and each would otherwise wait for the one before.
pub struct Pending(js_sys::Promise);

impl Pending {
    fn start(path: String) -> Pending {
        // Resolved either way (an error as its message): a file whose answer the page
        // never takes must not leave a rejected promise behind.
        Pending(wasm_bindgen_futures::future_to_promise(async move {
            Ok(match fetch_array(&path).await {
                Ok(a) => a.into(),
                Err(e) => JsValue::from_str(&e),
            })
        }))
    }

    /// The file's bytes, or the message of the failed fetch.
    pub async fn bytes(self) -> Result<Vec<u8>, String> {
        let v = wasm_bindgen_futures::JsFuture::from(self.0)
            .await
            .map_err(|e| js_text(&e))?;
        match v.as_string() {
            Some(e) => Err(e),
            None => copy_in(&js_sys::Uint8Array::new(&v)).await,
        }
    }
}

impl Precomputed {
    /// The first view of `case` at `seed`; empty when the bundle has none for them
    /// (a site built without it, or with another seed), so the page computes live.
    pub async fn fetch(case: &str, seed: u64) -> Result<Self, String> {
        let path = format!("bundle/cases/{case}.json");
        let bytes = fetch_bytes(&path).await?;
        let index: Value = serde_json::from_slice(&bytes).map_err(|e| format!("{path}: {e}"))?;
        let mut map = HashMap::new();
        if index.get("seed").and_then(Value::as_u64) != Some(seed) {
            return Ok(Precomputed(map));
        }
        for a in index["answers"].as_array().map_or(&[][..], Vec::as_slice) {
            let (Some(request), Ok(Response::Case(reply))) =
                (a["request"].as_str(), Response::from_value(&a["reply"]))
            else {
                return Err(format!("{path}: an answer is not a case answer"));
            };
            // the page shows an answer kept from an earlier visit instead: not fetched
            if Session::has_kept_text(request) {
                continue;
            }
            let file = a["bytes"]
                .as_str()
                .map(|f| Pending::start(format!("bundle/cases/{f}")));
            map.insert(request.to_string(), (reply, file));
        }
        Ok(Precomputed(map))
    }

    /// The answer to `request` and its bytes on their way, once.
    pub fn take(&mut self, request: &str) -> Option<(CaseReply, Option<Pending>)> {
        self.0.remove(request)
    }
}

/// How far the live worker has confirmed the precomputed answers shown.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Confirm {
    /// Answers shown from the precomputed first view.
    pub shown: usize,
    /// Of those, recomputed live with the same digest.
    pub identical: usize,
    /// Of those, recomputed live with another digest: "step (precomputed → live)".
    pub different: Vec<String>,
}

impl Confirm {
    /// Every precomputed answer shown has been recomputed.
    pub fn done(&self) -> bool {
        self.shown > 0 && self.identical + self.different.len() == self.shown
    }
}
