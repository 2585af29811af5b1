//! Eval linter: reports, with the JSON path, what makes an eval's grader not
//! do what its task says — configuration errors, settings at a level the
//! grader never reads (so defaults apply), answer fields the task prompt
//! never asks for, tolerances wider than the value they guard, unknown types.

use crate::graders::{canonical_type, get_grader};
use crate::py;
use crate::value::{Map, Value};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        })
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct LintFinding {
    /// The file (or label) the eval came from.
    pub file: String,
    /// Where in the eval JSON, e.g. `$.grader.config.pass_thresholds`.
    pub json_path: String,
    pub severity: Severity,
    /// A stable short code, e.g. `misplaced-setting`.
    pub code: &'static str,
    pub message: String,
}

impl fmt::Display for LintFinding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} [{}] {}: {}",
            self.file, self.severity, self.code, self.json_path, self.message
        )
    }
}

/// Whether a parsed JSON document looks like an eval (`id` plus `grader` or `graders`).
pub fn is_eval(v: &Value) -> bool {
    v.get("id").is_some() && (v.get("grader").is_some() || v.get("graders").is_some())
}

struct Ctx<'a> {
    file: &'a str,
    task: Option<&'a str>,
    out: Vec<LintFinding>,
}

impl Ctx<'_> {
    fn push(&mut self, path: &str, severity: Severity, code: &'static str, message: String) {
        self.out.push(LintFinding {
            file: self.file.to_string(),
            json_path: path.to_string(),
            severity,
            code,
            message,
        });
    }
}

/// Settings a grader reads only at a deeper level: `(grader types, key, where it belongs)`.
const MISPLACED: &[(&[&str], &str, &str)] = &[
    (
        &[
            "marker_gene_precision_recall",
            "marker_gene_separation",
            "spatial_adjacency",
        ],
        "pass_thresholds",
        "scoring.pass_thresholds",
    ),
    (
        &["marker_gene_precision_recall"],
        "precision_at_k",
        "scoring.pass_thresholds.precision_at_k",
    ),
    (
        &["marker_gene_precision_recall"],
        "recall_at_k",
        "scoring.pass_thresholds.recall_at_k",
    ),
    (
        &["marker_gene_precision_recall"],
        "min_recall_per_celltype",
        "scoring.pass_thresholds.min_recall_per_celltype",
    ),
    (
        &["marker_gene_precision_recall"],
        "min_celltypes_passing",
        "scoring.pass_thresholds.min_celltypes_passing",
    ),
    (
        &["marker_gene_separation"],
        "mean_auroc",
        "scoring.pass_thresholds.mean_auroc",
    ),
    (
        &["marker_gene_separation"],
        "fraction_high",
        "scoring.pass_thresholds.fraction_high",
    ),
    (
        &["marker_gene_separation"],
        "per_gene_cutoff",
        "scoring.pass_thresholds.per_gene_cutoff",
    ),
    (
        &["label_set_jaccard", "longest_subsequence"],
        "pass_threshold",
        "scoring.pass_threshold",
    ),
    (
        &["distribution_comparison"],
        "cell_type_percentages",
        "tolerances.cell_type_percentages",
    ),
];

/// Threshold keys that belong in `scoring.pass_thresholds` when found directly in `scoring`.
const THRESHOLD_KEYS: &[(&str, &[&str])] = &[
    (
        "marker_gene_precision_recall",
        &[
            "precision_at_k",
            "recall_at_k",
            "min_recall_per_celltype",
            "min_celltypes_passing",
        ],
    ),
    (
        "marker_gene_separation",
        &["mean_auroc", "fraction_high", "per_gene_cutoff"],
    ),
    (
        "spatial_adjacency",
        &[
            "max_median_ic_to_pc_um",
            "max_p90_ic_to_pc_um",
            "min_pct_ic_within_15um",
            "min_pct_ic_mixed_within_55um",
        ],
    ),
];

