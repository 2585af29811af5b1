//! `sbx findings DIR... [--json FILE]`: the failure finder over every run
//! with a trajectory in the given benchmark folders; a table on the
//! terminal, or the stable JSON shape with `--json`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use sbx_findings::detect_suite;
use sbx_suite::{load_suite, read_folder};
use serde_json::{json, Value};

#[derive(clap::Args)]
pub struct Args {
    /// Benchmark folders (laid out like scbench / spatialbench-long).
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,
    /// Write `{"runs": [...]}` to this file instead of printing a table.
    #[arg(long)]
    pub json: Option<PathBuf>,
}

/// The run folder relative to the benchmark folder: the loader prefixes
/// paths with the folder's own name.
fn run_path(folder: &str) -> String {
    folder
        .split_once('/')
        .map_or(folder, |(_, rest)| rest)
        .to_string()
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut runs = Vec::new();
    for dir in &args.dirs {
        let files = read_folder(dir).with_context(|| format!("cannot read {}", dir.display()))?;
        let (suite, issues) = load_suite(files.into_iter(), &mut |_, _| {});
        for i in issues {
            eprintln!("{}: {}", i.path, i.message);
        }
        for (run, findings) in detect_suite(&suite) {
            runs.push(json!({
                "folder": dir.display().to_string(),
                "run": run_path(&run.folder),
                "eval": run.eval_id,
                "model": run.model,
                "harness": run.harness,
                "passed": run.passed(),
                "findings": findings,
            }));
        }
    }
    match &args.json {
        Some(path) => {
            let text = serde_json::to_string_pretty(&json!({ "runs": runs }))?;
            std::fs::write(path, text)
                .with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!("{} runs written to {}", runs.len(), path.display());
        }
        None => print_table(&runs),
    }
    Ok(ExitCode::SUCCESS)
}

fn print_table(runs: &[Value]) {
    println!(
        "{:<44} {:<28} {:<14} {:<7} findings",
        "eval", "model", "harness", "passed"
    );
    for r in runs {
        let s = |k: &str| r[k].as_str().unwrap_or("").to_string();
        let passed = match r["passed"].as_bool() {
            Some(true) => "yes",
            Some(false) => "no",
            None => "-",
        };
        let findings: Vec<String> = r["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|f| {
                format!(
                    "{}:{}",
                    f["class"].as_str().unwrap_or("?"),
                    f["verdict"].as_str().unwrap_or("?")
                )
            })
            .collect();
        let shown = if findings.is_empty() {
            "-".to_string()
        } else {
            findings.join(" ")
        };
        println!(
            "{:<44} {:<28} {:<14} {:<7} {shown}",
            clip(&s("eval"), 44),
            clip(&s("model"), 28),
            clip(&s("harness"), 14),
            passed
        );
    }
    println!("{} runs", runs.len());
}

fn clip(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}
