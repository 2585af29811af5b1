//! Deterministic SpatialBench graders: Python-compatible JSON, answer
//! extraction, one module per grader type, and the eval linter.
//!
//! The behaviour matches the deterministic graders of the reference
//! (`latch-eval-tools` 0.4.54) case for case, including its quirks; see
//! `tests/conformance.rs`.
//!
//! Entry points for the command line and the browser:
//! - [`parse`] / [`to_python_json`]: JSON as Python reads and writes it.
//! - [`grade_value`]: one `{"type", "config"}` grader on one answer.
//! - [`grade_eval`]: every grader of an eval JSON (`grader` or `graders`).
//! - [`extract_answer_from_text`] and friends: pull the answer out of agent output.
//! - [`lint::lint_eval`]: what makes an eval's grader not do what its task says.

#![forbid(unsafe_code)]

#[macro_use]
pub mod value;
pub mod extract;
pub mod graders;
pub mod json;
pub mod lint;
pub mod py;
pub mod regrade;
pub mod result;

pub use extract::{
    extract_answer_from_conversation, extract_answer_from_file, extract_answer_from_text,
};
pub use json::{
    decode_nonfinite, parse, parse_keeping, to_json, to_python_json, DumpOptions, ParseError,
};
pub use lint::{lint_eval, LintFinding, Severity};
pub use result::{normalize_score, GraderResult};
pub use value::{Map, Value};

/// Grade one answer with the grader registered under `grader_type`.
/// Never panics; an unknown type gives a configuration error, a reference
/// crash gives `metrics.grader_error`.
pub fn grade_with(grader_type: &str, config: &Value, answer: &Value) -> GraderResult {
    match graders::get_grader(grader_type) {
        None => result::configuration_error_result(
            "Grader",
            &graders::unknown_type_message(grader_type),
        ),
        Some(g) => match g(answer, config, 0) {
            Ok(r) => r,
            Err(e) => GraderResult::crashed(&e),
        },
    }
}

/// Test helper: grade an answer given as JSON text with a grader config given
/// as JSON text, under the registered `grader_type`.
#[cfg(test)]
pub(crate) fn grade_case(grader_type: &str, config: &str, answer: &str) -> GraderResult {
    grade_with(
        grader_type,
        &parse(config).expect("test config is valid JSON"),
        &parse(answer).expect("test answer is valid JSON"),
    )
}

/// Grade one answer with a `{"type": …, "config": …}` grader spec (a missing
/// config is `{}`, as in the reference's `GraderSpec`).
pub fn grade_value(grader: &Value, answer: &Value) -> GraderResult {
    let Some(spec) = grader.as_object() else {
        return result::configuration_error_result(
            "Grader",
            "grader spec must be an object with 'type' and 'config'",
        );
    };
    let Some(t) = spec
        .get("type")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
    else {
        return result::configuration_error_result(
            "Grader",
            "grader spec 'type' must be a non-empty string",
        );
    };
    let empty = Value::Object(Map::default());
    grade_with(t, spec.get("config").unwrap_or(&empty), answer)
}

/// The grader specs of an eval JSON: `graders` (every entry) or else `grader`.
pub fn eval_grader_specs(eval: &Value) -> Vec<&Value> {
    if let Some(Value::Array(list)) = eval.get("graders") {
        return list.iter().collect();
    }
    eval.get("grader").into_iter().collect()
}

/// Apply every grader of an eval JSON to the same answer, in order.
pub fn grade_eval(eval: &Value, answer: &Value) -> Vec<GraderResult> {
    eval_grader_specs(eval)
        .into_iter()
        .map(|g| grade_value(g, answer))
        .collect()
}

/// Overall verdict of an eval: every grader passed (and there is at least one).
pub fn eval_passed(results: &[GraderResult]) -> bool {
    !results.is_empty() && results.iter().all(|r| r.passed)
}

/// Overall reward of an eval: the mean normalised score of its graders.
pub fn eval_score(results: &[GraderResult]) -> f64 {
    if results.is_empty() {
        return 0.0;
    }
    results
        .iter()
        .map(GraderResult::normalized_score)
        .sum::<f64>()
        / results.len() as f64
}