/// Check one eval JSON. `file` labels the findings.
pub fn lint_eval(file: &str, eval: &Value) -> Vec<LintFinding> {
    let mut cx = Ctx {
        file,
        task: eval.get("task").and_then(Value::as_str),
        out: Vec::new(),
    };
    if eval.as_object().is_none() {
        cx.push(
            "$",
            Severity::Error,
            "not-an-eval",
            "an eval must be a JSON object".into(),
        );
        return cx.out;
    }
    match (eval.get("grader"), eval.get("graders")) {
        (None, None) => cx.push(
            "$",
            Severity::Error,
            "no-grader",
            "the eval has neither `grader` nor `graders`".into(),
        ),
        (Some(_), Some(_)) => cx.push(
            "$",
            Severity::Error,
            "grader-and-graders",
            "`grader` and `graders` are mutually exclusive".into(),
        ),
        (Some(g), None) => lint_spec(&mut cx, g, "$.grader", 0),
        (None, Some(Value::Array(list))) => {
            if list.is_empty() {
                cx.push(
                    "$.graders",
                    Severity::Error,
                    "no-grader",
                    "`graders` is an empty list".into(),
                );
            }
            for (i, g) in list.iter().enumerate() {
                lint_spec(&mut cx, g, &format!("$.graders[{i}]"), 0);
            }
        }
        (None, Some(_)) => cx.push(
            "$.graders",
            Severity::Error,
            "bad-graders",
            "`graders` must be a list".into(),
        ),
    }
    cx.out
}

fn lint_spec(cx: &mut Ctx, spec: &Value, path: &str, depth: usize) {
    let Some(t) = spec.get("type").and_then(Value::as_str) else {
        cx.push(
            path,
            Severity::Error,
            "bad-grader",
            "grader has no string `type`".into(),
        );
        return;
    };
    let empty = Value::Object(Map::default());
    let config = spec.get("config").unwrap_or(&empty);
    let cpath = format!("{path}.config");
    if t == "rubric" {
        cx.push(
            &format!("{path}.type"),
            Severity::Warning,
            "llm-grader",
            "`rubric` is LLM-judged and cannot be regraded here".into(),
        );
        return;
    }
    let Some(ctype) = canonical_type(t) else {
        cx.push(
            &format!("{path}.type"),
            Severity::Error,
            "unknown-type",
            crate::graders::unknown_type_message(t),
        );
        return;
    };
    if config.as_object().is_none() {
        cx.push(
            &cpath,
            Severity::Error,
            "config-error",
            "config must be an object".into(),
        );
        return;
    }
    // What the grader itself says about its configuration before seeing an answer.
    if let Some(g) = get_grader(t) {
        match g(&Value::Object(Map::default()), config, 0) {
            Err(e) => cx.push(
                &cpath,
                Severity::Error,
                "grader-crash",
                format!("the reference grader raises {}: {}", e.kind, e.message),
            ),
            Ok(r) if r.configuration_error => cx.push(
                &cpath,
                Severity::Error,
                "config-error",
                r.metrics
                    .get("configuration_error")
                    .map(py::py_str)
                    .unwrap_or_default(),
            ),
            Ok(_) => {}
        }
    }
    misplaced_settings(cx, ctype, config, &cpath);
    wide_tolerances(cx, ctype, config, &cpath);
    if ctype == "numeric_tolerance" {
        single_tolerance_quirk(cx, config, &cpath);
    }
    if let Some(task) = cx.task {
        for (field, fpath) in answer_fields(ctype, config, &cpath) {
            if !task.contains(field.as_str()) {
                let asked = prompt_identifiers(task, &field);
                let hint = if asked.is_empty() {
                    String::new()
                } else {
                    format!(" (the prompt names {})", asked.join(", "))
                };
                cx.push(
                    &fpath,
                    Severity::Error,
                    "field-not-asked",
                    format!("the grader reads answer field `{field}`, which the task prompt never asks for{hint}"),
                );
            }
        }
    }
    if matches!(ctype, "all_of" | "average_of") && depth < 32 {
        if let Some(Value::Array(children)) = config.get("children") {
            for (i, c) in children.iter().enumerate() {
                if c.get("type").and_then(Value::as_str).is_some() && c.get("predicate").is_none() {
                    lint_spec(cx, c, &format!("{cpath}.children[{i}]"), depth + 1);
                }
            }
        }
    }
}

fn misplaced_settings(cx: &mut Ctx, ctype: &str, config: &Value, cpath: &str) {
    let Some(cfg) = config.as_object() else {
        return;
    };
    for (types, key, belongs) in MISPLACED {
        if types.contains(&ctype) && cfg.contains_key(*key) {
            cx.push(
                &format!("{cpath}.{key}"),
                Severity::Error,
                "misplaced-setting",
                format!("`{key}` is ignored at this level (the grader reads `{belongs}`), so the defaults apply instead"),
            );
        }
    }
    let Some(scoring) = cfg.get("scoring").and_then(Value::as_object) else {
        return;
    };
    for (t, keys) in THRESHOLD_KEYS {
        if *t != ctype {
            continue;
        }
        for key in *keys {
            if scoring.contains_key(*key) {
                cx.push(
                    &format!("{cpath}.scoring.{key}"),
                    Severity::Error,
                    "misplaced-setting",
                    format!("`{key}` is ignored here (the grader reads `scoring.pass_thresholds.{key}`), so the default applies"),
                );
            }
        }
    }
}

