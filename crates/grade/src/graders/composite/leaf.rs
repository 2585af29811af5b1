//! Predicate leaves inside composites (`{predicate, role, answer_field?,
//! threshold?, name?}`), where the `additive` role is also allowed.

use crate::graders::predicate_leaf::{
    apply_role, evaluate, is_scalar_op, predicate_configuration_error, predicate_score_max,
    resolve_answer_field, threshold_configuration_error,
};
use crate::py::{self, PyResult};
use crate::result::GraderResult;
use crate::value::{Map, Value};
use std::borrow::Cow;

/// What one leaf evaluation yields.
pub struct LeafOutcome {
    pub kind: &'static str,
    pub passed: bool,
    pub score: f64,
    pub score_max: f64,
    pub label: Value,
    pub info: Map,
}

/// A leaf is a bare `{predicate, ...}` envelope without a `type`.
pub fn is_leaf(node: &Value) -> bool {
    node.as_object()
        .is_some_and(|m| m.contains_key("predicate") && !m.contains_key("type"))
}

pub fn leaf_score_max(leaf: &Value) -> f64 {
    leaf.as_object().map(leaf_score_max_map).unwrap_or(0.0)
}

pub fn leaf_score_max_map(m: &Map) -> f64 {
    if m.get("role").and_then(Value::as_str) == Some("hard_fail") {
        return 0.0;
    }
    predicate_score_max(m.get("predicate"))
}

/// Bind a leaf's answer field: plain key or JSONPath; `None` = missing.
pub fn bind_field<'a>(value: &'a Value, field: Option<&Value>) -> Option<Cow<'a, Value>> {
    match field {
        None | Some(Value::Null) => Some(Cow::Borrowed(value)),
        Some(Value::Str(f)) if f.starts_with('$') => resolve_answer_field(value, f)
            .ok()
            .flatten()
            .map(Cow::Owned),
        Some(Value::Str(f)) => value.get(f).map(Cow::Borrowed),
        Some(_) => None,
    }
}

/// The configuration error of a leaf, checked in the reference's order, and
/// whether the leaf's role and op are reported beside it.
fn config_problem(
    leaf: &Map,
    role: &Value,
    predicate: Option<&Value>,
    threshold: &Value,
    kind: &str,
    score_max: f64,
) -> Option<(String, bool)> {
    match leaf.get("answer_field") {
        None | Some(Value::Null) => {}
        Some(Value::Str(f)) if !f.is_empty() => {
            if f.starts_with('$') {
                if let Err(e) = resolve_answer_field(&Value::Object(Map::default()), f) {
                    return Some((crate::sfmt!("invalid answer_field JSONPath: {e}"), false));
                }
            }
        }
        Some(_) => {
            return Some((
                "answer_field must be a non-empty string when configured".into(),
                false,
            ))
        }
    }
    if !matches!(role.as_str(), Some("gate" | "additive" | "hard_fail")) {
        return Some((
            crate::sfmt!("unknown predicate role {}", py::py_repr(role)),
            false,
        ));
    }
    if let Some(e) = predicate_configuration_error(predicate, "predicate", 0) {
        return Some((e, true));
    }
    if let Some(e) = threshold_configuration_error(predicate, threshold) {
        return Some((e, true));
    }
    if kind == "scoring" && score_max <= 0.0 {
        return Some((
            "scoring predicate has no positive score capacity".into(),
            true,
        ));
    }
    None
}

fn leaf_kind(role: &Value) -> &'static str {
    if role.as_str() == Some("hard_fail") {
        "hard_fail"
    } else {
        "scoring"
    }
}

pub fn evaluate_leaf(leaf: &Map, value: Option<&Value>) -> LeafOutcome {
    let null = Value::Null;
    let role = leaf.get("role").unwrap_or(&null);
    let predicate = leaf.get("predicate");
    let default_threshold = Value::Float(1.0);
    let threshold = leaf.get("threshold").unwrap_or(&default_threshold);
    let op = predicate
        .and_then(|p| p.get("op"))
        .cloned()
        .unwrap_or(Value::Null);
    let is_scalar = is_scalar_op(Some(&op));
    let name = leaf.get("name").unwrap_or(&null);
    let label = if py::truthy(name) {
        name.clone()
    } else if py::truthy(&op) {
        Value::Str(crate::sfmt!("{}-leaf", py::py_str(&op)))
    } else {
        Value::str("(unnamed)")
    };
    let kind = leaf_kind(role);
    let score_max = leaf_score_max_map(leaf);
    let out = |passed: bool, score: f64, info: Map| LeafOutcome {
        kind,
        passed,
        score,
        score_max,
        label: label.clone(),
        info,
    };
    let cerr = |msg: String, with_role: bool| {
        let mut info = crate::obj! {"configuration_error" => msg};
        if with_role {
            info.insert("role".into(), role.clone());
            info.insert("op".into(), op.clone());
        }
        out(false, 0.0, info)
    };
    if let Some((msg, with_role)) =
        config_problem(leaf, role, predicate, threshold, kind, score_max)
    {
        return cerr(msg, with_role);
    }
    let Some(value) = value else {
        let info = crate::obj! {"op" => op.clone(), "role" => role.clone(), "missing_answer_field" => true};
        return out(false, 0.0, info);
    };
    match evaluate(predicate.unwrap_or(&null), value) {
        Err(e) => out(
            false,
            0.0,
            crate::obj! {"invalid_answer" => e.message, "role" => role.clone(), "op" => op.clone()},
        ),
        Ok(raw) => {
            let (kind, passed, score) = apply_role(role, raw, is_scalar, threshold);
            let info = crate::obj! {"op" => op.clone(), "role" => role.clone(), "raw" => raw.to_value(), "is_scalar" => is_scalar};
            // The kind as apply_role reports it for this role.
            LeafOutcome {
                kind,
                ..out(passed, score, info)
            }
        }
    }
}

