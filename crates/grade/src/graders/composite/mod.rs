//! Composite graders: `all_of` (alias `composite`, strict AND of children),
//! `average_of` (normalised partial credit with a pass rule), `list_match`
//! and `dict_match` (predicate leaves per matched entry).

pub mod dict_match;
pub mod leaf;
pub mod list_match;

use crate::graders::{get_grader, unknown_type_message};
use crate::py::{self, is_finite_number, Num, PyResult};
use crate::result::{normalize_score, GraderResult};
use crate::value::{Map, Value};
use leaf::{composite_leaf_verdict, is_leaf, LeafVerdict};

/// Composites nested deeper than this are reported as a grader error
/// (`RecursionError`), the way Python fails on very deep nesting; kept low
/// enough that grading never exhausts a thread's stack (browser included).
const MAX_DEPTH: usize = 64;

pub(crate) fn composite_fail(reason: &str) -> GraderResult {
    GraderResult::new(
        false,
        0.0,
        crate::obj! {"error" => reason},
        &crate::sfmt!("composite grader: {reason}"),
    )
}

pub(crate) fn composite_configuration_fail(reason: &str) -> GraderResult {
    GraderResult::new(
        false,
        0.0,
        crate::obj! {"configuration_error" => reason},
        &crate::sfmt!("composite grader configuration error: {reason}"),
    )
}

struct Child {
    kind: &'static str,
    passed: bool,
    score: f64,
    score_max: f64,
    label: String,
    info: Map,
    /// Whether `info` reports a grader crash (computed once in `tally`).
    sys_err: bool,
}

fn child_label(child: &Value, index: usize) -> String {
    let Some(m) = child.as_object() else {
        return crate::sfmt!("children[{index}]");
    };
    // The fallback label is only formatted when the child has no truthy name.
    let named = |v: Option<&Value>, fallback: &dyn Fn() -> String| match v {
        Some(n) if py::truthy(n) => py::py_str(n),
        _ => fallback(),
    };
    if is_leaf(child) {
        return named(m.get("name"), &|| crate::sfmt!("children[{index}]"));
    }
    let ctype = m.get("type");
    if ctype.and_then(Value::as_str) == Some("predicate_leaf") {
        if let Some(Value::Object(c)) = m.get("config") {
            return named(c.get("name"), &|| {
                crate::sfmt!("children[{index}].predicate_leaf")
            });
        }
    }
    named(m.get("name"), &|| {
        let t = match ctype {
            Some(t) if py::truthy(t) => py::py_str(t),
            _ => "unknown".into(),
        };
        crate::sfmt!("children[{index}].{t}")
    })
}

fn duplicate_labels(children: &[Value]) -> Vec<String> {
    let mut seen = rustc_hash::FxHashSet::default();
    let mut dups: Vec<String> = Vec::new();
    for (i, c) in children.iter().enumerate() {
        let l = child_label(c, i);
        if seen.contains(&l) && !dups.contains(&l) {
            dups.push(l.clone());
        }
        seen.insert(l);
    }
    dups
}

const ADDITIVE_IN_ALL_OF: &str =
    "role 'additive' is invalid inside strict all_of; use a top-level graders[] entry or average_of for partial credit";

fn all_of_child_kind(child: &Value) -> (&'static str, Option<String>) {
    let Some(m) = child.as_object() else {
        return ("invalid", Some("all_of child must be an object".into()));
    };
    let role_kind = |role: Option<&Value>, what: &str| match role.and_then(Value::as_str) {
        Some("gate") => ("required", None),
        Some("hard_fail") => ("hard_fail", None),
        Some("additive") => ("invalid", Some(ADDITIVE_IN_ALL_OF.to_string())),
        _ => (
            "invalid",
            Some(crate::sfmt!(
                "{what} role must be one of gate/hard_fail, got {}",
                py::py_repr(role.unwrap_or(&Value::Null))
            )),
        ),
    };
    if is_leaf(child) {
        return role_kind(m.get("role"), "bare predicate child");
    }
    if m.contains_key("role") {
        return (
            "invalid",
            Some(
                "typed all_of children do not accept an outer role; every typed child is required"
                    .into(),
            ),
        );
    }
    let ctype = m.get("type").filter(|t| !t.is_null());
    let config = m.get("config");
    if ctype.is_some() && config.and_then(Value::as_object).is_none() {
        return (
            "invalid",
            Some("typed all_of child config must be an object".into()),
        );
    }
    if ctype.and_then(Value::as_str) != Some("predicate_leaf") {
        return ("required", None);
    }
    role_kind(config.and_then(|c| c.get("role")), "predicate_leaf config")
}

