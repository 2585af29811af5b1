//! `sbx regrade DIR [--json FILE]`: regrade every run under a benchmark folder
//! and compare with the recorded verdicts.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use sbx_grade::regrade::regrade_files;
use sbx_grade::{to_json, DumpOptions};
use sbx_suite::walk::walk_files_with_extension;

#[derive(clap::Args)]
pub struct Args {
    /// Benchmark folder holding eval JSONs and runs (eval_answer.json, result.json).
    pub dir: PathBuf,
    /// Also write one JSON line per run to this file.
    #[arg(long)]
    pub json: Option<PathBuf>,
}

/// Every `*.json` file under `dir` as (path, text), sorted by path.
fn read_json_files(dir: &Path) -> anyhow::Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for path in walk_files_with_extension(dir, "json")
        .with_context(|| format!("cannot read folder {}", dir.display()))?
    {
        match std::fs::read_to_string(&path) {
            Ok(text) => out.push((path.to_string_lossy().into_owned(), text)),
            Err(e) => eprintln!("sbx regrade: skipping {}: {e}", path.display()),
        }
    }
    Ok(out)
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let files = read_json_files(&args.dir)?;
    let report = regrade_files(&files);
    if report.evals.is_empty() {
        anyhow::bail!(
            "{}: no eval JSONs found (a *.json with \"id\" and \"grader\" or \"graders\")",
            args.dir.display()
        );
    }
    let root = args.dir.to_string_lossy().into_owned();
    let rel = |p: &str| {
        p.strip_prefix(&root)
            .map(|s| s.trim_start_matches('/'))
            .unwrap_or(p)
            .to_string()
    };

    let per_eval = report.per_eval();
    let width = per_eval.keys().map(String::len).max().unwrap_or(4).max(4);
    println!(
        "{:width$}  {:>5}  {:>6}  {:>9}  {:>9}",
        "eval", "runs", "passed", "pass rate", "agree"
    );
    for (id, s) in &per_eval {
        let agree = if s.with_record > 0 {
            format!("{}/{}", s.agreeing, s.with_record)
        } else {
            "-".into()
        };
        println!(
            "{id:width$}  {:>5}  {:>6}  {:>8.1}%  {:>9}",
            s.runs,
            s.passed,
            100.0 * s.passed as f64 / s.runs.max(1) as f64,
            agree
        );
    }
    for e in report
        .evals
        .iter()
        .filter(|e| !per_eval.contains_key(&e.id))
    {
        println!(
            "{:width$}  {:>5}  {:>6}  {:>9}  {:>9}",
            e.id, 0, 0, "-", "-"
        );
    }
    for (dir, why) in &report.unmatched {
        eprintln!(
            "sbx regrade: run {} not matched to an eval: {why}",
            rel(dir)
        );
    }
    for (path, why) in &report.problems {
        eprintln!("sbx regrade: {}: {why}", rel(path));
    }
    for r in report.runs.iter().filter(|r| r.agrees == Some(false)) {
        eprintln!(
            "sbx regrade: DISAGREES {} ({}): regraded passed={} score={} vs recorded passed={:?} score={:?}",
            rel(&r.run_path),
            r.eval_id,
            r.passed,
            r.score,
            r.recorded_passed,
            r.recorded_score
        );
    }

    let total = report.runs.len();
    let passed = report.runs.iter().filter(|r| r.passed).count();
    let with_record = report.runs.iter().filter(|r| r.agrees.is_some()).count();
    let agreeing = report
        .runs
        .iter()
        .filter(|r| r.agrees == Some(true))
        .count();
    let mut summary = format!(
        "{total} runs regraded across {} evals: {passed} passed ({:.1}%)",
        per_eval.len(),
        100.0 * passed as f64 / total.max(1) as f64
    );
    if with_record > 0 {
        summary.push_str(&format!(
            "; {agreeing} of {with_record} agree with the recorded verdicts"
        ));
    }
    if !report.unmatched.is_empty() {
        summary.push_str(&format!(
            "; {} runs without a matching eval",
            report.unmatched.len()
        ));
    }
    println!("{summary}");

    if let Some(path) = &args.json {
        let mut f = std::io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot write {}", path.display()))?,
        );
        let opts = DumpOptions {
            ensure_ascii: false,
            compact: false,
        };
        for r in &report.runs {
            let mut v = r.to_value();
            if let sbx_grade::Value::Object(m) = &mut v {
                m.insert("run".into(), sbx_grade::Value::Str(rel(&r.run_path)));
            }
            writeln!(f, "{}", to_json(&v, opts))?;
        }
        f.flush()?;
    }
    Ok(if agreeing < with_record {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
