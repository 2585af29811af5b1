//! Hostile and broken inputs through the real loaders: each must give a
//! specific error (naming the problem) or a correct result, never a panic.
//!
//! Small inputs are committed under `tests/corpus/` (written by
//! `tests/corpus/make_corpus.py`); large ones (a 50 MB string, 10,000-deep
//! nesting, a 100,000-category dictionary) are generated here at test time.

use arrow_array::types::Int32Type;
use arrow_array::{
    ArrayRef, DictionaryArray, Float32Array, Float64Array, RecordBatch, StringArray,
};
use arrow_schema::{Field, Schema};
use sbx_data::dataset::Limits;
use sbx_grade::Value;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn corpus(name: &str) -> Vec<u8> {
    let p = Path::new(ROOT).join("tests/corpus").join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// An Arrow IPC file of the given columns, written by arrow-rs itself (not by sbx-data).
fn arrow_file(columns: Vec<(&str, ArrayRef)>) -> Vec<u8> {
    let fields: Vec<Field> = columns
        .iter()
        .map(|(n, a)| Field::new(*n, a.data_type().clone(), a.null_count() > 0))
        .collect();
    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(
        schema.clone(),
        columns.into_iter().map(|(_, a)| a).collect(),
    )
    .unwrap();
    let mut out = Vec::new();
    {
        let mut w = arrow_ipc::writer::FileWriter::try_new(&mut out, &schema).unwrap();
        w.write(&batch).unwrap();
        w.finish().unwrap();
    }
    out
}

fn f32s(v: &[f32]) -> ArrayRef {
    Arc::new(Float32Array::from(v.to_vec()))
}

fn valid_arrow() -> Vec<u8> {
    let labels = Arc::new(DictionaryArray::<Int32Type>::from_iter(["a", "b", "a"]));
    arrow_file(vec![
        ("x", f32s(&[0.0, 1.0, 2.0])),
        ("y", f32s(&[3.0, 4.0, 5.0])),
        ("cell_type", labels),
    ])
}

fn ipc_err(bytes: &[u8]) -> String {
    match sbx_data::read_ipc(bytes) {
        Ok(ds) => panic!("expected an error, got a dataset of {} rows", ds.len()),
        Err(e) => e.to_string(),
    }
}

fn assert_mentions(msg: &str, words: &[&str]) {
    for w in words {
        assert!(msg.contains(w), "message {msg:?} should mention {w:?}");
    }
}

#[test]
fn arrow_valid_file_reads() {
    let ds = sbx_data::read_ipc(&valid_arrow()).unwrap();
    assert_eq!(ds.x, vec![0.0, 1.0, 2.0]);
    assert_eq!(ds.y, vec![3.0, 4.0, 5.0]);
    let c = ds.categorical("cell_type").unwrap();
    assert_eq!(c.categories.len(), 2);
    assert_eq!(c.label(2), Some("a"));
}

#[test]
fn arrow_truncated_at_every_length_is_an_error() {
    let good = valid_arrow();
    for len in 0..good.len() {
        let msg = ipc_err(&good[..len]);
        assert!(
            msg.contains("truncated") || msg.contains("magic") || msg.contains("footer"),
            "cut at {len}: {msg}"
        );
    }
    assert_mentions(&ipc_err(&good[..good.len() - 1]), &["truncated"]);
    assert_mentions(&ipc_err(&good[..good.len() / 2]), &["ARROW1"]);
}

#[test]
fn arrow_corrupted_bytes_never_panic() {
    let good = valid_arrow();
    // Every byte flipped in turn, then several fixed patterns: an error or the same dataset shape.
    for i in 0..good.len() {
        for pattern in [0xffu8, 0x80, 0x01] {
            let mut bad = good.clone();
            bad[i] ^= pattern;
            if let Ok(ds) = sbx_data::read_ipc(&bad) {
                // A flip in padding or a coordinate value may still give a valid dataset.
                assert!(ds.validate(&Limits::default()).is_ok());
            }
        }
    }
}

#[test]
fn arrow_wrong_column_types_name_the_column() {
    let x64: ArrayRef = Arc::new(Float64Array::from(vec![0.0, 1.0]));
    let msg = ipc_err(&arrow_file(vec![("x", x64), ("y", f32s(&[0.0, 1.0]))]));
    assert_mentions(&msg, &["`x`", "Float32", "64"]);

    let ystr: ArrayRef = Arc::new(StringArray::from(vec!["a", "b"]));
    let msg = ipc_err(&arrow_file(vec![("x", f32s(&[0.0, 1.0])), ("y", ystr)]));
    assert_mentions(&msg, &["`y`", "Float32"]);
}

#[test]
fn arrow_missing_coordinates() {
    let msg = ipc_err(&arrow_file(vec![("y", f32s(&[0.0]))]));
    assert_mentions(&msg, &["`x`", "missing"]);
    let msg = ipc_err(&arrow_file(vec![("x", f32s(&[0.0]))]));
    assert_mentions(&msg, &["`y`", "missing"]);
}

#[test]
fn arrow_non_finite_coordinates_are_counted() {
    let msg = ipc_err(&arrow_file(vec![
        ("x", f32s(&[0.0, f32::NAN, f32::NAN, 1.0])),
        ("y", f32s(&[0.0, 1.0, 2.0, 3.0])),
    ]));
    assert_mentions(&msg, &["`x`", "2 NaN", "0 infinite", "4 rows"]);
    let msg = ipc_err(&arrow_file(vec![
        ("x", f32s(&[0.0, 1.0])),
        ("y", f32s(&[f32::INFINITY, f32::NEG_INFINITY])),
    ]));
    assert_mentions(&msg, &["`y`", "0 NaN", "2 infinite"]);
}

#[test]
fn arrow_null_coordinates() {
    let x: ArrayRef = Arc::new(Float32Array::from(vec![Some(1.0), None]));
    let msg = ipc_err(&arrow_file(vec![("x", x), ("y", f32s(&[0.0, 1.0]))]));
    assert_mentions(&msg, &["`x`", "1 null"]);
}

#[test]
fn arrow_zero_rows() {
    let msg = ipc_err(&arrow_file(vec![("x", f32s(&[])), ("y", f32s(&[]))]));
    assert_mentions(&msg, &["0 rows"]);
}

#[test]
fn arrow_too_many_rows_suggests_prepare() {
    let bytes = valid_arrow();
    let limits = Limits {
        max_rows: 2,
        max_bytes: 1 << 30,
    };
    let msg = sbx_data::read_ipc_with_limits(&bytes, &limits)
        .unwrap_err()
        .to_string();
    assert_mentions(&msg, &["rows", "3", "sbx prepare", "--max-points 2"]);
    let limits = Limits {
        max_rows: 10,
        max_bytes: 100,
    };
    let msg = sbx_data::read_ipc_with_limits(&bytes, &limits)
        .unwrap_err()
        .to_string();
    assert_mentions(&msg, &["file size", "sbx prepare"]);
}

#[test]
fn arrow_dictionary_with_100000_categories_reads() {
    let n = 100_000usize;
    let names: Vec<String> = (0..n).map(|i| format!("c{i}")).collect();
    // Row i uses category (i * 7) % n so codes are not simply the identity.
    let keys: Vec<i32> = (0..n).map(|i| ((i * 7) % n) as i32).collect();
    let dict = DictionaryArray::<Int32Type>::try_new(
        keys.into(),
        Arc::new(StringArray::from(names.clone())),
    )
    .unwrap();
    let xs: Vec<f32> = (0..n).map(|i| i as f32).collect();
    let bytes = arrow_file(vec![
        ("x", f32s(&xs)),
        ("y", f32s(&xs)),
        ("cluster", Arc::new(dict)),
    ]);
    let t = std::time::Instant::now();
    let ds = sbx_data::read_ipc(&bytes).unwrap();
    assert!(t.elapsed().as_secs() < 5, "{:?}", t.elapsed());
    let c = ds.categorical("cluster").unwrap();
    assert_eq!(c.categories.len(), n);
    assert_eq!(c.label(1), Some("c7"));
    assert_eq!(c.label(n - 1), Some(names[(n - 1) * 7 % n].as_str()));
}

#[test]
fn arrow_other_formats_get_a_hint() {
    assert_mentions(&ipc_err(&corpus("not_arrow.bin")), &["ARROW1"]);
    let h5 = std::fs::read(Path::new(ROOT).join("tests/fixtures/h5ad/dense_gzip.h5ad")).unwrap();
    assert_mentions(&ipc_err(&h5), &["HDF5", "sbx prepare"]);
}

// ---- h5ad ----

fn h5ad_fixture() -> Vec<u8> {
    std::fs::read(Path::new(ROOT).join("tests/fixtures/h5ad/dense_gzip.h5ad")).unwrap()
}

#[test]
fn h5ad_fixture_reads() {
    let t = sbx_data::h5ad::read_h5ad_bytes("dense_gzip.h5ad", h5ad_fixture()).unwrap();
    assert_eq!(t.x.len(), 60);
}

#[test]
fn h5ad_truncated_names_the_file() {
    let good = h5ad_fixture();
    for len in [0, 4, 8, 100, 512, 2048, good.len() / 2, good.len() - 1] {
        match sbx_data::h5ad::read_h5ad_bytes("cut.h5ad", good[..len].to_vec()) {
            Err(e) => assert_mentions(&e.to_string(), &["cut.h5ad"]),
            // Only the last bytes may be unused padding: then the whole table must come through.
            Ok(t) => assert!(
                len > good.len() - 64 && t.x.len() == 60,
                "cut at {len}: {} rows",
                t.x.len()
            ),
        }
    }
}

#[test]
fn h5ad_byte_flips_never_panic() {
    let good = h5ad_fixture();
    // Every 97th byte flipped: hits superblock, object headers, B-trees, heaps and chunks.
    for i in (0..good.len()).step_by(97) {
        let mut bad = good.clone();
        bad[i] ^= 0xff;
        if let Err(e) = sbx_data::h5ad::read_h5ad_bytes("flip.h5ad", bad) {
            assert_mentions(&e.to_string(), &["flip.h5ad"]);
        }
    }
}

#[test]
fn h5ad_legacy_layout_is_explained() {
    let b = std::fs::read(Path::new(ROOT).join("tests/fixtures/h5ad/legacy_pre07.h5ad")).unwrap();
    let e = sbx_data::h5ad::read_h5ad_bytes("old.h5ad", b)
        .unwrap_err()
        .to_string();
    assert_mentions(&e, &["old.h5ad", "legacy", "anndata"]);
}

// ---- grading ----

fn parse_err(text: &str) -> String {
    sbx_grade::parse(text).unwrap_err().to_string()
}

#[test]
fn json_bad_bytes_and_numbers() {
    assert_mentions(&parse_err("{\"a\": 1"), &["line 1"]);
    // 1e400 reads as Infinity, as Python's json does; NaN is accepted as a token.
    assert!(matches!(sbx_grade::parse("1e400").unwrap(), Value::Float(f) if f == f64::INFINITY));
    assert!(matches!(sbx_grade::parse("NaN").unwrap(), Value::Float(f) if f.is_nan()));
    // A 400-digit integer keeps its value (Python ints are unbounded) or is refused clearly.
    let big = "9".repeat(400);
    match sbx_grade::parse(&big) {
        Ok(v) => assert!(
            matches!(v, Value::Int(_) | Value::BigInt(_) | Value::Float(_)),
            "{v:?}"
        ),
        Err(e) => assert!(!e.message.is_empty()),
    }
}

#[test]
fn json_deep_nesting_is_refused_without_overflow() {
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    assert_mentions(&parse_err(&deep), &["nesting depth"]);
    let deep_obj = format!("{}1{}", "{\"a\":".repeat(10_000), "}".repeat(10_000));
    assert_mentions(&parse_err(&deep_obj), &["nesting depth"]);
    // The same inside answer tags: no answer, no crash.
    let text = format!("<EVAL_ANSWER>{deep}</EVAL_ANSWER>");
    assert!(sbx_grade::extract_answer_from_text(&text).is_none());
}

/// Runs `f` on a thread with a 2 MiB stack (Rust's default for spawned threads and tests).
/// Unoptimised builds need about 1.1 KiB of stack per nesting level, so the parser's
/// 900-level limit must fit; optimised (wasm) builds need far less.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(f)
        .unwrap()
        .join()
        .expect("no stack overflow or panic")
}

