//! `predicate_leaf`: a predicate AST evaluated on the answer (or one field of
//! it) with a role: `gate` (must hold) or `hard_fail` (a veto). Also the
//! predicate evaluator and the restricted JSONPath used by the composites.

use crate::py::{self, hash_key, is_finite_number, HKey, PyErr, PyResult};
use crate::result::GraderResult;
use crate::value::Value;
use std::borrow::Cow;
use std::collections::BTreeSet;

pub const SCALAR_OPS: [&str; 3] = ["f1", "jaccard", "weighted_label"];
/// `sorted(KNOWN_OPS)`.
const KNOWN_OPS_SORTED: [&str; 14] = [
    "and",
    "any",
    "equals",
    "every",
    "f1",
    "field",
    "in",
    "jaccard",
    "jaccard_ge",
    "none",
    "not",
    "or",
    "unordered_set_eq",
    "weighted_label",
];

pub fn is_scalar_op(op: Option<&Value>) -> bool {
    matches!(op, Some(Value::Str(s)) if SCALAR_OPS.contains(&s.as_str()))
}

/// A predicate's verdict: boolean ops give a bool, scalar ops a float.
#[derive(Clone, Copy, Debug)]
pub enum Raw {
    Bool(bool),
    Float(f64),
}

impl Raw {
    pub fn truthy(self) -> bool {
        match self {
            Raw::Bool(b) => b,
            Raw::Float(f) => f != 0.0,
        }
    }
    pub fn as_f64(self) -> f64 {
        match self {
            Raw::Bool(b) => b as u8 as f64,
            Raw::Float(f) => f,
        }
    }
    pub fn to_value(self) -> Value {
        match self {
            Raw::Bool(b) => Value::Bool(b),
            Raw::Float(f) => Value::Float(f),
        }
    }
}

/// The largest positive raw score a predicate can emit (weighted_label tables can exceed 1).
pub fn predicate_score_max(pred: Option<&Value>) -> f64 {
    let Some(p) = pred.and_then(Value::as_object) else {
        return 1.0;
    };
    if p.get("op").and_then(Value::as_str) != Some("weighted_label") {
        return 1.0;
    }
    let mut raws: Vec<&Value> = Vec::new();
    if let Some(Value::Object(t)) = p.get("table") {
        raws.extend(t.values());
    }
    let zero = Value::Int(0);
    raws.push(p.get("default").unwrap_or(&zero));
    raws.iter()
        .filter(|v| is_finite_number(v))
        .filter_map(|v| v.as_f64())
        .filter(|f| *f > 0.0)
        .fold(0.0, f64::max)
}

enum Token<'p> {
    Name(&'p str),
    Star,
}

fn tokenize(path: &str) -> Result<Vec<Token<'_>>, String> {
    let Some(rest) = path.strip_prefix('$') else {
        return Err(crate::sfmt!(
            "jsonpath must start with '$', got {}",
            py::repr_str(path)
        ));
    };
    let b = rest.as_bytes();
    let mut pos = 0;
    let mut out = Vec::new();
    while pos < b.len() {
        if b[pos] == b'.'
            && b.get(pos + 1)
                .is_some_and(|c| c.is_ascii_alphabetic() || *c == b'_')
        {
            let start = pos + 1;
            let mut end = start + 1;
            while end < b.len() && (b[end].is_ascii_alphanumeric() || b[end] == b'_') {
                end += 1;
            }
            out.push(Token::Name(&rest[start..end]));
            pos = end;
        } else if rest[pos..].starts_with("[*]") {
            out.push(Token::Star);
            pos += 3;
        } else {
            return Err(crate::sfmt!(
                "unsupported jsonpath token in {} at offset {}",
                py::repr_str(path),
                pos + 1
            ));
        }
    }
    Ok(out)
}

/// `$`, `.name` and `[*]` only; returns every match (ValueError text on a bad path).
pub fn resolve_jsonpath<'a>(value: &'a Value, path: &str) -> Result<Vec<&'a Value>, String> {
    let tokens = tokenize(path)?;
    let mut cur: Vec<&Value> = vec![value];
    for t in tokens {
        cur = match t {
            Token::Name(n) => cur.into_iter().filter_map(|v| v.get(n)).collect(),
            Token::Star => cur
                .into_iter()
                .filter_map(Value::as_array)
                .flatten()
                .collect(),
        };
    }
    Ok(cur)
}

