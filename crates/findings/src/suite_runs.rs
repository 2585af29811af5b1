//! The detector over a loaded suite: every run with a trajectory.

use sbx_suite::{Run, Suite};

use crate::finding::Finding;
use crate::task::Task;

/// Findings of every run of `suite` that has a parsed trajectory, in run order.
/// A run whose eval is missing is read with an empty task (only what the
/// code shows applies).
pub fn detect_suite(suite: &Suite) -> Vec<(&Run, Vec<Finding>)> {
    suite
        .runs
        .iter()
        .filter_map(|run| {
            let traj = suite.trajectory(&run.id)?;
            let task = suite
                .eval(&run.eval_id)
                .and_then(|e| serde_json::to_value(e).ok())
                .map(|v| Task::from_eval(&v))
                .unwrap_or_default();
            Some((run, crate::detect(&task, &traj.steps)))
        })
        .collect()
}
