//! `marker_gene_precision_recall`: precision@k and recall@k of a marker gene
//! list against canonical markers (case-insensitive), or per-cell-type recall
//! when both the markers and the answer are keyed by cell type.

use super::common::{
    check_cardinality, is_blank_or_not_str, push_failure_summary, push_item_list, Cardinality,
};
use crate::py::{self, is_finite_number, PyResult};
use crate::result::{configuration_error_result, GraderResult};
use crate::value::{Map, Value};
use rustc_hash::FxHashMap as HashMap;
use std::collections::BTreeSet;

const NAME: &str = "Marker Gene Precision/Recall";

fn validate_fraction(v: &Value, location: &str) -> Option<String> {
    if !is_finite_number(v) || !(0.0..=1.0).contains(&v.as_f64().unwrap_or(-1.0)) {
        return Some(crate::sfmt!("{location} must be a finite number in [0, 1]"));
    }
    None
}

fn validate_gene_list(v: &Value, location: &str) -> Option<String> {
    match v.as_array() {
        Some(a) if !a.is_empty() => {
            if a.iter().any(is_blank_or_not_str) {
                Some(crate::sfmt!(
                    "{location} must contain only non-empty strings"
                ))
            } else {
                None
            }
        }
        _ => Some(crate::sfmt!("{location} must be a non-empty list")),
    }
}

fn strs(a: &[Value]) -> Vec<String> {
    a.iter().map(py::py_str).collect()
}

fn card_err(msg: String) -> GraderResult {
    let m = crate::obj! {"configuration_error" => msg.as_str()};
    GraderResult::new(false, 0.0, m, &msg)
}

pub fn grade(answer: &Value, config: &Value, _depth: usize) -> PyResult<GraderResult> {
    let cerr = |m: &str| Ok(configuration_error_result(NAME, m));
    let Some(cfg) = config.as_object() else {
        return cerr("config must be an object");
    };
    let canonical = cfg
        .get("canonical_markers")
        .or_else(|| cfg.get("ground_truth_labels"))
        .unwrap_or(&Value::Null);
    match canonical {
        Value::Array(_) => {
            if let Some(e) = validate_gene_list(canonical, "canonical_markers") {
                return cerr(&e);
            }
        }
        Value::Object(m) => {
            if m.is_empty() {
                return cerr("canonical_markers must be a non-empty object");
            }
            for (ct, genes) in m {
                if py::strip(ct).is_empty() {
                    return cerr("canonical_markers cell-type names must be non-empty strings");
                }
                if let Some(e) = validate_gene_list(
                    genes,
                    &crate::sfmt!("canonical_markers[{}]", py::repr_str(ct)),
                ) {
                    return cerr(&e);
                }
            }
        }
        _ => return cerr("canonical_markers must be a non-empty list or object"),
    }
    let empty = Value::Object(Map::default());
    let scoring = cfg.get("scoring").unwrap_or(&empty);
    let Some(scoring) = scoring.as_object() else {
        return cerr(&crate::sfmt!(
            "scoring must be an object, got {}",
            scoring.type_name()
        ));
    };
    let th = scoring.get("pass_thresholds").unwrap_or(&empty);
    let Some(th) = th.as_object() else {
        return cerr(&crate::sfmt!(
            "pass_thresholds must be an object, got {}",
            th.type_name()
        ));
    };
    for key in ["precision_at_k", "recall_at_k", "min_recall_per_celltype"] {
        if let Some(v) = th.get(key) {
            if let Some(e) = validate_fraction(v, &crate::sfmt!("scoring.pass_thresholds.{key}")) {
                return cerr(&e);
            }
        }
    }
    if let Some(min) = th.get("min_celltypes_passing") {
        let ok = match (min, canonical) {
            (Value::Int(n), Value::Object(m)) => *n >= 1 && (*n as u64) <= m.len() as u64,
            _ => false,
        };
        if !ok {
            return cerr("scoring.pass_thresholds.min_celltypes_passing must be an integer between 1 and the configured cell-type count");
        }
    }
    let configured = check_cardinality(&[], cfg.get("expected_count"));
    if let Some(e) = configured.configuration_error {
        return Ok(card_err(e));
    }
    let expected_count = cfg.get("expected_count").filter(|v| !v.is_null());
    let default_field = Value::str("top_marker_genes");
    let answer_field = cfg.get("answer_field").unwrap_or(&default_field);
    let field = match answer_field {
        Value::Str(s) if !py::strip(s).is_empty() => s.as_str(),
        other => {
            return cerr(&crate::sfmt!(
                "answer_field must be a non-empty string, got {}",
                py::py_repr(other)
            ))
        }
    };
    let Some(ans) = answer.as_object() else {
        return Ok(crate::result::fail("agent answer must be an object"));
    };
    let Some(predicted) = ans.get(field) else {
        return Ok(crate::result::fail(&crate::sfmt!(
            "Agent answer missing required field: {field}"
        )));
    };
    if let (Value::Object(cm), Value::Object(pm)) = (canonical, predicted) {
        return Ok(per_celltype(pm, cm, th, field, expected_count));
    }
    let mut canonical = canonical;
    if let Value::Object(cm) = canonical {
        if let Some(c) = cm.get(field) {
            canonical = c;
        }
    }
    let Some(pred) = predicted.as_array() else {
        let shape = if canonical.as_object().is_some() {
            "object"
        } else {
            "list"
        };
        return Ok(crate::result::fail(&crate::sfmt!(
            "{field} must be a {shape}, got {}",
            predicted.type_name()
        )));
    };
    let Some(canon) = canonical.as_array() else {
        return Ok(crate::result::fail(&crate::sfmt!(
            "{field} must be an object for per-cell-type evaluation"
        )));
    };
    if pred.iter().any(is_blank_or_not_str) {
        return Ok(crate::result::fail(&crate::sfmt!(
            "{field} must contain only non-empty strings"
        )));
    }
    Ok(flat_list(
        &strs(pred),
        &strs(canon),
        th,
        field,
        expected_count,
    ))
}