/// `resolve_answer_field`: a list of matches for `[*]` paths, else the first
/// match or `None` (missing).
pub fn resolve_answer_field(value: &Value, path: &str) -> Result<Option<Value>, String> {
    let matches = resolve_jsonpath(value, path)?;
    if path.contains("[*]") {
        return Ok(Some(Value::Array(matches.into_iter().cloned().collect())));
    }
    Ok(matches.first().map(|v| (*v).clone()))
}

type Set = BTreeSet<HKey>;

fn as_set(v: &Value) -> PyResult<Set> {
    match v {
        Value::Array(a) => a.iter().map(hash_key).collect(),
        Value::Str(s) => Ok([HKey::Str(s.clone())].into_iter().collect()),
        other => Err(PyErr::value_error(crate::sfmt!(
            "expected list/tuple/set/str for set-valued op, got {}",
            other.type_name()
        ))),
    }
}

fn f1(p: &Set, e: &Set) -> f64 {
    if p.is_empty() && e.is_empty() {
        return 1.0;
    }
    if p.is_empty() || e.is_empty() {
        return 0.0;
    }
    let tp = p.intersection(e).count();
    if tp == 0 {
        return 0.0;
    }
    let precision = tp as f64 / p.len() as f64;
    let recall = tp as f64 / e.len() as f64;
    2.0 * precision * recall / (precision + recall)
}

fn jaccard(a: &Set, b: &Set) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let union = a.union(b).count();
    if union == 0 {
        return 0.0;
    }
    a.intersection(b).count() as f64 / union as f64
}

fn max_jaccard(v: &Set, possible: &Value) -> PyResult<f64> {
    let sets = possible.as_array().map(|a| a.as_slice()).unwrap_or(&[]);
    if sets.is_empty() {
        return Ok(0.0);
    }
    let mut best = f64::NEG_INFINITY;
    for c in sets {
        let j = jaccard(v, &as_set(c)?);
        if j > best {
            best = j;
        }
    }
    Ok(best)
}

fn comparable_number(s: &str) -> Option<f64> {
    py::parse_float(py::strip(s)).filter(|f| f.is_finite())
}

fn values_equal(actual: &Value, expected: &Value) -> bool {
    if py::is_number(expected) {
        if let Value::Str(s) = actual {
            return comparable_number(s).is_some_and(|n| py::eq(&Value::Float(n), expected));
        }
    }
    py::eq(actual, expected)
}

/// Static checks of a predicate AST, independent of any answer.
pub fn predicate_configuration_error(
    pred: Option<&Value>,
    path: &str,
    depth: usize,
) -> Option<String> {
    let mut buf = path.to_string();
    config_error(pred, &mut buf, depth)
}

