//! `list_match`: pair the agent's list of objects with ground-truth entries by
//! a match key, then grade each entry's fields with predicate leaves
//! (gates decide a tuple's pass, additive leaves add to the score).

use super::leaf::{fields_configuration_error, leaf_score_max, score_leaf};
use super::{composite_configuration_fail, composite_fail};
use crate::py::{self, hash_key, is_finite_number, HKey, Num, PyResult};
use crate::result::{normalize_score, GraderResult};
use crate::value::{Map, Value};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// `repr()` of the reference's hashable form (lists shown as tuples).
fn hashable_repr(v: &Value) -> String {
    match v {
        Value::Array(a) => {
            let inner: Vec<String> = a.iter().map(hashable_repr).collect();
            if inner.len() == 1 {
                crate::sfmt!("({},)", inner[0])
            } else {
                crate::sfmt!("({})", inner.join(", "))
            }
        }
        other => py::py_repr(other),
    }
}

/// The reference's `_hashable`: lists become tuples, dicts become tuples of
/// `(key, value)` pairs sorted by their repr.
pub fn hashable(v: &Value) -> Value {
    match v {
        Value::Array(a) => Value::Array(a.iter().map(hashable).collect()),
        Value::Object(m) => {
            let mut items: Vec<Value> = m
                .iter()
                .map(|(k, x)| Value::Array(vec![Value::Str(k.clone()), hashable(x)]))
                .collect();
            items.sort_by_cached_key(hashable_repr);
            Value::Array(items)
        }
        other => other.clone(),
    }
}

fn key_of(v: &Value) -> HKey {
    match v {
        Value::Array(a) => HKey::Tuple(a.iter().map(key_of).collect()),
        other => hash_key(other).unwrap_or(HKey::None),
    }
}

/// `_normalize_match_key`: with `sort`, a list key is compared as a sorted tuple.
pub fn normalize_match_key(v: &Value, mode: &Value) -> HKey {
    if let (Some("sort"), Value::Array(a)) = (mode.as_str(), v) {
        let mut items: Vec<Value> = a.iter().map(hashable).collect();
        items.sort_by_cached_key(hashable_repr);
        return key_of(&Value::Array(items));
    }
    key_of(&hashable(v))
}

fn is_plain_int(v: &Value) -> bool {
    matches!(v, Value::Int(_) | Value::BigInt(_))
}

fn int_of(v: &Value) -> i128 {
    match py::num(v) {
        Some(Num::I(i)) => i,
        _ => i128::MAX,
    }
}