fn per_celltype(
    predicted: &Map,
    canonical: &Map,
    th: &Map,
    field: &str,
    expected_count: Option<&Value>,
) -> GraderResult {
    let default_recall = Value::Float(0.5);
    let min_recall = th
        .get("min_recall_per_celltype")
        .or_else(|| th.get("recall_at_k"))
        .unwrap_or(&default_recall);
    let min_passing = th
        .get("min_celltypes_passing")
        .cloned()
        .unwrap_or(Value::from(canonical.len()));
    let mut results = Map::default();
    let mut passing = 0usize;
    let empty_list = Value::Array(vec![]);
    for (ct, genes) in canonical {
        let pg = predicted.get(ct.as_str()).unwrap_or(&empty_list);
        let Some(pg) = pg.as_array() else {
            let r = crate::obj! {"pass" => false, "recall" => 0.0, "error" => crate::sfmt!("Expected list, got {}", pg.type_name())};
            results.insert(ct.clone(), Value::Object(r));
            continue;
        };
        if pg.iter().any(is_blank_or_not_str) {
            let r = crate::obj! {"pass" => false, "recall" => 0.0, "error" => "Expected only non-empty string genes"};
            results.insert(ct.clone(), Value::Object(r));
            continue;
        }
        let normalized: Vec<String> = pg.iter().map(|g| py::lower(&py::py_str(g))).collect();
        let card = check_cardinality(&normalized, expected_count);
        let scored: &[String] = match card.expected_count {
            None => &normalized,
            Some(n) => &normalized[..normalized.len().min(n as usize)],
        };
        let canon: BTreeSet<String> = genes
            .as_array()
            .map(|a| a.iter().map(|g| py::lower(&py::py_str(g))).collect())
            .unwrap_or_default();
        let pset: BTreeSet<String> = scored.iter().cloned().collect();
        let tp: Vec<String> = canon.intersection(&pset).cloned().collect();
        let fneg: Vec<String> = canon.difference(&pset).cloned().collect();
        let recall = if canon.is_empty() {
            1.0
        } else {
            tp.len() as f64 / canon.len() as f64
        };
        let pass = py::ge(&Value::Float(recall), min_recall).unwrap_or(false) && card.passed;
        if pass {
            passing += 1;
        }
        let r = crate::obj! {
            "pass" => pass,
            "recall" => recall,
            "num_predicted" => pg.len(),
            "num_unique_predicted" => card.unique_count,
            "expected_count" => card.expected_value.clone(),
            "cardinality_pass" => card.passed,
            "num_canonical" => canon.len(),
            "true_positives" => tp,
            "false_negatives" => fneg,
        };
        results.insert(ct.clone(), Value::Object(r));
    }
    let passed = py::ge(&Value::from(passing), &min_passing).unwrap_or(false);
    let mut lines = vec![
        crate::sfmt!(
            "Marker Gene Per-Celltype: {}",
            if passed { "PASS" } else { "FAIL" }
        ),
        crate::sfmt!(
            "Celltypes passing: {passing}/{} (required: {})",
            canonical.len(),
            py::py_str(&min_passing)
        ),
        String::new(),
    ];
    for (ct, r) in &results {
        let p = r.get("pass").and_then(Value::as_bool).unwrap_or(false);
        let rec = r.get("recall").cloned().unwrap_or(Value::Float(0.0));
        lines.push(crate::sfmt!(
            "  {} {ct}: recall={} (threshold: {})",
            if p { "+" } else { "x" },
            py::fmt_fixed(&rec, 2),
            py::fmt_fixed(min_recall, 2)
        ));
    }
    let metrics = crate::obj! {
        "celltypes_passing" => passing,
        "total_celltypes" => canonical.len(),
        "min_celltypes_passing" => min_passing,
        "min_recall_per_celltype" => min_recall.clone(),
        "expected_count" => expected_count.cloned().unwrap_or(Value::Null),
        "per_celltype" => results,
        "answer_field_used" => field,
    };
    GraderResult::pass_fail_lines(passed, metrics, lines)
}