#[test]
fn json_nesting_at_the_limit_parses_grades_and_prints() {
    on_small_stack(|| {
        let ok = format!("{}{}", "[".repeat(899), "]".repeat(899));
        let v = sbx_grade::parse(&ok).unwrap();
        let spec = sbx_grade::parse(
            r#"{"type":"dict_match","config":{"ground_truth":{"a":1},"tolerances":{"a":{"type":"absolute","value":0.1}}}}"#,
        )
        .unwrap();
        assert!(!sbx_grade::grade_value(&spec, &v).passed);
        assert_eq!(sbx_grade::to_python_json(&v).len(), 2 * 899);
        let tagged = format!("<EVAL_ANSWER>{ok}</EVAL_ANSWER>");
        assert!(sbx_grade::extract_answer_from_text(&tagged).is_some());
        // One level more than the limit is an error, not a crash.
        let over = format!("{}{}", "[".repeat(902), "]".repeat(902));
        assert!(sbx_grade::parse(&over).is_err());
    });
}

#[test]
fn fifty_megabyte_string_answer_is_graded_quickly() {
    let t = std::time::Instant::now();
    let huge = "A".repeat(50 << 20);
    let text = format!("{{\"answer\": \"{huge}\"}}");
    let v = sbx_grade::parse(&text).unwrap();
    assert_eq!(
        v.get("answer").and_then(Value::as_str).map(str::len),
        Some(50 << 20)
    );
    let spec = sbx_grade::parse(
        r#"{"type":"multiple_choice","config":{"correct_answer":"A","answer_field":"answer"}}"#,
    )
    .unwrap();
    let r = sbx_grade::grade_value(&spec, &v);
    assert!(!r.passed, "a 50 MB string is not the choice `A`");
    let tagged = format!("<EVAL_ANSWER>{text}</EVAL_ANSWER>");
    assert!(sbx_grade::extract_answer_from_text(&tagged).is_some());
    assert!(t.elapsed().as_secs() < 20, "{:?}", t.elapsed());
}

