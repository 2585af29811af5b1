//! Application state shared by the pages: what has been loaded, and the
//! messages the error panel shows. Pages read it through context.

use leptos::prelude::*;
use leptos::task::spawn_local;

/// Loading status of a piece of content.
#[derive(Clone, Debug, PartialEq)]
pub enum LoadState<T> {
    Loading,
    Ready(T),
    Failed(String),
}

/// Summary of the built-in bundle's manifest, read generically so the shell
/// shows what is there even before a page knows the suite format.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ManifestSummary {
    pub suites: Vec<String>,
    pub evals: usize,
    pub runs: usize,
    pub datasets: usize,
}

#[derive(Clone, Copy)]
pub struct AppState {
    pub manifest: RwSignal<LoadState<ManifestSummary>>,
    pub errors: RwSignal<Vec<String>>,
}

impl AppState {
    pub fn provide() -> AppState {
        let state = AppState {
            manifest: RwSignal::new(LoadState::Loading),
            errors: RwSignal::new(Vec::new()),
        };
        provide_context(state);
        state
    }

    pub fn get() -> AppState {
        expect_context::<AppState>()
    }

    /// Records a non-fatal error for the error panel.
    pub fn report(&self, message: impl Into<String>) {
        let message = message.into();
        web_sys::console::warn_1(&message.clone().into());
        self.errors.update(|e| e.push(message));
    }

    pub fn load_default_bundle(&self) {
        let state = *self;
        spawn_local(async move {
            let result = super::fetch::fetch_bytes("bundle/manifest.json")
                .await
                .and_then(|bytes| summarize_manifest(&bytes));
            match result {
                Ok(s) => state.manifest.set(LoadState::Ready(s)),
                Err(e) => {
                    state.report(format!("The built-in demo bundle did not load: {e}"));
                    state.manifest.set(LoadState::Failed(e));
                }
            }
        });
    }
}

fn count(v: &serde_json::Value, key: &str) -> usize {
    v.get(key).and_then(|x| x.as_array()).map_or(0, |a| a.len())
}

fn summarize_manifest(bytes: &[u8]) -> Result<ManifestSummary, String> {
    let v: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| format!("bundle/manifest.json is not valid JSON: {e}"))?;
    if !v.is_object() {
        return Err("bundle/manifest.json must be a JSON object".into());
    }
    let suites = v
        .get("suites")
        .and_then(|s| s.as_array())
        .map(|a| {
            a.iter()
                .map(|s| s.get("name").and_then(|n| n.as_str()).or(s.as_str()).unwrap_or("?").to_string())
                .collect()
        })
        .unwrap_or_default();
    Ok(ManifestSummary { suites, evals: count(&v, "evals"), runs: count(&v, "runs"), datasets: count(&v, "datasets") })
}
