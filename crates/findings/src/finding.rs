//! What the detector reports: a finding per applicable class, with evidence.

use serde::{Deserialize, Serialize};

use crate::class::{FailureClass, Verdict};

/// A piece of a step's text that shows a finding.
///
/// `step` indexes the normalised trajectory (`Trajectory::steps`); `start` and
/// `end` are Unicode code-point offsets (end exclusive) into
/// [`crate::step_text`] of that step, and `excerpt` is exactly those characters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub step: usize,
    pub excerpt: String,
    pub start: usize,
    pub end: usize,
}

/// One class's outcome in one run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub class: FailureClass,
    pub verdict: Verdict,
    /// The rule that decided, e.g. `pseudoreplication/cell_level_test`.
    pub rule: String,
    /// One sentence saying why.
    pub reason: String,
    pub evidence: Vec<Evidence>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finding_json_has_the_published_shape() {
        let f = Finding {
            class: FailureClass::PanelNormalization,
            verdict: Verdict::Committed,
            rule: "panel_normalization/library_size".into(),
            reason: "normalize_total on a 300-gene panel".into(),
            evidence: vec![Evidence {
                step: 3,
                excerpt: "sc.pp.normalize_total(a)".into(),
                start: 10,
                end: 34,
            }],
        };
        let v = serde_json::to_value(&f).unwrap();
        assert_eq!(v["class"], "panel_normalization");
        assert_eq!(v["verdict"], "committed");
        assert_eq!(v["evidence"][0]["step"], 3);
        assert_eq!(v["evidence"][0]["end"], 34);
        let back: Finding = serde_json::from_value(v).unwrap();
        assert_eq!(back, f);
    }
}
