//! Hostile and broken dataset files through the real readers (Arrow IPC
//! written by arrow-rs itself, h5ad): each gives a specific error naming the
//! problem, or a correct dataset, never a panic. Large inputs (a 100,000-category
//! dictionary) are generated here at test time.

use arrow_array::types::Int32Type;
use arrow_array::{ArrayRef, DictionaryArray, Float32Array, Float64Array, StringArray};
use sbx_data::dataset::Limits;
use std::sync::Arc;

#[path = "../../../tests/support/corpus.rs"]
mod corpus_support;
use corpus_support::{assert_mentions, corpus, fuzz_inputs, h5ad_fixture, root};
#[path = "../../../tests/support/arrow.rs"]
mod arrow_support;
use arrow_support::{arrow_file, f32s, ipc_err, valid_arrow};

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
    let h5 = std::fs::read(root().join("tests/fixtures/h5ad/dense_gzip.h5ad")).unwrap();
    assert_mentions(&ipc_err(&h5), &["HDF5", "sbx prepare"]);
}

// ---- h5ad ----

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
    let b = std::fs::read(root().join("tests/fixtures/h5ad/legacy_pre07.h5ad")).unwrap();
    let e = sbx_data::h5ad::read_h5ad_bytes("old.h5ad", b)
        .unwrap_err()
        .to_string();
    assert_mentions(&e, &["old.h5ad", "legacy", "anndata"]);
}

// ---- fuzz corpus replay ----
// Every input kept under fuzz/corpus/<target>/ (including minimised crash
// reproducers) is run again with the fuzz target's own checks, so the
// regressions run in the normal `cargo test`.

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