fn average_of_child_kind(child: &Value) -> (&'static str, Option<String>) {
    let Some(m) = child.as_object() else {
        return ("invalid", Some("average_of child must be an object".into()));
    };
    let role_kind = |role: Option<&Value>, what: &str| match role.and_then(Value::as_str) {
        Some("gate" | "additive") => ("scoring", None),
        Some("hard_fail") => ("hard_fail", None),
        _ => (
            "invalid",
            Some(crate::sfmt!(
                "{what} role must be one of gate/additive/hard_fail, got {}",
                py::py_repr(role.unwrap_or(&Value::Null))
            )),
        ),
    };
    if is_leaf(child) {
        return role_kind(m.get("role"), "bare predicate child");
    }
    if m.contains_key("role") {
        return (
            "invalid",
            Some("typed average_of children do not accept an outer role; every typed child is a scoring component".into()),
        );
    }
    if m.get("type").and_then(Value::as_str).is_none() {
        return (
            "invalid",
            Some("average_of child missing string 'type'".into()),
        );
    }
    let Some(config) = m.get("config").and_then(Value::as_object) else {
        return (
            "invalid",
            Some("typed average_of child config must be an object".into()),
        );
    };
    if m.get("type").and_then(Value::as_str) != Some("predicate_leaf") {
        return ("scoring", None);
    }
    role_kind(config.get("role"), "predicate_leaf config")
}

fn invalid(label: String, msg: String) -> Child {
    Child {
        kind: "invalid",
        passed: false,
        score: 0.0,
        score_max: 1.0,
        label,
        info: crate::obj! {"configuration_error" => msg},
        sys_err: false,
    }
}

/// Evaluate one child given its classification (shared by all_of and average_of).
fn evaluate_child(
    child: &Value,
    answer: &Value,
    index: usize,
    kind: (&'static str, Option<String>),
    depth: usize,
) -> PyResult<Child> {
    let label = child_label(child, index);
    let (child_kind, err) = kind;
    if let Some(e) = err {
        return Ok(invalid(label, e));
    }
    let from_result = |r: GraderResult, info: Map, label: String| Child {
        kind: child_kind,
        passed: r.passed,
        score: r.score,
        score_max: r.score_max,
        label,
        info,
        sys_err: false,
    };
    let leaf_child = |v: LeafVerdict, label: String| Child {
        kind: child_kind,
        passed: v.passed,
        score: v.score,
        score_max: v.score_max,
        label,
        info: v.metrics,
        sys_err: false,
    };
    let m = child.as_object().expect("classified children are objects");
    if is_leaf(child) {
        return Ok(leaf_child(composite_leaf_verdict(answer, m)?, label));
    }
    let Some(ctype) = m.get("type").and_then(Value::as_str) else {
        return Ok(invalid(
            label,
            "composite child missing 'type' and is not a bare predicate leaf".into(),
        ));
    };
    let empty = Value::Object(Map::default());
    let config = m.get("config").unwrap_or(&empty);
    if ctype == "predicate_leaf" {
        if let Some(c) = config.as_object() {
            return Ok(leaf_child(composite_leaf_verdict(answer, c)?, label));
        }
    }
    let Some(grader) = get_grader(ctype) else {
        return Ok(invalid(label, unknown_type_message(ctype)));
    };
    let outcome = if depth >= MAX_DEPTH {
        Err(py::PyErr::recursion())
    } else {
        grader(answer, config, depth + 1)
    };
    Ok(match outcome {
        Err(e) => Child {
            kind: child_kind,
            passed: false,
            score: 0.0,
            score_max: 1.0,
            label,
            info: crate::obj! {"grader_error" => e.message, "grader_system_error" => true},
            sys_err: false,
        },
        Ok(mut r) => {
            let metrics = std::mem::take(&mut r.metrics);
            let info =
                crate::obj! {"sub_metrics" => metrics, "sub_reasoning" => r.reasoning_text()};
            from_result(r, info, label)
        }
    })
}

fn present(m: &Map, k: &str) -> bool {
    m.get(k).is_some_and(|v| !v.is_null())
}

fn has_configuration_error(info: &Map) -> bool {
    present(info, "configuration_error")
        || matches!(info.get("sub_metrics"), Some(Value::Object(s)) if present(s, "configuration_error"))
}

fn has_system_error(info: &Map) -> bool {
    let sys = |m: &Map| {
        matches!(m.get("grader_system_error"), Some(Value::Bool(true)))
            || present(m, "grader_error")
    };
    sys(info) || matches!(info.get("sub_metrics"), Some(Value::Object(s)) if sys(s))
}

fn payload_error(c: &Child, require_positive: bool) -> Option<&'static str> {
    if !matches!(
        c.info
            .get("sub_metrics")
            .unwrap_or(&Value::Object(Map::default())),
        Value::Object(_)
    ) {
        return Some("child grader metrics must be an object");
    }
    if !c.score.is_finite() {
        return Some("child grader score must be a finite number");
    }
    if !c.score_max.is_finite() || c.score_max < 0.0 {
        return Some("child grader score_max must be a finite non-negative number");
    }
    if require_positive && c.score_max <= 0.0 {
        return Some("average_of scoring child must have positive score capacity");
    }
    None
}

