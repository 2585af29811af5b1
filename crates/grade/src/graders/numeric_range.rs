//! `numeric_range`: every ground-truth field strictly inside its configured
//! open interval `(min, max)`. Partial score = fraction of fields passing.

use super::common::{
    coerce_numeric, field_passed, fraction_passing, get_nested, key, push_failures,
    validate_ground_truth,
};
use crate::py::{self, is_finite_number, is_number, PyResult};
use crate::result::{answer_failure, configuration_error_result, GraderResult};
use crate::value::{Map, Value};

const NAME: &str = "Numeric Range Check";

fn validate_ranges(gt: &Map, ranges: &Value) -> Option<String> {
    let r = match ranges.as_object() {
        Some(r) if !r.is_empty() => r,
        _ => return Some("ranges must be a non-empty object".into()),
    };
    for (field, expected) in gt {
        let f = py::repr_str(field);
        let Some(rc) = r.get(field.as_str()) else {
            return Some(crate::sfmt!(
                "ranges is missing the configured ground-truth field {f}"
            ));
        };
        let Some(rc) = rc.as_object() else {
            return Some(crate::sfmt!("ranges[{f}] must be an object"));
        };
        let (min, max) = (
            rc.get("min").unwrap_or(&Value::Null),
            rc.get("max").unwrap_or(&Value::Null),
        );
        if !is_finite_number(min) {
            return Some(crate::sfmt!("ranges[{f}].min must be a finite number"));
        }
        if !is_finite_number(max) {
            return Some(crate::sfmt!("ranges[{f}].max must be a finite number"));
        }
        let (lo, hi, e) = (
            min.as_f64().unwrap_or(0.0),
            max.as_f64().unwrap_or(0.0),
            expected.as_f64().unwrap_or(0.0),
        );
        if lo >= hi {
            return Some(crate::sfmt!("ranges[{f}] must define min < max"));
        }
        if !(lo < e && e < hi) {
            return Some(crate::sfmt!(
                "ground_truth[{f}] must lie inside its configured open interval"
            ));
        }
    }
    None
}

pub fn grade(answer: &Value, config: &Value, _depth: usize) -> PyResult<GraderResult> {
    let Some(cfg) = config.as_object() else {
        return Ok(configuration_error_result(NAME, "config must be an object"));
    };
    let empty = Value::Object(Map::default());
    let gt_v = cfg.get("ground_truth").unwrap_or(&empty);
    let ranges_v = cfg.get("ranges").unwrap_or(&empty);
    let err = validate_ground_truth(gt_v).or_else(|| validate_ranges(gt_v.as_object()?, ranges_v));
    if let Some(e) = err {
        return Ok(configuration_error_result(NAME, &e));
    }
    let Some(ans) = answer.as_object() else {
        return Ok(answer_failure(NAME, "agent answer must be an object"));
    };
    let (Some(gt), Some(ranges)) = (gt_v.as_object(), ranges_v.as_object()) else {
        return Ok(configuration_error_result(
            NAME,
            "ranges must be a non-empty object",
        ));
    };

    let mut metrics = Map::with_capacity_and_hasher(8 * ranges.len(), Default::default());
    let mut all_pass = true;
    let mut failures: Vec<String> = Vec::new();
    for (field, expected) in gt {
        let rc = ranges.get(field.as_str());
        let min = rc
            .and_then(|r| r.get("min"))
            .cloned()
            .unwrap_or(Value::Null);
        let max = rc
            .and_then(|r| r.get("max"))
            .cloned()
            .unwrap_or(Value::Null);
        metrics.insert(key(field, "_expected"), expected.clone());
        metrics.insert(key(field, "_min"), min.clone());
        metrics.insert(key(field, "_max"), max.clone());
        let mut fail_with = |metrics: &mut Map, msg: String, actual: Value| {
            all_pass = false;
            failures.push(msg);
            metrics.insert(key(field, "_actual"), actual);
            metrics.insert(key(field, "_pass"), Value::Bool(false));
        };
        // Validation above guarantees a well-formed interval around the truth.
        if !is_number(&min) || !is_number(&max) || !is_number(expected) {
            fail_with(
                &mut metrics,
                crate::sfmt!("{field}: invalid range config"),
                Value::Null,
            );
            continue;
        }
        let Some(raw) = get_nested(ans, field) else {
            fail_with(
                &mut metrics,
                crate::sfmt!("Missing field: {field}"),
                Value::Null,
            );
            continue;
        };
        let actual = match coerce_numeric(field, raw) {
            Ok(a) => a,
            Err(msg) => {
                fail_with(&mut metrics, msg, raw.clone());
                continue;
            }
        };
        if actual.is_null() {
            fail_with(
                &mut metrics,
                crate::sfmt!("{field}: got null/None value"),
                Value::Null,
            );
            continue;
        }
        let within =
            py::lt(&min, &actual).and_then(|ok| if ok { py::lt(&actual, &max) } else { Ok(false) });
        match within {
            Err(_) => {
                let msg = crate::sfmt!(
                    "{field}: invalid type {}, expected numeric",
                    actual.type_name()
                );
                fail_with(&mut metrics, msg, actual);
            }
            Ok(within) => {
                if !within {
                    all_pass = false;
                    failures.push(crate::sfmt!(
                        "{field}: {} not in open interval ({}, {})",
                        py::py_str(&actual),
                        py::py_str(&min),
                        py::py_str(&max)
                    ));
                }
                metrics.insert(key(field, "_actual"), actual);
                metrics.insert(key(field, "_pass"), Value::Bool(within));
            }
        }
    }

    let mut lines = vec![
        crate::sfmt!("{NAME}: {}", if all_pass { "PASS" } else { "FAIL" }),
        String::new(),
    ];
    for field in gt.keys() {
        let get = |k: &str| {
            metrics
                .get(&crate::sfmt!("{field}_{k}"))
                .map(py::py_str)
                .unwrap_or_else(|| "None".into())
        };
        let check = if field_passed(&metrics, field) {
            "+"
        } else {
            "x"
        };
        lines.push(crate::sfmt!(
            "  {check} {field}: {} vs {} (open interval: ({}, {}))",
            get("actual"),
            get("expected"),
            get("min"),
            get("max")
        ));
    }
    if !all_pass {
        push_failures(&mut lines, &failures);
    }
    let (score, field_scores) = fraction_passing(gt, &metrics);
    Ok(GraderResult::new_lines(all_pass, score, metrics, lines).with_field_scores(field_scores))
}

#[cfg(test)]
mod tests {
    use crate::grade_case;
    use crate::value::Value;

    #[test]
    fn open_interval_is_strict() {
        let cfg = r#"{"ground_truth": {"x": 5}, "ranges": {"x": {"min": 4, "max": 6}}}"#;
        assert!(grade_case("numeric_range", cfg, r#"{"x": 5.5}"#).passed);
        assert!(!grade_case("numeric_range", cfg, r#"{"x": 6}"#).passed);
        assert!(!grade_case("numeric_range", cfg, r#"{"x": "nan"}"#).passed);
        let r = grade_case("numeric_range", cfg, r#"{"x": [5]}"#);
        assert!(!r.passed && !r.configuration_error);
        assert!(matches!(r.metrics["x_actual"], Value::Array(_)));
    }

    #[test]
    fn truth_outside_interval_is_a_config_error() {
        let r = grade_case(
            "numeric_range",
            r#"{"ground_truth": {"x": 7}, "ranges": {"x": {"min": 4, "max": 6}}}"#,
            r#"{"x": 5}"#,
        );
        assert!(r.configuration_error);
    }
}
