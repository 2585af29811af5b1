//! A case page's first view as the build computed it (`bundle/cases/<case>.json`, see
//! `worker::case::precompute`), and the state of its confirmation by the live worker.

use crate::app::fetch::fetch_bytes;
use crate::worker::protocol::{CaseReply, Response};
use serde_json::Value;
use std::collections::HashMap;

/// The precomputed answers by request text (as the page writes it), each with the
/// file of its Arrow bytes (fetched when the answer is taken, so the numbers do not
/// wait for every map); an answer is taken once, when the page first asks for it.
#[derive(Default)]
pub struct Precomputed(HashMap<String, (CaseReply, Option<String>)>);

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
            let file = a["bytes"].as_str().map(|f| format!("bundle/cases/{f}"));
            map.insert(request.to_string(), (reply, file));
        }
        Ok(Precomputed(map))
    }

    /// The answer to `request` and the file of its bytes, once.
    pub fn take(&mut self, request: &str) -> Option<(CaseReply, Option<String>)> {
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
