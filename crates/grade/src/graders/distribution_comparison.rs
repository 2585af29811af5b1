//! `distribution_comparison`: per-cell-type percentages (and optionally the
//! total cell count) within tolerance of the ground truth.

use super::common::{key, push_failures};
use crate::py::{self, is_finite_number, PyResult};
use crate::result::{answer_failure, configuration_error_result, GraderResult};
use crate::value::{Map, Value};

const NAME: &str = "Distribution Comparison";

fn validate(config: &Value) -> Result<(&Map, Option<&Map>), String> {
    let cfg = config.as_object().ok_or("config must be an object")?;
    let gt = cfg
        .get("ground_truth")
        .and_then(Value::as_object)
        .ok_or("ground_truth must be an object")?;
    let dist = match gt.get("cell_type_distribution").and_then(Value::as_object) {
        Some(d) if !d.is_empty() => d,
        _ => return Err("ground_truth.cell_type_distribution must be a non-empty object".into()),
    };
    for (ct, pct) in dist {
        if py::strip(ct).is_empty() {
            return Err("cell-type names must be non-empty strings".into());
        }
        if !is_finite_number(pct) {
            return Err(crate::sfmt!(
                "ground_truth.cell_type_distribution[{}] must be a finite number",
                py::repr_str(ct)
            ));
        }
    }
    if let Some(t) = gt.get("total_cells") {
        if !t.is_null() && !is_finite_number(t) {
            return Err("ground_truth.total_cells must be a finite number".into());
        }
    }
    let tolerances = match cfg.get("tolerances") {
        None => None,
        Some(Value::Object(t)) => Some(t),
        Some(_) => return Err("tolerances must be an object".into()),
    };
    if let Some(t) = tolerances {
        for key in ["total_cells", "cell_type_percentages"] {
            let Some(tol) = t.get(key) else { continue };
            let tol = tol
                .as_object()
                .ok_or_else(|| crate::sfmt!("tolerances.{key} must be an object"))?;
            let default = if key == "total_cells" {
                Value::Int(0)
            } else {
                Value::Float(3.0)
            };
            let v = tol.get("value").unwrap_or(&default);
            if !is_finite_number(v) || v.as_f64().unwrap_or(-1.0) < 0.0 {
                return Err(crate::sfmt!(
                    "tolerances.{key}.value must be a finite non-negative number"
                ));
            }
        }
    }
    Ok((gt, tolerances))
}

