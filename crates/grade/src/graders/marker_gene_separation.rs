//! `marker_gene_separation`: the agent's mean AUROC and the fraction of genes
//! whose AUROC clears a per-gene cutoff.

use super::common::{pass_thresholds, push_failure_summary};
use crate::py::{self, is_finite_number, PyResult};
use crate::result::{configuration_error_result, fail, GraderResult};
use crate::value::{Map, Value};

const NAME: &str = "Marker Gene Separation";

fn answer_failure(reason: &str) -> GraderResult {
    fail(reason)
}

fn in_unit(v: &Value) -> bool {
    is_finite_number(v) && (0.0..=1.0).contains(&v.as_f64().unwrap_or(-1.0))
}

pub fn grade(answer: &Value, config: &Value, _depth: usize) -> PyResult<GraderResult> {
    let th = match pass_thresholds(NAME, config) {
        Ok(th) => th,
        Err(fail) => return Ok(*fail),
    };
    for key in ["mean_auroc", "fraction_high", "per_gene_cutoff"] {
        if th.get(key).is_some_and(|v| !in_unit(v)) {
            return Ok(configuration_error_result(
                NAME,
                &crate::sfmt!("scoring.pass_thresholds.{key} must be a finite number in [0, 1]"),
            ));
        }
    }
    let t = |k: &str, d: f64| th.get(k).cloned().unwrap_or(Value::Float(d));
    let (mean_t, frac_t, cutoff) = (
        t("mean_auroc", 0.85),
        t("fraction_high", 0.70),
        t("per_gene_cutoff", 0.80),
    );
    let Some(ans) = answer.as_object() else {
        return Ok(answer_failure("agent answer must be an object"));
    };
    let Some(stats) = ans.get("per_gene_stats") else {
        return Ok(fail("Agent answer missing required field: per_gene_stats"));
    };
    let Some(agent_mean) = ans.get("mean_auroc") else {
        return Ok(fail("Agent answer missing required field: mean_auroc"));
    };
    let Some(stats) = stats.as_array() else {
        return Ok(fail("per_gene_stats must be a list"));
    };
    let n = stats.len();
    if n == 0 {
        return Ok(fail("per_gene_stats is empty"));
    }
    if !in_unit(agent_mean) {
        return Ok(answer_failure(
            "mean_auroc must be a finite number in [0, 1]",
        ));
    }
    let mut aurocs: Map = Map::default();
    for stat in stats {
        let (Some(gene), Some(auroc)) = (stat.get("gene"), stat.get("auroc")) else {
            return Ok(fail(
                "Each element in per_gene_stats must have 'gene' and 'auroc' fields",
            ));
        };
        let gene = match gene {
            Value::Str(s) if !py::strip(s).is_empty() => s,
            _ => {
                return Ok(answer_failure(
                    "Each per_gene_stats gene must be a non-empty string",
                ))
            }
        };
        if aurocs.contains_key(gene.as_str()) {
            return Ok(answer_failure(&crate::sfmt!(
                "per_gene_stats contains duplicate gene {}",
                py::repr_str(gene)
            )));
        }
        if !in_unit(auroc) {
            return Ok(answer_failure(
                "Each per_gene_stats auroc must be a finite number in [0, 1]",
            ));
        }
        aurocs.insert(gene.clone(), Value::Float(auroc.as_f64().unwrap_or(0.0)));
    }
    let computed_mean = aurocs
        .values()
        .map(|v| v.as_f64().unwrap_or(0.0))
        .fold(0.0, |a, b| a + b)
        / aurocs.len() as f64;
    let mut high: Vec<String> = Vec::new();
    let mut low: Vec<String> = Vec::new();
    for (g, a) in &aurocs {
        if py::ge(a, &cutoff)? {
            high.push(g.clone());
        } else {
            low.push(g.clone());
        }
    }
    let fraction_high = high.len() as f64 / n as f64;
    let mean_pass = py::ge(agent_mean, &mean_t)?;
    let frac_pass = py::ge(&Value::Float(fraction_high), &frac_t)?;
    let passed = mean_pass && frac_pass;
    let (nh, nl) = (high.len(), low.len());
    high.sort();
    low.sort();
    let metrics = crate::obj! {
        "num_genes" => n,
        "mean_auroc_agent" => agent_mean.clone(),
        "mean_auroc_computed" => computed_mean,
        "mean_auroc_threshold" => mean_t.clone(),
        "fraction_high" => fraction_high,
        "fraction_high_threshold" => frac_t.clone(),
        "per_gene_cutoff" => cutoff.clone(),
        "num_high_auroc_genes" => nh,
        "num_low_auroc_genes" => nl,
        "high_auroc_genes" => high,
        "low_auroc_genes" => low,
        "mean_auroc_pass" => mean_pass,
        "fraction_high_pass" => frac_pass,
        "per_gene_aurocs" => aurocs,
    };
    let m = |b: bool| if b { "+" } else { "x" };
    let f3 = |v: &Value| py::fmt_fixed(v, 3);
    let mut lines = vec![
        crate::sfmt!("{NAME}: {}", if passed { "PASS" } else { "FAIL" }),
        String::new(),
        crate::sfmt!(
            "  {} Mean AUROC: {} (threshold: {})",
            m(mean_pass),
            f3(agent_mean),
            f3(&mean_t)
        ),
        crate::sfmt!(
            "  {} Fraction High (>={}): {fraction_high:.3} ({nh}/{n})",
            m(frac_pass),
            py::fmt_fixed(&cutoff, 2)
        ),
    ];
    if !passed {
        let mut f = Vec::new();
        if !mean_pass {
            f.push(crate::sfmt!(
                "Mean AUROC {} < {}",
                f3(agent_mean),
                f3(&mean_t)
            ));
        }
        if !frac_pass {
            f.push(crate::sfmt!(
                "Fraction high {fraction_high:.3} < {}",
                f3(&frac_t)
            ));
        }
        push_failure_summary(&mut lines, &f);
    }
    Ok(GraderResult::pass_fail_lines(passed, metrics, lines))
}

#[cfg(test)]
mod tests {
    use crate::grade_case;

    #[test]
    fn mean_and_fraction() {
        let ans = r#"{"mean_auroc": 0.9, "per_gene_stats": [{"gene": "A", "auroc": 0.95}, {"gene": "B", "auroc": 0.8}, {"gene": "C", "auroc": 0.5}]}"#;
        let r = grade_case("marker_gene_separation", "{}", ans);
        assert!(!r.passed, "2/3 high is below 0.70");
        assert_eq!(r.metrics["num_high_auroc_genes"].as_f64(), Some(2.0));
        let r = grade_case(
            "marker_gene_separation",
            r#"{"scoring": {"pass_thresholds": {"fraction_high": 0.6}}}"#,
            ans,
        );
        assert!(r.passed);
    }

    #[test]
    fn duplicate_gene_fails() {
        let ans = r#"{"mean_auroc": 0.9, "per_gene_stats": [{"gene": "A", "auroc": 0.9}, {"gene": "A", "auroc": 0.9}]}"#;
        let r = grade_case("marker_gene_separation", "{}", ans);
        assert!(!r.passed && r.metrics.is_empty());
    }
}
