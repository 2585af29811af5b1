//! Parsing of a run's `result.json` (as written by latch-eval-tools).

use serde_json::{Map, Value};

use crate::eval_file::kind;
use crate::model::RecordedResult;

/// What `result.json` says about a run.
#[derive(Clone, Debug, Default)]
pub(crate) struct ResultFile {
    pub task: Option<String>,
    pub test_id: Option<String>,
    pub model_name: Option<String>,
    pub harness: Option<String>,
    pub trial_index: Option<u32>,
    pub recorded: RecordedResult,
    pub duration_s: Option<f64>,
    pub cost_usd: Option<f64>,
    pub steps: Option<u64>,
    pub timed_out: Option<bool>,
    /// Non-fatal oddities (reported as warnings).
    pub warnings: Vec<String>,
}

fn opt_bool(o: &Map<String, Value>, key: &str, at: &str) -> Result<Option<bool>, String> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(other) => Err(format!(
            "`{at}{key}` must be true or false, found {}",
            kind(other)
        )),
    }
}

fn opt_f64(o: &Map<String, Value>, key: &str) -> Option<f64> {
    o.get(key).and_then(Value::as_f64)
}

fn opt_str(o: &Map<String, Value>, key: &str) -> Option<String> {
    o.get(key).and_then(Value::as_str).map(str::to_string)
}

pub(crate) fn parse_result(bytes: &[u8]) -> Result<ResultFile, String> {
    let doc: Value = crate::eval_file::read_json(bytes)?;
    let Value::Object(top) = doc else {
        return Err(format!(
            "a result file must be a JSON object, found {}",
            kind(&doc)
        ));
    };
    let mut out = ResultFile {
        task: opt_str(&top, "task"),
        model_name: opt_str(&top, "model_name"),
        harness: opt_str(&top, "harness"),
        trial_index: top
            .get("trial_index")
            .and_then(Value::as_u64)
            .and_then(|x| u32::try_from(x).ok()),
        ..Default::default()
    };
    out.recorded.grader_version = opt_str(&top, "latch_eval_tools_version");
    let runtime = opt_f64(&top, "agent_runtime_seconds");
    let result = match top.get("result") {
        Some(Value::Object(r)) => r,
        Some(other) => return Err(format!("`result` must be an object, found {}", kind(other))),
        None => return Err("missing `result` (the graded outcome object)".into()),
    };
    out.test_id = opt_str(result, "test_id");
    let outer_passed = opt_bool(result, "passed", "result.")?;
    let mut passed = outer_passed;
    match result.get("grader_result") {
        None | Some(Value::Null) => {}
        Some(Value::Object(g)) => {
            let inner = opt_bool(g, "passed", "result.grader_result.")?;
            if let (Some(a), Some(b)) = (outer_passed, inner) {
                if a != b {
                    out.warnings.push(format!(
                        "`result.passed` ({a}) differs from `result.grader_result.passed` ({b}); using the latter"
                    ));
                }
            }
            passed = inner.or(outer_passed);
            out.recorded.score = g.get("score").and_then(Value::as_f64);
            out.recorded.reasoning = opt_str(g, "reasoning");
            out.recorded.metrics = g.get("metrics").cloned();
            out.recorded.field_scores = g.get("field_scores").cloned();
            out.recorded.agent_answer = g.get("agent_answer").cloned();
        }
        Some(other) => {
            return Err(format!(
                "`result.grader_result` must be an object, found {}",
                kind(other)
            ))
        }
    }
    out.recorded.passed = passed;
    if out.recorded.agent_answer.is_none() {
        out.recorded.agent_answer = result.get("agent_answer").cloned();
    }
    if let Some(Value::Object(m)) = result.get("metadata") {
        out.duration_s = opt_f64(m, "duration_s");
        out.cost_usd = opt_f64(m, "total_cost");
        out.steps = m
            .get("n_steps")
            .or_else(|| m.get("n_turns"))
            .and_then(Value::as_u64);
        out.timed_out = m.get("timed_out").and_then(Value::as_bool);
    }
    out.duration_s = out.duration_s.or(runtime);
    Ok(out)
}