/// `path` is a reusable buffer: children append their segment and truncate it
/// back, so valid trees are checked without allocating a path per node.
fn config_error(pred: Option<&Value>, path: &mut String, depth: usize) -> Option<String> {
    if depth > 16 {
        return Some(crate::sfmt!("{path} exceeds maximum nesting depth 16"));
    }
    let Some(p) = pred.and_then(Value::as_object) else {
        return Some(crate::sfmt!("{path} must be an object"));
    };
    let op = match p.get("op") {
        Some(Value::Str(s)) if KNOWN_OPS_SORTED.contains(&s.as_str()) => s.as_str(),
        other => {
            let known = Value::from(
                KNOWN_OPS_SORTED
                    .iter()
                    .map(|s| s.to_string())
                    .collect::<Vec<String>>(),
            );
            return Some(crate::sfmt!(
                "{path}.op must be one of {}, got {}",
                py::py_repr(&known),
                py::py_repr(other.unwrap_or(&Value::Null))
            ));
        }
    };
    let non_empty_list = |k: &str| matches!(p.get(k), Some(Value::Array(a)) if !a.is_empty());
    let child = |k: &str, path: &mut String| {
        let n = path.len();
        path.push('.');
        path.push_str(k);
        let r = config_error(p.get(k), path, depth + 1);
        path.truncate(n);
        r
    };
    match op {
        "equals" => (!p.contains_key("arg")).then(|| crate::sfmt!("{path} requires 'arg'")),
        "in" => {
            (!non_empty_list("args")).then(|| crate::sfmt!("{path}.args must be a non-empty list"))
        }
        "unordered_set_eq" | "f1" => match p.get("expected") {
            Some(e @ Value::Array(_)) => as_set(e)
                .err()
                .map(|x| crate::sfmt!("{path}.expected is invalid: {}", x.message)),
            _ => Some(crate::sfmt!("{path}.expected must be a list")),
        },
        "and" | "or" => {
            let Some(Value::Array(args)) = p.get("args").filter(|_| non_empty_list("args")) else {
                return Some(crate::sfmt!("{path}.args must be a non-empty list"));
            };
            let n = path.len();
            for (i, c) in args.iter().enumerate() {
                use std::fmt::Write;
                let _ = write!(path, ".args[{i}]");
                if let Some(e) = config_error(Some(c), path, depth + 1) {
                    return Some(e);
                }
                path.truncate(n);
            }
            None
        }
        "not" => {
            if !p.contains_key("arg") {
                return Some(crate::sfmt!("{path} requires 'arg'"));
            }
            child("arg", path)
        }
        "any" | "every" | "none" => {
            let Some(Value::Str(jp)) = p.get("path") else {
                return Some(crate::sfmt!("{path}.path must be a string"));
            };
            if let Err(e) = tokenize(jp) {
                return Some(crate::sfmt!("{path}.path is invalid: {e}"));
            }
            if !p.contains_key("body") {
                return Some(crate::sfmt!("{path} requires 'body'"));
            }
            child("body", path)
        }
        "field" => {
            if !matches!(p.get("name"), Some(Value::Str(s)) if !s.is_empty()) {
                return Some(crate::sfmt!("{path}.name must be a non-empty string"));
            }
            if !p.contains_key("body") {
                return Some(crate::sfmt!("{path} requires 'body'"));
            }
            child("body", path)
        }
        "jaccard_ge" | "jaccard" => {
            let Some(Value::Array(sets)) = p
                .get("possible_sets")
                .filter(|_| non_empty_list("possible_sets"))
            else {
                return Some(crate::sfmt!(
                    "{path}.possible_sets must be a non-empty list"
                ));
            };
            for (i, c) in sets.iter().enumerate() {
                if let Err(e) = as_set(c) {
                    return Some(crate::sfmt!(
                        "{path}.possible_sets[{i}] is invalid: {}",
                        e.message
                    ));
                }
            }
            if op == "jaccard_ge" {
                let t = p.get("threshold").unwrap_or(&Value::Null);
                if !is_finite_number(t) || !(0.0..=1.0).contains(&t.as_f64().unwrap_or(-1.0)) {
                    return Some(crate::sfmt!(
                        "{path}.threshold must be a finite number in [0, 1]"
                    ));
                }
            }
            None
        }
        "weighted_label" => {
            let Some(Value::Object(table)) = p.get("table") else {
                return Some(crate::sfmt!("{path}.table must be an object"));
            };
            for (label, s) in table {
                if !is_finite_number(s) {
                    return Some(crate::sfmt!(
                        "{path}.table[{}] must be a finite number",
                        py::repr_str(label)
                    ));
                }
            }
            let zero = Value::Int(0);
            if !is_finite_number(p.get("default").unwrap_or(&zero)) {
                return Some(crate::sfmt!("{path}.default must be a finite number"));
            }
            None
        }
        _ => Some(crate::sfmt!(
            "{path}.op is unsupported: {}",
            py::repr_str(op)
        )),
    }
}

/// Scalar predicates need a finite non-negative threshold.
pub fn threshold_configuration_error(pred: Option<&Value>, threshold: &Value) -> Option<String> {
    if !is_scalar_op(pred.and_then(|p| p.get("op"))) {
        return None;
    }
    if !is_finite_number(threshold) || threshold.as_f64().unwrap_or(-1.0) < 0.0 {
        return Some("threshold must be a finite non-negative number for scalar predicates".into());
    }
    None
}

