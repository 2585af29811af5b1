//! The hostile-input corpus, shared by the workspace's test files (each
//! includes this file with `#[path]`): `tests/corpus/` is written by
//! `tests/corpus/make_corpus.py`, `fuzz/corpus/<target>/` is kept by the fuzz
//! runs (minimised crash reproducers included).
#![allow(dead_code)] // each including test file uses a part

use std::path::PathBuf;

/// The workspace root, whichever crate's test includes this file.
pub fn root() -> PathBuf {
    let mut dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    while !dir.join("tests/corpus").is_dir() {
        assert!(
            dir.pop(),
            "no tests/corpus above {}",
            env!("CARGO_MANIFEST_DIR")
        );
    }
    dir
}

pub fn corpus(name: &str) -> Vec<u8> {
    let p = root().join("tests/corpus").join(name);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Every input kept for a fuzz target, sorted by path; fails when there is none.
pub fn fuzz_inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = root().join("fuzz/corpus").join(target);
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

pub fn h5ad_fixture() -> Vec<u8> {
    std::fs::read(root().join("tests/fixtures/h5ad/dense_gzip.h5ad")).unwrap()
}

pub fn assert_mentions(msg: &str, words: &[&str]) {
    for w in words {
        assert!(msg.contains(w), "message {msg:?} should mention {w:?}");
    }
}