fn wide_tolerances(cx: &mut Ctx, ctype: &str, config: &Value, cpath: &str) {
    if ctype != "numeric_tolerance" {
        return;
    }
    let (Some(gt), Some(tols)) = (
        config.get("ground_truth").and_then(Value::as_object),
        config.get("tolerances").and_then(Value::as_object),
    ) else {
        return;
    };
    if tols.contains_key("type") {
        return;
    }
    for (field, expected) in gt {
        let (Some(e), Some(tol)) = (
            expected.as_f64(),
            tols.get(field.as_str()).and_then(Value::as_object),
        ) else {
            continue;
        };
        if e == 0.0 {
            continue;
        }
        let f = |k: &str| tol.get(k).and_then(Value::as_f64);
        let tpath = format!("{cpath}.tolerances.{field}");
        match tol
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("absolute")
        {
            "absolute" => {
                let (lo, hi) = match (f("lower"), f("upper")) {
                    (Some(l), Some(u)) => (l, u),
                    _ => (f("value").unwrap_or(0.0), f("value").unwrap_or(0.0)),
                };
                if lo.max(hi) >= e.abs() {
                    cx.push(
                        &tpath,
                        Severity::Warning,
                        "wide-tolerance",
                        format!(
                            "tolerance -{}/+{} is at least as wide as the value it guards ({}): the allowed range [{}, {}] reaches zero or flips sign",
                            py::float_repr(lo),
                            py::float_repr(hi),
                            py::py_str(expected),
                            py::float_repr(e - lo),
                            py::float_repr(e + hi)
                        ),
                    );
                }
            }
            "relative" if f("value").unwrap_or(0.0) >= 1.0 => {
                cx.push(
                    &tpath,
                    Severity::Warning,
                    "wide-tolerance",
                    format!(
                        "relative tolerance {} accepts 0 and any value up to twice the truth",
                        py::py_str(tol.get("value").unwrap_or(&Value::Null))
                    ),
                );
            }
            _ => {}
        }
    }
}

/// The reference raises when a single `tolerances` object (with `type`) meets a
/// ground-truth field named `value` or `type`, or a per-field override that is not an object.
fn single_tolerance_quirk(cx: &mut Ctx, config: &Value, cpath: &str) {
    let (Some(gt), Some(tols)) = (
        config.get("ground_truth").and_then(Value::as_object),
        config.get("tolerances").and_then(Value::as_object),
    ) else {
        return;
    };
    if !tols.contains_key("type") {
        return;
    }
    for field in gt.keys() {
        let clash = matches!(field.as_str(), "value" | "type")
            || tols
                .get(field.as_str())
                .is_some_and(|o| o.as_object().is_none());
        if clash {
            cx.push(
                &format!("{cpath}.ground_truth.{field}"),
                Severity::Error,
                "grader-crash",
                format!("with a single `tolerances` object the reference grader crashes on field `{field}`"),
            );
        }
    }
}

