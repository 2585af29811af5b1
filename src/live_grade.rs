//! Grading in the page with the reference-compatible engine (sbx-grade):
//! the eval's grader and the run's answer are both re-read with
//! Python-compatible JSON rules, exactly as `sbx regrade` does. Plain Rust
//! (the Run, Regrade and Task pages call it), tested natively.

use sbx_grade::{GraderResult, Value};
use sbx_suite::{Eval, Run};

/// The verdict of one live grading.
#[derive(Clone, Debug, PartialEq)]
pub struct LiveVerdict {
    pub passed: bool,
    pub score: f64,
    /// Reasoning of each grader, in order.
    pub reasoning: Vec<String>,
    /// Why the answer or grader could not be used, if so.
    pub note: Option<String>,
}

/// The grader part of an eval as JSON text: `{"grader": …}` or `{"graders": …}`.
pub fn grader_json(eval: &Eval) -> Option<serde_json::Value> {
    if let Some(g) = &eval.graders {
        return Some(g.clone());
    }
    eval.grader.clone()
}

/// The eval as the grading engine reads it, with `grader_value` (JSON text
/// of `grader` or `graders`) in place of the original grader.
pub fn eval_value(eval: &Eval, grader_text: &str) -> Result<Value, String> {
    let grader = sbx_grade::parse(grader_text).map_err(|e| format!("grader JSON: {e}"))?;
    let key = if matches!(grader, Value::Array(_)) {
        "graders"
    } else {
        "grader"
    };
    if !matches!(grader, Value::Array(_) | Value::Object(_)) {
        return Err(
            "grader JSON must be an object {\"type\", \"config\"} or a list of them".into(),
        );
    }
    let mut m = sbx_grade::Map::default();
    m.insert("id".into(), Value::Str(eval.id.clone()));
    m.insert("task".into(), Value::Str(eval.task.clone()));
    m.insert(key.into(), grader);
    Ok(Value::Object(m))
}

/// The original grader of an eval as pretty JSON text.
pub fn original_grader_text(eval: &Eval) -> Option<String> {
    grader_json(eval).and_then(|g| serde_json::to_string_pretty(&g).ok())
}

fn verdict_of(results: &[GraderResult], note: Option<String>) -> LiveVerdict {
    let passed = sbx_grade::eval_passed(results);
    let score = if results.len() == 1 {
        results[0].score
    } else {
        sbx_grade::eval_score(results)
    };
    LiveVerdict {
        passed,
        score,
        reasoning: results.iter().map(GraderResult::reasoning_text).collect(),
        note,
    }
}

/// Grades a parsed answer (`None`: no answer, graded as failing).
pub fn grade_answer(eval: &Value, answer: Option<&Value>) -> LiveVerdict {
    match answer {
        Some(a) => verdict_of(&sbx_grade::grade_eval(eval, a), None),
        None => verdict_of(
            &[],
            Some("no answer could be read; graded as failing".into()),
        ),
    }
}

/// Grades a run's `eval_answer.json` text as `sbx regrade` does.
pub fn grade_run(eval: &Value, run: &Run) -> LiveVerdict {
    match run.answer_text.as_deref() {
        None => verdict_of(
            &[],
            Some("the run has no eval_answer.json; graded as failing".into()),
        ),
        Some(text) => match sbx_grade::extract_answer_from_file(text) {
            Some(a) => verdict_of(&sbx_grade::grade_eval(eval, &a), None),
            None => verdict_of(
                &[],
                Some("eval_answer.json is not valid JSON or is null; graded as failing".into()),
            ),
        },
    }
}

/// A pasted answer: text with `<EVAL_ANSWER>` tags, or raw JSON.
pub fn parse_pasted_answer(text: &str) -> Result<Value, String> {
    if text.contains("<EVAL_ANSWER>") {
        return sbx_grade::extract_answer_from_text(text).ok_or_else(|| {
            "found <EVAL_ANSWER> but no closing tag with valid, non-null JSON inside".to_string()
        });
    }
    if text.trim().is_empty() {
        return Err(
            "paste an answer: a JSON object, or text with <EVAL_ANSWER>{…}</EVAL_ANSWER>".into(),
        );
    }
    sbx_grade::parse(text.trim()).map_err(|e| format!("answer is not valid JSON: {e}"))
}