#[test]
fn nonfinite_and_huge_answers_fail_without_panic() {
    let spec = sbx_grade::parse(
        r#"{"type":"numeric_tolerance","config":{"ground_truth":{"n":10},"tolerances":{"n":{"type":"absolute","value":1}}}}"#,
    )
    .unwrap();
    for answer in [
        r#"{"n": NaN}"#,
        r#"{"n": 1e400}"#,
        r#"{"n": -1e400}"#,
        r#"{"n": 99999999999999999999999999999}"#,
        r#"{"n": "ten"}"#,
        r#"{"n": [10]}"#,
    ] {
        let r = sbx_grade::grade_value(&spec, &sbx_grade::parse(answer).unwrap());
        assert!(!r.passed, "{answer} must not pass");
    }
    let r = sbx_grade::grade_value(&spec, &sbx_grade::parse(r#"{"n": 10.5}"#).unwrap());
    assert!(r.passed);
}

#[test]
fn eval_json_with_wrong_shapes_is_reported() {
    for (name, words) in [
        ("eval_grader_is_string.json", &["grader", "type"][..]),
        (
            "eval_graders_not_list.json",
            &["`graders` must be a list"][..],
        ),
    ] {
        let bytes = corpus(name);
        let v = sbx_grade::parse(std::str::from_utf8(&bytes).unwrap()).unwrap();
        // Grading never panics and a broken grader never passes.
        let results = sbx_grade::grade_eval(&v, &Value::Null);
        assert!(!sbx_grade::eval_passed(&results), "{name}");
        let findings = sbx_grade::lint_eval(name, &v);
        let text: Vec<String> = findings.iter().map(|f| f.message.clone()).collect();
        assert!(
            text.iter().any(|m| words.iter().all(|w| m.contains(w))),
            "{name}: lint should mention {words:?}: {text:?}"
        );
    }
}

// ---- suites, trajectories, manifests ----

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
    let p = Path::new(ROOT).join("tests/corpus/grade_cases.jsonl");
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

// ---- fuzz corpus replay ----
// Every input kept under fuzz/corpus/<target>/ (including minimised crash
// reproducers) is run again here with the fuzz targets' own checks, so the
// regressions run in the normal `cargo test`.

fn fuzz_inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(ROOT).join("fuzz/corpus").join(target);
    let mut out: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .map(|p| {
            let b = std::fs::read(&p).unwrap();
            (p, b)
        })
        .collect();
    out.sort();
    assert!(!out.is_empty(), "{} is empty", dir.display());
    out
}

#[test]
fn fuzz_corpus_arrow() {
    let limits = Limits {
        max_rows: 100_000,
        max_bytes: 1 << 20,
    };
    for (p, b) in fuzz_inputs("arrow") {
        if let Ok(ds) = sbx_data::read_ipc_with_limits(&b, &limits) {
            assert!(ds.validate(&limits).is_ok(), "{}", p.display());
            let again = sbx_data::read_ipc(&sbx_data::write_ipc(&ds).unwrap()).unwrap();
            assert_eq!(again.len(), ds.len(), "{}", p.display());
        }
    }
}

#[test]
fn fuzz_corpus_trajectory() {
    for (_, b) in fuzz_inputs("trajectory") {
        for path in ["run/trajectory.json", "run/trajectory.jsonl"] {
            if let Ok(t) = sbx_suite::parse_trajectory(path, &b) {
                let _ = t.final_answer();
            }
        }
    }
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

#[test]
fn fuzz_corpus_grade() {
    use sbx_grade::graders::REGISTRY;
    let value_of = |t: &str| sbx_grade::parse(t).unwrap_or_else(|_| Value::Str(t.to_string()));
    for (p, b) in fuzz_inputs("grade") {
        let Some((&pick, rest)) = b.split_first() else {
            continue;
        };
        let text = String::from_utf8_lossy(rest);
        let (config_text, answer_text) = text.split_once('\0').unwrap_or((&text, ""));
        let (grader_type, _) = REGISTRY[pick as usize % REGISTRY.len()];
        let mut spec = sbx_grade::Map::default();
        spec.insert("type".into(), Value::str(grader_type));
        spec.insert("config".into(), value_of(config_text));
        let spec = Value::Object(spec);
        for answer in [
            value_of(answer_text),
            sbx_grade::extract_answer_from_text(answer_text).unwrap_or(Value::Null),
            sbx_grade::extract_answer_from_file(answer_text).unwrap_or(Value::Null),
            sbx_grade::extract_answer_from_conversation(&value_of(answer_text))
                .unwrap_or(Value::Null),
        ] {
            let r = sbx_grade::grade_value(&spec, &answer);
            assert_eq!(
                r.configuration_error,
                r.metrics.contains_key("configuration_error"),
                "{}",
                p.display()
            );
            let _ = sbx_grade::to_python_json(&r.to_value());
        }
    }
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
    let dir = Path::new(ROOT).join("tests/corpus/page");
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
