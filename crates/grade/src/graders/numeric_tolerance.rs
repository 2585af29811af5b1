//! `numeric_tolerance`: every ground-truth field within an absolute,
//! relative, min or max tolerance. Partial score = fraction of fields passing.

use super::common::{
    coerce_numeric, field_passed, fraction_passing, get_nested, key, metric, push_failures,
    validate_ground_truth,
};
use crate::py::{self, contains_str, dict_get, is_finite_number, Num, PyResult};
use crate::result::{answer_failure, configuration_error_result, GraderResult};
use crate::value::{Map, Value};

const NAME: &str = "Numeric Tolerance Check";

fn validate_entry(entry: &Value, location: &str) -> Option<String> {
    let Some(e) = entry.as_object() else {
        return Some(crate::sfmt!("{location} must be an object"));
    };
    let absolute = Value::str("absolute");
    let ttype = e.get("type").unwrap_or(&absolute);
    let t = match ttype.as_str() {
        Some(t @ ("absolute" | "relative" | "min" | "max")) => t,
        _ => {
            return Some(crate::sfmt!(
                "{location}.type must be one of absolute/relative/min/max, got {}",
                py::py_repr(ttype)
            ))
        }
    };
    let (has_value, has_lower, has_upper) = (
        e.contains_key("value"),
        e.contains_key("lower"),
        e.contains_key("upper"),
    );
    if t == "absolute" {
        if has_lower != has_upper {
            return Some(crate::sfmt!(
                "{location} must configure both lower and upper together"
            ));
        }
        if has_lower {
            for key in ["lower", "upper"] {
                let v = &e[key];
                if !is_finite_number(v) || v.as_f64().unwrap_or(-1.0) < 0.0 {
                    return Some(crate::sfmt!(
                        "{location}.{key} must be a finite non-negative number"
                    ));
                }
            }
            return None;
        }
        if !has_value {
            return None;
        }
    } else if has_lower || has_upper {
        return Some(crate::sfmt!(
            "{location}.lower/upper are only valid for absolute tolerance"
        ));
    }
    if !has_value {
        return Some(crate::sfmt!(
            "{location}.value is required for {t} tolerance"
        ));
    }
    let v = &e["value"];
    if !is_finite_number(v) {
        return Some(crate::sfmt!("{location}.value must be a finite number"));
    }
    if (t == "absolute" || t == "relative") && v.as_f64().unwrap_or(0.0) < 0.0 {
        return Some(crate::sfmt!(
            "{location}.value must be a finite non-negative number"
        ));
    }
    None
}

fn validate_tolerances(tol: &Value) -> Option<String> {
    let Some(m) = tol.as_object() else {
        return Some("tolerances must be an object".into());
    };
    if m.is_empty() {
        return None;
    }
    if m.contains_key("type") {
        return validate_entry(tol, "tolerances");
    }
    for (field, entry) in m {
        if py::strip(field).is_empty() {
            return Some("tolerance field names must be non-empty strings".into());
        }
        if let Some(e) = validate_entry(entry, &crate::sfmt!("tolerances[{}]", py::repr_str(field)))
        {
            return Some(e);
        }
    }
    None
}

/// Outcome of one field's tolerance check (`within`, `error`) or a TypeError.
fn check(
    ttype: &Value,
    has_asym: bool,
    actual: &Value,
    expected: &Value,
    value: &Value,
    lower: &Value,
    upper: &Value,
) -> PyResult<(bool, Value)> {
    let t = ttype.as_str().unwrap_or("");
    Ok(match t {
        "absolute" if has_asym => {
            let lo = py::sub(expected, lower)?.to_value();
            // Chained comparison: the upper bound is only computed when the lower one holds.
            let within = py::le(&lo, actual)? && {
                let hi = py::add(expected, upper)?.to_value();
                py::le(actual, &hi)?
            };
            (within, py::sub(actual, expected)?.to_value())
        }
        "absolute" => {
            let err = py::abs(py::sub(actual, expected)?).to_value();
            (py::le(&err, value)?, err)
        }
        "relative" => {
            let e = py::num(expected).unwrap_or(Num::F(0.0));
            let rel = if !e.is_zero() {
                Value::Float(py::abs(py::sub(actual, expected)?).f() / py::abs(e).f())
            } else {
                Value::Float(f64::INFINITY)
            };
            (py::le(&rel, value)?, rel)
        }
        "min" => {
            let within = py::ge(actual, value)?;
            let err = if py::lt(actual, value)? {
                py::sub(value, actual)?.to_value()
            } else {
                Value::Int(0)
            };
            (within, err)
        }
        "max" => {
            let within = py::le(actual, value)?;
            let err = if py::gt(actual, value)? {
                py::sub(actual, value)?.to_value()
            } else {
                Value::Int(0)
            };
            (within, err)
        }
        _ => (false, Value::Float(f64::INFINITY)),
    })
}

