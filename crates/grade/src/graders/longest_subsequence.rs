//! `longest_subsequence`: longest common subsequence of tuple lists
//! (strings compared stripped and lower-cased), score = LCS / longest length.

use crate::py::{self, is_finite_number, PyResult};
use crate::result::GraderResult;
use crate::value::{Map, Value};

fn failure(answer_field: &Value, reason: &str, configuration_error: bool) -> GraderResult {
    let key = if configuration_error {
        "configuration_error"
    } else {
        "error"
    };
    let mut m = Map::default();
    m.insert(key.into(), Value::str(reason));
    let verdict = if configuration_error {
        "CONFIGURATION ERROR"
    } else {
        "FAIL"
    };
    GraderResult::new(
        false,
        0.0,
        m,
        &crate::sfmt!(
            "longest_subsequence (answer_field={}): {verdict}\n  - {reason}",
            py::py_repr(answer_field)
        ),
    )
}

fn normalize(t: &[Value]) -> Vec<Value> {
    t.iter()
        .map(|v| match v {
            Value::Str(s) => Value::Str(py::lower(py::strip(s))),
            other => other.clone(),
        })
        .collect()
}

fn tuples_equal(a: &[Value], b: &[Value]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| py::eq_in_container(x, y))
}

fn lcs(a: &[Vec<Value>], b: &[Vec<Value>]) -> usize {
    if a.is_empty() || b.is_empty() {
        return 0;
    }
    let mut prev = vec![0usize; b.len() + 1];
    let mut cur = vec![0usize; b.len() + 1];
    for x in a {
        for (j, y) in b.iter().enumerate() {
            cur[j + 1] = if tuples_equal(x, y) {
                prev[j] + 1
            } else {
                cur[j].max(prev[j + 1])
            };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()]
}

pub fn grade(answer: &Value, config: &Value, _depth: usize) -> PyResult<GraderResult> {
    let Some(cfg) = config.as_object() else {
        return Ok(failure(&Value::Null, "config must be an object", true));
    };
    let field_v = cfg.get("answer_field").cloned().unwrap_or(Value::Null);
    let field = match &field_v {
        Value::Str(s) if !py::strip(s).is_empty() => s.clone(),
        _ => {
            return Ok(failure(
                &field_v,
                "'answer_field' must be a non-empty string",
                true,
            ))
        }
    };
    let gt = match cfg.get("ground_truth") {
        None => &[][..],
        Some(Value::Array(a)) => &a[..],
        Some(_) => {
            return Ok(failure(
                &field_v,
                "'ground_truth' must be a non-empty list of tuples/lists",
                true,
            ))
        }
    };
    if gt.is_empty() {
        return Ok(failure(
            &field_v,
            "'ground_truth' must be a non-empty list of tuples/lists",
            true,
        ));
    }
    if gt.iter().any(|t| t.as_array().is_none()) {
        return Ok(failure(
            &field_v,
            "'ground_truth' elements must be tuples/lists",
            true,
        ));
    }
    if gt
        .iter()
        .any(|t| t.as_array().is_some_and(|a| a.is_empty()))
    {
        return Ok(failure(
            &field_v,
            "'ground_truth' elements must not be empty",
            true,
        ));
    }
    let empty = Value::Object(Map::default());
    let Some(scoring) = cfg.get("scoring").unwrap_or(&empty).as_object() else {
        return Ok(failure(&field_v, "'scoring' must be an object", true));
    };
    let default_t = Value::Float(1.0);
    let raw_t = scoring.get("pass_threshold").unwrap_or(&default_t);
    let t = raw_t.as_f64().unwrap_or(f64::NAN);
    if !is_finite_number(raw_t) || !(0.0..=1.0).contains(&t) {
        return Ok(failure(
            &field_v,
            "'scoring.pass_threshold' must be a number in [0, 1]",
            true,
        ));
    }
    let agent = answer.get(&field);
    let Some(agent) = agent.and_then(Value::as_array) else {
        return Ok(failure(
            &field_v,
            &crate::sfmt!("agent_answer.{} must be a list", py::repr_str(&field)),
            false,
        ));
    };
    if agent.iter().any(|t| t.as_array().is_none()) {
        return Ok(failure(
            &field_v,
            &crate::sfmt!(
                "agent_answer.{} elements must be tuples/lists",
                py::repr_str(&field)
            ),
            false,
        ));
    }
    let ngt: Vec<Vec<Value>> = gt
        .iter()
        .filter_map(Value::as_array)
        .map(|t| normalize(t))
        .collect();
    let nag: Vec<Vec<Value>> = agent
        .iter()
        .filter_map(Value::as_array)
        .map(|t| normalize(t))
        .collect();
    let l = lcs(&ngt, &nag);
    let denominator = ngt.len().max(nag.len()).max(1);
    let score = l as f64 / denominator as f64;
    let passed = score >= t;
    let metrics = crate::obj! {
        "lcs_length" => l,
        "gt_length" => ngt.len(),
        "agent_length" => nag.len(),
        "denominator" => denominator,
        "pass_threshold" => t,
    };
    let verdict = if passed { "PASS" } else { "FAIL" };
    let reasoning = crate::sfmt!(
        "longest_subsequence (answer_field={}): {verdict}\n  {} LCS={l} (gt_len={}, agent_len={}, score={score:.4}, threshold={t:.4})",
        py::repr_str(&field),
        if passed { "+" } else { "x" },
        ngt.len(),
        nag.len()
    );
    let fs = crate::obj! {field.as_str() => score};
    Ok(GraderResult::new(passed, score, metrics, &reasoning).with_field_scores(fs))
}

#[cfg(test)]
mod tests {
    use crate::grade_case;

    #[test]
    fn lcs_over_longest_list() {
        let cfg = r#"{"answer_field": "steps", "ground_truth": [["a", 1], ["b", 2], ["c", 3]], "scoring": {"pass_threshold": 0.5}}"#;
        let r = grade_case(
            "longest_subsequence",
            cfg,
            r#"{"steps": [[" A ", 1], ["x", 0], ["c", 3.0], ["d", 4]]}"#,
        );
        assert_eq!(r.score, 0.5);
        assert!(r.passed);
        assert_eq!(r.metrics["denominator"].as_f64(), Some(4.0));
    }

    #[test]
    fn shapes() {
        let cfg = r#"{"answer_field": "s", "ground_truth": [[1]]}"#;
        assert!(!grade_case("longest_subsequence", cfg, r#"{"s": [1]}"#).configuration_error);
        assert!(
            grade_case(
                "longest_subsequence",
                r#"{"answer_field": "s", "ground_truth": [[]]}"#,
                "{}"
            )
            .configuration_error
        );
    }
}
