//! The suite model: evals, results tables, runs and trajectories, loading of
//! benchmark folders, static bundles, and the statistics of results pages.
//!
//! Entry points for the UI and the command line:
//! - [`load_suite`] / [`load_suites`]: parse `(relative path, bytes)` pairs
//!   (a folder on disk, or files dropped in the page) into [`Suite`]s plus
//!   [`LoadIssue`]s; a bad file never stops the rest from loading.
//!   [`Loader`] does the same a few files at a time, for a progress bar.
//! - [`Suite`]: evals, runs, results tables and parsed trajectories, with
//!   [`Suite::eval_summaries`] / [`Suite::run_summaries`] for tables.
//! - [`trajectory`]: normalised [`Step`]s of every harness format.
//! - [`stats`]: accuracy with t-distribution CIs, pass matrix, McNemar.
//! - [`bundle`]: the static bundle the site fetches (see its docs for how a
//!   user adds their own benchmark clone to a built site).

#![forbid(unsafe_code)]

pub mod bundle;
mod eval_file;
pub mod load;
pub mod model;
mod names;
pub mod results;
mod run_file;
pub mod stats;
pub mod trajectory;
#[cfg(not(target_arch = "wasm32"))]
pub mod walk;

pub use bundle::{
    build_bundle, read_bundle_list, read_manifest, write_bundle, Bundle, BundleError, BundleFiles,
    BundleList, BundleRef, Manifest,
};
#[cfg(not(target_arch = "wasm32"))]
pub use load::read_folder;
pub use load::{load_suite, load_suites, Loader};
pub use model::{Eval, EvalSummary, IssueLevel, LoadIssue, RecordedResult, Run, RunSummary, Suite};
pub use names::unique_suite_name;
pub use results::{Estimate, ResultRow, ResultsTable};
pub use trajectory::{parse_trajectory, Step, Trajectory, TrajectoryFormat};
