//! `label_set_jaccard` (alias `jaccard_label_set`): Jaccard index of the
//! predicted label set against the ground truth, with an optional exact count.

use super::common::{check_cardinality, push_item_list};
use crate::py::{self, PyResult};
use crate::result::GraderResult;
use crate::value::{Map, Value};
use std::collections::BTreeSet;

/// Labels as Python `str()` of each scalar; containers, null and non-finite floats rejected.
fn normalize_labels(v: Option<&Value>, label: &str) -> Result<Vec<String>, String> {
    let v = v.unwrap_or(&Value::Null);
    let Some(items) = v.as_array() else {
        return Err(crate::sfmt!(
            "{label} must be a list, got {}",
            v.type_name()
        ));
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        match item {
            Value::Null | Value::Array(_) | Value::Object(_) => {
                return Err(crate::sfmt!(
                    "{label}[{i}] must be a string or number, got {}",
                    item.type_name()
                ))
            }
            Value::Float(f) if !f.is_finite() => {
                return Err(crate::sfmt!(
                    "{label}[{i}] must be finite, got {}",
                    py::py_repr(item)
                ))
            }
            _ => out.push(py::py_str(item)),
        }
    }
    Ok(out)
}

fn failed(reason: &str, configuration_error: bool) -> GraderResult {
    let mut m = Map::default();
    if configuration_error {
        m.insert("configuration_error".into(), Value::str(reason));
    }
    GraderResult::new(false, 0.0, m, reason)
}

pub fn grade(answer: &Value, config: &Value, _depth: usize) -> PyResult<GraderResult> {
    let Some(cfg) = config.as_object() else {
        return Ok(failed("config must be an object", true));
    };
    let gt = match normalize_labels(cfg.get("ground_truth_labels"), "ground_truth_labels") {
        Ok(g) => g,
        Err(e) => return Ok(failed(&e, true)),
    };
    if gt.is_empty() {
        return Ok(failed("ground_truth_labels must be a non-empty list", true));
    }
    let empty = Value::Object(Map::default());
    let scoring = cfg.get("scoring").unwrap_or(&empty);
    let Some(scoring) = scoring.as_object() else {
        return Ok(failed(
            &crate::sfmt!("scoring must be an object, got {}", scoring.type_name()),
            true,
        ));
    };
    let default_threshold = Value::Float(0.90);
    let threshold = scoring.get("pass_threshold").unwrap_or(&default_threshold);
    let t = match threshold {
        Value::Int(_) | Value::BigInt(_) | Value::Float(_) => {
            threshold.as_f64().unwrap_or(f64::NAN)
        }
        _ => f64::NAN,
    };
    if !(0.0..=1.0).contains(&t) {
        return Ok(failed(
            &crate::sfmt!(
                "pass_threshold must be a number in [0, 1], got {}",
                py::py_repr(threshold)
            ),
            true,
        ));
    }
    let default_field = Value::str("cell_types_predicted");
    let answer_field = cfg.get("answer_field").unwrap_or(&default_field);
    let field = match answer_field {
        Value::Str(s) if !py::strip(s).is_empty() => s.as_str(),
        other => {
            return Ok(failed(
                &crate::sfmt!(
                    "answer_field must be a non-empty string, got {}",
                    py::py_repr(other)
                ),
                true,
            ))
        }
    };
    let configured = check_cardinality(&[], cfg.get("expected_count"));
    if let Some(e) = configured.configuration_error {
        return Ok(failed(&e, true));
    }
    let Some(ans) = answer.as_object() else {
        return Ok(failed("agent answer must be an object", false));
    };
    let Some(raw) = ans.get(field) else {
        return Ok(failed(
            &crate::sfmt!("Agent answer missing required field: {field}"),
            false,
        ));
    };
    let predicted = match normalize_labels(Some(raw), &crate::sfmt!("agent_answer.{field}")) {
        Ok(p) => p,
        Err(e) => return Ok(failed(&e, false)),
    };
    let card = check_cardinality(&predicted, cfg.get("expected_count"));

    let gt_set: BTreeSet<&String> = gt.iter().collect();
    let pred_set: BTreeSet<&String> = predicted.iter().collect();
    let tp: Vec<String> = gt_set
        .intersection(&pred_set)
        .map(|s| s.to_string())
        .collect();
    let fp: Vec<String> = pred_set
        .difference(&gt_set)
        .map(|s| s.to_string())
        .collect();
    let fneg: Vec<String> = gt_set
        .difference(&pred_set)
        .map(|s| s.to_string())
        .collect();
    let union = gt_set.union(&pred_set).count();
    let jaccard = if union > 0 {
        tp.len() as f64 / union as f64
    } else {
        0.0
    };
    let similarity_passed = jaccard >= t;
    let passed = similarity_passed && card.passed;

    let metrics = crate::obj! {
        "jaccard_index" => jaccard,
        "pass_threshold" => threshold.clone(),
        "answer_field" => field,
        "true_positives" => tp.clone(),
        "false_positives" => fp.clone(),
        "false_negatives" => fneg.clone(),
        "submitted_count" => card.submitted_count,
        "unique_count" => card.unique_count,
        "expected_count" => card.expected_value.clone(),
        "cardinality_pass" => card.passed,
        "predicted_count" => pred_set.len(),
        "ground_truth_count" => gt_set.len(),
    };
    let mark = |b: bool| if b { "+" } else { "x" };
    let mut lines = vec![
        crate::sfmt!(
            "Label Set Comparison: {}",
            if passed { "PASS" } else { "FAIL" }
        ),
        String::new(),
        crate::sfmt!(
            "  {} Jaccard Index: {:.3} (threshold: {:.3})",
            mark(similarity_passed),
            jaccard,
            t
        ),
    ];
    lines.extend(card.reasoning_line());
    push_item_list(&mut lines, "Correct Labels", &tp, "+");
    push_item_list(&mut lines, "Missing Labels", &fneg, "-");
    push_item_list(&mut lines, "Extra Labels", &fp, "?");
    Ok(GraderResult::pass_fail_lines(passed, metrics, lines))
}