fn put(metrics: &mut Map, field: &str, actual: Value, expected: &Value, error: Value, pass: bool) {
    metrics.insert(key(field, "_actual"), actual);
    metrics.insert(key(field, "_expected"), expected.clone());
    metrics.insert(key(field, "_error"), error);
    metrics.insert(key(field, "_pass"), Value::Bool(pass));
}

pub fn grade(answer: &Value, config: &Value, _depth: usize) -> PyResult<GraderResult> {
    let Some(cfg) = config.as_object() else {
        return Ok(configuration_error_result(NAME, "config must be an object"));
    };
    let empty = Value::Object(Map::default());
    let gt = cfg.get("ground_truth").unwrap_or(&empty);
    let tolerances = cfg
        .get("tolerances")
        .or_else(|| cfg.get("tolerance"))
        .unwrap_or(&empty);
    if let Some(e) = validate_ground_truth(gt).or_else(|| validate_tolerances(tolerances)) {
        return Ok(configuration_error_result(NAME, &e));
    }
    let Some(ans) = answer.as_object() else {
        return Ok(answer_failure(NAME, "agent answer must be an object"));
    };
    let (Some(gt), Some(tols)) = (gt.as_object(), tolerances.as_object()) else {
        return Ok(configuration_error_result(
            NAME,
            "ground_truth must be a non-empty object",
        ));
    };

    let mut metrics = Map::with_capacity_and_hasher(4 * gt.len(), Default::default());
    let mut all_pass = true;
    let mut failures: Vec<String> = Vec::new();
    let default_tol = Value::Object(crate::obj! {"type" => "absolute", "value" => 0i64});
    let absolute = Value::str("absolute");
    let zero = Value::Int(0);
    let inf = Value::Float(f64::INFINITY);

    for (field, expected) in gt {
        let Some(raw) = get_nested(ans, field) else {
            all_pass = false;
            failures.push(crate::sfmt!("Missing field: {field}"));
            continue;
        };
        let actual = match coerce_numeric(field, raw) {
            Ok(a) => a,
            Err(msg) => {
                all_pass = false;
                failures.push(msg);
                continue;
            }
        };
        if actual.is_null() {
            all_pass = false;
            failures.push(crate::sfmt!("{field}: got null/None value"));
            put(
                &mut metrics,
                field,
                Value::Null,
                expected,
                inf.clone(),
                false,
            );
            continue;
        }
        if !is_finite_number(&actual) {
            all_pass = false;
            failures.push(crate::sfmt!("{field}: expected a finite numeric value"));
            put(&mut metrics, field, actual, expected, inf.clone(), false);
            continue;
        }

        let mut tol_cfg = tols.get(field.as_str()).unwrap_or(&default_tol);
        if tols.contains_key("type")
            && !contains_str(tols.get(field.as_str()).unwrap_or(&empty), "value")?
        {
            tol_cfg = tolerances;
        }
        let ttype = dict_get(tol_cfg, "type", &absolute)?;
        let has_asym = contains_str(tol_cfg, "lower")? && contains_str(tol_cfg, "upper")?;
        let value = dict_get(tol_cfg, "value", &zero)?;
        let lower = dict_get(tol_cfg, "lower", value)?;
        let upper = dict_get(tol_cfg, "upper", value)?;

        match check(ttype, has_asym, &actual, expected, value, lower, upper) {
            Err(_) => {
                all_pass = false;
                failures.push(crate::sfmt!(
                    "{field}: invalid type {}, expected numeric",
                    actual.type_name()
                ));
                put(&mut metrics, field, actual, expected, inf.clone(), false);
            }
            Ok((within, error)) => {
                if !within {
                    all_pass = false;
                    let a = py::py_str(&actual);
                    failures.push(match ttype.as_str() {
                        Some("min") => {
                            crate::sfmt!("{field}: {a} (minimum required: {})", py::py_str(value))
                        }
                        Some("max") => {
                            crate::sfmt!("{field}: {a} (maximum allowed: {})", py::py_str(value))
                        }
                        _ if has_asym => crate::sfmt!(
                            "{field}: {a} vs {} (allowed: -{}/+{})",
                            py::py_str(expected),
                            py::py_str(lower),
                            py::py_str(upper)
                        ),
                        _ => crate::sfmt!(
                            "{field}: {a} vs {} (error: {}, tolerance: {})",
                            py::py_str(expected),
                            py::fmt_fixed(&error, 2),
                            py::py_str(value)
                        ),
                    });
                }
                put(&mut metrics, field, actual, expected, error, within);
            }
        }
    }

    let reasoning = format_reasoning(gt, tols, &metrics, &failures, all_pass)?;
    let (score, field_scores) = fraction_passing(gt, &metrics);
    // Non-finite floats are replaced by null so the metrics stay strict JSON.
    for v in metrics.values_mut() {
        if matches!(v, Value::Float(f) if !f.is_finite()) {
            *v = Value::Null;
        }
    }
    Ok(
        GraderResult::new_lines(all_pass, score, metrics, reasoning)
            .with_field_scores(field_scores),
    )
}

