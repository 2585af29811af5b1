//! Shared pieces of the explorer pages: lazy bundle data, live grading,
//! sortable tables with export, charts, and opening folders from disk.

pub mod charts;
pub mod data;
pub use crate::live_grade as grading;
pub mod loader;
pub mod table;

/// `#/tasks/<id>?suite=<suite>`.
pub fn task_href(suite: &str, id: &str) -> String {
    crate::routes::Location {
        route: crate::routes::Route::Task(id.to_string()),
        query: vec![("suite".into(), suite.to_string())],
    }
    .href()
}

/// `#/runs/<id>?suite=<suite>`.
pub fn run_href(suite: &str, id: &str) -> String {
    crate::routes::Location {
        route: crate::routes::Route::Run(id.to_string()),
        query: vec![("suite".into(), suite.to_string())],
    }
    .href()
}

/// `#/regrade/<id>?suite=<suite>`.
pub fn regrade_href(suite: &str, id: &str) -> String {
    crate::routes::Location {
        route: crate::routes::Route::Regrade(id.to_string()),
        query: vec![("suite".into(), suite.to_string())],
    }
    .href()
}

/// Percent with one decimal, or "–".
pub fn pct(v: Option<f64>) -> String {
    v.map_or_else(|| "–".into(), |x| format!("{x:.1}%"))
}