/// Children evaluated and sorted into positive (required/scoring) and veto groups.
struct Tally {
    positives: Vec<Child>,
    hard_fails: Vec<Child>,
    misconfigured: Vec<String>,
    system_errors: Vec<String>,
}

fn tally(children: &[Value], answer: &Value, depth: usize, average: bool) -> PyResult<Tally> {
    let mut t = Tally {
        positives: vec![],
        hard_fails: vec![],
        misconfigured: vec![],
        system_errors: vec![],
    };
    for (i, child) in children.iter().enumerate() {
        let mut c = if average {
            evaluate_average_of_child(child, answer, i, depth)?
        } else {
            evaluate_child(child, answer, i, all_of_child_kind(child), depth)?
        };
        if let Some(e) = payload_error(&c, average && c.kind == "scoring") {
            c.passed = false;
            c.score = 0.0;
            c.score_max = 0.0;
            c.info.insert("configuration_error".into(), Value::str(e));
        }
        let cfg_err = has_configuration_error(&c.info);
        c.sys_err = has_system_error(&c.info);
        if (c.kind == "invalid" || cfg_err) && !t.misconfigured.contains(&c.label) {
            t.misconfigured.push(c.label.clone());
        }
        if c.sys_err && !t.system_errors.contains(&c.label) {
            t.system_errors.push(c.label.clone());
        }
        if c.kind == "hard_fail" {
            t.hard_fails.push(c);
        } else if c.kind != "invalid" && !cfg_err {
            t.positives.push(c);
        }
    }
    Ok(t)
}

fn child_points(child: &Value) -> Result<Option<f64>, &'static str> {
    let Some(m) = child.as_object() else {
        return Ok(None);
    };
    let Some(p) = m.get("points") else {
        return Ok(None);
    };
    if !is_finite_number(p) || p.as_f64().unwrap_or(0.0) <= 0.0 {
        return Err("child 'points' must be a finite number greater than zero");
    }
    let hard = |r: Option<&Value>| r.and_then(Value::as_str) == Some("hard_fail");
    if hard(m.get("role"))
        || hard(
            m.get("config")
                .and_then(|c| c.as_object())
                .and_then(|c| c.get("role")),
        )
    {
        return Err("'points' is invalid on a hard_fail child; vetoes do not score");
    }
    Ok(p.as_f64())
}

fn evaluate_average_of_child(
    child: &Value,
    answer: &Value,
    index: usize,
    depth: usize,
) -> PyResult<Child> {
    let points = match child_points(child) {
        Ok(p) => p,
        Err(e) => return Ok(invalid(child_label(child, index), e.into())),
    };
    let mut c = evaluate_child(child, answer, index, average_of_child_kind(child), depth)?;
    let Some(points) = points else { return Ok(c) };
    if c.kind != "scoring" || c.score_max <= 0.0 || !c.score_max.is_finite() || !c.score.is_finite()
    {
        return Ok(c);
    }
    c.score = points * normalize_score(c.score, c.score_max);
    c.score_max = points;
    c.info.insert("points".into(), Value::Float(points));
    Ok(c)
}

/// Aggregates shared by all_of and average_of metrics.
struct Summary {
    total: Num,
    denominator: Num,
    count: usize,
    passed: usize,
    failed: Vec<String>,
    triggered: Vec<Value>,
    unavailable: Vec<Value>,
}

