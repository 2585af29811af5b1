//! The h5ad reader against the generated fixture corpus
//! (tests/fixtures/h5ad/make_fixtures.py, values in expected.json computed by anndata/numpy).

use sbx_data::h5ad::read_h5ad_bytes;
use sbx_data::{DataError, ObsColumn};
use serde_json::Value;
use std::path::PathBuf;

fn dir() -> PathBuf {
    PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/h5ad"
    ))
}

fn expected() -> Value {
    let text = std::fs::read_to_string(dir().join("expected.json")).expect("expected.json");
    serde_json::from_str(&text).expect("expected.json parses")
}

fn f64s(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}
fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect()
}

fn check(name: &str) {
    let e = expected();
    let bytes = std::fs::read(dir().join(name)).unwrap();
    let t = read_h5ad_bytes(name, bytes).unwrap_or_else(|err| panic!("{name}: {err}"));
    let n = e["n_obs"].as_u64().unwrap() as usize;
    assert_eq!(t.n_units(), n, "{name}");
    assert_eq!(
        t.unit_ids.as_ref().unwrap()[..3],
        strs(&e["obs_names_first"])[..],
        "{name}"
    );
    for (got, want) in t.x.iter().zip(f64s(&e["x"])) {
        assert!((got - want).abs() < 1e-9, "{name}: x {got} vs {want}");
    }
    for (got, want) in t.y.iter().zip(f64s(&e["y"])) {
        assert!((got - want).abs() < 1e-9, "{name}: y {got} vs {want}");
    }
    let Some(ObsColumn::Categorical(ct)) = t.obs("cell_type") else {
        panic!("{name}: cell_type not categorical")
    };
    assert_eq!(ct.categories, strs(&e["cell_type_categories"]), "{name}");
    let codes: Vec<f64> = ct.codes.iter().map(|&c| c as f64).collect();
    assert_eq!(codes, f64s(&e["cell_type_codes"]), "{name}");
    let Some(ObsColumn::Categorical(s)) = t.obs("sample") else {
        panic!("{name}: sample")
    };
    assert_eq!(s.categories, strs(&e["sample_categories"]));
    let Some(ObsColumn::Numeric { values, .. }) = t.obs("total_counts") else {
        panic!("{name}: total_counts")
    };
    assert_eq!(values, &f64s(&e["total_counts"]));
    let Some(ObsColumn::Numeric { values, .. }) = t.obs("n_genes") else {
        panic!("{name}: n_genes")
    };
    assert_eq!(values, &f64s(&e["n_genes"]));
    let Some(ObsColumn::Categorical(b)) = t.obs("in_tissue") else {
        panic!("{name}: in_tissue bool")
    };
    let want: Vec<String> = e["in_tissue"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_bool().unwrap().to_string())
        .collect();
    let got: Vec<String> = (0..n).map(|i| b.label(i).unwrap().to_string()).collect();
    assert_eq!(got, want);
    let Some(ObsColumn::Text { values, .. }) = t.obs("barcode_note") else {
        panic!("{name}: barcode_note text")
    };
    assert_eq!(values[5], "bc-005");

    let x = t.expression.as_ref().expect("X");
    assert_eq!(x.var_names, strs(&e["var_names"]));
    for (gene, vals) in e["gene_values"].as_object().unwrap() {
        let g = x.gene_index(gene).unwrap();
        let got: Vec<f64> = x.gene_values(g).iter().map(|&v| v as f64).collect();
        assert_eq!(got, f64s(vals), "{name}: gene {gene}");
    }
    let top: Vec<String> = x
        .top_variable(3)
        .iter()
        .map(|&g| x.var_names[g].clone())
        .collect();
    assert_eq!(top, strs(&e["top3_log1p_var"]), "{name}");
}

#[test]
fn dense_gzip() {
    check("dense_gzip.h5ad");
}

#[test]
fn csr_lzf() {
    check("csr_lzf.h5ad");
}

#[test]
fn csc_lzf() {
    check("csc_lzf.h5ad");
}

#[test]
fn legacy_layout_is_rejected_with_advice() {
    let bytes = std::fs::read(dir().join("legacy_pre07.h5ad")).unwrap();
    let err = read_h5ad_bytes("legacy_pre07.h5ad", bytes).unwrap_err();
    assert!(matches!(err, DataError::LegacyAnnData { .. }), "{err}");
    let msg = err.to_string();
    assert!(msg.contains("anndata >= 0.8"), "{msg}");
}

#[test]
fn not_hdf5_and_truncated_are_errors() {
    let err = read_h5ad_bytes("x.h5ad", b"hello".to_vec()).unwrap_err();
    assert!(err.to_string().contains("not an HDF5 file"), "{err}");
    let mut bytes = std::fs::read(dir().join("csr_lzf.h5ad")).unwrap();
    bytes.truncate(bytes.len() / 3);
    assert!(read_h5ad_bytes("cut.h5ad", bytes).is_err());
}

#[test]
fn corrupted_bytes_never_panic() {
    // A damaged upload must be an error, not a crash: flip bytes across the file.
    let good = std::fs::read(dir().join("csr_lzf.h5ad")).unwrap();
    let mut panics = Vec::new();
    std::panic::set_hook(Box::new(|_| {}));
    for i in (0..good.len()).step_by(61) {
        let mut b = good.clone();
        b[i] ^= 0x5A;
        if std::panic::catch_unwind(|| {
            let _ = read_h5ad_bytes("damaged.h5ad", b);
        })
        .is_err()
        {
            panics.push(i);
        }
    }
    let _ = std::panic::take_hook();
    assert!(
        panics.is_empty(),
        "panics when flipping bytes at {panics:?}"
    );
}
