//! Helpers shared by several graders.

use crate::py::{self, is_finite_number};
use crate::result::{configuration_error_result, GraderResult};
use crate::value::{Map, Value};

/// `get_nested_value`: a plain key, or dotted keys walked through objects.
pub fn get_nested<'a>(obj: &'a Map, key: &str) -> Option<&'a Value> {
    if !key.contains('.') {
        return obj.get(key);
    }
    let mut cur: Option<&Value> = None;
    let mut map = obj;
    for part in key.split('.') {
        if let Some(Value::Object(m)) = cur {
            map = m;
        } else if cur.is_some() {
            return None;
        }
        cur = Some(map.get(part)?);
    }
    cur
}

/// Ground truth must be a non-empty object of finite numbers.
pub fn validate_ground_truth(gt: &Value) -> Option<String> {
    let m = match gt.as_object() {
        Some(m) if !m.is_empty() => m,
        _ => return Some("ground_truth must be a non-empty object".into()),
    };
    for (field, expected) in m {
        if py::strip(field).is_empty() {
            return Some("ground_truth field names must be non-empty strings".into());
        }
        if !is_finite_number(expected) {
            return Some(crate::sfmt!(
                "ground_truth[{}] must be a finite number",
                py::repr_str(field)
            ));
        }
    }
    None
}

/// The optional exact-length contract of a list answer.
pub struct Cardinality {
    pub expected_count: Option<i64>,
    /// The configured count as written (keeps integers beyond i64), null when unset.
    pub expected_value: Value,
    pub submitted_count: usize,
    pub unique_count: usize,
    pub passed: bool,
    pub configuration_error: Option<String>,
}

impl Cardinality {
    /// The reasoning line of a configured exact count; `None` without one.
    pub fn reasoning_line(&self) -> Option<String> {
        let n = self.expected_count?;
        Some(crate::sfmt!(
            "  {} Exact unique count: submitted={}, unique={}, expected={n}",
            if self.passed { "+" } else { "x" },
            self.submitted_count,
            self.unique_count
        ))
    }
}

pub fn check_cardinality(items: &[String], expected: Option<&Value>) -> Cardinality {
    let submitted_count = items.len();
    let unique_count = {
        let mut v: Vec<&String> = items.iter().collect();
        v.sort();
        v.dedup();
        v.len()
    };
    let expected = match expected {
        None | Some(Value::Null) => {
            return Cardinality {
                expected_count: None,
                expected_value: Value::Null,
                submitted_count,
                unique_count,
                passed: true,
                configuration_error: None,
            }
        }
        Some(v) => v,
    };
    let n = match expected {
        Value::Int(i) if *i >= 0 => *i,
        Value::BigInt(s) if !s.starts_with('-') => i64::MAX,
        other => {
            return Cardinality {
                expected_count: None,
                expected_value: Value::Null,
                submitted_count,
                unique_count,
                passed: false,
                configuration_error: Some(crate::sfmt!(
                    "expected_count must be a non-negative integer, got {}",
                    py::py_repr(other)
                )),
            }
        }
    };
    Cardinality {
        expected_count: Some(n),
        expected_value: expected.clone(),
        submitted_count,
        unique_count,
        passed: submitted_count as i64 == n && unique_count as i64 == n,
        configuration_error: None,
    }
}

/// `not isinstance(x, str) or x.strip() == ""`.
pub fn is_blank_or_not_str(v: &Value) -> bool {
    match v {
        Value::Str(s) => py::strip(s).is_empty(),
        _ => true,
    }
}

/// `f"{field}{suffix}"` without the formatting machinery (metric keys are
/// built for every field of every case).
pub fn key(field: &str, suffix: &str) -> String {
    let mut k = String::with_capacity(field.len() + suffix.len());
    k.push_str(field);
    k.push_str(suffix);
    k
}