fn summarize(t: &Tally) -> Summary {
    let ok = |c: &&Child| !c.sys_err;
    let total = py::sum(t.positives.iter().filter(ok).map(|c| Num::F(c.score)));
    let denominator = py::sum(t.positives.iter().map(|c| Num::F(c.score_max)));
    let passed = t.positives.iter().filter(ok).filter(|c| c.passed).count();
    let failed = t
        .positives
        .iter()
        .filter(ok)
        .filter(|c| !c.passed)
        .map(|c| c.label.clone())
        .collect();
    let mut triggered = Vec::new();
    let mut unavailable = Vec::new();
    for c in t.hard_fails.iter().filter(|c| !c.passed) {
        let broken = present(&c.info, "error") || has_configuration_error(&c.info) || c.sys_err;
        if broken {
            unavailable.push(Value::str(&c.label));
        } else {
            triggered.push(Value::str(&c.label));
        }
    }
    for c in &t.positives {
        let Some(Value::Object(sub)) = c.info.get("sub_metrics") else {
            continue;
        };
        for (key, out) in [
            ("hard_fail_triggered", &mut triggered),
            ("hard_fail_unavailable", &mut unavailable),
        ] {
            if let Some(Value::Array(nested)) = sub.get(key) {
                if !nested.is_empty() {
                    out.push(Value::Object(
                        crate::obj! {"child" => c.label.as_str(), "children" => nested.clone()},
                    ));
                }
            }
        }
    }
    Summary {
        total,
        denominator,
        count: t.positives.len(),
        passed,
        failed,
        triggered,
        unavailable,
    }
}

/// The metrics both composites report, in the reference's key order.
fn composite_metrics(
    kind: &str,
    pass_rule: &Value,
    s: &Summary,
    t: &Tally,
    configuration_error: Option<String>,
) -> Map {
    let mut metrics = crate::obj! {
        "type" => kind,
        "pass_rule" => pass_rule.clone(),
        "scoring_count" => s.count,
        "scoring_passed" => s.passed,
        "scoring_total_score" => s.total.to_value(),
        "score_denominator" => s.denominator.to_value(),
        "failed_children" => s.failed.clone(),
        "hard_fail_triggered" => s.triggered.clone(),
    };
    if !s.unavailable.is_empty() {
        metrics.insert(
            "hard_fail_unavailable".into(),
            Value::Array(s.unavailable.clone()),
        );
    }
    if let Some(e) = configuration_error {
        metrics.insert("configuration_error".into(), Value::Str(e));
    }
    if !t.misconfigured.is_empty() {
        metrics.insert(
            "misconfigured_children".into(),
            Value::from(t.misconfigured.clone()),
        );
    }
    if !t.system_errors.is_empty() {
        metrics.insert("grader_system_error".into(), Value::Bool(true));
        metrics.insert(
            "system_error_children".into(),
            Value::from(t.system_errors.clone()),
        );
    }
    metrics
}

/// The config object and its children, or the configuration failure when the
/// config is not an object, has no children list, or repeats a child label.
fn config_children<'a>(
    config: &'a Value,
    name: &str,
) -> Result<(&'a Map, &'a [Value]), Box<GraderResult>> {
    let Some(cfg) = config.as_object() else {
        return Err(Box::new(composite_configuration_fail(&crate::sfmt!(
            "{name} config must be an object"
        ))));
    };
    let Some(Value::Array(children)) = cfg.get("children") else {
        return Err(Box::new(composite_configuration_fail(&crate::sfmt!(
            "{name} config must contain a children list"
        ))));
    };
    let dups = duplicate_labels(children);
    if !dups.is_empty() {
        return Err(Box::new(composite_configuration_fail(&crate::sfmt!(
            "{name} child labels must be unique: {}",
            py::py_repr(&Value::from(dups))
        ))));
    }
    Ok((cfg, children))
}

fn child_lines(t: &Tally, with_max: bool) -> Vec<String> {
    let mut lines = Vec::new();
    for c in &t.positives {
        let mark = if c.passed { "+" } else { "x" };
        let score = if with_max {
            crate::sfmt!(
                "{}/{}",
                py::float_repr(c.score),
                py::float_repr(c.score_max)
            )
        } else {
            py::float_repr(c.score)
        };
        match c
            .info
            .get("sub_reasoning")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
        {
            Some(sub) => lines.push(crate::sfmt!(
                "  {mark} {}: {}  (score={score})",
                c.label,
                sub.lines().next().unwrap_or("")
            )),
            None => lines.push(crate::sfmt!(
                "  {mark} {}: passed={}, score={score}",
                c.label,
                if c.passed { "True" } else { "False" }
            )),
        }
    }
    for c in &t.hard_fails {
        let state = match (c.passed, with_max) {
            (true, _) => "not triggered",
            (false, false) => "TRIGGERED",
            (false, true) => "TRIGGERED/UNAVAILABLE",
        };
        lines.push(crate::sfmt!(
            "  {} hard_fail {}: {state}",
            if c.passed { "+" } else { "x" },
            py::repr_str(&c.label)
        ));
    }
    lines
}

