//! Application state shared by the pages: the loaded bundles (the built-in
//! one, any listed in `bundles.json`, and folders opened from disk), and the
//! messages the error panel shows. Pages read it through context.
//!
//! Only each bundle's `manifest.json` is fetched up front; evals, runs and
//! trajectories are fetched when a page needs them and kept in a cache
//! (see `crate::app::explorer::data`).

use std::sync::Arc;

use leptos::prelude::*;
use leptos::task::spawn_local;
use sbx_suite::bundle::ManifestRun;
use sbx_suite::{Bundle, EvalSummary, LoadIssue, Manifest, RunSummary};

/// Loading status of a piece of content.
#[derive(Clone, Debug, PartialEq)]
pub enum LoadState<T> {
    Loading,
    Ready(T),
    Failed(String),
}

/// Counts of everything loaded, for the shell and the overview.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ManifestSummary {
    pub suites: Vec<String>,
    pub evals: usize,
    pub runs: usize,
}

/// Where a bundle's files come from.
#[derive(Clone, Debug)]
pub enum BundleSource {
    /// Fetched from the site: the URL prefix of its files (`bundle/`).
    Remote(String),
    /// Built in the page from files opened from disk.
    Memory(Arc<Bundle>),
}

/// One loaded bundle. Suite names are unique across all loaded bundles (a
/// folder opened twice gets `name-2`), so `(suite, id)` names an eval or run.
#[derive(Clone, Debug)]
pub struct LoadedBundle {
    pub name: String,
    pub source: BundleSource,
    pub manifest: Arc<Manifest>,
}

impl LoadedBundle {
    pub fn has_suite(&self, suite: &str) -> bool {
        self.manifest.suites.iter().any(|s| s.name == suite)
    }
}

/// Progress of a folder being opened from disk.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct DiskProgress {
    pub phase: String,
    pub done: usize,
    pub total: usize,
    pub finished: bool,
}

thread_local! {
    static GLOBAL: std::cell::Cell<Option<AppState>> = const { std::cell::Cell::new(None) };
}

#[derive(Clone, Copy)]
pub struct AppState {
    /// The built-in bundle's status (Ready with counts once its manifest is read).
    pub manifest: RwSignal<LoadState<ManifestSummary>>,
    pub bundles: RwSignal<Vec<LoadedBundle>>,
    pub errors: RwSignal<Vec<String>>,
    pub disk: RwSignal<Option<DiskProgress>>,
}

impl AppState {
    pub fn provide() -> AppState {
        let state = AppState {
            manifest: RwSignal::new(LoadState::Loading),
            bundles: RwSignal::new(Vec::new()),
            errors: RwSignal::new(Vec::new()),
            disk: RwSignal::new(None),
        };
        provide_context(state);
        GLOBAL.with(|g| g.set(Some(state)));
        state
    }

    /// The app's state. Also works where there is no reactive owner (async
    /// tasks, event handlers), since there is exactly one app per page.
    pub fn get() -> AppState {
        use_context::<AppState>()
            .or_else(|| GLOBAL.with(|g| g.get()))
            .expect("AppState::provide runs when the app mounts, before any page")
    }

    /// Records a non-fatal error for the error panel.
    pub fn report(&self, message: impl Into<String>) {
        let message = message.into();
        web_sys::console::warn_1(&message.clone().into());
        self.errors.update(|e| e.push(message));
    }

    /// Fetches the built-in bundle's manifest, then the extra bundles listed
    /// in `bundles.json` (every build ships one, empty until a user lists
    /// their own bundles in it).
    pub fn load_default_bundle(&self) {
        let state = *self;
        spawn_local(async move {
            let result = super::fetch::fetch_bytes("bundle/manifest.json")
                .await
                .and_then(|bytes| {
                    sbx_suite::read_manifest(&bytes).map_err(|e| format!("bundle/{e}"))
                });
            match result {
                Ok(m) => {
                    let b = LoadedBundle {
                        name: "built-in".into(),
                        source: BundleSource::Remote("bundle/".into()),
                        manifest: Arc::new(m),
                    };
                    state.add_bundle(b);
                    state.load_bundle_list().await;
                }
                Err(e) => {
                    state.report(format!("The built-in bundle did not load: {e}"));
                    state.manifest.set(LoadState::Failed(e));
                }
            }
        });
    }

