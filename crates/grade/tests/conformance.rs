//! Replays every case of `../shared/conformance/public.jsonl` (2,000 grader
//! cases) and `extraction.jsonl` (184 extraction cases) recorded from the
//! reference graders. `passed`, `score` and `configuration_error` must match
//! exactly; numbers, booleans and lists in `metrics` must match; strings in
//! metrics are counted apart, and the test fails when their count differs from
//! [`STRING_METRIC_DIFFS_ALLOWED`].
//!
//! The vector files are required: the test fails when they are absent.

use sbx_grade::{decode_nonfinite, grade_value, parse, py, Value};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// String-valued metrics that differ from the reference today: none. A change
/// that makes any differ fails the test; change this only for a reviewed reason.
const STRING_METRIC_DIFFS_ALLOWED: usize = 0;

fn conformance_dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/conformance"
    ))
}

fn read_lines(name: &str) -> Vec<(usize, Value)> {
    let path = conformance_dir().join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "conformance vectors missing: cannot read {}: {e}",
            path.display()
        )
    });
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let v =
                parse(l).unwrap_or_else(|e| panic!("{}:{}: not JSON: {e}", path.display(), i + 1));
            (i + 1, decode_nonfinite(v))
        })
        .collect()
}

/// Numbers equal by value (NaN equals NaN), bools, null, strings, lists and
/// objects element by element.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::BigInt(x), Value::BigInt(y)) => x == y,
        (Value::Float(x), Value::Float(y)) if x.is_nan() && y.is_nan() => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Bool(_), _) | (_, Value::Bool(_)) => false,
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
        }
        _ => py::eq(a, b),
    }
}

fn strict_metric(v: &Value) -> bool {
    matches!(
        v,
        Value::Int(_) | Value::BigInt(_) | Value::Float(_) | Value::Bool(_) | Value::Array(_)
    )
}

#[test]
fn public_grader_cases_match_the_reference() {
    let cases = read_lines("public.jsonl");
    assert_eq!(cases.len(), 2000, "public.jsonl should hold 2,000 cases");
    let mut by_type: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut failures: Vec<String> = Vec::new();
    let mut string_diffs = 0usize;
    for (line, case) in &cases {
        let id = case
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_string();
        let grader = case.get("grader").expect("case has grader");
        let gtype = grader
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_string();
        let answer = case.get("answer").cloned().unwrap_or(Value::Null);
        let expected = case.get("expected").expect("case has expected");
        let r = grade_value(grader, &answer);

        let mut problems: Vec<String> = Vec::new();
        let exp_passed = expected.get("passed").and_then(Value::as_bool);
        if exp_passed != Some(r.passed) {
            problems.push(format!("passed {:?} != {}", exp_passed, r.passed));
        }
        let exp_score = expected.get("score").and_then(Value::as_f64);
        if exp_score != Some(r.score) {
            problems.push(format!("score {:?} != {}", exp_score, r.score));
        }
        let exp_cfg = expected.get("configuration_error").and_then(Value::as_bool);
        if exp_cfg != Some(r.configuration_error) {
            problems.push(format!(
                "configuration_error {:?} != {}",
                exp_cfg, r.configuration_error
            ));
        }
        if let Some(m) = expected.get("score_max").and_then(Value::as_f64) {
            if m != r.score_max {
                problems.push(format!("score_max {m} != {}", r.score_max));
            }
        }
        if expected.get("exception").is_some() && !r.metrics.contains_key("grader_error") {
            problems.push("reference raised; expected metrics.grader_error".into());
        }
        if let Some(Value::Object(em)) = expected.get("metrics") {
            for (k, ev) in em {
                match r.metrics.get(k) {
                    None => problems.push(format!(
                        "metrics.{k} missing (expected {})",
                        py::py_repr(ev)
                    )),
                    Some(mv) if strict_metric(ev) || strict_metric(mv) => {
                        if !same(ev, mv) {
                            problems.push(format!(
                                "metrics.{k}: expected {} got {}",
                                py::py_repr(ev),
                                py::py_repr(mv)
                            ));
                        }
                    }
                    Some(mv) => {
                        if !same(ev, mv) {
                            string_diffs += 1;
                        }
                    }
                }
            }
            for k in r.metrics.keys() {
                if !em.contains_key(k) {
                    problems.push(format!("metrics.{k} not in reference"));
                }
            }
        }
        let entry = by_type.entry(gtype.clone()).or_default();
        entry.0 += 1;
        if !problems.is_empty() {
            entry.1 += 1;
            failures.push(format!(
                "line {line} {id} [{gtype}]: {}",
                problems.join("; ")
            ));
        }
    }
    println!("grader conformance by type (cases, mismatches):");
    for (t, (n, bad)) in &by_type {
        println!("  {t:32} {n:5} {bad:5}");
    }
    println!("string-valued metric differences: {string_diffs}");
    for f in failures.iter().take(60) {
        println!("MISMATCH {f}");
    }
    assert_eq!(
        string_diffs, STRING_METRIC_DIFFS_ALLOWED,
        "string-valued metrics differing from the reference"
    );
    assert!(
        failures.is_empty(),
        "{} of {} grader cases disagree with the reference",
        failures.len(),
        cases.len()
    );
}

