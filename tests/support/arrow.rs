//! Arrow IPC files written by arrow-rs itself (not by sbx-data), for the
//! hostile-input tests that include this file with `#[path]`.
#![allow(dead_code)] // each including test file uses a part

use arrow_array::types::Int32Type;
use arrow_array::{ArrayRef, DictionaryArray, Float32Array, RecordBatch};
use arrow_schema::{Field, Schema};
use std::sync::Arc;

/// An Arrow IPC file of the given columns.
pub fn arrow_file(columns: Vec<(&str, ArrayRef)>) -> Vec<u8> {
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

pub fn f32s(v: &[f32]) -> ArrayRef {
    Arc::new(Float32Array::from(v.to_vec()))
}

/// Three points with x, y and a categorical `cell_type`.
pub fn valid_arrow() -> Vec<u8> {
    let labels = Arc::new(DictionaryArray::<Int32Type>::from_iter(["a", "b", "a"]));
    arrow_file(vec![
        ("x", f32s(&[0.0, 1.0, 2.0])),
        ("y", f32s(&[3.0, 4.0, 5.0])),
        ("cell_type", labels),
    ])
}

/// The error sbx-data gives for `bytes`; panics when they read as a dataset.
pub fn ipc_err(bytes: &[u8]) -> String {
    match sbx_data::read_ipc(bytes) {
        Ok(ds) => panic!("expected an error, got a dataset of {} rows", ds.len()),
        Err(e) => e.to_string(),
    }
}