    async fn load_bundle_list(&self) {
        let list = match super::fetch::fetch_bytes("bundles.json").await {
            Ok(bytes) => match sbx_suite::read_bundle_list(&bytes) {
                Ok(l) => l,
                Err(e) => return self.report(e.to_string()),
            },
            Err(e) => return self.report(e),
        };
        for r in list.bundles {
            let url = r.manifest_url();
            match super::fetch::fetch_bytes(&url).await {
                Ok(bytes) => match sbx_suite::read_manifest(&bytes) {
                    Ok(m) => self.add_bundle(LoadedBundle {
                        name: r.name.clone(),
                        source: BundleSource::Remote(r.file_url("")),
                        manifest: Arc::new(m),
                    }),
                    Err(e) => self.report(format!("bundle {:?} ({url}): {e}", r.name)),
                },
                Err(e) => self.report(format!("bundle {:?}: {e}", r.name)),
            }
        }
    }

    /// Adds a bundle, reporting its load issues (by file name) in the error panel.
    pub fn add_bundle(&self, b: LoadedBundle) {
        for issue in &b.manifest.issues {
            if issue.level == sbx_suite::IssueLevel::Error {
                self.report(format!("{}: {}: {}", b.name, issue.path, issue.message));
            }
        }
        self.bundles.update(|v| v.push(b));
        let bundles = self.bundles.get_untracked();
        let summary = ManifestSummary {
            suites: bundles
                .iter()
                .flat_map(|b| b.manifest.suites.iter().map(|s| s.name.clone()))
                .collect(),
            evals: bundles.iter().map(|b| b.manifest.evals.len()).sum(),
            runs: bundles.iter().map(|b| b.manifest.runs.len()).sum(),
        };
        self.manifest.set(LoadState::Ready(summary));
    }

    /// Every suite name loaded so far.
    pub fn suite_names(&self) -> Vec<String> {
        self.bundles.with(|bs| {
            bs.iter()
                .flat_map(|b| b.manifest.suites.iter().map(|s| s.name.clone()))
                .collect()
        })
    }

    /// Every eval summary of every loaded bundle (tracked).
    pub fn evals(&self) -> Vec<EvalSummary> {
        self.bundles.with(|bs| {
            bs.iter()
                .flat_map(|b| b.manifest.evals.iter().cloned())
                .collect()
        })
    }

    /// Every run summary of every loaded bundle (tracked).
    pub fn runs(&self) -> Vec<RunSummary> {
        self.bundles.with(|bs| {
            bs.iter()
                .flat_map(|b| b.manifest.runs.iter().map(|r| r.summary.clone()))
                .collect()
        })
    }

    /// Every load issue of every loaded bundle, with the bundle's name (tracked).
    pub fn issues(&self) -> Vec<(String, LoadIssue)> {
        self.bundles.with(|bs| {
            bs.iter()
                .flat_map(|b| {
                    b.manifest
                        .issues
                        .iter()
                        .map(|i| (b.name.clone(), i.clone()))
                })
                .collect()
        })
    }

    /// The bundle holding `suite` (tracked).
    pub fn bundle_of(&self, suite: &str) -> Option<LoadedBundle> {
        self.bundles
            .with(|bs| bs.iter().find(|b| b.has_suite(suite)).cloned())
    }

    /// The eval summary with this id; `suite` picks one when several suites have it.
    pub fn find_eval(&self, id: &str, suite: Option<&str>) -> Option<EvalSummary> {
        self.bundles.with(|bs| {
            bs.iter()
                .flat_map(|b| b.manifest.evals.iter())
                .find(|e| e.id == id && suite.is_none_or(|s| e.suite == s))
                .cloned()
        })
    }

    /// The manifest entry of a run; `suite` picks one when several suites have it.
    pub fn find_run(&self, id: &str, suite: Option<&str>) -> Option<ManifestRun> {
        self.bundles.with(|bs| {
            bs.iter()
                .flat_map(|b| b.manifest.runs.iter())
                .find(|r| r.summary.id == id && suite.is_none_or(|s| r.summary.suite == s))
                .cloned()
        })
    }

    /// A suite name not used yet, by [`sbx_suite::unique_suite_name`]: `name`, else `name-2`, `name-3`, …
    pub fn unique_suite_name(&self, name: &str, taken_too: &[String]) -> String {
        let taken = self.suite_names();
        sbx_suite::unique_suite_name(name, |n| taken.iter().chain(taken_too).any(|t| t == n))
    }
}
