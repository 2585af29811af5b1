//! `multiple_choice`: the answer token equals one of the correct choices
//! (strings case-insensitively, numbers by their text, `6.0` as `6`).

use crate::py::{self, PyResult};
use crate::result::{answer_failure, configuration_error_result, GraderResult};
use crate::value::{Map, Value};

fn normalize_choice(v: &Value) -> Option<String> {
    match v {
        Value::Str(s) => {
            let n = py::upper(py::strip(s));
            (!n.is_empty()).then_some(n)
        }
        Value::Bool(b) => Some(if *b { "TRUE" } else { "FALSE" }.into()),
        Value::Int(i) => Some(i.to_string()),
        Value::BigInt(s) => Some(s.clone()),
        Value::Float(f) if !f.is_finite() => None,
        Value::Float(f) if f.fract() == 0.0 => Some(int_text(*f)),
        Value::Float(f) => Some(py::float_repr(*f).to_uppercase()),
        _ => None,
    }
}

/// `str(int(f))` for an integral float, exactly (floats above 2**63 too).
fn int_text(f: f64) -> String {
    if f.abs() < 9.0e15 {
        return crate::sfmt!("{}", f as i64);
    }
    crate::sfmt!("{:.0}", f)
}

fn correct_answers(cfg: &Map) -> Result<Vec<String>, String> {
    let (single, multi) = (
        cfg.contains_key("correct_answer"),
        cfg.contains_key("correct_answers"),
    );
    if single == multi {
        return Err("Configure exactly one of correct_answer or correct_answers".into());
    }
    let raw: Vec<&Value> = if multi {
        match &cfg["correct_answers"] {
            Value::Array(a) if !a.is_empty() => a.iter().collect(),
            _ => return Err("correct_answers must be a non-empty list of JSON scalars".into()),
        }
    } else {
        vec![&cfg["correct_answer"]]
    };
    raw.into_iter()
        .map(|v| {
            normalize_choice(v)
                .ok_or_else(|| "Correct answers must be non-empty, finite JSON scalars".to_string())
        })
        .collect()
}

pub fn grade(answer: &Value, config: &Value, _depth: usize) -> PyResult<GraderResult> {
    let Some(cfg) = config.as_object() else {
        return Ok(configuration_error_result(
            "Multiple Choice",
            "config must be an object",
        ));
    };
    let correct = match correct_answers(cfg) {
        Ok(c) => c,
        Err(e) => return Ok(configuration_error_result("Multiple Choice", &e)),
    };
    let Some(ans) = answer.as_object() else {
        return Ok(answer_failure(
            "Multiple Choice",
            "Agent answer must be an object",
        ));
    };
    let Some(raw) = ans.get("answer") else {
        return Ok(crate::result::fail(
            "Agent answer missing required field: answer",
        ));
    };
    let correct_v = Value::from(correct.clone());
    let Some(choice) = normalize_choice(raw) else {
        let m = crate::obj! {"correct_answers" => correct_v, "agent_answer" => raw.clone()};
        return Ok(GraderResult::new(
            false,
            0.0,
            m,
            "Multiple Choice: FAIL\n\n  x Agent answer must be a non-empty JSON scalar",
        ));
    };
    let passed = correct.contains(&choice);
    let display = if correct.len() == 1 {
        correct[0].clone()
    } else {
        py::py_repr(&correct_v)
    };
    let m = crate::obj! {"correct_answers" => correct_v, "agent_answer" => choice.as_str()};
    let reasoning = if passed {
        crate::sfmt!("Multiple Choice: PASS\n\n  + Agent answered: {choice} (correct)")
    } else {
        crate::sfmt!("Multiple Choice: FAIL\n\n  x Agent answered: {choice}\n    Correct answer(s): {display}")
    };
    Ok(GraderResult::pass_fail(passed, m, &reasoning))
}

#[cfg(test)]
mod tests {
    use crate::grade_case;

    #[test]
    fn normalisation() {
        assert!(
            grade_case(
                "multiple_choice",
                r#"{"correct_answer": "b"}"#,
                r#"{"answer": " B\n"}"#
            )
            .passed
        );
        assert!(
            grade_case(
                "multiple_choice",
                r#"{"correct_answer": 6}"#,
                r#"{"answer": "6"}"#
            )
            .passed
        );
        assert!(
            grade_case(
                "multiple_choice",
                r#"{"correct_answer": 6}"#,
                r#"{"answer": 6.0}"#
            )
            .passed
        );
        assert!(
            grade_case(
                "multiple_choice",
                r#"{"correct_answer": "1E-05"}"#,
                r#"{"answer": 0.00001}"#
            )
            .passed
        );
        assert!(
            grade_case(
                "multiple_choice",
                r#"{"correct_answer": true}"#,
                r#"{"answer": "true"}"#
            )
            .passed
        );
        assert!(
            !grade_case(
                "multiple_choice",
                r#"{"correct_answer": "A"}"#,
                r#"{"answer": ["A"]}"#
            )
            .passed
        );
    }

    #[test]
    fn both_or_neither_is_a_config_error() {
        assert!(
            grade_case(
                "multiple_choice",
                r#"{"correct_answer": "A", "correct_answers": ["A"]}"#,
                r#"{"answer": "A"}"#
            )
            .configuration_error
        );
        assert!(grade_case("multiple_choice", r#"{}"#, r#"{"answer": "A"}"#).configuration_error);
        assert!(
            grade_case(
                "multiple_choice",
                r#"{"correct_answers": [NaN]}"#,
                r#"{"answer": "A"}"#
            )
            .configuration_error
        );
    }
}
