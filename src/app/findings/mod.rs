//! The failure finder and trajectory search in the page: the worker client
//! that checks and indexes the loaded trajectories, the run page's findings
//! panel, the progress line, and highlighted text.

pub mod client;
mod marked;
mod panel;
mod progress;
mod real_runs;

pub use marked::Marked;
pub use panel::FindingsPanel;
pub use progress::CorpusProgress;
pub use real_runs::RealRuns;

/// `#/runs?…`: the runs list filtered by class, finding verdict, model and
/// harness (empty values are left out).
pub fn runs_filter_href(pairs: &[(&str, &str)]) -> String {
    crate::routes::Location {
        route: crate::routes::Route::Runs,
        query: pairs
            .iter()
            .filter(|(_, v)| !v.is_empty())
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
    }
    .href()
}
