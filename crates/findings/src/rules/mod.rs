//! One module per failure class. Each rule reads the task and the program
//! and returns at most one finding for its class.

mod answer_lookup;
mod panel_normalization;
mod proximity_niche;
mod pseudoreplication;
mod spot_as_cell;
mod unintegrated_clustering;

use crate::class::{FailureClass, Verdict};
use crate::finding::{Evidence, Finding};
use crate::program::Program;
use crate::task::Task;

/// Every rule, in class order.
pub fn run(task: &Task, prog: &Program) -> Vec<Finding> {
    let mut out: Vec<Finding> = [
        pseudoreplication::check(task, prog),
        panel_normalization::check(task, prog),
        unintegrated_clustering::check(task, prog),
        spot_as_cell::check(task, prog),
        proximity_niche::check(task, prog),
        answer_lookup::check(task, prog),
    ]
    .into_iter()
    .flatten()
    .collect();
    out.sort_by_key(|f| f.class);
    out
}

pub(crate) fn finding(
    class: FailureClass,
    verdict: Verdict,
    rule: &str,
    reason: &str,
    evidence: Vec<Evidence>,
) -> Finding {
    Finding {
        class,
        verdict,
        rule: format!("{}/{rule}", class.id()),
        reason: reason.to_string(),
        evidence,
    }
}

/// Words for replicate columns (units above the cell).
pub(crate) const REPLICATE: &[&str] = &[
    "donor",
    "patient",
    "individual",
    "indiv",
    "sample",
    "replicate",
    "subject",
    "animal",
    "mouse",
    "section",
    "layer",
    "tumor_id",
    "slide",
];
/// Words for cluster or cell-type labels.
pub(crate) const CLUSTER: &[&str] = &[
    "leiden",
    "louvain",
    "cluster",
    "cell_type",
    "celltype",
    "cell type",
    "kmeans",
    "annotation",
    "lineage",
    "major",
    "label",
];
/// Words for batch-like columns.
pub(crate) const BATCH: &[&str] = &[
    "sample",
    "batch",
    "section",
    "donor",
    "condition",
    "timepoint",
    "time_point",
    "slide",
    "genotype",
    "patient",
    "library",
    "orig.ident",
    "dataset",
];

#[cfg(test)]
pub(crate) mod test_support {
    use sbx_suite::trajectory::Step;

    /// A bash call running `code` with `python - <<'EOF'`, and its output.
    pub fn py(code: &str) -> Vec<Step> {
        ran(&format!("python - <<'EOF'\n{code}\nEOF"), "ok")
    }
    /// An R script run with `Rscript -e`.
    pub fn r(code: &str) -> Vec<Step> {
        ran(&format!("Rscript -e '{code}'"), "ok")
    }
    pub fn ran(cmd: &str, out: &str) -> Vec<Step> {
        vec![
            Step::ToolCall {
                name: "bash".into(),
                input: cmd.into(),
                call_id: None,
            },
            Step::ToolOutput {
                text: out.into(),
                is_error: false,
                call_id: None,
            },
        ]
    }
    pub fn failed(cmd: &str) -> Vec<Step> {
        ran(
            cmd,
            "Traceback (most recent call last):\n  File \"<stdin>\", line 3\nValueError: x",
        )
    }
    pub fn say(text: &str) -> Vec<Step> {
        vec![Step::Message {
            role: "assistant".into(),
            text: text.into(),
        }]
    }
}
