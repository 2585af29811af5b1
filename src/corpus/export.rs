//! What the Findings page offers for download: the class × model table as
//! named columns of plain values (the page's table exports them as CSV or
//! JSON like every other table), and the findings of every run in the same
//! JSON shape `sbx findings --json` writes.

use serde_json::{json, Value};

use super::summary::{ClassModelRow, PassRate, RunFindings, Share};

/// (key, label) of each column of the class × model table, in order.
pub const COLUMNS: [(&str, &str); 24] = [
    ("class", "Class"),
    ("model", "Model"),
    ("harness", "Harness"),
    ("scanned", "Runs scanned"),
    ("checked", "Checked"),
    ("committed", "Committed"),
    ("committed_rate", "Committed share"),
    ("committed_lo", "Committed 95% low"),
    ("committed_hi", "Committed 95% high"),
    ("avoided", "Avoided"),
    ("avoided_rate", "Avoided share"),
    ("avoided_lo", "Avoided 95% low"),
    ("avoided_hi", "Avoided 95% high"),
    ("unclear", "Unclear"),
    ("unclear_rate", "Unclear share"),
    ("unclear_lo", "Unclear 95% low"),
    ("unclear_hi", "Unclear 95% high"),
    ("committed_passed", "Committed: passed"),
    ("committed_graded", "Committed: graded"),
    ("committed_pass_rate", "Committed: pass rate"),
    ("avoided_passed", "Avoided: passed"),
    ("avoided_graded", "Avoided: graded"),
    ("avoided_pass_rate", "Avoided: pass rate"),
    ("pass_rate_difference", "Pass rate, avoided − committed"),
];

/// The label of the model column in the row that counts every model.
pub const ALL_MODELS: &str = "all models";

fn num(v: Option<f64>) -> Value {
    v.and_then(serde_json::Number::from_f64)
        .map_or(Value::Null, Value::Number)
}

fn share(s: &Share) -> [Value; 4] {
    [
        s.count.into(),
        num(s.rate),
        num(Some(s.lo)),
        num(Some(s.hi)),
    ]
}

fn pass(p: &PassRate) -> [Value; 3] {
    [p.passed.into(), p.graded.into(), num(p.rate)]
}

/// The values of one row, in [`COLUMNS`] order: strings for the names,
/// numbers for counts and fractions, `null` where a rate has no runs.
pub fn row_values(r: &ClassModelRow) -> Vec<Value> {
    let mut v = vec![
        r.class.id().into(),
        r.model.clone().unwrap_or_else(|| ALL_MODELS.into()).into(),
        r.harness.clone().unwrap_or_default().into(),
        r.scanned.into(),
        r.checked.into(),
    ];
    v.extend(share(&r.committed));
    v.extend(share(&r.avoided));
    v.extend(share(&r.unclear));
    v.extend(pass(&r.pass_committed));
    v.extend(pass(&r.pass_avoided));
    let diff = r
        .pass_avoided
        .rate
        .zip(r.pass_committed.rate)
        .map(|(a, c)| a - c);
    v.push(num(diff));
    v
}

/// One value as a CSV field: text as is, numbers as JSON writes them, null empty.
fn csv_field(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => crate::view::csv::csv_field(s),
        other => crate::view::csv::csv_field(&other.to_string()),
    }
}

/// The class × model table as CSV: a header of column keys, one line per row.
pub fn table_csv(rows: &[ClassModelRow]) -> String {
    let mut out = COLUMNS.map(|c| c.0).join(",");
    out.push('\n');
    for r in rows {
        let line: Vec<String> = row_values(r).iter().map(csv_field).collect();
        out.push_str(&line.join(","));
        out.push('\n');
    }
    out
}

/// The class × model table as a JSON list of objects keyed by column.
pub fn table_json(rows: &[ClassModelRow]) -> Value {
    rows.iter()
        .map(|r| {
            let m: serde_json::Map<String, Value> = COLUMNS
                .iter()
                .map(|c| c.0.to_string())
                .zip(row_values(r))
                .collect();
            Value::Object(m)
        })
        .collect()
}

