//! The verdict of one grading.

use crate::json::{write_json, write_str_body, DumpOptions};
use crate::py::PyErr;
use crate::value::{Map, Value};

#[derive(Clone, Debug)]
pub struct GraderResult {
    pub passed: bool,
    /// Raw score (a `predicate_leaf` with `weighted_label` may exceed 1).
    pub score: f64,
    pub score_max: f64,
    pub field_scores: Map,
    /// The reference's metrics, same keys in the same order.
    pub metrics: Map,
    /// True exactly when `metrics` has the key `configuration_error`: the
    /// grader itself is misconfigured, which says nothing about the answer.
    pub configuration_error: bool,
    /// Human-readable reasoning, one line per entry.
    pub reasoning: Vec<String>,
}

impl GraderResult {
    /// A result with `configuration_error` derived from the metrics.
    pub fn new(passed: bool, score: f64, metrics: Map, reasoning: &str) -> GraderResult {
        let lines = reasoning.split('\n').map(str::to_string).collect();
        GraderResult::from_parts(passed, score, metrics, lines)
    }

    /// A result whose reasoning is given line by line (no join-then-split
    /// round trip; a line holding a newline is split as [`GraderResult::new`] would).
    pub fn new_lines(passed: bool, score: f64, metrics: Map, lines: Vec<String>) -> GraderResult {
        let reasoning = if lines.iter().any(|l| l.contains('\n')) {
            lines.join("\n").split('\n').map(str::to_string).collect()
        } else {
            lines
        };
        GraderResult::from_parts(passed, score, metrics, reasoning)
    }

    fn from_parts(passed: bool, score: f64, metrics: Map, reasoning: Vec<String>) -> GraderResult {
        let configuration_error = metrics.contains_key("configuration_error");
        GraderResult {
            passed,
            score,
            score_max: 1.0,
            field_scores: Map::default(),
            metrics,
            configuration_error,
            reasoning,
        }
    }

    /// [`GraderResult::pass_fail`] with the reasoning given line by line.
    pub fn pass_fail_lines(passed: bool, metrics: Map, lines: Vec<String>) -> GraderResult {
        GraderResult::new_lines(passed, if passed { 1.0 } else { 0.0 }, metrics, lines)
    }

    /// A verdict scored 1 when it passes and 0 when it fails.
    pub fn pass_fail(passed: bool, metrics: Map, reasoning: &str) -> GraderResult {
        GraderResult::new(passed, if passed { 1.0 } else { 0.0 }, metrics, reasoning)
    }

    pub fn with_field_scores(mut self, fs: Map) -> Self {
        self.field_scores = fs;
        self
    }

    pub fn with_score_max(mut self, m: f64) -> Self {
        self.score_max = m;
        self
    }

    /// What the reference's runner records when a grader raises.
    pub fn crashed(err: &PyErr) -> GraderResult {
        let mut metrics = Map::default();
        metrics.insert("grader_error".into(), Value::Str(err.message.clone()));
        GraderResult::new(
            false,
            0.0,
            metrics,
            &crate::sfmt!("grader error ({}): {}", err.kind, err.message),
        )
    }

    /// The reasoning as one text.
    pub fn reasoning_text(&self) -> String {
        self.reasoning.join("\n")
    }

    /// `normalize_score(score, score_max)`: the reward in [0, 1].
    pub fn normalized_score(&self) -> f64 {
        normalize_score(self.score, self.score_max)
    }

    /// Append the JSON text of [`GraderResult::to_value`] to `out` without
    /// building (and cloning the metrics into) that value first.
    pub fn write_json(&self, out: &mut String, opts: DumpOptions) {
        let (item_sep, key_sep) = opts.separators();
        let b = |x: bool| if x { "true" } else { "false" };
        let key = |out: &mut String, first: bool, k: &str| {
            if !first {
                out.push_str(item_sep);
            }
            out.push('"');
            out.push_str(k);
            out.push('"');
            out.push_str(key_sep);
        };
        out.push('{');
        key(out, true, "passed");
        out.push_str(b(self.passed));
        key(out, false, "score");
        write_json(out, &Value::Float(self.score), opts);
        key(out, false, "score_max");
        write_json(out, &Value::Float(self.score_max), opts);
        key(out, false, "configuration_error");
        out.push_str(b(self.configuration_error));
        key(out, false, "metrics");
        crate::json::write_object(out, &self.metrics, opts);
        key(out, false, "reasoning");
        out.push('"');
        for (n, line) in self.reasoning.iter().enumerate() {
            if n > 0 {
                out.push_str("\\n");
            }
            write_str_body(out, line, opts.ensure_ascii);
        }
        out.push_str("\"}");
    }

    /// `{"passed", "score", "score_max", "configuration_error", "metrics", "reasoning"}`.
    pub fn to_value(&self) -> Value {
        let mut m = Map::default();
        m.insert("passed".into(), Value::Bool(self.passed));
        m.insert("score".into(), Value::Float(self.score));
        m.insert("score_max".into(), Value::Float(self.score_max));
        m.insert(
            "configuration_error".into(),
            Value::Bool(self.configuration_error),
        );
        m.insert("metrics".into(), Value::Object(self.metrics.clone()));
        m.insert("reasoning".into(), Value::Str(self.reasoning_text()));
        Value::Object(m)
    }
}

/// Map a raw score onto [0, 1]; non-finite input or a non-positive maximum gives 0.
pub fn normalize_score(score: f64, score_max: f64) -> f64 {
    if !score.is_finite() || !score_max.is_finite() || score_max <= 0.0 {
        return 0.0;
    }
    (score / score_max).clamp(0.0, 1.0)
}

/// The reference's `configuration_error_result`.
pub fn configuration_error_result(grader_name: &str, reason: &str) -> GraderResult {
    let mut metrics = Map::default();
    metrics.insert("configuration_error".into(), Value::str(reason));
    GraderResult::new(
        false,
        0.0,
        metrics,
        &crate::sfmt!("{grader_name}: CONFIGURATION ERROR\n\n  x {reason}"),
    )
}

/// The reference's verdict on an answer it cannot grade (wrong shape, missing
/// field): failed, empty metrics, `"<grader>: FAIL"` and the reason.
pub fn answer_failure(grader_name: &str, reason: &str) -> GraderResult {
    fail(&crate::sfmt!("{grader_name}: FAIL\n\n  x {reason}"))
}

/// A failed verdict with empty metrics.
pub fn fail(reasoning: &str) -> GraderResult {
    GraderResult::new(false, 0.0, Map::default(), reasoning)
}