/// Evaluate a (validated) predicate on a value.
pub fn evaluate(pred: &Value, value: &Value) -> PyResult<Raw> {
    let Some(p) = pred.as_object() else {
        return Err(PyErr::value_error(crate::sfmt!(
            "predicate must be a dict with an 'op' key, got {}",
            py::py_repr(pred)
        )));
    };
    let null = Value::Null;
    let g = |k: &str| p.get(k).unwrap_or(&null);
    let op = g("op").as_str().unwrap_or("");
    let b = |x: bool| Ok(Raw::Bool(x));
    match op {
        "equals" => b(values_equal(value, g("arg"))),
        "in" => {
            let args = g("args").as_array().map(|a| a.as_slice()).unwrap_or(&[]);
            let is_nan = matches!(value, Value::Float(f) if f.is_nan());
            if !is_nan && args.iter().any(|e| py::eq(e, value)) {
                return b(true);
            }
            let Value::Str(s) = value else {
                return b(false);
            };
            let Some(n) = comparable_number(s) else {
                return b(false);
            };
            b(args
                .iter()
                .any(|c| py::is_number(c) && py::eq(&Value::Float(n), c)))
        }
        "unordered_set_eq" => {
            let a = as_set(value)?;
            b(a == as_set(g("expected"))?)
        }
        "and" => {
            for c in g("args").as_array().map(|a| a.as_slice()).unwrap_or(&[]) {
                if !evaluate(c, value)?.truthy() {
                    return b(false);
                }
            }
            b(true)
        }
        "or" => {
            for c in g("args").as_array().map(|a| a.as_slice()).unwrap_or(&[]) {
                if evaluate(c, value)?.truthy() {
                    return b(true);
                }
            }
            b(false)
        }
        "not" => b(!evaluate(g("arg"), value)?.truthy()),
        "any" | "every" | "none" => {
            let path = g("path").as_str().unwrap_or("");
            let matches = resolve_jsonpath(value, path).map_err(PyErr::value_error)?;
            let body = g("body");
            match op {
                "any" => {
                    for m in matches {
                        if evaluate(body, m)?.truthy() {
                            return b(true);
                        }
                    }
                    b(false)
                }
                "every" => {
                    if matches.is_empty() {
                        return b(false);
                    }
                    for m in matches {
                        if !evaluate(body, m)?.truthy() {
                            return b(false);
                        }
                    }
                    b(true)
                }
                _ => {
                    if matches.is_empty() {
                        return b(false);
                    }
                    for m in matches {
                        if evaluate(body, m)?.truthy() {
                            return b(false);
                        }
                    }
                    b(true)
                }
            }
        }
        "field" => {
            let name = g("name").as_str().unwrap_or("");
            match value.get(name) {
                Some(v) => evaluate(g("body"), v),
                None => b(false),
            }
        }
        "jaccard_ge" => {
            let s = as_set(value)?;
            let j = max_jaccard(&s, g("possible_sets"))?;
            b(py::ge(&Value::Float(j), g("threshold")).unwrap_or(false))
        }
        "f1" => {
            let s = as_set(value)?;
            Ok(Raw::Float(f1(&s, &as_set(g("expected"))?)))
        }
        "jaccard" => {
            let s = as_set(value)?;
            Ok(Raw::Float(max_jaccard(&s, g("possible_sets"))?))
        }
        "weighted_label" => {
            let zero = Value::Int(0);
            let default = p.get("default").unwrap_or(&zero);
            hash_key(value)?;
            let hit = match (value, g("table")) {
                (Value::Str(s), Value::Object(t)) => t.get(s.as_str()),
                _ => None,
            };
            Ok(Raw::Float(py::to_float(hit.unwrap_or(default))?))
        }
        other => Err(PyErr::value_error(crate::sfmt!(
            "unknown predicate op: {}",
            py::repr_str(other)
        ))),
    }
}

/// `(kind, passed, score)` for a role and a predicate verdict.
pub fn apply_role(
    role: &Value,
    raw: Raw,
    is_scalar: bool,
    threshold: &Value,
) -> (&'static str, bool, f64) {
    let at_least = |x: f64| py::ge(&Value::Float(x), threshold).unwrap_or(false);
    match role.as_str() {
        Some("hard_fail") => {
            let triggered = if is_scalar {
                at_least(raw.as_f64())
            } else {
                raw.truthy()
            };
            let score = if is_scalar {
                raw.as_f64()
            } else if triggered {
                0.0
            } else {
                1.0
            };
            ("hard_fail", !triggered, score)
        }
        Some("additive") => {
            if is_scalar {
                ("scoring", true, raw.as_f64())
            } else {
                let p = raw.truthy();
                ("scoring", p, if p { 1.0 } else { 0.0 })
            }
        }
        Some("gate") => {
            if is_scalar {
                let s = raw.as_f64();
                ("scoring", at_least(s), s)
            } else {
                let p = raw.truthy();
                ("scoring", p, if p { 1.0 } else { 0.0 })
            }
        }
        _ => ("scoring", false, 0.0),
    }
}

fn leaf_label(name: &Value) -> String {
    if py::truthy(name) {
        crate::sfmt!("'{}'", py::py_str(name))
    } else {
        "(unnamed)".into()
    }
}