#[cfg(test)]
mod tests {
    use crate::grade_case;

    #[test]
    fn jaccard_and_str_normalisation() {
        let cfg = r#"{"ground_truth_labels": ["A", "B", 1], "scoring": {"pass_threshold": 0.5}}"#;
        let r = grade_case(
            "label_set_jaccard",
            cfg,
            r#"{"cell_types_predicted": ["A", "1", "C"]}"#,
        );
        assert_eq!(r.metrics["jaccard_index"].as_f64(), Some(0.5));
        assert!(r.passed);
        // 1.0 is the label "1.0", not "1".
        let r = grade_case(
            "label_set_jaccard",
            cfg,
            r#"{"cell_types_predicted": ["A", 1.0]}"#,
        );
        assert_eq!(r.metrics["jaccard_index"].as_f64(), Some(0.25));
    }

    #[test]
    fn bool_threshold_and_expected_count() {
        let r = grade_case(
            "label_set_jaccard",
            r#"{"ground_truth_labels": ["A"], "scoring": {"pass_threshold": true}}"#,
            r#"{"cell_types_predicted": ["A"]}"#,
        );
        assert!(r.configuration_error);
        let cfg = r#"{"ground_truth_labels": ["A", "B"], "expected_count": 2, "scoring": {"pass_threshold": 0}}"#;
        assert!(
            !grade_case(
                "label_set_jaccard",
                cfg,
                r#"{"cell_types_predicted": ["A", "A"]}"#
            )
            .passed
        );
        assert!(
            grade_case(
                "label_set_jaccard",
                cfg,
                r#"{"cell_types_predicted": ["A", "C"]}"#
            )
            .passed
        );
    }
}
