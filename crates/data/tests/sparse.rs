//! The sparse expression layout: round trips, files written by other Arrow writers, and
//! hostile files (indices out of range, offsets that decrease, truncation), which must
//! be clear errors and never panics.

use arrow_array::{ArrayRef, Float32Array, Float64Array, Int32Array, ListArray, RecordBatch};
use arrow_buffer::{OffsetBuffer, ScalarBuffer};
use arrow_schema::{DataType, Field, Schema};
use sbx_data::sparse::{GENES_COLUMN, GENES_KEY, VALUES_COLUMN};
use sbx_data::{
    read_ipc, write_ipc, write_ipc_batches, BatchDecoder, Dataset, Limits, SparseExpression,
};
use std::collections::HashMap;
use std::sync::Arc;

/// 4 units x 3 genes: [[1,0,2],[0,0,0],[0,5,0],[7,0,0]].
fn expression() -> SparseExpression {
    SparseExpression {
        genes: vec!["Mbp".into(), "Plp1".into(), "Gfap".into()],
        values: "raw counts".into(),
        indptr: vec![0, 2, 2, 3, 4],
        indices: vec![0, 2, 1, 0],
        data: vec![1.0, 2.0, 5.0, 7.0],
    }
}

fn dataset(e: SparseExpression) -> Dataset {
    let n = e.indptr.len() - 1;
    Dataset {
        x: (0..n).map(|i| i as f32).collect(),
        y: vec![0.0; n],
        expression: Some(Arc::new(e)),
        ..Default::default()
    }
}

#[test]
fn round_trip_keeps_every_entry_and_decodes_genes() {
    let ds = dataset(expression());
    let back = read_ipc(&write_ipc(&ds).unwrap()).unwrap();
    assert_eq!(back.expression, ds.expression);
    assert_eq!(
        back.gene_values("Plp1").unwrap().as_ref(),
        [0.0, 0.0, 5.0, 0.0]
    );
    assert_eq!(
        back.gene_values("Mbp").unwrap().as_ref(),
        [1.0, 0.0, 0.0, 7.0]
    );
    assert!(back.gene_values("Nope").is_none());
    // Downsampling keeps each kept unit's entries.
    let t = back.take(&[3, 0]);
    assert_eq!(t.gene_values("Mbp").unwrap().as_ref(), [7.0, 1.0]);
}

#[test]
fn record_batches_split_units_and_keep_every_entry() {
    let ds = dataset(expression());
    // one unit per batch (the second batch holds only an empty unit), then 3 + 1
    for rows in [1, 3] {
        let bytes = write_ipc_batches(&ds, rows).unwrap();
        let back = read_ipc(&bytes).unwrap();
        assert_eq!(back.expression, ds.expression, "{rows} rows per batch");
        let mut d = BatchDecoder::open_slice(&bytes, &Limits::default()).unwrap();
        assert!(d.next_batch().unwrap());
        assert_eq!(d.dataset().len(), rows);
        assert_eq!(d.finish().unwrap().expression, ds.expression);
    }
}

#[test]
fn wide_and_fractional_matrices_use_wider_types() {
    let mut e = expression();
    e.data[1] = 0.25;
    e.genes = (0..70_000).map(|i| format!("g{i}")).collect();
    e.indices = vec![0, 69_999, 1, 0];
    let bytes = write_ipc(&dataset(e.clone())).unwrap();
    let back = read_ipc(&bytes).unwrap();
    assert_eq!(back.expression.as_deref(), Some(&e));
    assert_eq!(back.gene_values("g69999").unwrap()[0], 0.25);
}

fn list(item: DataType, offsets: Vec<i32>, values: ArrayRef) -> ArrayRef {
    Arc::new(
        ListArray::try_new(
            Arc::new(Field::new("item", item, true)),
            OffsetBuffer::new(ScalarBuffer::from(offsets)),
            values,
            None,
        )
        .unwrap(),
    )
}

/// A file with the two list columns as another writer would make them: Int32 indices,
/// Float64 values. `genes` is the schema metadata value (None = absent).
fn foreign_file(
    indices: Vec<i32>,
    idx_offsets: Vec<i32>,
    val_offsets: Vec<i32>,
    genes: Option<&str>,
) -> Vec<u8> {
    let n = idx_offsets.len() - 1;
    let nv = *val_offsets.last().unwrap() as usize;
    let g = list(
        DataType::Int32,
        idx_offsets,
        Arc::new(Int32Array::from(indices)),
    );
    let v = list(
        DataType::Float64,
        val_offsets,
        Arc::new(Float64Array::from(vec![3.0; nv])),
    );
    let md: HashMap<String, String> = genes
        .map(|g| HashMap::from([(GENES_KEY.to_string(), g.to_string())]))
        .unwrap_or_default();
    let schema = Arc::new(Schema::new_with_metadata(
        vec![
            Field::new("x", DataType::Float32, false),
            Field::new("y", DataType::Float32, false),
            Field::new(GENES_COLUMN, g.data_type().clone(), false),
            Field::new(VALUES_COLUMN, v.data_type().clone(), false),
        ],
        md,
    ));
    let xy: ArrayRef = Arc::new(Float32Array::from(vec![1.0; n]));
    let batch = RecordBatch::try_new(schema.clone(), vec![xy.clone(), xy, g, v]).unwrap();
    let mut out = Vec::new();
    let mut w = arrow_ipc::writer::FileWriter::try_new(&mut out, &schema).unwrap();
    w.write(&batch).unwrap();
    w.finish().unwrap();
    drop(w);
    out
}

