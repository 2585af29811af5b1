//! Hostile suites, trajectories and bundle manifests through the real
//! loaders: a bad file is reported with its path and reason while the good
//! ones still load, and nothing panics (the fuzz corpus included).

#[path = "../../../tests/support/corpus.rs"]
mod corpus_support;
use corpus_support::{assert_mentions, corpus, fuzz_inputs};

fn load(files: Vec<(&str, Vec<u8>)>) -> (sbx_suite::Suite, Vec<sbx_suite::LoadIssue>) {
    sbx_suite::load_suite(
        files.into_iter().map(|(p, b)| (p.to_string(), b)),
        &mut |_, _| {},
    )
}

#[test]
fn suite_with_hostile_files_keeps_the_good_ones() {
    let good = br#"{"id":"good","task":"t","grader":{"type":"multiple_choice","config":{"correct_answer":"A"}}}"#.to_vec();
    let (suite, issues) = load(vec![
        ("bench/evals/good.json", good),
        (
            "bench/evals/string_grader.json",
            corpus("eval_grader_is_string.json"),
        ),
        (
            "bench/evals/graders_obj.json",
            corpus("eval_graders_not_list.json"),
        ),
        ("bench/evals/id_number.json", corpus("eval_id_number.json")),
        ("bench/evals/latin1.json", corpus("non_utf8.json")),
        (
            "bench/evals/truncated.json",
            br#"{"id":"t","task":"#.to_vec(),
        ),
    ]);
    assert_eq!(suite.name, "bench");
    assert!(
        suite.evals.iter().any(|e| e.id == "good"),
        "the good eval is kept"
    );
    for path in [
        "latin1.json",
        "truncated.json",
        "id_number.json",
        "string_grader.json",
    ] {
        let issue = issues
            .iter()
            .find(|i| i.path.ends_with(path))
            .unwrap_or_else(|| panic!("no issue for {path}: {issues:?}"));
        assert!(!issue.message.is_empty());
    }
    let message = |p: &str| &issues.iter().find(|i| i.path.ends_with(p)).unwrap().message;
    assert_mentions(message("latin1.json"), &["not UTF-8", "0xe9", "offset 11"]);
    assert_mentions(message("id_number.json"), &["`id`", "string", "number"]);
    assert_mentions(
        message("string_grader.json"),
        &["`grader`", "object", "string"],
    );
    assert_mentions(message("truncated.json"), &["invalid JSON", "EOF"]);
    // `graders` as an object of named specs is a layout the loader accepts.
    assert!(suite.evals.iter().any(|e| e.id == "e2"));
}

#[test]
fn trajectories_unknown_events_are_kept() {
    let t =
        sbx_suite::parse_trajectory("t.jsonl", &corpus("trajectory_unknown_events.jsonl")).unwrap();
    assert_eq!(t.steps.len(), 3, "{:?}", t.steps);
    assert!(t.steps.iter().all(|s| s.kind() == "unknown"));
}

#[test]
fn trajectories_broken_bytes_are_errors() {
    let e = sbx_suite::parse_trajectory("t.json", &corpus("non_utf8.json")).unwrap_err();
    assert_mentions(&e, &["UTF-8"]);
    let e = sbx_suite::parse_trajectory("t.jsonl", b"{\"type\":\"x\"}\n{broken\n").unwrap_err();
    assert_mentions(&e, &["2"]);
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let e = sbx_suite::parse_trajectory("t.json", deep.as_bytes()).unwrap_err();
    assert!(e.contains("recursion") || e.contains("depth"), "{e}");
    // A 50 MB tool output stays one step.
    let big = format!(
        "[{{\"type\":\"mystery\",\"text\":\"{}\"}}]",
        "x".repeat(50 << 20)
    );
    let t = sbx_suite::parse_trajectory("t.json", big.as_bytes()).unwrap();
    assert_eq!(t.steps.len(), 1);
}

#[test]
fn manifests_broken_are_errors() {
    for (name, words) in [
        ("manifest_wrong_format.json", &["format"][..]),
        ("manifest_future_version.json", &["version"][..]),
        ("manifest_unsafe_path.json", &["../"][..]),
        ("non_utf8.json", &["manifest.json"][..]),
    ] {
        let e = sbx_suite::read_manifest(&corpus(name))
            .unwrap_err()
            .to_string();
        assert_mentions(&e, words);
    }
    let e = sbx_suite::read_manifest(b"").unwrap_err().to_string();
    assert_mentions(&e, &["manifest.json"]);
}

// ---- fuzz corpus replay ----
// Every input kept under fuzz/corpus/<target>/ (including minimised crash
// reproducers) is run again with the fuzz target's own checks, so the
// regressions run in the normal `cargo test`.

#[test]
fn fuzz_corpus_trajectory_parses_or_errors_without_panic() {
    let mut parsed = 0;
    for (p, b) in fuzz_inputs("trajectory") {
        for path in ["run/trajectory.json", "run/trajectory.jsonl"] {
            match sbx_suite::parse_trajectory(path, &b) {
                Ok(t) => {
                    parsed += 1;
                    assert_eq!(t.source_path, path, "{}", p.display());
                    // Every step has a kind to show; reading the answer never panics.
                    for s in &t.steps {
                        assert!(!s.kind().is_empty(), "{}", p.display());
                    }
                    let _ = t.final_answer();
                }
                Err(e) => assert!(!e.is_empty(), "{}: an error says why", p.display()),
            }
        }
    }
    assert!(parsed > 0, "the corpus holds inputs that parse");
}

#[test]
fn fuzz_corpus_manifest() {
    for (p, b) in fuzz_inputs("manifest") {
        if let Ok(m) = sbx_suite::read_manifest(&b) {
            assert!(
                m.files
                    .iter()
                    .all(|f| sbx_suite::bundle::is_safe_path(&f.path)),
                "{}",
                p.display()
            );
        }
    }
}
