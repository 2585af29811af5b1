//! Hostile answers and evals through the real grader: malformed and deeply
//! nested JSON, a 50 MB string, non-finite numbers, evals of the wrong shape
//! and the fuzz corpus. Each gives a clear error or a failing verdict, never a
//! panic or a stack overflow.

use sbx_grade::Value;

#[path = "../../../tests/support/corpus.rs"]
mod corpus_support;
use corpus_support::{assert_mentions, corpus, fuzz_inputs};

fn parse_err(text: &str) -> String {
    sbx_grade::parse(text).unwrap_err().to_string()
}

#[test]
fn json_bad_bytes_and_numbers() {
    assert_mentions(&parse_err("{\"a\": 1"), &["line 1"]);
    // 1e400 reads as Infinity, as Python's json does; NaN is accepted as a token.
    assert!(matches!(sbx_grade::parse("1e400").unwrap(), Value::Float(f) if f == f64::INFINITY));
    assert!(matches!(sbx_grade::parse("NaN").unwrap(), Value::Float(f) if f.is_nan()));
    // A 400-digit integer keeps its value (Python ints are unbounded) or is refused clearly.
    let big = "9".repeat(400);
    match sbx_grade::parse(&big) {
        Ok(v) => assert!(
            matches!(v, Value::Int(_) | Value::BigInt(_) | Value::Float(_)),
            "{v:?}"
        ),
        Err(e) => assert!(!e.message.is_empty()),
    }
}

#[test]
fn json_deep_nesting_is_refused_without_overflow() {
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    assert_mentions(&parse_err(&deep), &["nesting depth"]);
    let deep_obj = format!("{}1{}", "{\"a\":".repeat(10_000), "}".repeat(10_000));
    assert_mentions(&parse_err(&deep_obj), &["nesting depth"]);
    // The same inside answer tags: no answer, no crash.
    let text = format!("<EVAL_ANSWER>{deep}</EVAL_ANSWER>");
    assert!(sbx_grade::extract_answer_from_text(&text).is_none());
}

/// Runs `f` on a thread with a 2 MiB stack (Rust's default for spawned threads and tests).
/// Unoptimised builds need about 1.1 KiB of stack per nesting level, so the parser's
/// 900-level limit must fit; optimised (wasm) builds need far less.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .expect("no stack overflow or panic")
}

#[test]
fn json_nesting_at_the_limit_parses_grades_and_prints() {
    on_small_stack(|| {
        let ok = format!("{}{}", "[".repeat(899), "]".repeat(899));
        let v = sbx_grade::parse(&ok).unwrap();
        let spec = sbx_grade::parse(
            r#"{"type":"dict_match","config":{"ground_truth":{"a":1},"tolerances":{"a":{"type":"absolute","value":0.1}}}}"#,
        )
        .unwrap();
        assert!(!sbx_grade::grade_value(&spec, &v).passed);
        assert_eq!(sbx_grade::to_python_json(&v).len(), 2 * 899);
        let tagged = format!("<EVAL_ANSWER>{ok}</EVAL_ANSWER>");
        assert!(sbx_grade::extract_answer_from_text(&tagged).is_some());
        // One level more than the limit is an error, not a crash.
        let over = format!("{}{}", "[".repeat(902), "]".repeat(902));
        assert!(sbx_grade::parse(&over).is_err());
    });
}

#[test]
fn fifty_megabyte_string_answer_is_graded_quickly() {
    let t = std::time::Instant::now();
    let huge = "A".repeat(50 << 20);
    let text = format!("{{\"answer\": \"{huge}\"}}");
    let v = sbx_grade::parse(&text).unwrap();
    assert_eq!(
        v.get("answer").and_then(Value::as_str).map(str::len),
        Some(50 << 20)
    );
    let spec = sbx_grade::parse(
        r#"{"type":"multiple_choice","config":{"correct_answer":"A","answer_field":"answer"}}"#,
    )
    .unwrap();
    let r = sbx_grade::grade_value(&spec, &v);
    assert!(!r.passed, "a 50 MB string is not the choice `A`");
    let tagged = format!("<EVAL_ANSWER>{text}</EVAL_ANSWER>");
    assert!(sbx_grade::extract_answer_from_text(&tagged).is_some());
    assert!(t.elapsed().as_secs() < 20, "{:?}", t.elapsed());
}