/// Top-level answer fields a grader reads, with the JSON path that configures each.
fn answer_fields(ctype: &str, config: &Value, cpath: &str) -> Vec<(String, String)> {
    let s = |k: &str, d: &str| {
        config
            .get(k)
            .and_then(Value::as_str)
            .unwrap_or(d)
            .to_string()
    };
    let first = |f: &str| f.split('.').next().unwrap_or(f).to_string();
    let af = format!("{cpath}.answer_field");
    match ctype {
        "numeric_tolerance" | "numeric_range" => config
            .get("ground_truth")
            .and_then(Value::as_object)
            .map(|g| {
                g.keys()
                    .map(|k| (first(k), format!("{cpath}.ground_truth.{k}")))
                    .collect()
            })
            .unwrap_or_default(),
        "label_set_jaccard" => vec![(s("answer_field", "cell_types_predicted"), af)],
        "marker_gene_precision_recall" => vec![(s("answer_field", "top_marker_genes"), af)],
        "refusal_vocab" => vec![(first(&s("answer_field", "decision")), af)],
        "multiple_choice" => vec![("answer".into(), cpath.to_string())],
        "distribution_comparison" => {
            let mut v = vec![(
                "cell_type_distribution".to_string(),
                format!("{cpath}.ground_truth"),
            )];
            if config
                .get("ground_truth")
                .and_then(|g| g.get("total_cells"))
                .is_some_and(|t| !t.is_null())
            {
                v.push((
                    "total_cells".into(),
                    format!("{cpath}.ground_truth.total_cells"),
                ));
            }
            v
        }
        "marker_gene_separation" => vec![
            ("per_gene_stats".into(), cpath.to_string()),
            ("mean_auroc".into(), cpath.to_string()),
        ],
        "spatial_adjacency" => crate::graders::spatial_adjacency::FIELDS
            .iter()
            .map(|f| (f.to_string(), cpath.to_string()))
            .collect(),
        "list_match" | "dict_match" | "longest_subsequence" => config
            .get("answer_field")
            .and_then(Value::as_str)
            .map(|f| vec![(f.to_string(), af)])
            .unwrap_or_default(),
        "predicate_leaf" => match config.get("answer_field").and_then(Value::as_str) {
            Some(f) if f.starts_with("$.") => {
                let name: String = f[2..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if name.is_empty() {
                    vec![]
                } else {
                    vec![(name, af)]
                }
            }
            Some(f) if !f.starts_with('$') => vec![(f.to_string(), af)],
            _ => vec![],
        },
        _ => vec![],
    }
}

/// snake_case identifiers in the prompt (likely answer keys), other than `except`.
fn prompt_identifiers(task: &str, except: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for tok in task.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')) {
        let snake = tok.contains('_')
            && tok.starts_with(|c: char| c.is_ascii_lowercase())
            && tok
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if snake && tok != except && !out.iter().any(|o| o == tok) {
            out.push(format!("`{tok}`"));
        }
        if out.len() >= 3 {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse;

    fn codes(eval: &str) -> Vec<&'static str> {
        lint_eval("t.json", &parse(eval).unwrap())
            .iter()
            .map(|f| f.code)
            .collect()
    }

    #[test]
    fn misplaced_thresholds_are_errors() {
        let e = r#"{"id": "x", "task": "Return {\"top_marker_genes\": []}", "grader": {"type": "marker_gene_precision_recall",
            "config": {"canonical_markers": ["A"], "pass_thresholds": {"recall_at_k": 0.6}}}}"#;
        assert_eq!(codes(e), ["misplaced-setting"]);
    }

    #[test]
    fn field_not_in_prompt() {
        let e = r#"{"id": "x", "task": "Return one field: enriched_types", "grader": {"type": "jaccard_label_set",
            "config": {"ground_truth_labels": ["A"]}}}"#;
        let f = lint_eval("t.json", &parse(e).unwrap());
        assert_eq!(f.len(), 1);
        assert!(
            f[0].message.contains("cell_types_predicted")
                && f[0].message.contains("enriched_types")
        );
    }

    #[test]
    fn clean_eval_has_no_findings() {
        let e = r#"{"id": "x", "task": "Return {\"answer\": \"B\"}", "grader": {"type": "multiple_choice", "config": {"correct_answer": "B"}}}"#;
        assert!(codes(e).is_empty());
        let e = r#"{"id": "x", "task": "Return {\"m\": 0}", "grader": {"type": "numeric_tolerance",
            "config": {"ground_truth": {"m": 0.0}, "tolerances": {"m": {"type": "absolute", "value": 0.05}}}}}"#;
        assert!(codes(e).is_empty());
    }

    #[test]
    fn config_errors_unknown_types_and_wide_tolerances() {
        assert_eq!(
            codes(r#"{"id": "x", "grader": {"type": "nope", "config": {}}}"#),
            ["unknown-type"]
        );
        assert_eq!(
            codes(r#"{"id": "x", "grader": {"type": "multiple_choice", "config": {}}}"#),
            ["config-error"]
        );
        let e = r#"{"id": "x", "grader": {"type": "numeric_tolerance",
            "config": {"ground_truth": {"m": 2}, "tolerances": {"m": {"type": "absolute", "value": 3}}}}}"#;
        assert_eq!(codes(e), ["wide-tolerance"]);
        let e = r#"{"id": "x", "grader": {"type": "numeric_tolerance",
            "config": {"ground_truth": {"value": 2}, "tolerances": {"type": "absolute", "value": 3}}}}"#;
        assert!(codes(e).contains(&"grader-crash"));
    }
}
