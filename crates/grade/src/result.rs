//! The verdict of one grading.

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
        let configuration_error = metrics.contains_key("configuration_error");
        GraderResult {
            passed,
            score,
            score_max: 1.0,
            field_scores: Map::default(),
            metrics,
            configuration_error,
            reasoning: reasoning.split('\n').map(str::to_string).collect(),
        }
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
            &format!("grader error ({}): {}", err.kind, err.message),
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
        &format!("{grader_name}: CONFIGURATION ERROR\n\n  x {reason}"),
    )
}

/// The reference's verdict on an answer it cannot grade (wrong shape, missing
/// field): failed, empty metrics, `"<grader>: FAIL"` and the reason.
pub fn answer_failure(grader_name: &str, reason: &str) -> GraderResult {
    fail(&format!("{grader_name}: FAIL\n\n  x {reason}"))
}

/// A failed verdict with empty metrics.
pub fn fail(reasoning: &str) -> GraderResult {
    GraderResult::new(false, 0.0, Map::default(), reasoning)
}
