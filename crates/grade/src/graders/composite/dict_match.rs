//! `dict_match`: grade an answer object key by key, each ground-truth key a
//! predicate leaf (scalar) or an object of per-field leaves.

use super::leaf::{
    fields_configuration_error, is_positive_leaf, leaf_configuration_error, leaf_score_max,
    leaf_score_max_map, score_leaf,
};
use super::{composite_configuration_fail, composite_fail};
use crate::py::{self, PyResult};
use crate::result::{normalize_score, GraderResult};
use crate::value::{Map, Value};

fn configuration_error(config: &Value) -> Option<String> {
    let Some(cfg) = config.as_object() else {
        return Some("dict_match config must be an object".into());
    };
    if !matches!(cfg.get("answer_field"), Some(Value::Str(s)) if !s.is_empty()) {
        return Some("dict_match answer_field must be a non-empty string".into());
    }
    if cfg
        .get("per_entry_rule")
        .is_some_and(|r| !matches!(r, Value::Str(s) if !s.is_empty()))
    {
        return Some("dict_match per_entry_rule must be a non-empty string".into());
    }
    if cfg
        .get("all_keys_required")
        .is_some_and(|v| v.as_bool().is_none())
    {
        return Some("dict_match all_keys_required must be a boolean".into());
    }
    let gt = match cfg.get("ground_truth") {
        Some(Value::Object(g)) if !g.is_empty() => g,
        _ => return Some("dict_match ground_truth must be a non-empty object".into()),
    };
    let mut positive = 0;
    for (key, entry) in gt {
        let k = py::repr_str(key);
        let Some(e) = entry.as_object() else {
            return Some(crate::sfmt!(
                "dict_match ground_truth[{k}] must be an object"
            ));
        };
        if e.contains_key("predicate") {
            if let Some(err) = leaf_configuration_error(entry) {
                return Some(crate::sfmt!("dict_match ground_truth[{k}]: {err}"));
            }
            if is_positive_leaf(entry) {
                positive += 1;
            }
            continue;
        }
        match fields_configuration_error(
            &crate::sfmt!("dict_match ground_truth[{k}]"),
            e.get("fields"),
        ) {
            Ok(n) => positive += n,
            Err(err) => return Some(err),
        }
    }
    if positive == 0 {
        return Some("dict_match must contain at least one positive predicate leaf".into());
    }
    None
}

fn entry_denominator(entry: &Map) -> f64 {
    if entry.contains_key("predicate") {
        return leaf_score_max_map(entry);
    }
    match entry.get("fields") {
        Some(Value::Object(f)) => f.values().map(leaf_score_max).sum(),
        _ => 0.0,
    }
}