fn err(bytes: &[u8]) -> String {
    read_ipc(bytes).expect_err("must be rejected").to_string()
}

#[test]
fn other_writers_types_read() {
    let b = foreign_file(
        vec![0, 2, 1],
        vec![0, 2, 3],
        vec![0, 2, 3],
        Some(r#"["a","b","c"]"#),
    );
    let ds = read_ipc(&b).unwrap();
    assert_eq!(ds.gene_values("c").unwrap().as_ref(), [3.0, 0.0]);
    assert_eq!(ds.gene_values("b").unwrap().as_ref(), [0.0, 3.0]);
}

#[test]
fn bad_sparse_files_are_named_errors() {
    let genes = Some(r#"["a","b","c"]"#);
    let e = err(&foreign_file(
        vec![0, 9, 1],
        vec![0, 2, 3],
        vec![0, 2, 3],
        genes,
    ));
    assert!(e.contains("1 gene indices are outside the 3 genes"), "{e}");
    let e = err(&foreign_file(
        vec![0, -1, 1],
        vec![0, 2, 3],
        vec![0, 2, 3],
        genes,
    ));
    assert!(e.contains("negative"), "{e}");
    let e = err(&foreign_file(
        vec![2, 0, 1],
        vec![0, 2, 3],
        vec![0, 2, 3],
        genes,
    ));
    assert!(
        e.contains("unit 0's gene indices are not strictly ascending"),
        "{e}"
    );
    let e = err(&foreign_file(
        vec![0, 2, 1],
        vec![0, 2, 3],
        vec![0, 1, 3],
        genes,
    ));
    assert!(e.contains("different numbers of entries per unit"), "{e}");
    let e = err(&foreign_file(
        vec![0, 2, 1],
        vec![0, 2, 3],
        vec![0, 2, 3],
        None,
    ));
    assert!(
        e.contains("incomplete: schema metadata `sbx:expression_genes` missing"),
        "{e}"
    );
    let e = err(&foreign_file(
        vec![0, 2, 1],
        vec![0, 2, 3],
        vec![0, 2, 3],
        Some("[\"a\""),
    ));
    assert!(e.contains("expected a JSON array of gene names"), "{e}");
    let e = err(&foreign_file(
        vec![0, 1, 1],
        vec![0, 2, 3],
        vec![0, 2, 3],
        Some(r#"["a","a"]"#),
    ));
    assert!(e.contains("`a` is used twice"), "{e}");
}

/// Replaces the one occurrence of `from` in `bytes` with `to`.
fn patch(bytes: &mut [u8], from: &[u8], to: &[u8]) {
    let at: Vec<usize> = (0..=bytes.len() - from.len())
        .filter(|&i| &bytes[i..i + from.len()] == from)
        .collect();
    assert_eq!(at.len(), 2, "the offsets appear once per list column");
    for i in at {
        bytes[i..i + to.len()].copy_from_slice(to);
    }
}

fn le(v: &[i32]) -> Vec<u8> {
    v.iter().flat_map(|x| x.to_le_bytes()).collect()
}

#[test]
fn decreasing_or_overlong_offsets_in_the_file_are_errors() {
    // Distinctive offsets so that the patch finds exactly the two offset buffers.
    let offsets: Vec<i32> = vec![0, 3, 6, 9, 12, 15, 18, 21, 24, 27, 30, 33, 36, 39];
    let indices: Vec<i32> = (0..39).map(|i| i % 3).collect();
    let good = foreign_file(
        indices,
        offsets.clone(),
        offsets.clone(),
        Some(r#"["a","b","c"]"#),
    );
    read_ipc(&good).unwrap();
    let mut dec = good.clone();
    let mut bad = offsets.clone();
    bad.swap(3, 4);
    patch(&mut dec, &le(&offsets), &le(&bad));
    let e = err(&dec);
    assert!(e.contains("ffset") || e.contains("decrease"), "{e}");
    let mut long = good.clone();
    let mut bad = offsets.clone();
    *bad.last_mut().unwrap() = 1000;
    patch(&mut long, &le(&offsets), &le(&bad));
    let e = err(&long);
    assert!(!e.is_empty());
}

#[test]
fn truncated_or_flipped_sparse_files_never_panic() {
    let bytes = write_ipc(&dataset(expression())).unwrap();
    for len in 0..bytes.len() {
        assert!(read_ipc(&bytes[..len]).is_err(), "{len} bytes read");
    }
    for i in 0..bytes.len() {
        for flip in [0x01u8, 0x80, 0xff] {
            let mut b = bytes.clone();
            b[i] ^= flip;
            if let Ok(ds) = read_ipc(&b) {
                // Whatever was read passed validation, so decoding any gene is safe.
                let e = ds.expression.expect("still sparse");
                for g in 0..e.genes.len() {
                    assert_eq!(e.gene_column(g).map(|c| c.len()), Some(ds.x.len()));
                }
            }
        }
    }
}