/// The "Failures:" block closing a reasoning: a blank line, the heading and one
/// `  - ` line per failure; nothing when there are no failures.
pub fn push_failures(lines: &mut Vec<String>, failures: &[String]) {
    if failures.is_empty() {
        return;
    }
    lines.push(String::new());
    lines.push("Failures:".into());
    lines.extend(failures.iter().map(|f| crate::sfmt!("  - {f}")));
}

/// The one-line `Failure: a; b` summary closing a reasoning, after a blank line.
pub fn push_failure_summary(lines: &mut Vec<String>, reasons: &[String]) {
    lines.push(String::new());
    lines.push(crate::sfmt!("Failure: {}", reasons.join("; ")));
}

/// How the numeric graders read an answer field: a string is parsed as a float
/// (`Err` holds the failure line when it is not a number), a bool counts as 0 or 1.
pub fn coerce_numeric(field: &str, raw: &Value) -> Result<Value, String> {
    match raw {
        Value::Str(s) => match py::parse_float(s) {
            Some(f) => Ok(Value::Float(f)),
            None => Err(crate::sfmt!("{field}: cannot parse '{s}' as number")),
        },
        Value::Bool(b) => Ok(Value::Int(*b as i64)),
        other => Ok(other.clone()),
    }
}

/// The metric `<field><suffix>`, looked up without allocating the key when it
/// is short (the usual case: reasoning reads several metrics per field).
pub fn metric<'a>(metrics: &'a Map, field: &str, suffix: &str) -> Option<&'a Value> {
    let n = field.len() + suffix.len();
    let mut buf = [0u8; 128];
    if n > buf.len() {
        return metrics.get(&key(field, suffix));
    }
    buf[..field.len()].copy_from_slice(field.as_bytes());
    buf[field.len()..n].copy_from_slice(suffix.as_bytes());
    // Two strings joined are a string.
    std::str::from_utf8(&buf[..n])
        .ok()
        .and_then(|k| metrics.get(k))
}

/// Whether the per-field metric `<field>_pass` is true.
pub fn field_passed(metrics: &Map, field: &str) -> bool {
    metric(metrics, field, "_pass").is_some_and(py::truthy)
}

/// Partial credit of the per-field numeric graders: the fraction of
/// ground-truth fields that pass (0 without fields), and each field's 1 or 0.
pub fn fraction_passing(gt: &Map, metrics: &Map) -> (f64, Map) {
    let mut field_scores = Map::default();
    let mut passed = 0usize;
    for f in gt.keys() {
        let p = field_passed(metrics, f);
        passed += p as usize;
        field_scores.insert(f.clone(), Value::Float(if p { 1.0 } else { 0.0 }));
    }
    let score = if gt.is_empty() {
        0.0
    } else {
        passed as f64 / gt.len() as f64
    };
    (score, field_scores)
}

/// A copy of `config.scoring.pass_thresholds` of the threshold graders (an
/// absent part counts as empty), or the configuration error naming the part
/// that is not an object.
pub fn pass_thresholds(grader_name: &str, config: &Value) -> Result<Map, Box<GraderResult>> {
    let fail = |reason: &str| Box::new(configuration_error_result(grader_name, reason));
    let Some(cfg) = config.as_object() else {
        return Err(fail("config must be an object"));
    };
    let empty = Value::Object(Map::default());
    let Some(scoring) = cfg.get("scoring").unwrap_or(&empty).as_object() else {
        return Err(fail("scoring must be an object"));
    };
    let Some(th) = scoring.get("pass_thresholds").unwrap_or(&empty).as_object() else {
        return Err(fail("scoring.pass_thresholds must be an object"));
    };
    Ok(th.clone())
}

/// A titled list in a reasoning: a blank line, `Title (count):`, then one
/// `  <sym> item` line per item, or `  None`.
pub fn push_item_list(lines: &mut Vec<String>, title: &str, items: &[String], sym: &str) {
    lines.push(String::new());
    lines.push(crate::sfmt!("{title} ({}):", items.len()));
    if items.is_empty() {
        lines.push("  None".into());
    }
    lines.extend(items.iter().map(|l| crate::sfmt!("  {sym} {l}")));
}