fn flat_list(
    predicted: &[String],
    canonical: &[String],
    th: &Map,
    field: &str,
    expected_count: Option<&Value>,
) -> GraderResult {
    let (dp, dr) = (Value::Float(0.6), Value::Float(0.5));
    let pt = th.get("precision_at_k").unwrap_or(&dp);
    let rt = th.get("recall_at_k").unwrap_or(&dr);
    let normalized: Vec<String> = predicted.iter().map(|g| py::lower(g)).collect();
    let card: Cardinality = check_cardinality(&normalized, expected_count);
    let k_value = match card.expected_count {
        Some(_) => card.expected_value.clone(),
        None => Value::from(predicted.len()),
    };
    let k = card.expected_count.unwrap_or(predicted.len() as i64);
    let scored: &[String] = match card.expected_count {
        Some(n) => &normalized[..normalized.len().min(n as usize)],
        None => &normalized,
    };
    let canon: BTreeSet<String> = canonical.iter().map(|g| py::lower(g)).collect();
    let pset: BTreeSet<String> = scored.iter().cloned().collect();
    let tp: Vec<&String> = canon.intersection(&pset).collect();
    let fp: Vec<&String> = pset.difference(&canon).collect();
    let fneg: Vec<&String> = canon.difference(&pset).collect();
    let k_f = k_value.as_f64().unwrap_or(k as f64);
    let precision = if k > 0 { tp.len() as f64 / k_f } else { 0.0 };
    let recall = if canon.is_empty() {
        0.0
    } else {
        tp.len() as f64 / canon.len() as f64
    };
    let precision_pass = py::ge(&Value::Float(precision), pt).unwrap_or(false);
    let recall_pass = py::ge(&Value::Float(recall), rt).unwrap_or(false);
    let passed = precision_pass && recall_pass && card.passed;

    // Report genes in the case the agent (or the config) wrote them; the last spelling wins.
    let orig: HashMap<String, &String> = predicted.iter().map(|g| (py::lower(g), g)).collect();
    let canon_case: HashMap<String, &String> =
        canonical.iter().map(|g| (py::lower(g), g)).collect();
    let pick = |g: &String,
                first: &HashMap<String, &String>,
                second: Option<&HashMap<String, &String>>|
     -> String {
        first
            .get(g)
            .or_else(|| second.and_then(|s| s.get(g)))
            .map(|s| s.to_string())
            .unwrap_or_else(|| g.clone())
    };
    let mut tp_genes: Vec<String> = tp
        .iter()
        .map(|g| pick(g, &orig, Some(&canon_case)))
        .collect();
    let mut fp_genes: Vec<String> = fp.iter().map(|g| pick(g, &orig, None)).collect();
    let mut fn_genes: Vec<String> = fneg.iter().map(|g| pick(g, &canon_case, None)).collect();
    tp_genes.sort();
    fp_genes.sort();
    fn_genes.sort();

    let metrics = crate::obj! {
        "k" => k_value,
        "precision_at_k" => precision,
        "recall_at_k" => recall,
        "precision_threshold" => pt.clone(),
        "recall_threshold" => rt.clone(),
        "true_positives" => tp_genes.clone(),
        "false_positives" => fp_genes,
        "false_negatives" => fn_genes.clone(),
        "num_true_positives" => tp.len(),
        "num_false_positives" => fp.len(),
        "num_false_negatives" => fneg.len(),
        "num_canonical_markers" => canon.len(),
        "submitted_count" => card.submitted_count,
        "unique_count" => card.unique_count,
        "expected_count" => card.expected_value.clone(),
        "cardinality_pass" => card.passed,
        "precision_pass" => precision_pass,
        "recall_pass" => recall_pass,
        "answer_field_used" => field,
    };
    let m = |b: bool| if b { "+" } else { "x" };
    let mut lines = vec![
        crate::sfmt!("{NAME}: {}", if passed { "PASS" } else { "FAIL" }),
        crate::sfmt!("Answer field: {field}"),
        String::new(),
        crate::sfmt!(
            "  {} Precision@{k}: {precision:.3} (threshold: {})",
            m(precision_pass),
            py::fmt_fixed(pt, 3)
        ),
        crate::sfmt!(
            "  {} Recall@{k}: {recall:.3} (threshold: {})",
            m(recall_pass),
            py::fmt_fixed(rt, 3)
        ),
    ];
    lines.extend(card.reasoning_line());
    push_item_list(&mut lines, "True Positives", &tp_genes, "+");
    push_item_list(&mut lines, "False Negatives", &fn_genes, "-");
    if !passed {
        let mut f = Vec::new();
        if !precision_pass {
            f.push(crate::sfmt!(
                "Precision {precision:.3} < {}",
                py::fmt_fixed(pt, 3)
            ));
        }
        if !recall_pass {
            f.push(crate::sfmt!(
                "Recall {recall:.3} < {}",
                py::fmt_fixed(rt, 3)
            ));
        }
        if !card.passed {
            f.push(crate::sfmt!(
                "Response must contain exactly {} unique items",
                card.expected_count.unwrap_or(0)
            ));
        }
        push_failure_summary(&mut lines, &f);
    }
    GraderResult::pass_fail_lines(passed, metrics, lines)
}

