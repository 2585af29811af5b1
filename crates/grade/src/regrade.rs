//! Regrading a benchmark folder: find eval JSONs and runs among a set of
//! files (path + text, so the browser can feed dropped files and the command
//! line a directory walk), match each run to its eval, regrade, and compare
//! with the recorded verdict.

use crate::extract::extract_answer_from_file;
use crate::lint::is_eval;
use crate::result::GraderResult;
use crate::value::Value;
use crate::{eval_passed, eval_score, grade_eval, json};
use std::collections::BTreeMap;

/// An eval found among the files.
#[derive(Clone, Debug)]
pub struct EvalEntry {
    pub id: String,
    pub path: String,
    pub eval: Value,
}

/// A run: the folder holding `eval_answer.json`, with `result.json` beside it when present.
#[derive(Clone, Debug)]
pub struct RunFiles {
    pub dir: String,
    pub answer_text: String,
    pub result_text: Option<String>,
}

/// The regrade of one run.
#[derive(Clone, Debug)]
pub struct RunVerdict {
    pub eval_id: String,
    pub run_path: String,
    pub passed: bool,
    pub score: f64,
    pub recorded_passed: Option<bool>,
    pub recorded_score: Option<f64>,
    /// `Some(true)` when the regraded verdict (and score, when recorded) equals the recorded one.
    pub agrees: Option<bool>,
    pub results: Vec<GraderResult>,
    /// Why the answer could not be read, if it could not.
    pub note: Option<String>,
}

impl RunVerdict {
    /// One JSON Lines record: eval_id, run, passed, score, recorded_*, agrees.
    pub fn to_value(&self) -> Value {
        let opt_b = |b: Option<bool>| b.map(Value::Bool).unwrap_or(Value::Null);
        let opt_f = |f: Option<f64>| f.map(Value::Float).unwrap_or(Value::Null);
        Value::Object(crate::obj! {
            "eval_id" => self.eval_id.as_str(),
            "run" => self.run_path.as_str(),
            "passed" => self.passed,
            "score" => self.score,
            "recorded_passed" => opt_b(self.recorded_passed),
            "recorded_score" => opt_f(self.recorded_score),
            "agrees" => opt_b(self.agrees),
        })
    }
}

/// Per-eval table row.
#[derive(Clone, Debug, Default)]
pub struct EvalSummary {
    pub runs: usize,
    pub passed: usize,
    pub with_record: usize,
    pub agreeing: usize,
}

#[derive(Clone, Debug, Default)]
pub struct Report {
    pub evals: Vec<EvalEntry>,
    pub runs: Vec<RunVerdict>,
    /// Runs whose eval could not be identified (run folder, reason).
    pub unmatched: Vec<(String, String)>,
    /// Files that looked relevant but could not be read (path, reason).
    pub problems: Vec<(String, String)>,
}

impl Report {
    pub fn per_eval(&self) -> BTreeMap<String, EvalSummary> {
        let mut m: BTreeMap<String, EvalSummary> = BTreeMap::default();
        for r in &self.runs {
            let e = m.entry(r.eval_id.clone()).or_default();
            e.runs += 1;
            e.passed += r.passed as usize;
            if let Some(a) = r.agrees {
                e.with_record += 1;
                e.agreeing += a as usize;
            }
        }
        m
    }
}

fn file_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

fn parent(path: &str) -> &str {
    match path.rfind(['/', '\\']) {
        Some(i) => &path[..i],
        None => "",
    }
}

/// Find evals among `(path, text)` JSON files. Unparseable candidates are skipped.
pub fn find_evals(files: &[(String, String)]) -> Vec<EvalEntry> {
    let mut out = Vec::new();
    for (path, text) in files {
        let name = file_name(path);
        if !name.ends_with(".json") || name == "eval_answer.json" || name == "result.json" {
            continue;
        }
        // Cheap pre-filter so large trajectories are not parsed for nothing.
        if !(text.contains("\"grader\"") || text.contains("\"graders\"")) {
            continue;
        }
        let Ok(v) = json::parse(text) else { continue };
        if is_eval(&v) {
            let id = match v.get("id") {
                Some(Value::Str(s)) => s.clone(),
                Some(other) => crate::py::py_str(other),
                None => continue,
            };
            out.push(EvalEntry {
                id,
                path: path.clone(),
                eval: v,
            });
        }
    }
    out
}

/// Group `eval_answer.json` / `result.json` files into runs by folder.
pub fn find_runs(files: &[(String, String)]) -> Vec<RunFiles> {
    let mut by_dir: BTreeMap<String, (Option<String>, Option<String>)> = BTreeMap::default();
    for (path, text) in files {
        match file_name(path) {
            "eval_answer.json" => {
                by_dir.entry(parent(path).to_string()).or_default().0 = Some(text.clone())
            }
            "result.json" => {
                by_dir.entry(parent(path).to_string()).or_default().1 = Some(text.clone())
            }
            _ => {}
        }
    }
    by_dir
        .into_iter()
        .filter_map(|(dir, (a, r))| {
            a.map(|answer_text| RunFiles {
                dir,
                answer_text,
                result_text: r,
            })
        })
        .collect()
}