#[test]
fn nonfinite_and_huge_answers_fail_without_panic() {
    let spec = sbx_grade::parse(
        r#"{"type":"numeric_tolerance","config":{"ground_truth":{"n":10},"tolerances":{"n":{"type":"absolute","value":1}}}}"#,
    )
    .unwrap();
    for answer in [
        r#"{"n": NaN}"#,
        r#"{"n": 1e400}"#,
        r#"{"n": -1e400}"#,
        r#"{"n": 99999999999999999999999999999}"#,
        r#"{"n": "ten"}"#,
        r#"{"n": [10]}"#,
    ] {
        let r = sbx_grade::grade_value(&spec, &sbx_grade::parse(answer).unwrap());
        assert!(!r.passed, "{answer} must not pass");
    }
    let r = sbx_grade::grade_value(&spec, &sbx_grade::parse(r#"{"n": 10.5}"#).unwrap());
    assert!(r.passed);
}

#[test]
fn eval_json_with_wrong_shapes_is_reported() {
    for (name, words) in [
        ("eval_grader_is_string.json", &["grader", "type"][..]),
        (
            "eval_graders_not_list.json",
            &["`graders` must be a list"][..],
        ),
    ] {
        let bytes = corpus(name);
        let v = sbx_grade::parse(std::str::from_utf8(&bytes).unwrap()).unwrap();
        // Grading never panics and a broken grader never passes.
        let results = sbx_grade::grade_eval(&v, &Value::Null);
        assert!(!sbx_grade::eval_passed(&results), "{name}");
        let findings = sbx_grade::lint_eval(name, &v);
        let text: Vec<String> = findings.iter().map(|f| f.message.clone()).collect();
        assert!(
            text.iter().any(|m| words.iter().all(|w| m.contains(w))),
            "{name}: lint should mention {words:?}: {text:?}"
        );
    }
}

// ---- fuzz corpus replay ----
// Every input kept under fuzz/corpus/<target>/ (including minimised crash
// reproducers) is run again with the fuzz target's own checks, so the
// regressions run in the normal `cargo test`.

#[test]
fn fuzz_corpus_grade() {
    use sbx_grade::graders::REGISTRY;
    let value_of = |t: &str| sbx_grade::parse(t).unwrap_or_else(|_| Value::Str(t.to_string()));
    for (p, b) in fuzz_inputs("grade") {
        let Some((&pick, rest)) = b.split_first() else {
            continue;
        };
        let text = String::from_utf8_lossy(rest);
        let (config_text, answer_text) = text.split_once('\0').unwrap_or((&text, ""));
        let (grader_type, _) = REGISTRY[pick as usize % REGISTRY.len()];
        let mut spec = sbx_grade::Map::default();
        spec.insert("type".into(), Value::str(grader_type));
        spec.insert("config".into(), value_of(config_text));
        let spec = Value::Object(spec);
        for answer in [
            value_of(answer_text),
            sbx_grade::extract_answer_from_text(answer_text).unwrap_or(Value::Null),
            sbx_grade::extract_answer_from_file(answer_text).unwrap_or(Value::Null),
            sbx_grade::extract_answer_from_conversation(&value_of(answer_text))
                .unwrap_or(Value::Null),
        ] {
            let r = sbx_grade::grade_value(&spec, &answer);
            assert_eq!(
                r.configuration_error,
                r.metrics.contains_key("configuration_error"),
                "{}",
                p.display()
            );
            let _ = sbx_grade::to_python_json(&r.to_value());
        }
    }
}