pub fn grade(answer: &Value, config: &Value, _depth: usize) -> PyResult<GraderResult> {
    let (gt, tolerances) = match validate(config) {
        Ok(x) => x,
        Err(e) => return Ok(configuration_error_result(NAME, &e)),
    };
    let Some(ans) = answer.as_object() else {
        return Ok(answer_failure(NAME, "agent answer must be an object"));
    };
    let gt_total = gt.get("total_cells").filter(|v| !v.is_null());
    let gt_dist = gt["cell_type_distribution"]
        .as_object()
        .expect("validated above");
    let tol_of = |key: &str, default: Value| -> Value {
        tolerances
            .and_then(|t| t.get(key))
            .and_then(|t| t.get("value"))
            .cloned()
            .unwrap_or(default)
    };
    let total_tol = tol_of("total_cells", Value::Int(0));
    let pct_tol = tol_of("cell_type_percentages", Value::Float(3.0));

    let Some(agent_dist) = ans.get("cell_type_distribution") else {
        return Ok(answer_failure(
            NAME,
            "Agent answer missing required field: cell_type_distribution",
        ));
    };
    let agent_total = ans.get("total_cells");
    let Some(agent_dist) = agent_dist.as_object() else {
        return Ok(answer_failure(
            NAME,
            "cell_type_distribution must be an object",
        ));
    };
    if agent_dist.keys().any(|k| py::strip(k).is_empty()) {
        return Ok(answer_failure(
            NAME,
            "cell_type_distribution keys must be non-empty strings",
        ));
    }

    let mut metrics = Map::with_capacity_and_hasher(32, Default::default());
    let mut all_pass = true;
    let mut failures: Vec<String> = Vec::new();
    if let Some(gtt) = gt_total {
        match agent_total {
            None | Some(Value::Null) => {
                all_pass = false;
                failures.push("Missing field: total_cells".into());
                metrics.insert("total_cells_actual".into(), Value::Null);
                metrics.insert("total_cells_expected".into(), gtt.clone());
                metrics.insert("total_cells_diff".into(), Value::Null);
                metrics.insert("total_cells_pass".into(), Value::Bool(false));
            }
            Some(t) if !is_finite_number(t) => {
                return Ok(answer_failure(NAME, "total_cells must be a finite number"))
            }
            Some(t) => {
                let diff = py::abs(py::sub(t, gtt)?).to_value();
                let pass = py::le(&diff, &total_tol)?;
                metrics.insert("total_cells_actual".into(), t.clone());
                metrics.insert("total_cells_expected".into(), gtt.clone());
                metrics.insert("total_cells_diff".into(), diff.clone());
                metrics.insert("total_cells_pass".into(), Value::Bool(pass));
                if !pass {
                    all_pass = false;
                    failures.push(crate::sfmt!(
                        "total_cells: {} vs {} (diff: {})",
                        py::py_str(t),
                        py::py_str(gtt),
                        py::py_str(&diff)
                    ));
                }
            }
        }
    }
    for (ct, expected) in gt_dist {
        let mut put = |actual: Value, diff: Value, pass: bool| {
            metrics.insert(key(ct, "_actual"), actual);
            metrics.insert(key(ct, "_expected"), expected.clone());
            metrics.insert(key(ct, "_diff"), diff);
            metrics.insert(key(ct, "_pass"), Value::Bool(pass));
        };
        let Some(actual) = agent_dist.get(ct.as_str()) else {
            all_pass = false;
            failures.push(crate::sfmt!("Missing cell type: {ct}"));
            put(Value::Null, Value::Null, false);
            continue;
        };
        if !is_finite_number(actual) {
            all_pass = false;
            failures.push(crate::sfmt!("{ct}: expected a finite numeric percentage"));
            put(actual.clone(), Value::Null, false);
            continue;
        }
        let diff = py::abs(py::sub(actual, expected)?).to_value();
        let within = py::le(&diff, &pct_tol)?;
        if !within {
            all_pass = false;
            failures.push(crate::sfmt!(
                "{ct}: {}% vs {}% (diff: {}%)",
                py::fmt_fixed(actual, 2),
                py::fmt_fixed(expected, 2),
                py::fmt_fixed(&diff, 2)
            ));
        }
        put(actual.clone(), diff, within);
    }
    let mut extra: Vec<String> = agent_dist
        .keys()
        .filter(|k| !gt_dist.contains_key(k.as_str()))
        .cloned()
        .collect();
    if !extra.is_empty() {
        extra.sort();
        metrics.insert("extra_cell_types".into(), Value::from(extra));
    }

    let mut lines = vec![
        crate::sfmt!("{NAME}: {}", if all_pass { "PASS" } else { "FAIL" }),
        String::new(),
        crate::sfmt!(
            "Cell type percentages (tolerance: +/-{}%):",
            py::py_str(&pct_tol)
        ),
    ];
    let mut sorted: Vec<(&String, &Value)> = gt_dist.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    for (ct, expected) in sorted {
        let e = py::fmt_fixed(expected, 2);
        match agent_dist.get(ct.as_str()) {
            None => lines.push(crate::sfmt!("  x {ct}: MISSING vs {e}%")),
            Some(a) if !is_finite_number(a) => {
                lines.push(crate::sfmt!("  x {ct}: NON-NUMERIC vs {e}%"))
            }
            Some(a) => {
                let diff = py::abs(py::sub(a, expected)?).to_value();
                let ok = py::le(&diff, &pct_tol)?;
                lines.push(crate::sfmt!(
                    "  {} {ct}: {}% vs {e}% (diff: {}%)",
                    if ok { "+" } else { "x" },
                    py::fmt_fixed(a, 2),
                    py::fmt_fixed(&diff, 2)
                ));
            }
        }
    }
    push_failures(&mut lines, &failures);
    Ok(GraderResult::pass_fail_lines(all_pass, metrics, lines))
}

#[cfg(test)]
mod tests {
    use crate::grade_case;
    use crate::value::Value;

    #[test]
    fn default_tolerance_is_three_points() {
        let cfg = r#"{"ground_truth": {"cell_type_distribution": {"T": 50, "B": 50}, "total_cells": 100}}"#;
        let r = grade_case(
            "distribution_comparison",
            cfg,
            r#"{"total_cells": 100, "cell_type_distribution": {"T": 53, "B": 46.9, "NK": 0}}"#,
        );
        assert!(!r.passed);
        assert_eq!(r.metrics["T_pass"].as_bool(), Some(true));
        assert_eq!(r.metrics["B_pass"].as_bool(), Some(false));
        assert!(matches!(r.metrics["T_diff"], Value::Int(3)));
        assert_eq!(r.metrics["extra_cell_types"].as_array().unwrap().len(), 1);
    }

    #[test]
    fn non_finite_total_fails_the_whole_answer() {
        let cfg = r#"{"ground_truth": {"cell_type_distribution": {"T": 50}, "total_cells": 100}}"#;
        let r = grade_case(
            "distribution_comparison",
            cfg,
            r#"{"total_cells": Infinity, "cell_type_distribution": {"T": 50}}"#,
        );
        assert!(!r.passed && r.metrics.is_empty());
        let r = grade_case(
            "distribution_comparison",
            cfg,
            r#"{"cell_type_distribution": {"T": 50}}"#,
        );
        assert!(r.metrics["total_cells_actual"].is_null());
    }
}
