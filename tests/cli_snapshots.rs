//! `sbx grade`, `sbx lint`, `sbx regrade` and `sbx findings` on the small synthetic benchmark
//! folder `tests/fixtures/cli/` (three evals, four recorded runs, one of them
//! disagreeing with its regrade, and a hidden folder the walker skips),
//! with exit status, standard output and standard error snapshotted by insta.
//! After a deliberate change of the output, `cargo insta review` (or
//! `INSTA_UPDATE=always cargo test --test cli_snapshots`) rewrites the
//! snapshots in `tests/snapshots/` to be looked at and committed.

use std::path::PathBuf;
use std::process::Command;

use insta_cmd::{assert_cmd_snapshot, get_cargo_bin};

/// `sbx ARGS` run in the fixture folder, so every path it prints is relative.
fn sbx(args: &[&str]) -> Command {
    let mut cmd = Command::new(get_cargo_bin("sbx"));
    cmd.current_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cli"))
        .args(args);
    cmd
}

#[test]
fn grade_prints_one_verdict_per_case_and_reports_bad_lines() {
    assert_cmd_snapshot!(sbx(&["grade", "--cases", "cases.jsonl", "--jobs", "1"]));
}

#[test]
fn lint_reports_findings_per_eval() {
    assert_cmd_snapshot!(sbx(&["lint", "tinybench"]));
}

#[test]
fn regrade_tabulates_runs_and_names_the_disagreement() {
    assert_cmd_snapshot!(sbx(&["regrade", "tinybench"]));
}

/// `tests/fixtures/cli/findingsbench`: five short runs, each with one or two
/// failure classes committed or avoided (cell-level vs pseudobulk tests,
/// library-size vs cell-area normalisation of a panel, a source lookup,
/// deconvolution of spots).
#[test]
fn findings_tabulates_the_classes_of_each_run() {
    assert_cmd_snapshot!(sbx(&["findings", "findingsbench"]));
}

#[test]
fn findings_json_has_the_stable_shape() {
    let out = std::env::temp_dir().join(format!("sbx-findings-snap-{}.json", std::process::id()));
    let status = sbx(&["findings", "findingsbench", "--json"])
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let text = std::fs::read_to_string(&out).unwrap();
    let _ = std::fs::remove_file(&out);
    insta::assert_snapshot!(text);
}
