//! The failure finder and trajectory search over every loaded run, in plain
//! Rust (no web APIs) so it is tested natively: the jobs the data worker
//! runs (detecting findings per run, indexing and searching trajectories),
//! the class × model summary of the Findings page with its exports, and the
//! splitting of a step's text around a highlighted span. The page links only
//! the summary, export and highlight parts; the detector and the index stay
//! in the worker.

pub mod export;
pub mod highlight;
pub mod job;
pub mod summary;