fn configuration_error(config: &Value) -> Option<String> {
    let Some(cfg) = config.as_object() else {
        return Some("list_match config must be an object".into());
    };
    let non_empty_str = |k: &str| matches!(cfg.get(k), Some(Value::Str(s)) if !s.is_empty());
    if !non_empty_str("answer_field") {
        return Some("list_match answer_field must be a non-empty string".into());
    }
    if !non_empty_str("match_key") {
        return Some("list_match match_key must be a non-empty string".into());
    }
    let match_key = cfg["match_key"].as_str().unwrap_or("");
    let none = Value::str("none");
    let mode = cfg.get("match_key_normalize").unwrap_or(&none);
    if mode.as_str().is_none() {
        return Some("list_match match_key_normalize must be a string".into());
    }
    if let Some(d) = cfg.get("deduplicate_by") {
        if !d.is_null() && !matches!(d, Value::Str(s) if !s.is_empty()) {
            return Some(
                "list_match deduplicate_by must be a non-empty string when configured".into(),
            );
        }
    }
    if cfg
        .get("per_tuple_rule")
        .is_some_and(|r| !matches!(r, Value::Str(s) if !s.is_empty()))
    {
        return Some("list_match per_tuple_rule must be a non-empty string".into());
    }
    let k = cfg.get("k").filter(|k| !k.is_null());
    if let Some(k) = k {
        if !is_plain_int(k) || int_of(k) <= 0 {
            return Some("list_match k must be a positive integer when configured".into());
        }
    }
    let zero = Value::Int(0);
    let tpm = cfg.get("tuple_pass_min").unwrap_or(&zero);
    if !is_plain_int(tpm) || int_of(tpm) < 0 {
        return Some("list_match tuple_pass_min must be a non-negative integer".into());
    }
    if let Some(k) = k {
        if int_of(tpm) > int_of(k) {
            return Some("list_match tuple_pass_min cannot exceed k".into());
        }
    }
    let asm = cfg.get("additive_score_min").unwrap_or(&zero);
    if !is_finite_number(asm) || asm.as_f64().unwrap_or(-1.0) < 0.0 {
        return Some("list_match additive_score_min must be a finite non-negative number".into());
    }
    let gt = match cfg.get("ground_truth") {
        Some(Value::Array(a)) if !a.is_empty() => a,
        _ => return Some("list_match ground_truth must be a non-empty list".into()),
    };
    if int_of(tpm) > gt.len() as i128 {
        return Some("list_match tuple_pass_min cannot exceed ground_truth size".into());
    }
    let mut seen: HashSet<HKey> = HashSet::default();
    let mut positive = 0;
    for (i, entry) in gt.iter().enumerate() {
        let Some(e) = entry.as_object() else {
            return Some(crate::sfmt!(
                "list_match ground_truth[{i}] must be an object"
            ));
        };
        let Some(kv) = e.get(match_key) else {
            return Some(crate::sfmt!(
                "list_match ground_truth[{i}] is missing match_key {}",
                py::repr_str(match_key)
            ));
        };
        if !seen.insert(normalize_match_key(kv, mode)) {
            return Some(crate::sfmt!(
                "list_match ground_truth contains duplicate match key {}",
                py::py_repr(kv)
            ));
        }
        match fields_configuration_error(
            &crate::sfmt!("list_match ground_truth[{i}]"),
            e.get("fields"),
        ) {
            Ok(n) => positive += n,
            Err(err) => return Some(err),
        }
    }
    if positive == 0 {
        return Some("list_match must contain at least one positive predicate leaf".into());
    }
    None
}