fn config_fail(reason: &str, name: &Value, score_max: f64) -> GraderResult {
    let m = crate::obj! {"configuration_error" => reason, "name" => name.clone()};
    GraderResult::new(
        false,
        0.0,
        m,
        &crate::sfmt!(
            "Predicate-leaf {}: CONFIGURATION ERROR \u{2014} {reason}",
            leaf_label(name)
        ),
    )
    .with_score_max(score_max)
}

pub fn grade(answer: &Value, config: &Value, _depth: usize) -> PyResult<GraderResult> {
    let null = Value::Null;
    let Some(cfg) = config.as_object() else {
        return Ok(config_fail(
            "predicate_leaf config must be an object",
            &null,
            1.0,
        ));
    };
    let predicate = cfg.get("predicate");
    let role = cfg.get("role").unwrap_or(&null);
    let answer_field = cfg.get("answer_field").unwrap_or(&null);
    let default_threshold = Value::Float(1.0);
    let threshold = cfg.get("threshold").unwrap_or(&default_threshold);
    let name = cfg.get("name").unwrap_or(&null);
    let score_max = predicate_score_max(predicate);

    if let Some(e) = predicate_configuration_error(predicate, "predicate", 0) {
        return Ok(config_fail(&e, name, score_max));
    }
    if let Some(e) = threshold_configuration_error(predicate, threshold) {
        return Ok(config_fail(&e, name, score_max));
    }
    let role_s = role.as_str();
    if matches!(role_s, Some("gate" | "additive")) && score_max <= 0.0 {
        return Ok(config_fail(
            "scoring predicate has no positive score capacity",
            name,
            score_max,
        ));
    }
    // Bind the graded value: None = the field is missing.
    let (bound, field_label): (Option<Cow<Value>>, String) = match answer_field {
        Value::Null => (Some(Cow::Borrowed(answer)), "<root>".into()),
        Value::Str(f) if !f.is_empty() => {
            if f.starts_with('$') {
                match resolve_answer_field(answer, f) {
                    Ok(v) => (v.map(Cow::Owned), f.clone()),
                    Err(e) => {
                        return Ok(config_fail(
                            &crate::sfmt!("invalid jsonpath in answer_field: {e}"),
                            name,
                            score_max,
                        ))
                    }
                }
            } else {
                (answer.get(f).map(Cow::Borrowed), f.clone())
            }
        }
        _ => {
            return Ok(config_fail(
                "answer_field must be a non-empty string when configured",
                name,
                score_max,
            ))
        }
    };
    if role_s == Some("additive") {
        return Ok(config_fail(
            "role 'additive' is invalid at root; valid only inside average_of, list_match, or dict_match",
            name,
            score_max,
        ));
    }
    if !matches!(role_s, Some("gate" | "hard_fail")) {
        return Ok(config_fail(
            &crate::sfmt!(
                "unknown role {}; expected one of gate, hard_fail",
                py::py_repr(role)
            ),
            name,
            score_max,
        ));
    }
    let pred = predicate.unwrap_or(&null);
    let op = pred.get("op").cloned().unwrap_or(Value::Null);
    let is_scalar = is_scalar_op(Some(&op));
    let op_s = py::py_str(&op);
    let role_txt = py::py_str(role);
    let Some(value) = bound else {
        let m = crate::obj! {
            "op" => op.clone(),
            "role" => role.clone(),
            "answer_field" => field_label.as_str(),
            "name" => name.clone(),
            "missing_answer_field" => true,
        };
        let reasoning = crate::sfmt!(
            "Predicate-leaf {} [op={op_s}, role={role_txt}]: FAIL\n  x answer is missing the graded field: {field_label}",
            leaf_label(name)
        );
        let fs = crate::obj! {field_label.as_str() => 0.0};
        return Ok(GraderResult::new(false, 0.0, m, &reasoning)
            .with_field_scores(fs)
            .with_score_max(score_max));
    };
    let raw = match evaluate(pred, &value) {
        Ok(r) => r,
        Err(e) => {
            let reason = crate::sfmt!(
                "predicate could not evaluate the supplied answer: {}",
                e.message
            );
            let m = crate::obj! {"invalid_answer" => reason.as_str(), "name" => name.clone()};
            let reasoning = crate::sfmt!(
                "Predicate-leaf {}: FAIL \u{2014} {reason}",
                leaf_label(name)
            );
            return Ok(GraderResult::new(false, 0.0, m, &reasoning).with_score_max(score_max));
        }
    };
    let (_, passed, score) = apply_role(role, raw, is_scalar, threshold);
    let metrics = crate::obj! {
        "op" => op.clone(),
        "role" => role.clone(),
        "raw_result" => raw.to_value(),
        "is_scalar" => is_scalar,
        "threshold" => if is_scalar { threshold.clone() } else { Value::Null },
        "answer_field" => answer_field.clone(),
        "name" => name.clone(),
        "score_max" => score_max,
    };
    let mut lines = vec![crate::sfmt!(
        "Predicate-leaf {} [op={op_s}, role={role_txt}]: {}",
        leaf_label(name),
        if passed { "PASS" } else { "FAIL" }
    )];
    if field_label != "<root>" {
        lines.push(crate::sfmt!("  field: {field_label}"));
    }
    if is_scalar {
        lines.push(crate::sfmt!(
            "  score: {:.4} (threshold: {})",
            raw.as_f64(),
            py::py_str(threshold)
        ));
    } else {
        lines.push(crate::sfmt!(
            "  predicate result: {}",
            py::py_str(&raw.to_value())
        ));
    }
    if role_s == Some("hard_fail") {
        lines.push(crate::sfmt!(
            "  hard-fail {}",
            if passed { "not triggered" } else { "TRIGGERED" }
        ));
    }
    let fs = crate::obj! {field_label.as_str() => score};
    Ok(GraderResult::new_lines(passed, score, metrics, lines)
        .with_field_scores(fs)
        .with_score_max(score_max))
}