/// Every run's findings, as `sbx findings --json` writes them; `folder` is
/// the suite the run was loaded from and `run` its id.
pub fn runs_document(runs: &[RunFindings]) -> Value {
    let runs: Vec<Value> = runs
        .iter()
        .map(|r| {
            json!({
                "folder": r.run.suite,
                "run": r.run.id,
                "eval": r.run.eval_id,
                "model": r.run.model,
                "harness": r.run.harness,
                "passed": r.run.passed,
                "findings": r.findings,
            })
        })
        .collect();
    json!({ "runs": runs })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::summary::summarize;
    use sbx_findings::{Evidence, FailureClass, Finding, Verdict};
    use sbx_suite::RunSummary;

    fn runs() -> Vec<RunFindings> {
        let summary = |id: &str, passed| RunSummary {
            suite: "scbench".into(),
            id: id.into(),
            eval_id: "DE01".into(),
            provider: "openai".into(),
            model: "gpt".into(),
            harness: "codex".into(),
            run_index: 1,
            passed,
            score: None,
            duration_s: None,
            cost_usd: None,
            has_answer: true,
            trajectory_format: None,
            n_steps: None,
        };
        let finding = |verdict| Finding {
            class: FailureClass::Pseudoreplication,
            verdict,
            rule: "cell_level_test".into(),
            reason: "A Wilcoxon test over cells.".into(),
            evidence: vec![Evidence {
                step: 4,
                excerpt: "rank_genes_groups".into(),
                start: 10,
                end: 27,
            }],
        };
        vec![
            RunFindings {
                run: summary("a", Some(false)),
                findings: vec![finding(Verdict::Committed)],
            },
            RunFindings {
                run: summary("b", Some(true)),
                findings: vec![finding(Verdict::Avoided)],
            },
            RunFindings {
                run: summary("c", None),
                findings: vec![],
            },
        ]
    }

    #[test]
    fn rows_have_one_value_per_column() {
        let rows = summarize(&runs());
        let all = &rows[0];
        let v = row_values(all);
        assert_eq!(v.len(), COLUMNS.len());
        let get = |k: &str| &v[COLUMNS.iter().position(|c| c.0 == k).unwrap()];
        assert_eq!(get("class"), "pseudoreplication");
        assert_eq!(get("model"), ALL_MODELS);
        assert_eq!(get("scanned"), 3);
        assert_eq!(get("checked"), 2);
        assert_eq!(get("committed"), 1);
        assert_eq!(get("committed_rate"), 0.5);
        assert_eq!(get("committed_pass_rate"), 0.0);
        assert_eq!(get("avoided_pass_rate"), 1.0);
        assert_eq!(get("pass_rate_difference"), 1.0);
        let lo = get("committed_lo").as_f64().unwrap();
        assert!(lo > 0.0 && lo < 0.5);
        // A class that applied to nothing: counts 0, rates null.
        let other = rows
            .iter()
            .find(|r| r.class == FailureClass::SpotAsCell && r.model.is_none())
            .unwrap();
        let v = row_values(other);
        assert_eq!(
            v[COLUMNS
                .iter()
                .position(|c| c.0 == "committed_rate")
                .unwrap()],
            Value::Null
        );
    }

    #[test]
    fn csv_and_json_tables() {
        let rows = summarize(&runs());
        let csv = table_csv(&rows);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), rows.len() + 1);
        assert!(lines[0].starts_with("class,model,harness,scanned,checked,committed,"));
        assert!(
            lines[1].starts_with("pseudoreplication,all models,,3,2,1,0.5,"),
            "{}",
            lines[1]
        );
        // Null rates are empty fields; every line has every column.
        for l in &lines {
            assert_eq!(l.split(',').count(), COLUMNS.len(), "{l}");
        }
        let json = table_json(&rows);
        assert_eq!(json[1]["model"], "gpt");
        assert_eq!(json[1]["harness"], "codex");
        assert_eq!(json[1]["avoided"], 1);
        assert_eq!(csv_field(&json!("a,\"b\"")), "\"a,\"\"b\"\"\"");
    }

    #[test]
    fn runs_document_has_the_command_line_shape() {
        let doc = runs_document(&runs());
        let first = &doc["runs"][0];
        assert_eq!(first["folder"], "scbench");
        assert_eq!(first["run"], "a");
        assert_eq!(first["passed"], false);
        assert_eq!(first["findings"][0]["class"], "pseudoreplication");
        assert_eq!(first["findings"][0]["verdict"], "committed");
        assert_eq!(first["findings"][0]["evidence"][0]["end"], 27);
        assert_eq!(doc["runs"][2]["passed"], Value::Null);
        assert_eq!(doc["runs"][2]["findings"], json!([]));
    }
}
