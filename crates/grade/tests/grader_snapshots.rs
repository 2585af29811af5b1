//! One fixture per grader type (`tests/fixtures/graders/<type>.json`: named
//! cases of a grader spec and an answer, passing, failing and misconfigured),
//! graded and snapshotted with insta: the verdict, score, metrics and
//! reasoning of every case are in `tests/snapshots/`. A change to any of them
//! fails the test; after a deliberate one, `cargo insta review` (or
//! `INSTA_UPDATE=always cargo test -p sbx-grade --test grader_snapshots`)
//! rewrites the snapshots to be looked at and committed.

use std::fmt::Write as _;
use std::path::PathBuf;

use sbx_grade::graders::{canonical_type, REGISTRY};
use sbx_grade::{grade_value, parse, to_python_json, Value};

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/graders")
}

/// Every case of one fixture graded, as the text that is snapshotted.
fn graded(grader_type: &str) -> String {
    let path = fixture_dir().join(format!("{grader_type}.json"));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (one fixture per grader type)", path.display()));
    let fixture = parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(
        fixture.get("grader_type").and_then(Value::as_str),
        Some(grader_type),
        "{}",
        path.display()
    );
    let cases = fixture
        .get("cases")
        .and_then(Value::as_array)
        .unwrap_or_else(|| panic!("{}: no `cases` list", path.display()));
    assert!(cases.len() >= 3, "{}: at least three cases", path.display());
    let mut out = String::new();
    for case in cases {
        let name = case.get("name").and_then(Value::as_str).unwrap_or("?");
        let grader = case.get("grader").expect("case has a grader");
        let answer = case.get("answer").cloned().unwrap_or(Value::Null);
        let r = grade_value(grader, &answer);
        writeln!(out, "## {name}").unwrap();
        writeln!(
            out,
            "passed: {}  score: {}/{}  configuration_error: {}",
            r.passed,
            to_python_json(&Value::Float(r.score)),
            to_python_json(&Value::Float(r.score_max)),
            r.configuration_error
        )
        .unwrap();
        writeln!(
            out,
            "metrics: {}",
            to_python_json(&Value::Object(r.metrics.clone()))
        )
        .unwrap();
        writeln!(out, "reasoning:").unwrap();
        for line in &r.reasoning {
            for l in line.lines() {
                writeln!(out, "  | {l}").unwrap();
            }
        }
        out.push('\n');
    }
    out
}

/// The grader types that have their own module (aliases share their target's fixture).
fn canonical_types() -> Vec<&'static str> {
    REGISTRY
        .iter()
        .map(|(name, _)| *name)
        .filter(|name| canonical_type(name) == Some(*name))
        .collect()
}

#[test]
fn every_grader_type_has_a_fixture_and_no_fixture_is_stray() {
    let types = canonical_types();
    assert_eq!(types.len(), 16);
    let mut files: Vec<String> = std::fs::read_dir(fixture_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut want: Vec<String> = types.iter().map(|t| format!("{t}.json")).collect();
    want.sort();
    assert_eq!(files, want);
}

#[test]
fn grader_verdicts_and_reasoning() {
    let mut settings = insta::Settings::clone_current();
    settings.set_prepend_module_to_snapshot(false);
    settings.set_snapshot_path("snapshots/graders");
    settings.bind(|| {
        for grader_type in canonical_types() {
            let text = graded(grader_type);
            insta::assert_snapshot!(grader_type, text);
        }
    });
}