fn format_reasoning(
    gt: &Map,
    tols: &Map,
    metrics: &Map,
    failures: &[String],
    passed: bool,
) -> PyResult<Vec<String>> {
    let mut lines = vec![
        crate::sfmt!("{NAME}: {}", if passed { "PASS" } else { "FAIL" }),
        String::new(),
    ];
    let empty = Value::Object(Map::default());
    let absolute = Value::str("absolute");
    for field in gt.keys() {
        let Some(actual) = metric(metrics, field, "_actual") else {
            continue;
        };
        // `put` writes the four metrics of a field together.
        let expected = metric(metrics, field, "_expected").unwrap_or(&Value::Null);
        let error = metric(metrics, field, "_error").unwrap_or(&Value::Null);
        let check = if field_passed(metrics, field) {
            "+"
        } else {
            "x"
        };
        let tc = tols.get(field.as_str()).unwrap_or(&empty);
        let ttype = dict_get(tc, "type", &absolute)?;
        let has_asym = contains_str(tc, "lower")? && contains_str(tc, "upper")?;
        let (a, e) = (py::py_str(actual), py::py_str(expected));
        lines.push(match ttype.as_str() {
            Some("min") => crate::sfmt!(
                "  {check} {field}: {a} (minimum: {})",
                py::py_str(dict_get(tc, "value", expected)?)
            ),
            Some("max") => crate::sfmt!(
                "  {check} {field}: {a} (maximum: {})",
                py::py_str(dict_get(tc, "value", expected)?)
            ),
            _ if has_asym => crate::sfmt!(
                "  {check} {field}: {a} vs {e} (allowed: -{}/+{})",
                py::py_str(tc.get("lower").unwrap_or(&Value::Null)),
                py::py_str(tc.get("upper").unwrap_or(&Value::Null))
            ),
            _ => crate::sfmt!(
                "  {check} {field}: {a} vs {e} (error: {})",
                py::fmt_fixed(error, 4)
            ),
        });
    }
    if !passed {
        push_failures(&mut lines, failures);
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grade_case;

    #[test]
    fn absolute_relative_min_max() {
        let cfg = r#"{"ground_truth": {"a": 10, "b": 10, "c": 5, "d": 5},
            "tolerances": {"a": {"type": "absolute", "value": 1}, "b": {"type": "relative", "value": 0.1},
                           "c": {"type": "min", "value": 4}, "d": {"type": "max", "value": 6}}}"#;
        let r = grade_case(
            "numeric_tolerance",
            cfg,
            r#"{"a": "10.5", "b": 11, "c": 4, "d": 7}"#,
        );
        assert!(!r.passed);
        assert_eq!(r.score, 0.75);
        assert!(matches!(r.metrics["d_error"], Value::Int(1)));
        assert!(matches!(r.metrics["c_error"], Value::Int(0)));
        assert!(matches!(r.metrics["a_actual"], Value::Float(f) if f == 10.5));
    }

    #[test]
    fn zero_truth_relative_error_is_null() {
        let r = grade_case(
            "numeric_tolerance",
            r#"{"ground_truth": {"x": 0}, "tolerances": {"type": "relative", "value": 0.1}}"#,
            r#"{"x": 0}"#,
        );
        assert!(!r.passed);
        assert!(r.metrics["x_error"].is_null());
    }

    #[test]
    fn single_tolerance_object_with_field_named_value_crashes_like_the_reference() {
        let r = grade_case(
            "numeric_tolerance",
            r#"{"ground_truth": {"value": 1}, "tolerances": {"type": "absolute", "value": 1}}"#,
            r#"{"value": 1}"#,
        );
        assert!(r.metrics.contains_key("grader_error"));
        assert!(!r.passed && !r.configuration_error);
    }

    #[test]
    fn config_errors() {
        let r = grade_case("numeric_tolerance", r#"{"ground_truth": {"x": NaN}}"#, "{}");
        assert!(r.configuration_error);
        let r = grade_case(
            "numeric_tolerance",
            r#"{"ground_truth": {"x": 1}, "tolerances": {"x": {"type": "relative"}}}"#,
            "{}",
        );
        assert!(r.configuration_error);
    }

    #[test]
    fn nested_fields_and_asymmetric() {
        let cfg = r#"{"ground_truth": {"a.b": 10},
            "tolerances": {"type": "absolute", "value": 1, "a.b": {"lower": 1, "upper": "x", "value": 0}}}"#;
        // Below the lower bound: the upper bound (a string) is never evaluated.
        let r = grade_case("numeric_tolerance", cfg, r#"{"a": {"b": 8}}"#);
        assert!(!r.passed);
        assert!(matches!(r.metrics["a.b_error"], Value::Int(-2)));
    }
}
