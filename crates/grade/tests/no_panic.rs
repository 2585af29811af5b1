//! Robustness: grading, extraction and linting never panic, on mutated
//! conformance cases (random bytes flipped, random sub-values swapped for
//! awkward ones) and on pathological nesting. A stand-in for the cargo-fuzz
//! target (`fuzz/`) that runs on stable in every `cargo test`.

use sbx_grade::graders::REGISTRY;
use sbx_grade::{
    decode_nonfinite, extract_answer_from_text, grade_value, lint_eval, parse, Map, Value,
};

/// xorshift64*: deterministic, no dependencies.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn awkward(rng: &mut Rng) -> Value {
    let pool = [
        "null",
        "NaN",
        "Infinity",
        "-Infinity",
        "-1",
        "0",
        "1",
        "true",
        "false",
        "1e308",
        "-0.0",
        "123456789012345678901234567890",
        "\"\"",
        "\" \"",
        "\"x\"",
        "\"NaN\"",
        "\"1_0\"",
        "[]",
        "{}",
        "[[]]",
        "[null]",
        "[NaN, NaN]",
        "{\"op\": \"and\", \"args\": []}",
        "{\"type\": \"all_of\", \"config\": {\"children\": [{}]}}",
        "[1, \"1\", 1.0, true]",
        "{\"$.x\": 1}",
    ];
    parse(pool[rng.below(pool.len())]).unwrap()
}

/// Replace one randomly chosen node of `v` (walking down at random).
fn mutate(v: &mut Value, rng: &mut Rng, depth: usize) {
    let descend = depth < 6 && rng.below(3) != 0;
    match v {
        Value::Array(a) if descend && !a.is_empty() => {
            let i = rng.below(a.len());
            mutate(&mut a[i], rng, depth + 1)
        }
        Value::Object(m) if descend && !m.is_empty() => {
            let i = rng.below(m.len());
            if let Some((_, x)) = m.get_index_mut(i) {
                mutate(x, rng, depth + 1)
            }
        }
        _ => *v = awkward(rng),
    }
}

fn check(grader: &Value, answer: &Value) {
    let r = grade_value(grader, answer);
    assert_eq!(
        r.configuration_error,
        r.metrics.contains_key("configuration_error")
    );
    assert!(
        !(r.configuration_error && r.passed),
        "a configuration error never passes"
    );
    let reward = r.normalized_score();
    assert!((0.0..=1.0).contains(&reward), "reward {reward}");
    // The result's JSON reads back and writes out the same text (NaN and
    // Infinity scores included, as Python's json writes them).
    let text = sbx_grade::to_python_json(&r.to_value());
    let again = parse(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
    assert_eq!(sbx_grade::to_python_json(&again), text);
    let mut eval = Map::default();
    eval.insert("id".into(), Value::str("t"));
    eval.insert("task".into(), Value::str("x"));
    eval.insert("grader".into(), grader.clone());
    let _ = lint_eval("t.json", &Value::Object(eval));
}

#[test]
fn mutated_conformance_cases_never_panic() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/conformance/public.jsonl"
    );
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{path} is required for this test: {e}"));
    let lines: Vec<&str> = text.lines().collect();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for round in 0..12_000 {
        let line = lines[rng.below(lines.len())];
        if round % 3 == 0 {
            // Byte-level damage: whatever still parses gets graded.
            let mut bytes = line.as_bytes().to_vec();
            for _ in 0..1 + rng.below(4) {
                let i = rng.below(bytes.len());
                bytes[i] = b"{}[]\",:0-.eNI \\"[rng.below(15)];
            }
            let t = String::from_utf8_lossy(&bytes);
            let _ = extract_answer_from_text(&format!("<EVAL_ANSWER>{t}</EVAL_ANSWER>"));
            if let Ok(v) = parse(&t) {
                if let (Some(g), Some(a)) = (v.get("grader"), v.get("answer")) {
                    check(g, a);
                }
            }
            continue;
        }
        let case = decode_nonfinite(parse(line).unwrap());
        let mut grader = case.get("grader").cloned().unwrap();
        let mut answer = case.get("answer").cloned().unwrap_or(Value::Null);
        if rng.below(2) == 0 {
            if let Some(c) = grader.as_object_mut_config() {
                mutate(c, &mut rng, 0);
            }
        } else {
            mutate(&mut answer, &mut rng, 0);
        }
        if rng.below(10) == 0 {
            // Same config and answer under another grader type.
            let (t, _) = REGISTRY[rng.below(REGISTRY.len())];
            if let Value::Object(m) = &mut grader {
                m.insert("type".into(), Value::str(t));
            }
        }
        check(&grader, &answer);
    }
}

trait ConfigMut {
    fn as_object_mut_config(&mut self) -> Option<&mut Value>;
}
impl ConfigMut for Value {
    fn as_object_mut_config(&mut self) -> Option<&mut Value> {
        match self {
            Value::Object(m) => m.get_mut("config"),
            _ => None,
        }
    }
}

#[test]
fn deep_nesting_is_bounded() {
    // all_of nested 150 deep: reported as a grader error, not a stack overflow.
    let mut cfg = r#"{"children": [{"name": "g", "predicate": {"op": "equals", "arg": 1}, "role": "gate", "answer_field": "a"}]}"#.to_string();
    for _ in 0..150 {
        cfg = format!(r#"{{"children": [{{"type": "all_of", "config": {cfg}}}]}}"#);
    }
    let grader = parse(&format!(r#"{{"type": "all_of", "config": {cfg}}}"#)).unwrap();
    let r = grade_value(&grader, &parse(r#"{"a": 1}"#).unwrap());
    assert!(!r.passed);
    // Deep predicate ASTs are configuration errors (limit 16), deep JSON a parse error.
    let mut p = r#"{"op": "equals", "arg": 1}"#.to_string();
    for _ in 0..40 {
        p = format!(r#"{{"op": "not", "arg": {p}}}"#);
    }
    let g = parse(&format!(
        r#"{{"type": "predicate_leaf", "config": {{"predicate": {p}, "role": "gate"}}}}"#
    ))
    .unwrap();
    assert!(grade_value(&g, &Value::Null).configuration_error);
    assert!(parse(&"[".repeat(100_000)).is_err());
}