/// The largest additive score reachable: with `k`, only the `k` richest rows count.
fn additive_denominator(entries: &[&Map], k: Option<i128>) -> Num {
    let mut per_entry: Vec<Num> = entries
        .iter()
        .filter_map(|e| e.get("fields").and_then(Value::as_object))
        .map(|fields| {
            py::sum(
                fields
                    .values()
                    .filter(|l| l.get("role").and_then(Value::as_str) == Some("additive"))
                    .map(|l| Num::F(leaf_score_max(l))),
            )
        })
        .collect();
    if let Some(k) = k.filter(|k| *k >= 0) {
        per_entry.sort_by(|a, b| {
            b.f()
                .partial_cmp(&a.f())
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        per_entry.truncate(k.min(usize::MAX as i128) as usize);
    }
    py::sum(per_entry)
}

struct Summary {
    label: String,
    passed: bool,
    detail: String,
}

/// The fields of one matched tuple scored against its ground-truth entry.
struct TupleFields {
    all_pass: bool,
    gate_pass: bool,
    additive: f64,
    /// `field=P` / `field=F`, for the reasoning.
    parts: Vec<String>,
    field_scores: Map,
    /// `key.field` of every failed hard-fail leaf.
    triggered: Vec<String>,
}

fn score_fields(gt: &Map, t: &Map, key_s: &str) -> TupleFields {
    let mut out = TupleFields {
        all_pass: true,
        gate_pass: true,
        additive: 0.0,
        parts: Vec::new(),
        field_scores: Map::default(),
        triggered: Vec::new(),
    };
    let Some(fields) = gt.get("fields").and_then(Value::as_object) else {
        return out;
    };
    for (fname, leaf) in fields {
        let Some(leaf_m) = leaf.as_object() else {
            continue;
        };
        let o = score_leaf(leaf_m, t.get(fname.as_str()));
        let role = leaf_m.get("role").and_then(Value::as_str);
        out.parts
            .push(crate::sfmt!("{fname}={}", if o.passed { "P" } else { "F" }));
        out.field_scores
            .insert(crate::sfmt!("{key_s}.{fname}"), Value::Float(o.score));
        if o.kind == "hard_fail" {
            if !o.passed {
                out.triggered.push(crate::sfmt!("{key_s}.{fname}"));
            }
            continue;
        }
        if role == Some("gate") && !o.passed {
            out.gate_pass = false;
        }
        if !o.passed {
            out.all_pass = false;
        }
        if role == Some("additive") {
            out.additive += o.score;
        }
    }
    out
}

pub fn grade(answer: &Value, config: &Value, _depth: usize) -> PyResult<GraderResult> {
    if let Some(e) = configuration_error(config) {
        return Ok(composite_configuration_fail(&e));
    }
    let cfg = config.as_object().expect("validated");
    let answer_field = cfg["answer_field"].as_str().unwrap_or("");
    let match_key = cfg["match_key"].as_str().unwrap_or("");
    let none = Value::str("none");
    let mode = cfg.get("match_key_normalize").unwrap_or(&none);
    let dedup = cfg.get("deduplicate_by").and_then(Value::as_str);
    let gates_rule = cfg
        .get("per_tuple_rule")
        .and_then(Value::as_str)
        .unwrap_or("gates_all_pass")
        == "gates_all_pass";
    let zero = Value::Int(0);
    let tuple_pass_min = cfg.get("tuple_pass_min").unwrap_or(&zero);
    let additive_min = cfg.get("additive_score_min").unwrap_or(&zero);
    let k_value = cfg.get("k").cloned().unwrap_or(Value::Null);
    let k = (!k_value.is_null()).then(|| int_of(&k_value));
    let gt_entries: Vec<&Map> = cfg["ground_truth"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_object).collect())
        .unwrap_or_default();

    let Some(mut agent_list) = answer
        .get(answer_field)
        .and_then(Value::as_array)
        .map(|a| a.iter().collect::<Vec<&Value>>())
    else {
        return Ok(composite_fail(&crate::sfmt!(
            "agent_answer.{} must be a list",
            py::repr_str(answer_field)
        )));
    };
    if let Some(d) = dedup {
        let mut seen: HashSet<HKey> = HashSet::default();
        agent_list.retain(|t| match t.as_object() {
            None => true,
            Some(m) => seen.insert(key_of(&hashable(m.get(d).unwrap_or(&Value::Null)))),
        });
    }
    if let Some(k) = k.filter(|k| *k >= 0) {
        agent_list.truncate(k.min(usize::MAX as i128) as usize);
    }
    let mut gt_by_key: HashMap<HKey, &Map> = HashMap::default();
    let mut gt_order: Vec<HKey> = Vec::new();
    for gt in &gt_entries {
        let key = normalize_match_key(gt.get(match_key).unwrap_or(&Value::Null), mode);
        if gt_by_key.insert(key.clone(), gt).is_none() {
            gt_order.push(key);
        }
    }

    let mut summaries: Vec<Summary> = Vec::new();
    let mut tuple_pass_count = 0i64;
    let mut additive = 0.0f64;
    let mut field_scores = Map::default();
    let mut consumed: HashSet<HKey> = HashSet::default();
    let mut triggered: Vec<String> = Vec::new();
    for (i, tup) in agent_list.iter().enumerate() {
        let Some(t) = tup.as_object() else {
            summaries.push(Summary {
                label: crate::sfmt!("tuple[{i}]"),
                passed: false,
                detail: "tuple is not a dict".into(),
            });
            continue;
        };
        let key_val = t.get(match_key).unwrap_or(&Value::Null);
        let key_s = py::py_str(key_val);
        let normalized = normalize_match_key(key_val, mode);
        let Some(gt) = gt_by_key.get(&normalized) else {
            summaries.push(Summary {
                label: key_s,
                passed: false,
                detail: crate::sfmt!("match_key {} not in GT", py::py_repr(key_val)),
            });
            continue;
        };
        if !consumed.insert(normalized) {
            summaries.push(Summary {
                label: key_s,
                passed: false,
                detail: crate::sfmt!("duplicate match_key {}", py::py_repr(key_val)),
            });
            continue;
        }
        let fields = score_fields(gt, t, &key_s);
        field_scores.extend(fields.field_scores);
        triggered.extend(fields.triggered);
        additive += fields.additive;
        let tuple_passed = if gates_rule {
            fields.gate_pass
        } else {
            fields.all_pass
        };
        if tuple_passed {
            tuple_pass_count += 1;
        }
        summaries.push(Summary {
            label: key_s,
            passed: tuple_passed,
            detail: fields.parts.join(", "),
        });
    }
    let veto = !triggered.is_empty();
    let nothing_graded = !gt_by_key.is_empty() && consumed.is_empty();
    let passed = py::ge(&Value::Int(tuple_pass_count), tuple_pass_min).unwrap_or(false)
        && py::ge(&Value::Float(additive), additive_min).unwrap_or(false)
        && !veto
        && !nothing_graded;
    let ordered: Vec<&Map> = gt_order
        .iter()
        .filter_map(|k| gt_by_key.get(k).copied())
        .collect();
    let denominator = additive_denominator(&ordered, k);
    let score = if veto {
        0.0
    } else {
        normalize_score(additive, denominator.f())
    };
    let mut metrics = crate::obj! {
        "k" => k_value,
        "tuple_pass_count" => tuple_pass_count,
        "tuple_pass_min" => tuple_pass_min.clone(),
        "additive_score" => additive,
        "additive_score_min" => additive_min.clone(),
        "additive_score_denominator" => denominator.to_value(),
        "n_tuples_evaluated" => agent_list.len(),
        "hard_fail_triggered" => triggered,
    };
    if nothing_graded {
        metrics.insert(
            "composite_error".into(),
            Value::str("answer matched none of the ground-truth entries"),
        );
    }
    let mut lines = vec![crate::sfmt!(
        "list_match (answer_field={}): {}",
        py::repr_str(answer_field),
        if passed { "PASS" } else { "FAIL" }
    )];
    for s in &summaries {
        lines.push(crate::sfmt!(
            "  {} {}: {}",
            if s.passed { "+" } else { "x" },
            s.label,
            s.detail
        ));
    }
    lines.push(crate::sfmt!(
        "  tuple_pass: {tuple_pass_count}/{}  additive_score: {}/{}",
        py::py_str(tuple_pass_min),
        py::float_repr(additive),
        py::py_str(additive_min)
    ));
    let score_max = if denominator.f() > 0.0 { 1.0 } else { 0.0 };
    Ok(GraderResult::new_lines(passed, score, metrics, lines)
        .with_field_scores(field_scores)
        .with_score_max(score_max))
}

#[cfg(test)]
mod tests {
    use crate::grade_case;

    const CFG: &str = r#"{"answer_field": "rows", "match_key": "id", "tuple_pass_min": 1, "ground_truth": [
        {"id": "a", "fields": {"v": {"predicate": {"op": "equals", "arg": 1}, "role": "gate"},
                               "w": {"predicate": {"op": "equals", "arg": 2}, "role": "additive"}}},
        {"id": "b", "fields": {"v": {"predicate": {"op": "equals", "arg": 3}, "role": "additive"}}}]}"#;

    #[test]
    fn pairs_by_key_and_scores_additive_leaves() {
        let r = grade_case(
            "list_match",
            CFG,
            r#"{"rows": [{"id": "a", "v": 1, "w": 2}, {"id": "b", "v": 0}, {"id": "a", "v": 1}]}"#,
        );
        assert!(r.passed);
        assert_eq!(r.score, 0.5);
        // "b" has no gate, so it passes under gates_all_pass even with a wrong additive field.
        assert_eq!(r.metrics["tuple_pass_count"].as_f64(), Some(2.0));
    }

    #[test]
    fn nothing_matched_fails() {
        let r = grade_case("list_match", CFG, r#"{"rows": [{"id": "z"}]}"#);
        assert!(!r.passed);
        assert!(r.metrics.contains_key("composite_error"));
    }

    #[test]
    fn sorted_list_keys() {
        let cfg = r#"{"answer_field": "rows", "match_key": "pair", "match_key_normalize": "sort", "ground_truth": [
            {"pair": ["x", "y"], "fields": {"d": {"predicate": {"op": "equals", "arg": 1}, "role": "gate"}}}]}"#;
        assert!(
            grade_case(
                "list_match",
                cfg,
                r#"{"rows": [{"pair": ["y", "x"], "d": 1}]}"#
            )
            .passed
        );
    }
}