/// A numeric setting of a grader config that can be edited with a form control.
#[derive(Clone, Debug, PartialEq)]
pub struct NumericSetting {
    /// Keys and indices from the grader JSON root.
    pub path: Vec<PathPart>,
    pub label: String,
    pub value: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub enum PathPart {
    Key(String),
    Index(usize),
}

const SETTING_WORDS: &[&str] = &[
    "toleran",
    "threshold",
    "cutoff",
    "min",
    "max",
    "margin",
    "_at_k",
    "auroc",
    "fraction",
];

/// Numeric leaves of a grader JSON that are tolerances or thresholds (the
/// path names a tolerance, threshold, cutoff, minimum or maximum).
pub fn numeric_settings(grader: &serde_json::Value) -> Vec<NumericSetting> {
    fn walk(v: &serde_json::Value, path: &mut Vec<PathPart>, out: &mut Vec<NumericSetting>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, x) in m {
                    path.push(PathPart::Key(k.clone()));
                    walk(x, path, out);
                    path.pop();
                }
            }
            serde_json::Value::Array(a) => {
                for (i, x) in a.iter().enumerate() {
                    path.push(PathPart::Index(i));
                    walk(x, path, out);
                    path.pop();
                }
            }
            serde_json::Value::Number(n) => {
                let label = label_of(path);
                let lower = label.to_lowercase();
                if SETTING_WORDS.iter().any(|w| lower.contains(w)) {
                    if let Some(f) = n.as_f64() {
                        out.push(NumericSetting {
                            path: path.clone(),
                            label,
                            value: f,
                        });
                    }
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(grader, &mut Vec::new(), &mut out);
    out
}

fn label_of(path: &[PathPart]) -> String {
    let mut s = String::new();
    for p in path {
        match p {
            PathPart::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            PathPart::Index(i) => s.push_str(&format!("[{i}]")),
        }
    }
    s
}

/// Sets a numeric leaf; integers stay integers when the new value is whole
/// and the old one was an integer.
pub fn set_numeric(
    grader: &mut serde_json::Value,
    path: &[PathPart],
    value: f64,
) -> Result<(), String> {
    let mut cur = grader;
    for p in path {
        cur = match (p, cur) {
            (PathPart::Key(k), serde_json::Value::Object(m)) => m
                .get_mut(k)
                .ok_or_else(|| format!("no key {k:?} in the grader config"))?,
            (PathPart::Index(i), serde_json::Value::Array(a)) => a
                .get_mut(*i)
                .ok_or_else(|| format!("no item {i} in the grader config"))?,
            _ => {
                return Err(format!(
                    "the grader config no longer has {}",
                    label_of(path)
                ))
            }
        };
    }
    let was_int = cur.as_i64().is_some() || cur.as_u64().is_some();
    *cur = if was_int && value.fract() == 0.0 && value.abs() < 9.0e15 {
        serde_json::Value::from(value as i64)
    } else {
        serde_json::Number::from_f64(value)
            .map(serde_json::Value::Number)
            .ok_or("not a finite number")?
    };
    Ok(())
}

/// A grading-engine value held in a memo: never equal to another, so every
/// recomputation propagates (the engine's `Value` has no `PartialEq`).
#[derive(Clone, Debug)]
pub struct Held<T>(pub T);

impl<T> PartialEq for Held<T> {
    fn eq(&self, _: &Self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pasted_answers_with_tags_raw_json_or_nothing() {
        let v = parse_pasted_answer("done <EVAL_ANSWER>{\"n\": 3}</EVAL_ANSWER>").unwrap();
        assert!(matches!(v.get("n"), Some(Value::Int(3))), "{v:?}");
        assert!(parse_pasted_answer("<EVAL_ANSWER>{\"n\": ")
            .unwrap_err()
            .contains("closing tag"));
        assert!(parse_pasted_answer("  ")
            .unwrap_err()
            .contains("paste an answer"));
        assert!(parse_pasted_answer("{nope")
            .unwrap_err()
            .contains("not valid JSON"));
        // Python's JSON rules: NaN is a value, not an error.
        assert!(parse_pasted_answer("{\"x\": NaN}").is_ok());
    }

    #[test]
    fn numeric_settings_are_the_tolerances_and_thresholds_and_can_be_set() {
        let mut g = json!({"type": "numeric_tolerance", "config": {
            "ground_truth": {"n": 10},
            "tolerances": {"n": {"type": "absolute", "value": 2}},
            "min_fraction": 0.5,
            "steps": [{"threshold": 3}]
        }});
        let s = numeric_settings(&g);
        let labels: Vec<&str> = s.iter().map(|x| x.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "config.tolerances.n.value",
                "config.min_fraction",
                "config.steps[0].threshold"
            ],
            "in the config's own key order"
        );
        set_numeric(&mut g, &s[0].path, 4.0).unwrap();
        assert_eq!(
            g["config"]["tolerances"]["n"]["value"],
            json!(4),
            "an integer stays an integer"
        );
        set_numeric(&mut g, &s[1].path, 0.25).unwrap();
        assert_eq!(g["config"]["min_fraction"], json!(0.25));
        assert!(
            set_numeric(&mut g, &s[2].path, f64::NAN).is_err(),
            "NaN is refused"
        );
        let gone = [PathPart::Key("nope".into())];
        assert!(set_numeric(&mut g, &gone, 1.0).is_err());
    }

    #[test]
    fn an_answer_is_graded_and_a_missing_one_is_a_failing_note() {
        let eval = sbx_grade::parse(r#"{"grader": {"type": "numeric_tolerance", "config": {"ground_truth": {"n": 10}, "tolerances": {"n": {"type": "absolute", "value": 1}}}}}"#).unwrap();
        let ok = grade_answer(&eval, Some(&sbx_grade::parse(r#"{"n": 10.5}"#).unwrap()));
        assert!(ok.passed, "{ok:?}");
        let far = grade_answer(&eval, Some(&sbx_grade::parse(r#"{"n": 13}"#).unwrap()));
        assert!(!far.passed, "{far:?}");
        let none = grade_answer(&eval, None);
        assert!(!none.passed && none.note.is_some(), "{none:?}");
    }
}