#[cfg(test)]
mod tests {
    use crate::grade_case;
    use crate::value::Value;

    #[test]
    fn flat_list_case_insensitive_with_k() {
        let cfg = r#"{"canonical_markers": ["CD3E", "CD8A", "GZMB"], "expected_count": 2,
                      "scoring": {"pass_thresholds": {"precision_at_k": 0.5, "recall_at_k": 0.3}}}"#;
        let r = grade_case(
            "marker_gene_precision_recall",
            cfg,
            r#"{"top_marker_genes": ["cd3e", "MS4A1"]}"#,
        );
        assert!(r.passed);
        assert!(matches!(r.metrics["k"], Value::Int(2)));
        assert_eq!(
            r.metrics["true_positives"].as_array().unwrap()[0].as_str(),
            Some("cd3e")
        );
        // Three genes when exactly two are asked for fails the count contract.
        assert!(
            !grade_case(
                "marker_gene_precision_recall",
                cfg,
                r#"{"top_marker_genes": ["cd3e", "CD8A", "GZMB"]}"#
            )
            .passed
        );
    }

    #[test]
    fn per_celltype_recall() {
        let cfg = r#"{"canonical_markers": {"T": ["CD3E", "CD3D"], "B": ["MS4A1"]},
                      "scoring": {"pass_thresholds": {"min_recall_per_celltype": 0.5, "min_celltypes_passing": 1}}}"#;
        let r = grade_case(
            "marker_gene_precision_recall",
            cfg,
            r#"{"top_marker_genes": {"T": ["cd3e"], "B": "MS4A1"}}"#,
        );
        assert!(r.passed);
        assert_eq!(r.metrics["celltypes_passing"].as_f64(), Some(1.0));
        let bad = r#"{"canonical_markers": ["A"], "scoring": {"pass_thresholds": {"min_celltypes_passing": 1}}}"#;
        assert!(
            grade_case(
                "marker_gene_precision_recall",
                bad,
                r#"{"top_marker_genes": ["A"]}"#
            )
            .configuration_error
        );
    }
}
