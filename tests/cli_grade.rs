//! Acceptance tests of `sbx grade`, `sbx regrade` and `sbx lint`, run on the
//! built binary against the real benchmark data in `../shared` (required:
//! these tests fail when it is absent).

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

fn shared() -> PathBuf {
    let p = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared"));
    assert!(
        p.is_dir(),
        "benchmark data missing: {} (required for the acceptance tests)",
        p.display()
    );
    p
}

fn sbx(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_sbx"))
        .args(args)
        .output()
        .expect("run sbx");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn regrade_scbench_agrees_on_all_273_runs() {
    let dir = shared().join("bench/scbench");
    let json = std::env::temp_dir().join(format!("sbx-regrade-{}.jsonl", std::process::id()));
    let (code, out, err) = sbx(&[
        "regrade",
        dir.to_str().unwrap(),
        "--json",
        json.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "stdout:\n{out}\nstderr:\n{err}");
    assert!(out.contains("273 runs regraded across 6 evals"), "{out}");
    assert!(
        out.contains("273 of 273 agree with the recorded verdicts"),
        "{out}"
    );
    let lines = std::fs::read_to_string(&json).expect("--json file written");
    let _ = std::fs::remove_file(&json);
    assert_eq!(lines.lines().count(), 273);
    for l in lines.lines() {
        let v = sbx_grade_parse(l);
        assert_eq!(v.get("agrees").and_then(|a| a.as_bool()), Some(true), "{l}");
        for k in [
            "eval_id",
            "run",
            "passed",
            "score",
            "recorded_passed",
            "recorded_score",
        ] {
            assert!(v.get(k).is_some(), "{k} missing in {l}");
        }
    }
}

fn sbx_grade_parse(s: &str) -> spatialbench_explorer::grade::Value {
    spatialbench_explorer::grade::parse(s).expect("JSON line")
}

#[test]
fn lint_flags_exactly_the_two_misconfigured_canonical_evals() {
    let dir = shared().join("bench/spatialbench/evals_canonical");
    let (code, out, _) = sbx(&["lint", dir.to_str().unwrap()]);
    assert_eq!(code, 1, "errors must give exit status 1:\n{out}");
    let findings: Vec<&str> = out
        .lines()
        .filter(|l| l.contains(": error [") || l.contains(": warning ["))
        .collect();
    assert_eq!(findings.len(), 2, "{out}");
    let seeker = findings
        .iter()
        .find(|l| l.contains("seeker_ovary_mural_gc_atretic_follicle_markers.json"))
        .expect("Seeker ovary flagged");
    assert!(
        seeker.contains("$.grader.config.pass_thresholds") && seeker.contains("misplaced-setting"),
        "{seeker}"
    );
    let bone = findings
        .iter()
        .find(|l| l.contains("visium_visium_spatial_niches_bone_meslin.json"))
        .expect("visium bone niche flagged");
    assert!(
        bone.contains("cell_types_predicted") && bone.contains("osteogenic_enriched_celltypes"),
        "{bone}"
    );
    assert!(
        out.contains("10 evals checked: 2 errors, 0 warnings"),
        "{out}"
    );
}

#[test]
fn lint_passes_a_correct_canonical_eval() {
    let f = shared().join(
        "bench/spatialbench/evals_canonical/clustering/visium_bone_clustering_bone_formation.json",
    );
    let (code, out, _) = sbx(&["lint", f.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("1 evals checked: 0 errors, 0 warnings"),
        "{out}"
    );
}

/// `sbx grade --cases -` with piped standard input and output.
fn grade_stdin() -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_sbx"))
        .args(["grade", "--cases", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn sbx")
}

#[test]
fn grade_writes_one_line_per_input_line_in_order() {
    let input = concat!(
        r#"{"grader": {"type": "multiple_choice", "config": {"correct_answer": "B"}}, "answer": {"answer": " b "}}"#,
        "\n",
        "this is not json\n",
        r#"{"grader": {"type": "numeric_tolerance", "config": {"ground_truth": {"x": 0}, "tolerances": {"x": {"type": "relative", "value": 0.1}}}}, "answer": {"x": NaN}}"#,
        "\n",
        r#"{"grader": {"type": "composite", "config": {"children": []}}, "answer": {}, "ignored": 1}"#,
        "\n",
    );
    let mut child = grade_stdin();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert!(
        lines[0].starts_with(
            r#"{"passed": true, "score": 1.0, "score_max": 1.0, "configuration_error": false"#
        ),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with(r#"{"error": "not valid JSON"#),
        "{}",
        lines[1]
    );
    // A NaN answer is not a finite number: failed, its error written as null.
    assert!(
        lines[2].contains(r#""passed": false"#) && lines[2].contains(r#""x_error": null"#),
        "{}",
        lines[2]
    );
    assert!(
        lines[3].contains(r#""configuration_error": true"#),
        "{}",
        lines[3]
    );
}

#[test]
fn grade_public_conformance_file_matches_expected_verdicts() {
    let cases = shared().join("conformance/public.jsonl");
    let (code, out, err) = sbx(&[
        "grade",
        "--nonfinite-sentinels",
        "--cases",
        cases.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let text = std::fs::read_to_string(&cases).unwrap();
    let got: Vec<&str> = out.lines().collect();
    let want: Vec<&str> = text.lines().collect();
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(&want) {
        let (g, w) = (sbx_grade_parse(g), sbx_grade_parse(w));
        let exp = w.get("expected").unwrap();
        assert_eq!(
            g.get("passed").and_then(|v| v.as_bool()),
            exp.get("passed").and_then(|v| v.as_bool())
        );
        assert_eq!(
            g.get("score").and_then(|v| v.as_f64()),
            exp.get("score").and_then(|v| v.as_f64())
        );
        assert_eq!(
            g.get("configuration_error").and_then(|v| v.as_bool()),
            exp.get("configuration_error").and_then(|v| v.as_bool())
        );
    }
}

/// Runs `sbx grade --cases FILE` with extra arguments; returns stdout.
fn grade_file(path: &std::path::Path, extra: &[&str]) -> String {
    let mut args = vec![
        "grade",
        "--nonfinite-sentinels",
        "--cases",
        path.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let (code, out, err) = sbx(&args);
    assert_eq!(code, 0, "{err}");
    out
}

#[test]
fn grade_on_many_threads_writes_the_same_lines_in_input_order() {
    // Three copies of the public cases (several batches) with a broken line and a
    // non-UTF-8 line inside the second batch: every verdict stays on its line.
    let public = std::fs::read(shared().join("conformance/public.jsonl")).unwrap();
    let mut input = Vec::new();
    for copy in 0..3 {
        input.extend_from_slice(&public);
        if copy == 1 {
            input.extend_from_slice(b"{\"grader\": oops\n\xff\xfe not utf-8\n");
        }
    }
    let dir = std::env::temp_dir().join(format!("sbx-grade-threads-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("cases.jsonl");
    std::fs::write(&path, &input).unwrap();
    let one = grade_file(&path, &["--jobs", "1"]);
    let three = grade_file(&path, &["--jobs", "3"]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(one.lines().count(), 6002);
    assert!(one == three, "--jobs 3 wrote different lines from --jobs 1");
    let lines: Vec<&str> = three.lines().collect();
    assert!(
        lines[4000].starts_with(r#"{"error": "not valid JSON"#),
        "{}",
        lines[4000]
    );
    assert!(
        lines[4001].starts_with(r#"{"error": "line 4002: cannot read"#),
        "{}",
        lines[4001]
    );
    // The copies grade alike.
    assert_eq!(lines[..2000], lines[4002..]);
}

#[test]
fn grade_answers_each_line_of_standard_input_before_the_input_ends() {
    use std::io::{BufRead, BufReader};
    let mut child = grade_stdin();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    for answer in ["B", "C"] {
        writeln!(
            stdin,
            r#"{{"grader": {{"type": "multiple_choice", "config": {{"correct_answer": "B"}}}}, "answer": {{"answer": "{answer}"}}}}"#
        )
        .unwrap();
        stdin.flush().unwrap();
        // Standard input is still open: the verdict must come anyway.
        let mut line = String::new();
        stdout.read_line(&mut line).unwrap();
        let passed = answer == "B";
        assert!(line.contains(&format!(r#""passed": {passed}"#)), "{line}");
    }
    drop(stdin);
    assert!(child.wait().unwrap().success());
}
