//! `spatial_adjacency`: immune-cell to tumour-cell distance statistics under
//! thresholds, plus the agent's own adjacency verdict.

use super::common::{pass_thresholds, push_failure_summary};
use crate::py::{self, is_finite_number, PyResult};
use crate::result::{answer_failure, configuration_error_result, GraderResult};
use crate::value::Value;

const NAME: &str = "Spatial Adjacency Analysis";
/// The answer fields the grader requires (the linter checks them too).
pub const FIELDS: [&str; 5] = [
    "median_ic_to_pc_um",
    "p90_ic_to_pc_um",
    "pct_ic_within_15um",
    "pct_ic_mixed_within_55um",
    "adjacency_pass",
];

pub fn grade(answer: &Value, config: &Value, _depth: usize) -> PyResult<GraderResult> {
    let th = match pass_thresholds(NAME, config) {
        Ok(th) => th,
        Err(fail) => return Ok(*fail),
    };
    for key in ["max_median_ic_to_pc_um", "max_p90_ic_to_pc_um"] {
        if let Some(v) = th.get(key) {
            if !is_finite_number(v) || v.as_f64().unwrap_or(-1.0) < 0.0 {
                return Ok(configuration_error_result(
                    NAME,
                    &crate::sfmt!(
                        "scoring.pass_thresholds.{key} must be a finite non-negative number"
                    ),
                ));
            }
        }
    }
    for key in ["min_pct_ic_within_15um", "min_pct_ic_mixed_within_55um"] {
        if let Some(v) = th.get(key) {
            if !is_finite_number(v) || !(0.0..=100.0).contains(&v.as_f64().unwrap_or(-1.0)) {
                return Ok(configuration_error_result(
                    NAME,
                    &crate::sfmt!(
                        "scoring.pass_thresholds.{key} must be a finite number in [0, 100]"
                    ),
                ));
            }
        }
    }
    let t = |k: &str, d: f64| th.get(k).cloned().unwrap_or(Value::Float(d));
    let (max_med, max_p90, min15, min55) = (
        t("max_median_ic_to_pc_um", 25.0),
        t("max_p90_ic_to_pc_um", 80.0),
        t("min_pct_ic_within_15um", 60.0),
        t("min_pct_ic_mixed_within_55um", 60.0),
    );
    let Some(ans) = answer.as_object() else {
        return Ok(answer_failure(NAME, "agent answer must be an object"));
    };
    let missing: Vec<Value> = FIELDS
        .iter()
        .filter(|f| !ans.contains_key(**f))
        .map(|f| Value::str(*f))
        .collect();
    if !missing.is_empty() {
        return Ok(crate::result::fail(&crate::sfmt!(
            "Agent answer missing required fields: {}",
            py::py_repr(&Value::Array(missing))
        )));
    }
    let (med, p90, w15, m55, adj) = (
        &ans[FIELDS[0]],
        &ans[FIELDS[1]],
        &ans[FIELDS[2]],
        &ans[FIELDS[3]],
        &ans[FIELDS[4]],
    );
    for (f, v) in FIELDS.iter().zip([med, p90, w15, m55]) {
        if !is_finite_number(v) {
            return Ok(answer_failure(
                NAME,
                &crate::sfmt!("{f} must be a finite number"),
            ));
        }
    }
    let f = |v: &Value| v.as_f64().unwrap_or(f64::NAN);
    if f(med) < 0.0 || f(p90) < 0.0 {
        return Ok(answer_failure(
            NAME,
            "distance metrics must be non-negative",
        ));
    }
    if !(0.0..=100.0).contains(&f(w15)) || !(0.0..=100.0).contains(&f(m55)) {
        return Ok(answer_failure(
            NAME,
            "percentage metrics must be in [0, 100]",
        ));
    }
    let Some(adj_b) = adj.as_bool() else {
        return Ok(answer_failure(NAME, "adjacency_pass must be a boolean"));
    };
    let median_pass = py::le(med, &max_med)?;
    let p90_pass = py::le(p90, &max_p90)?;
    let w15_pass = py::ge(w15, &min15)?;
    let m55_pass = py::ge(m55, &min55)?;
    let passed = median_pass && p90_pass && w15_pass && m55_pass && adj_b;
    let metrics = crate::obj! {
        "median_ic_to_pc_um" => med.clone(),
        "p90_ic_to_pc_um" => p90.clone(),
        "pct_ic_within_15um" => w15.clone(),
        "pct_ic_mixed_within_55um" => m55.clone(),
        "adjacency_pass" => adj_b,
        "max_median_threshold" => max_med.clone(),
        "max_p90_threshold" => max_p90.clone(),
        "min_pct_15um_threshold" => min15.clone(),
        "min_pct_55um_threshold" => min55.clone(),
        "median_pass" => median_pass,
        "p90_pass" => p90_pass,
        "within_15um_pass" => w15_pass,
        "mixed_55um_pass" => m55_pass,
    };
    let m = |b: bool| if b { "+" } else { "x" };
    let x2 = |v: &Value| py::fmt_fixed(v, 2);
    let x1 = |v: &Value| py::fmt_fixed(v, 1);
    let mut lines = vec![
        crate::sfmt!("{NAME}: {}", if passed { "PASS" } else { "FAIL" }),
        String::new(),
        "IC->PC Distance Metrics:".into(),
        crate::sfmt!(
            "  {} Median distance: {} um (threshold: <={} um)",
            m(median_pass),
            x2(med),
            x2(&max_med)
        ),
        crate::sfmt!(
            "  {} 90th percentile: {} um (threshold: <={} um)",
            m(p90_pass),
            x2(p90),
            x2(&max_p90)
        ),
        String::new(),
        "IC Proximity to PC:".into(),
        crate::sfmt!(
            "  {} IC within 15 um: {}% (threshold: >={}%)",
            m(w15_pass),
            x1(w15),
            x1(&min15)
        ),
        crate::sfmt!(
            "  {} IC with PC within 55 um: {}% (threshold: >={}%)",
            m(m55_pass),
            x1(m55),
            x1(&min55)
        ),
        String::new(),
        crate::sfmt!(
            "Agent adjacency assessment: {} {}",
            m(adj_b),
            if adj_b { "True" } else { "False" }
        ),
    ];
    if !passed {
        let mut f = Vec::new();
        if !median_pass {
            f.push(crate::sfmt!("Median {} > {} um", x2(med), x2(&max_med)));
        }
        if !p90_pass {
            f.push(crate::sfmt!("P90 {} > {} um", x2(p90), x2(&max_p90)));
        }
        if !w15_pass {
            f.push(crate::sfmt!("Within 15 um {}% < {}%", x1(w15), x1(&min15)));
        }
        if !m55_pass {
            f.push(crate::sfmt!("Within 55 um {}% < {}%", x1(m55), x1(&min55)));
        }
        if !adj_b {
            f.push("Agent marked adjacency_pass as false".into());
        }
        push_failure_summary(&mut lines, &f);
    }
    Ok(GraderResult::pass_fail_lines(passed, metrics, lines))
}

#[cfg(test)]
mod tests {
    use crate::grade_case;

    #[test]
    fn thresholds_and_verdict() {
        let ans = r#"{"median_ic_to_pc_um": 25, "p90_ic_to_pc_um": 80, "pct_ic_within_15um": 60,
                      "pct_ic_mixed_within_55um": 60, "adjacency_pass": true}"#;
        let r = grade_case("spatial_adjacency", "{}", ans);
        assert!(r.passed, "bounds are inclusive");
        let r = grade_case("spatial_adjacency", "{}", &ans.replace("true", "1"));
        assert!(
            !r.passed && r.metrics.is_empty(),
            "adjacency_pass must be a real boolean"
        );
        let cfg = r#"{"scoring": {"pass_thresholds": {"min_pct_ic_within_15um": 101}}}"#;
        assert!(grade_case("spatial_adjacency", cfg, ans).configuration_error);
    }
}