fn field_scores(t: &Tally) -> Map {
    t.positives
        .iter()
        .map(|c| (c.label.clone(), Value::Float(c.score)))
        .collect()
}

pub fn all_of(answer: &Value, config: &Value, depth: usize) -> PyResult<GraderResult> {
    let (cfg, children) = match config_children(config, "all_of/composite") {
        Ok(c) => c,
        Err(fail) => return Ok(*fail),
    };
    let t = tally(children, answer, depth, false)?;
    let s = summarize(&t);
    let all = Value::str("all");
    let pass_rule = cfg.get("pass_rule").unwrap_or(&all);
    let unsupported = if !py::eq(pass_rule, &all) {
        Some("strict all_of only supports pass_rule='all'; use top-level graders[] or average_of for partial credit".to_string())
    } else if cfg.contains_key("min_passing_children") || cfg.contains_key("score_threshold") {
        Some("min_passing_children and score_threshold are invalid for strict all_of".to_string())
    } else {
        None
    };
    let no_positive = s.count == 0;
    let blocked = !s.failed.is_empty()
        || !s.triggered.is_empty()
        || !s.unavailable.is_empty()
        || !t.misconfigured.is_empty()
        || !t.system_errors.is_empty()
        || unsupported.is_some()
        || no_positive;
    let passed = !blocked;
    let configuration_error = if !t.misconfigured.is_empty() {
        Some("all_of contains child graders that could not be configured".to_string())
    } else if no_positive {
        Some("all_of has no positive required children".to_string())
    } else {
        unsupported
    };
    let metrics = composite_metrics("all_of", pass_rule, &s, &t, configuration_error);
    let mut lines = vec![crate::sfmt!(
        "all_of [strict AND]: {}",
        if passed { "PASS" } else { "FAIL" }
    )];
    lines.extend(child_lines(&t, false));
    Ok(GraderResult::pass_fail_lines(passed, metrics, lines).with_field_scores(field_scores(&t)))
}

/// `(pass_rule as reported, scoring verdict, configuration error)`.
fn average_of_pass_rule(
    cfg: &Map,
    count: usize,
    passed: usize,
    total: f64,
) -> (Value, bool, Option<&'static str>) {
    let all = Value::str("all");
    let rule = cfg.get("pass_rule").unwrap_or(&all);
    match rule.as_str() {
        Some("all") => {
            if cfg.contains_key("min_passing_children") || cfg.contains_key("score_threshold") {
                return (
                    rule.clone(),
                    false,
                    Some("min_passing_children and score_threshold are only valid with their matching average_of pass_rule"),
                );
            }
            (rule.clone(), passed == count, None)
        }
        Some("min_passing") => {
            if cfg.contains_key("score_threshold") {
                return (
                    rule.clone(),
                    false,
                    Some("score_threshold is invalid with pass_rule='min_passing'"),
                );
            }
            match cfg.get("min_passing_children") {
                Some(Value::Int(m)) if *m >= 0 && (*m as u64) <= count as u64 => (rule.clone(), passed as i64 >= *m, None),
                _ => (
                    rule.clone(),
                    false,
                    Some("min_passing_children must be an integer between 0 and the number of scoring children"),
                ),
            }
        }
        Some("score_threshold") => {
            if cfg.contains_key("min_passing_children") {
                return (
                    rule.clone(),
                    false,
                    Some("min_passing_children is invalid with pass_rule='score_threshold'"),
                );
            }
            let th = cfg.get("score_threshold").unwrap_or(&Value::Null);
            if !is_finite_number(th) || th.as_f64().unwrap_or(-1.0) < 0.0 {
                return (
                    rule.clone(),
                    false,
                    Some("score_threshold must be a finite non-negative number"),
                );
            }
            (rule.clone(), total >= th.as_f64().unwrap_or(0.0), None)
        }
        _ => (
            Value::Str(py::py_str(rule)),
            false,
            Some("average_of pass_rule must be one of all/min_passing/score_threshold"),
        ),
    }
}

