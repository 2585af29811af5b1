//! Hostile and broken inputs through `sbx` and the page: the command line
//! gives a specific error (naming the problem) and never panics, and the
//! broken dataset files the end-to-end test drops on the page are current.
//! Each crate's own hostile inputs are tested beside it
//! (`crates/{data,grade,suite}/tests/hostile.rs`).
//!
//! Small inputs are committed under `tests/corpus/` (written by
//! `tests/corpus/make_corpus.py`).

use arrow_array::{ArrayRef, Float32Array, Float64Array, StringArray};
use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;

#[path = "support/corpus.rs"]
mod corpus_support;
use corpus_support::{assert_mentions, corpus, h5ad_fixture, root};
#[path = "support/arrow.rs"]
mod arrow_support;
use arrow_support::{arrow_file, f32s, ipc_err, valid_arrow};

// ---- the command line ----

fn sbx(args: &[&std::ffi::OsStr]) -> (Option<i32>, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_sbx"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn tmp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("sbx-hostile-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn cli_grade_cases_reports_each_bad_line() {
    let p = root().join("tests/corpus/grade_cases.jsonl");
    let (code, stdout, stderr) = sbx(&["grade".as_ref(), "--cases".as_ref(), p.as_os_str()]);
    assert_eq!(code, Some(0), "{stderr}");
    let lines: Vec<&str> = stdout.lines().collect();
    let n_in = std::fs::read(&p)
        .unwrap()
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .count();
    assert_eq!(lines.len(), n_in, "one output line per case: {stdout}");
    assert!(
        lines[0].contains("\"passed\": true") || lines[0].contains("\"passed\":true"),
        "{}",
        lines[0]
    );
    assert!(stderr.contains("could not be graded"), "{stderr}");
    assert!(
        stdout.contains("cannot read") || stdout.contains("UTF-8") || stdout.contains("utf-8"),
        "{stdout}"
    );
}

#[test]
fn cli_prepare_rejects_broken_inputs() {
    let d = tmp_dir("prepare");
    let nan = d.join("nan.arrow");
    std::fs::write(
        &nan,
        arrow_file(vec![
            ("x", f32s(&[f32::NAN, 1.0])),
            ("y", f32s(&[0.0, 1.0])),
        ]),
    )
    .unwrap();
    let cut = d.join("cut.h5ad");
    let h = h5ad_fixture();
    std::fs::write(&cut, &h[..h.len() / 3]).unwrap();
    for (input, words) in [(&nan, &["NaN", "`x`"][..]), (&cut, &["cut.h5ad"][..])] {
        let out = d.join("out.arrow");
        let (code, _, stderr) = sbx(&[
            "prepare".as_ref(),
            input.as_os_str(),
            "-o".as_ref(),
            out.as_os_str(),
            "--quiet".as_ref(),
        ]);
        assert_ne!(code, Some(0), "{stderr}");
        assert_ne!(code, Some(101), "panicked: {stderr}");
        assert_mentions(&stderr, words);
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn cli_bundle_reports_broken_evals() {
    let d = tmp_dir("bundle");
    let evals = d.join("bench/evals");
    std::fs::create_dir_all(&evals).unwrap();
    std::fs::write(evals.join("good.json"), br#"{"id":"good","task":"t","grader":{"type":"multiple_choice","config":{"correct_answer":"A"}}}"#).unwrap();
    std::fs::write(evals.join("latin1.json"), corpus("non_utf8.json")).unwrap();
    let out = d.join("out");
    let (code, _, stderr) = sbx(&[
        "bundle".as_ref(),
        d.join("bench").as_os_str(),
        "-o".as_ref(),
        out.as_os_str(),
        "--strict".as_ref(),
    ]);
    assert_ne!(code, Some(0), "--strict fails on a broken file: {stderr}");
    assert_ne!(code, Some(101), "panicked: {stderr}");
    assert_mentions(&stderr, &["latin1.json"]);
    let _ = std::fs::remove_dir_all(&d);
}

// ---- the page corpus ----

/// Broken dataset files the end-to-end test drops on the Datasets page
/// (tests/e2e/hostile.test.mjs), with the words its error must contain: the same
/// message as here, since the page shows the loader's own error. Committed under
/// `tests/corpus/page/`; `SBX_WRITE_CORPUS=1 cargo test --test hostile_inputs page_corpus`
/// rewrites them after a deliberate change.
fn page_corpus() -> Vec<(&'static str, Vec<u8>, &'static [&'static str])> {
    let x64: ArrayRef = Arc::new(Float64Array::from(vec![0.0, 1.0]));
    let ystr: ArrayRef = Arc::new(StringArray::from(vec!["a", "b"]));
    let xnull: ArrayRef = Arc::new(Float32Array::from(vec![Some(1.0), None]));
    let good = valid_arrow();
    let h5 = h5ad_fixture();
    vec![
        (
            "float64_x.arrow",
            arrow_file(vec![("x", x64), ("y", f32s(&[0.0, 1.0]))]),
            &["`x`", "Float32"],
        ),
        (
            "string_y.arrow",
            arrow_file(vec![("x", f32s(&[0.0, 1.0])), ("y", ystr)]),
            &["`y`", "Float32"],
        ),
        (
            "no_x.arrow",
            arrow_file(vec![("y", f32s(&[0.0]))]),
            &["`x`", "missing"],
        ),
        (
            "nan_x.arrow",
            arrow_file(vec![
                ("x", f32s(&[0.0, f32::NAN, f32::NAN, 1.0])),
                ("y", f32s(&[0.0, 1.0, 2.0, 3.0])),
            ]),
            &["`x`", "2 NaN"],
        ),
        (
            "inf_y.arrow",
            arrow_file(vec![
                ("x", f32s(&[0.0, 1.0])),
                ("y", f32s(&[f32::INFINITY, f32::NEG_INFINITY])),
            ]),
            &["`y`", "2 infinite"],
        ),
        (
            "null_x.arrow",
            arrow_file(vec![("x", xnull), ("y", f32s(&[0.0, 1.0]))]),
            &["`x`", "1 null"],
        ),
        (
            "zero_rows.arrow",
            arrow_file(vec![("x", f32s(&[])), ("y", f32s(&[]))]),
            &["0 rows"],
        ),
        (
            "truncated.arrow",
            good[..good.len() - 1].to_vec(),
            &["truncated"],
        ),
        ("zip_named.arrow", corpus("not_arrow.bin"), &["ARROW1"]),
        (
            "truncated.h5ad",
            h5[..h5.len() / 2].to_vec(),
            &["truncated.h5ad"],
        ),
        (
            "text_named.h5ad",
            b"not HDF5 at all".to_vec(),
            &["text_named.h5ad"],
        ),
    ]
}

#[test]
fn page_corpus_is_current_and_each_file_gives_its_error() {
    let dir = root().join("tests/corpus/page");
    let write = std::env::var_os("SBX_WRITE_CORPUS").is_some();
    let mut expect = serde_json::Map::new();
    for (name, bytes, words) in page_corpus() {
        let msg = if name.ends_with(".h5ad") {
            match sbx_data::h5ad::read_h5ad_bytes(name, bytes.clone()) {
                Ok(t) => panic!("{name}: expected an error, got {} units", t.x.len()),
                Err(e) => e.to_string(),
            }
        } else {
            ipc_err(&bytes)
        };
        assert_mentions(&msg, words);
        expect.insert(name.into(), serde_json::json!(words));
        let path = dir.join(name);
        if write {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &bytes).unwrap();
        } else {
            let committed =
                std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert!(
                committed == bytes,
                "{name} differs from its generator: rerun with SBX_WRITE_CORPUS=1"
            );
        }
    }
    let expect = serde_json::to_string_pretty(&expect).unwrap() + "\n";
    let path = dir.join("expect.json");
    if write {
        std::fs::write(&path, &expect).unwrap();
    } else {
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            expect,
            "rerun with SBX_WRITE_CORPUS=1"
        );
    }
}