#[cfg(test)]
mod tests {
    use crate::grade_case;

    #[test]
    fn equals_coerces_numeric_strings_only_for_numeric_expectations() {
        let cfg =
            r#"{"predicate": {"op": "equals", "arg": 0.5}, "role": "gate", "answer_field": "x"}"#;
        assert!(grade_case("predicate_leaf", cfg, r#"{"x": " 0.5"}"#).passed);
        let cfg =
            r#"{"predicate": {"op": "equals", "arg": "001"}, "role": "gate", "answer_field": "x"}"#;
        assert!(!grade_case("predicate_leaf", cfg, r#"{"x": "1"}"#).passed);
    }

    #[test]
    fn missing_field_fails_even_for_vacuous_predicates() {
        let cfg = r#"{"predicate": {"op": "not", "arg": {"op": "equals", "arg": 1}}, "role": "hard_fail", "answer_field": "x"}"#;
        let r = grade_case("predicate_leaf", cfg, "{}");
        assert!(!r.passed);
        assert_eq!(r.metrics["missing_answer_field"].as_bool(), Some(true));
    }

    #[test]
    fn weighted_label_scale_and_jsonpath() {
        let cfg = r#"{"predicate": {"op": "weighted_label", "table": {"A": 2, "B": 1}}, "role": "gate", "threshold": 1, "answer_field": "$.x.y"}"#;
        let r = grade_case("predicate_leaf", cfg, r#"{"x": {"y": "A"}}"#);
        assert!(r.passed);
        assert_eq!(r.score, 2.0);
        assert_eq!(r.score_max, 2.0);
        let r = grade_case("predicate_leaf", cfg, r#"{"x": {"y": ["A"]}}"#);
        assert!(r.metrics.contains_key("invalid_answer"));
    }

    #[test]
    fn every_over_nothing_is_false() {
        let cfg = r#"{"predicate": {"op": "every", "path": "$[*]", "body": {"op": "equals", "arg": 1}}, "role": "gate", "answer_field": "x"}"#;
        assert!(!grade_case("predicate_leaf", cfg, r#"{"x": []}"#).passed);
        assert!(grade_case("predicate_leaf", cfg, r#"{"x": [1, 1.0, true]}"#).passed);
    }

    #[test]
    fn config_errors() {
        assert!(
            grade_case(
                "predicate_leaf",
                r#"{"predicate": {"op": "nope"}, "role": "gate"}"#,
                "{}"
            )
            .configuration_error
        );
        assert!(
            grade_case(
                "predicate_leaf",
                r#"{"predicate": {"op": "equals", "arg": 1}, "role": "additive"}"#,
                "{}"
            )
            .configuration_error
        );
        assert!(grade_case("predicate_leaf", r#"{"predicate": {"op": "any", "path": "$.a[0]", "body": {"op": "equals", "arg": 1}}, "role": "gate"}"#, "{}")
            .configuration_error);
    }
}