/// What `list_match` and `dict_match` read of a leaf evaluation.
pub struct LeafScore {
    pub kind: &'static str,
    pub passed: bool,
    pub score: f64,
}

/// The kind, verdict and score [`evaluate_leaf`] gives, without building its
/// label and metrics (per-field leaves of the matchers discard them).
pub fn score_leaf(leaf: &Map, value: Option<&Value>) -> LeafScore {
    let null = Value::Null;
    let role = leaf.get("role").unwrap_or(&null);
    let predicate = leaf.get("predicate");
    let default_threshold = Value::Float(1.0);
    let threshold = leaf.get("threshold").unwrap_or(&default_threshold);
    let kind = leaf_kind(role);
    let fail = LeafScore {
        kind,
        passed: false,
        score: 0.0,
    };
    let score_max = leaf_score_max_map(leaf);
    if config_problem(leaf, role, predicate, threshold, kind, score_max).is_some() {
        return fail;
    }
    let Some(value) = value else { return fail };
    match evaluate(predicate.unwrap_or(&null), value) {
        Err(_) => fail,
        Ok(raw) => {
            let op = predicate.and_then(|p| p.get("op")).unwrap_or(&null);
            let (kind, passed, score) = apply_role(role, raw, is_scalar_op(Some(op)), threshold);
            LeafScore {
                kind,
                passed,
                score,
            }
        }
    }
}

/// Whether a leaf counts toward the score (any role but `hard_fail`).
pub fn is_positive_leaf(leaf: &Value) -> bool {
    leaf.get("role").and_then(Value::as_str) != Some("hard_fail")
}

/// Checks the per-field leaves of a ground-truth entry (`entry` names it in
/// messages, e.g. `list_match ground_truth[0]`): `fields` must be a non-empty
/// object of well-configured leaves. Gives how many of them are positive.
pub fn fields_configuration_error(entry: &str, fields: Option<&Value>) -> Result<usize, String> {
    let fields = match fields {
        Some(Value::Object(f)) if !f.is_empty() => f,
        _ => return Err(crate::sfmt!("{entry}.fields must be a non-empty object")),
    };
    let mut positive = 0;
    for (fname, leaf) in fields {
        if let Some(err) = leaf_configuration_error(leaf) {
            return Err(crate::sfmt!(
                "{entry}.fields[{}]: {err}",
                py::repr_str(fname)
            ));
        }
        if is_positive_leaf(leaf) {
            positive += 1;
        }
    }
    Ok(positive)
}

/// The configuration error a leaf reports before seeing any answer.
pub fn leaf_configuration_error(leaf: &Value) -> Option<String> {
    let Some(m) = leaf.as_object() else {
        return Some("predicate leaf must be an object".into());
    };
    // The checks `evaluate_leaf` makes before it looks at an answer.
    let null = Value::Null;
    let role = m.get("role").unwrap_or(&null);
    let default_threshold = Value::Float(1.0);
    let threshold = m.get("threshold").unwrap_or(&default_threshold);
    let kind = leaf_kind(role);
    config_problem(
        m,
        role,
        m.get("predicate"),
        threshold,
        kind,
        leaf_score_max_map(m),
    )
    .map(|(msg, _)| msg)
}

/// A leaf graded inside a composite: what the composite reads of its result.
pub struct LeafVerdict {
    pub passed: bool,
    pub score: f64,
    pub score_max: f64,
    pub label: Value,
    pub metrics: Map,
}

/// A leaf graded on its own (composite roles allowed), without the reasoning
/// and field scores a composite never reads. Raises (TypeError) when the
/// leaf's name is a list or object: the reference keys its field scores by that name.
pub fn composite_leaf_verdict(answer: &Value, config: &Map) -> PyResult<LeafVerdict> {
    let bound = bind_field(answer, config.get("answer_field"));
    let o = evaluate_leaf(config, bound.as_deref());
    py::hash_key(&o.label)?;
    let mut metrics = Map::with_capacity_and_hasher(2 + o.info.len(), Default::default());
    metrics.insert("kind".into(), Value::from(o.kind));
    metrics.insert("name".into(), o.label.clone());
    for (k, v) in o.info {
        metrics.insert(k, v);
    }
    Ok(LeafVerdict {
        passed: o.passed,
        score: o.score,
        score_max: o.score_max,
        label: o.label,
        metrics,
    })
}

/// A leaf graded on its own (composite roles allowed), as a result. Raises
/// (TypeError) when the leaf's name is a list or object: the reference keys
/// its field scores by that name.
pub fn evaluate_composite_predicate_leaf(answer: &Value, config: &Map) -> PyResult<GraderResult> {
    let v = composite_leaf_verdict(answer, config)?;
    let reasoning = crate::sfmt!(
        "Composite predicate leaf {}: {}",
        py::py_repr(&v.label),
        if v.passed { "PASS" } else { "FAIL" }
    );
    let mut fs = Map::default();
    fs.insert(py::py_str(&v.label), Value::Float(v.score));
    Ok(GraderResult::new(v.passed, v.score, v.metrics, &reasoning)
        .with_field_scores(fs)
        .with_score_max(v.score_max))
}
