//! `sbx bundle` on the real benchmark folders and on a folder with broken files.
//! The first test fails loudly without ../shared (acceptance test).
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};
use std::process::Command;

use sbx_suite::{read_manifest, Bundle};

const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/bench");

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("sbx-cli-bundle-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

fn read_tree(root: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(root)
                    .expect("prefix")
                    .to_string_lossy()
                    .replace('\\', "/");
                out.push((rel, std::fs::read(&p).expect("read")));
            }
        }
    }
    out
}

#[test]
fn bundles_the_three_benchmark_folders() {
    for name in ["spatialbench", "scbench", "spatialbench-long"] {
        assert!(
            Path::new(SHARED).join(name).is_dir(),
            "../shared/bench/{name} is required for this test"
        );
    }
    let out = temp_dir("bench");
    let status = Command::new(env!("CARGO_BIN_EXE_sbx"))
        .arg("bundle")
        .args(["spatialbench", "scbench", "spatialbench-long"].map(|n| Path::new(SHARED).join(n)))
        .arg("-o")
        .arg(&out)
        .arg("--strict")
        .output()
        .expect("runs sbx");
    let stdout = String::from_utf8_lossy(&status.stdout);
    assert!(
        status.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&status.stderr)
    );
    assert!(
        stdout.contains("scbench: 6 evals, 273 runs, 18 trajectories, 4 results tables"),
        "{stdout}"
    );
    assert!(stdout.contains("0 load errors, 0 warnings"), "{stdout}");

    let m = read_manifest(&std::fs::read(out.join("manifest.json")).expect("manifest written"))
        .expect("valid manifest");
    let counts: Vec<(&str, usize, usize)> = m
        .suites
        .iter()
        .map(|s| (s.name.as_str(), s.n_evals, s.n_runs))
        .collect();
    assert_eq!(
        counts,
        vec![
            ("spatialbench", 10, 0),
            ("scbench", 6, 273),
            ("spatialbench-long", 4, 16)
        ]
    );
    // Everything written reads back through the same accessors the page uses.
    let bundle = Bundle::from_files(read_tree(&out)).expect("bundle reads back");
    assert_eq!(bundle.files.len(), m.files.len() + 1);
    let id = "visium_perineural_proximity/openai/gpt-5.5/openai-codex/r1";
    let run = bundle
        .run("spatialbench-long", id)
        .expect("runs file")
        .expect("run");
    assert_eq!(run.passed(), Some(false));
    let steps = bundle
        .trajectory("spatialbench-long", id)
        .expect("trajectory")
        .expect("has one");
    assert!(steps.len() > 50);

    // Bundling again into the same folder replaces the old bundle cleanly.
    let again = Command::new(env!("CARGO_BIN_EXE_sbx"))
        .args(["bundle", &format!("{SHARED}/spatialbench"), "-o"])
        .arg(&out)
        .output()
        .expect("runs sbx");
    assert!(again.status.success());
    let files = read_tree(&out);
    assert!(
        files.iter().all(|(p, _)| !p.starts_with("trajectories/")),
        "old trajectory files removed"
    );
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn broken_files_are_named_and_strict_fails() {
    let src = temp_dir("broken-src").join("mybench");
    let write = |rel: &str, text: &str| {
        let p = src.join(rel);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(p, text).expect("write");
    };
    write(
        "evals/qc/count_cells.json",
        r#"{"id": "count_cells", "task": "Count the cells.", "grader": {"type": "numeric_tolerance", "config": {}}, "metadata": {"task": "qc", "kit": "xenium"}}"#,
    );
    write("evals/qc/broken.json", r#"{"id": "broken", "task": "#);
    let run = "trajectories/count_cells/openai/gpt-x/mini-swe-agent/r1";
    write(&format!("{run}/eval_answer.json"), r#"{"n_cells": 10}"#);
    write(
        &format!("{run}/result.json"),
        r#"{"task": "count_cells", "result": {"passed": true}}"#,
    );
    write(
        &format!("{run}/trajectory.json"),
        "[{\"type\": \"thread.started\"",
    );
    let out = temp_dir("broken-out");

    let lenient = Command::new(env!("CARGO_BIN_EXE_sbx"))
        .arg("bundle")
        .arg(&src)
        .arg("-o")
        .arg(&out)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&lenient.stderr);
    assert!(lenient.status.success(), "{stderr}");
    assert!(
        stderr.contains("error: mybench/evals/qc/broken.json: eval not loaded: invalid JSON"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "error: mybench/{run}/trajectory.json: trajectory not loaded: invalid JSON"
        )),
        "{stderr}"
    );
    let m =
        read_manifest(&std::fs::read(out.join("manifest.json")).expect("manifest")).expect("valid");
    assert_eq!((m.evals.len(), m.runs.len(), m.issues.len()), (1, 1, 2));
    assert_eq!(m.runs[0].summary.passed, Some(true));

    let strict = Command::new(env!("CARGO_BIN_EXE_sbx"))
        .arg("bundle")
        .arg(&src)
        .arg("-o")
        .arg(&out)
        .arg("--strict")
        .output()
        .expect("runs");
    assert_eq!(strict.status.code(), Some(1));

    let empty = temp_dir("empty");
    let none = Command::new(env!("CARGO_BIN_EXE_sbx"))
        .arg("bundle")
        .arg(&empty)
        .arg("-o")
        .arg(&out)
        .output()
        .expect("runs");
    assert_eq!(none.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&none.stderr).contains("no benchmark files found"));
    for d in [src.parent().expect("parent").to_path_buf(), out, empty] {
        let _ = std::fs::remove_dir_all(d);
    }
}