pub fn grade(answer: &Value, config: &Value, _depth: usize) -> PyResult<GraderResult> {
    if let Some(e) = configuration_error(config) {
        return Ok(composite_configuration_fail(&e));
    }
    let cfg = config.as_object().expect("validated");
    let answer_field = cfg["answer_field"].as_str().unwrap_or("");
    let gt = cfg["ground_truth"].as_object().expect("validated");
    let gates_rule = cfg
        .get("per_entry_rule")
        .and_then(Value::as_str)
        .unwrap_or("gates_all_pass")
        == "gates_all_pass";
    let all_keys_required = cfg
        .get("all_keys_required")
        .and_then(Value::as_bool)
        .unwrap_or(true);
    let Some(agent) = answer.get(answer_field).and_then(Value::as_object) else {
        return Ok(composite_fail(&crate::sfmt!(
            "agent_answer.{} must be an object",
            py::repr_str(answer_field)
        )));
    };
    let mut results: Vec<(String, bool, String)> = Vec::new();
    let mut field_scores = Map::default();
    let mut all_pass = true;
    let mut raw_score = 0.0f64;
    let mut denominator = 0.0f64;
    let mut triggered: Vec<String> = Vec::new();
    for (key, entry) in gt {
        let entry = entry.as_object().expect("validated");
        denominator += entry_denominator(entry);
        let Some(agent_val) = agent.get(key.as_str()) else {
            results.push((key.clone(), false, "missing".into()));
            field_scores.insert(key.clone(), Value::Float(0.0));
            all_pass = false;
            continue;
        };
        if entry.contains_key("predicate") {
            let o = score_leaf(entry, Some(agent_val));
            results.push((key.clone(), o.passed, "scalar".into()));
            field_scores.insert(key.clone(), Value::Float(o.score));
            if o.kind != "hard_fail" {
                raw_score += o.score;
            } else if !o.passed {
                triggered.push(key.clone());
            }
            if !o.passed {
                all_pass = false;
            }
            continue;
        }
        let fields = entry
            .get("fields")
            .and_then(Value::as_object)
            .expect("validated");
        let (mut ok, mut gate_ok) = (true, true);
        for (fname, leaf) in fields {
            let Some(leaf_m) = leaf.as_object() else {
                continue;
            };
            let o = score_leaf(leaf_m, agent_val.get(fname.as_str()));
            let role = leaf_m.get("role").and_then(Value::as_str);
            field_scores.insert(crate::sfmt!("{key}.{fname}"), Value::Float(o.score));
            if o.kind != "hard_fail" {
                raw_score += o.score;
            } else if !o.passed {
                triggered.push(crate::sfmt!("{key}.{fname}"));
            }
            if !o.passed {
                ok = false;
            }
            if role == Some("gate") && !o.passed {
                gate_ok = false;
            }
        }
        let entry_passed = if gates_rule { gate_ok } else { ok };
        results.push((key.clone(), entry_passed, "object".into()));
        if !entry_passed {
            all_pass = false;
        }
    }
    let veto = !triggered.is_empty();
    let nothing_graded = denominator <= 0.0;
    let score = if veto || nothing_graded {
        0.0
    } else {
        normalize_score(raw_score, denominator)
    };
    let passed = all_pass && !veto && !nothing_graded;
    let failing: Vec<String> = results
        .iter()
        .filter(|r| !r.1)
        .map(|r| r.0.clone())
        .collect();
    let mut metrics = crate::obj! {
        "entries_total" => results.len(),
        "entries_passed" => results.iter().filter(|r| r.1).count(),
        "raw_score" => raw_score,
        "score_denominator" => denominator,
        "hard_fail_triggered" => triggered,
        "failing_keys" => failing,
    };
    if nothing_graded {
        metrics.insert(
            "composite_error".into(),
            Value::str("answer supplied none of the graded keys"),
        );
    }
    if !all_keys_required {
        metrics.insert(
            "all_keys_required_ignored".into(),
            Value::str("omitted keys are graded as failures"),
        );
    }
    let mut lines = vec![crate::sfmt!(
        "dict_match (answer_field={}): {}",
        py::repr_str(answer_field),
        if passed { "PASS" } else { "FAIL" }
    )];
    for (k, p, reason) in &results {
        lines.push(crate::sfmt!(
            "  {} {k}: {reason}",
            if *p { "+" } else { "x" }
        ));
    }
    Ok(GraderResult::new_lines(passed, score, metrics, lines).with_field_scores(field_scores))
}

#[cfg(test)]
mod tests {
    use crate::grade_case;

    #[test]
    fn omitted_keys_count_as_wrong() {
        let cfg = r#"{"answer_field": "d", "all_keys_required": false, "ground_truth": {
            "x": {"predicate": {"op": "equals", "arg": 1}, "role": "additive"},
            "y": {"fields": {"z": {"predicate": {"op": "in", "args": ["a", "b"]}, "role": "gate"}}}}}"#;
        let r = grade_case("dict_match", cfg, r#"{"d": {"x": 1}}"#);
        assert!(!r.passed);
        assert_eq!(r.score, 0.5);
        assert!(r.metrics.contains_key("all_keys_required_ignored"));
        let r = grade_case("dict_match", cfg, r#"{"d": {"x": 1, "y": {"z": "b"}}}"#);
        assert!(r.passed && r.score == 1.0);
    }
}