#[test]
fn extraction_cases_match_the_reference() {
    let cases = read_lines("extraction.jsonl");
    assert_eq!(cases.len(), 184, "extraction.jsonl should hold 184 cases");
    let mut failures: Vec<String> = Vec::new();
    let mut by_kind: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for (line, case) in &cases {
        let id = case.get("id").and_then(Value::as_str).unwrap_or("?");
        let kind = case.get("kind").and_then(Value::as_str).unwrap_or("?");
        let text = case.get("text").and_then(Value::as_str).unwrap_or("");
        let got = match kind {
            "summary" => sbx_grade::extract_answer_from_text(text),
            "file" => sbx_grade::extract_answer_from_file(text),
            "conversation" => sbx_grade::extract_answer_from_conversation(
                case.get("conversation").unwrap_or(&Value::Null),
            ),
            other => panic!("line {line}: unknown extraction kind {other}"),
        };
        let expected = case.get("expected").cloned().unwrap_or(Value::Null);
        let got_v = got.unwrap_or(Value::Null);
        let e = by_kind.entry(kind.to_string()).or_default();
        e.0 += 1;
        if !same(&expected, &got_v) {
            e.1 += 1;
            failures.push(format!(
                "line {line} {id} [{kind}]: expected {} got {}",
                sbx_grade::to_python_json(&expected),
                sbx_grade::to_python_json(&got_v)
            ));
        }
    }
    println!("extraction conformance by kind (cases, mismatches): {by_kind:?}");
    for f in failures.iter().take(40) {
        println!("MISMATCH {f}");
    }
    assert!(
        failures.is_empty(),
        "{} of {} extraction cases disagree with the reference",
        failures.len(),
        cases.len()
    );
}

/// The verdict line written straight from a result is the JSON of its value,
/// for every public case and every output option.
#[test]
fn verdict_lines_written_directly_match_the_value_serialization() {
    use sbx_grade::{to_json, DumpOptions};
    let cases = read_lines("public.jsonl");
    let mut buf = String::new();
    for (line, case) in &cases {
        let grader = case.get("grader").expect("case has grader");
        let r = grade_value(grader, case.get("answer").unwrap_or(&Value::Null));
        for (ensure_ascii, compact) in [(true, false), (false, false), (true, true), (false, true)]
        {
            let opts = DumpOptions {
                ensure_ascii,
                compact,
            };
            buf.clear();
            r.write_json(&mut buf, opts);
            assert_eq!(buf, to_json(&r.to_value(), opts), "line {line}");
        }
    }
}

/// The matchers' short leaf evaluation gives the kind, verdict and score of
/// the full one, for every per-field leaf of the public list_match and
/// dict_match cases against every value found in their answers (and none).
#[test]
fn short_leaf_scores_match_full_leaf_evaluation() {
    use sbx_grade::graders::composite::leaf::{evaluate_leaf, score_leaf};
    fn values(v: &Value, out: &mut Vec<Value>) {
        out.push(v.clone());
        match v {
            Value::Array(a) => a.iter().for_each(|x| values(x, out)),
            Value::Object(m) => m.values().for_each(|x| values(x, out)),
            _ => {}
        }
    }
    let mut checked = 0usize;
    for (line, case) in read_lines("public.jsonl") {
        let grader = case.get("grader").expect("case has grader");
        if !matches!(
            grader.get("type").and_then(Value::as_str),
            Some("list_match" | "dict_match")
        ) {
            continue;
        }
        let mut leaves = Vec::new();
        let mut stack = vec![grader.get("config").cloned().unwrap_or(Value::Null)];
        while let Some(v) = stack.pop() {
            match v {
                Value::Object(m) => {
                    if m.contains_key("predicate") {
                        leaves.push(m.clone());
                    }
                    stack.extend(m.into_values());
                }
                Value::Array(a) => stack.extend(a),
                _ => {}
            }
        }
        let mut vals = Vec::new();
        values(case.get("answer").unwrap_or(&Value::Null), &mut vals);
        vals.truncate(200);
        for leaf in &leaves {
            for v in vals.iter().map(Some).chain([None]) {
                let full = evaluate_leaf(leaf, v);
                let short = score_leaf(leaf, v);
                assert_eq!(
                    (full.kind, full.passed, full.score.to_bits()),
                    (short.kind, short.passed, short.score.to_bits()),
                    "line {line}"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 1000, "only {checked} leaf evaluations compared");
}
