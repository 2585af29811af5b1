//! The failure finder: reads an eval and a normalised agent trajectory and
//! says, for each failure class that applies, whether the run committed the
//! mistake, avoided it, or left it unclear, with the steps and excerpts that
//! show it. Deterministic, offline, no language model.
//!
//! Entry points: [`Task::from_eval`], [`detect`], [`step_text`].

#![forbid(unsafe_code)]

mod class;
mod code;
mod extract;
mod finding;
mod lex;
mod mapped;
mod program;
mod rules;
mod shell;
mod step_text;
mod suite_runs;
mod task;

pub use class::{FailureClass, Verdict};
pub use finding::{Evidence, Finding};
pub use step_text::step_text;
pub use suite_runs::detect_suite;
pub use task::{PanelKind, Task};

use sbx_suite::trajectory::Step;

/// One finding per applicable class, sorted by class. A class absent from
/// the result did not apply to this run.
pub fn detect(task: &Task, steps: &[Step]) -> Vec<Finding> {
    rules::run(task, &program::Program::new(steps))
}