pub fn average_of(answer: &Value, config: &Value, depth: usize) -> PyResult<GraderResult> {
    let (cfg, children) = match config_children(config, "average_of") {
        Ok(c) => c,
        Err(fail) => return Ok(*fail),
    };
    let t = tally(children, answer, depth, true)?;
    let s = summarize(&t);
    let (pass_rule, scoring_ok, rule_error) =
        average_of_pass_rule(cfg, s.count, s.passed, s.total.f());
    let no_scoring = s.count == 0;
    let invalid_scores =
        !s.total.f().is_finite() || !s.denominator.f().is_finite() || s.denominator.f() <= 0.0;
    let blocked = !s.triggered.is_empty()
        || !s.unavailable.is_empty()
        || !t.misconfigured.is_empty()
        || !t.system_errors.is_empty()
        || rule_error.is_some()
        || no_scoring
        || invalid_scores;
    let score = if blocked {
        0.0
    } else {
        normalize_score(s.total.f(), s.denominator.f())
    };
    let passed = scoring_ok && !blocked;
    let configuration_error = if !t.misconfigured.is_empty() {
        Some("average_of contains child graders that could not be configured".to_string())
    } else if no_scoring {
        Some("average_of has no scoring children".to_string())
    } else if invalid_scores {
        Some("average_of scoring children must provide a positive finite score denominator and finite total score".to_string())
    } else {
        rule_error.map(str::to_string)
    };
    let metrics = composite_metrics("average_of", &pass_rule, &s, &t, configuration_error);
    let mut lines = vec![crate::sfmt!(
        "average_of [pass_rule={}]: {} (normalized score={})",
        py::py_str(&pass_rule),
        if passed { "PASS" } else { "FAIL" },
        py::float_repr(score)
    )];
    lines.extend(child_lines(&t, true));
    Ok(GraderResult::new_lines(passed, score, metrics, lines).with_field_scores(field_scores(&t)))
}

#[cfg(test)]
mod tests {
    use crate::grade_case;

    const GATE_A: &str = r#"{"name": "a", "predicate": {"op": "equals", "arg": 1}, "role": "gate", "answer_field": "a"}"#;
    const VETO_B: &str = r#"{"name": "b", "predicate": {"op": "equals", "arg": true}, "role": "hard_fail", "answer_field": "b"}"#;

    #[test]
    fn all_of_is_strict_and_vetoes() {
        let cfg = crate::sfmt!(r#"{{"children": [{GATE_A}, {VETO_B}]}}"#);
        assert!(grade_case("all_of", &cfg, r#"{"a": 1, "b": false}"#).passed);
        let r = grade_case("composite", &cfg, r#"{"a": 1, "b": true}"#);
        assert!(!r.passed);
        assert_eq!(
            r.metrics["hard_fail_triggered"].as_array().unwrap().len(),
            1
        );
        // A missing veto field fails closed.
        assert!(!grade_case("all_of", &cfg, r#"{"a": 1}"#).passed);
    }

    #[test]
    fn all_of_without_positive_children_is_a_config_error() {
        let r = grade_case(
            "all_of",
            &crate::sfmt!(r#"{{"children": [{VETO_B}]}}"#),
            r#"{"b": false}"#,
        );
        assert!(r.configuration_error && !r.passed);
        let r = grade_case(
            "all_of",
            &crate::sfmt!(r#"{{"children": [{GATE_A}, {GATE_A}]}}"#),
            r#"{"a": 1}"#,
        );
        assert!(r.configuration_error, "duplicate labels");
    }

    #[test]
    fn average_of_points_and_min_passing() {
        let cfg = crate::sfmt!(
            r#"{{"pass_rule": "min_passing", "min_passing_children": 1, "children": [{GATE_A},
                {{"type": "multiple_choice", "config": {{"correct_answer": "B"}}, "points": 3}}]}}"#
        );
        let r = grade_case("average_of", &cfg, r#"{"a": 1, "answer": "C"}"#);
        assert!(r.passed);
        assert_eq!(r.score, 0.25);
        assert_eq!(r.metrics["score_denominator"].as_f64(), Some(4.0));
    }

    #[test]
    fn unknown_child_type_is_misconfigured() {
        let r = grade_case(
            "average_of",
            r#"{"children": [{"type": "rubric", "config": {}}]}"#,
            "{}",
        );
        assert!(r.configuration_error);
        assert_eq!(
            r.metrics["misconfigured_children"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
    }
}
