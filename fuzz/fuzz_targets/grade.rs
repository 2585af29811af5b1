//! Answer extraction + grading on arbitrary bytes: must never panic.
//!
//! Input layout: byte 0 picks the grader type; the rest is split at the first
//! NUL into a config text and an answer text. Each text is read as JSON when
//! it parses (else used as a JSON string), then graded; the answer text also
//! goes through every extraction path, and the config through the linter.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sbx_grade::graders::REGISTRY;
use sbx_grade::{
    extract_answer_from_conversation, extract_answer_from_file, extract_answer_from_text,
    grade_value, Value,
};

fn value_of(text: &str) -> Value {
    sbx_grade::parse(text).unwrap_or_else(|_| Value::Str(text.to_string()))
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(rest);
    let (config_text, answer_text) = text.split_once('\0').unwrap_or((&text, ""));
    let (grader_type, _) = REGISTRY[pick as usize % REGISTRY.len()];
    let config = value_of(config_text);
    let mut spec = sbx_grade::Map::default();
    spec.insert("type".into(), Value::str(grader_type));
    spec.insert("config".into(), config.clone());
    let spec = Value::Object(spec);

    let answers = [
        value_of(answer_text),
        extract_answer_from_text(answer_text).unwrap_or(Value::Null),
        extract_answer_from_file(answer_text).unwrap_or(Value::Null),
        extract_answer_from_conversation(&value_of(answer_text)).unwrap_or(Value::Null),
    ];
    for answer in &answers {
        let r = grade_value(&spec, answer);
        assert_eq!(
            r.configuration_error,
            r.metrics.contains_key("configuration_error")
        );
        let _ = sbx_grade::to_python_json(&r.to_value());
    }
    let mut eval = sbx_grade::Map::default();
    eval.insert("id".into(), Value::str("fuzz"));
    eval.insert("task".into(), Value::str(answer_text));
    eval.insert("grader".into(), spec);
    let _ = sbx_grade::lint_eval("fuzz.json", &Value::Object(eval));
});