/// The recorded `(task id, passed, score)` of a `result.json`.
pub fn recorded(result: &Value) -> (Option<String>, Option<bool>, Option<f64>) {
    let task = result
        .get("task")
        .and_then(Value::as_str)
        .map(str::to_string);
    let res = result.get("result");
    let passed = res
        .and_then(|r| r.get("passed"))
        .and_then(Value::as_bool)
        .or_else(|| {
            res.and_then(|r| r.get("grader_result"))
                .and_then(|g| g.get("passed"))
                .and_then(Value::as_bool)
        });
    let score = res
        .and_then(|r| r.get("grader_result"))
        .and_then(|g| g.get("score"))
        .and_then(Value::as_f64);
    (task, passed, score)
}

/// Match a run to an eval: the result's task id, else any folder name on the run's path.
pub fn match_eval<'a>(
    evals: &'a [EvalEntry],
    run_dir: &str,
    task: Option<&str>,
) -> Option<&'a EvalEntry> {
    if let Some(t) = task {
        if let Some(e) = evals.iter().find(|e| e.id == t) {
            return Some(e);
        }
    }
    let parts: Vec<&str> = run_dir.split(['/', '\\']).collect();
    parts
        .iter()
        .rev()
        .find_map(|p| evals.iter().find(|e| e.id == *p))
}

/// Regrade one run's answer with an eval and compare with the record.
pub fn regrade_run(eval: &EvalEntry, run: &RunFiles) -> RunVerdict {
    let answer = extract_answer_from_file(&run.answer_text);
    let note = answer
        .is_none()
        .then(|| "eval_answer.json is not valid JSON or is null; graded as no answer".to_string());
    let results = match &answer {
        Some(a) => grade_eval(&eval.eval, a),
        None => Vec::new(),
    };
    let passed = eval_passed(&results);
    let score = if results.len() == 1 {
        results[0].score
    } else {
        eval_score(&results)
    };
    let rec = run.result_text.as_deref().and_then(|t| json::parse(t).ok());
    let (_, recorded_passed, recorded_score) =
        rec.as_ref().map(recorded).unwrap_or((None, None, None));
    let agrees = recorded_passed
        .map(|rp| rp == passed && recorded_score.is_none_or(|rs| (rs - score).abs() <= 1e-9));
    RunVerdict {
        eval_id: eval.id.clone(),
        run_path: run.dir.clone(),
        passed,
        score,
        recorded_passed,
        recorded_score,
        agrees,
        results,
        note,
    }
}

/// Find evals and runs among the files and regrade every run.
pub fn regrade_files(files: &[(String, String)]) -> Report {
    let evals = find_evals(files);
    let mut report = Report {
        evals,
        ..Default::default()
    };
    for run in find_runs(files) {
        let rec = run.result_text.as_deref().map(json::parse);
        if let Some(Err(e)) = &rec {
            report
                .problems
                .push((format!("{}/result.json", run.dir), e.to_string()));
        }
        let task = rec
            .as_ref()
            .and_then(|r| r.as_ref().ok())
            .and_then(|r| recorded(r).0);
        match match_eval(&report.evals, &run.dir, task.as_deref()) {
            Some(e) => {
                let v = regrade_run(e, &run);
                report.runs.push(v);
            }
            None => report.unmatched.push((
                run.dir.clone(),
                match task {
                    Some(t) => format!(
                        "no eval with id `{t}` (from result.json) or a folder name on the path"
                    ),
                    None => "no eval id matches a folder name on the path".into(),
                },
            )),
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(p: &str, t: &str) -> (String, String) {
        (p.to_string(), t.to_string())
    }

    #[test]
    fn finds_matches_and_compares() {
        let eval = r#"{"id": "e1", "grader": {"type": "multiple_choice", "config": {"correct_answer": "B"}}}"#;
        let files = vec![
            f("b/evals/e1.json", eval),
            f("b/runs/e1/r1/eval_answer.json", r#"{"answer": "b"}"#),
            f(
                "b/runs/e1/r1/result.json",
                r#"{"result": {"passed": true, "grader_result": {"score": 1.0}}}"#,
            ),
            f("b/runs/x/r2/eval_answer.json", r#"{"answer": "C"}"#),
            f(
                "b/runs/x/r2/result.json",
                r#"{"task": "e1", "result": {"passed": true}}"#,
            ),
            f("b/runs/y/eval_answer.json", "not json"),
        ];
        let r = regrade_files(&files);
        assert_eq!(r.evals.len(), 1);
        assert_eq!(r.runs.len(), 2);
        assert_eq!(r.runs[0].agrees, Some(true));
        assert_eq!(r.runs[1].agrees, Some(false));
        assert_eq!(r.unmatched.len(), 1);
    }
}
