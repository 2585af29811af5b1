//! The Arrow IPC dataset format: round trip, and every validation error.

use arrow_array::{ArrayRef, Float32Array, Float64Array, Int32Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use sbx_data::{
    read_ipc, read_ipc_with_limits, write_ipc, CategoricalColumn, DataError, Dataset, Downsampling,
    Limits, Metadata, NumericColumn, NumericKind, UnitKind,
};
use std::sync::Arc;

fn sample() -> Dataset {
    Dataset {
        x: vec![0.0, 1.5, 3.0],
        y: vec![10.0, 20.0, -5.0],
        categorical: vec![CategoricalColumn {
            name: "cell_type".into(),
            codes: vec![1, 0, 1],
            categories: vec!["B".into(), "T".into()],
            colors: Some(vec!["#ff0000".into(), "#00ff00".into()]),
        }],
        numeric: vec![
            NumericColumn {
                name: "total_counts".into(),
                values: vec![5.0, 7.0, f32::NAN],
                kind: NumericKind::Value,
            },
            NumericColumn {
                name: "Gfap".into(),
                values: vec![0.0, 2.0, 1.0],
                kind: NumericKind::Gene,
            },
        ],
        expression: None,
        meta: Metadata {
            name: "tiny".into(),
            platform: "Visium".into(),
            unit_kind: UnitKind::Spot,
            unit_size: Some(55.0),
            coord_unit: "um".into(),
            source: "hand-made".into(),
            downsampling: Some(Downsampling {
                description: "none".into(),
                seed: 42,
                source_rows: 3,
                strata: vec!["cell_type".into()],
            }),
            simulated: true,
            simulated_description: Some("three spots".into()),
            y_down: true,
            extra: [("custom".to_string(), "kept".to_string())].into(),
        },
    }
}

#[test]
fn round_trip_keeps_everything() {
    let ds = sample();
    let bytes = write_ipc(&ds).unwrap();
    let back = read_ipc(&bytes).unwrap();
    assert_eq!(back.x, ds.x);
    assert_eq!(back.y, ds.y);
    assert_eq!(back.categorical, ds.categorical);
    assert_eq!(back.numeric[1], ds.numeric[1]);
    assert!(back.numeric[0].values[2].is_nan());
    assert_eq!(back.meta, ds.meta);
    assert_eq!(back.genes().collect::<Vec<_>>(), vec!["Gfap"]);
    // The owned path reads the same dataset (arrays view the given bytes, not a copy).
    let owned = sbx_data::read_ipc_owned(bytes, &Limits::default()).unwrap();
    assert_eq!(
        (owned.x, owned.categorical, owned.meta),
        (back.x, back.categorical, back.meta)
    );
}

#[test]
fn counts_are_stored_narrow_and_read_back_bit_for_bit() {
    let col = |name: &str, values: Vec<f32>| NumericColumn {
        name: name.into(),
        values,
        kind: NumericKind::Gene,
    };
    let mut ds = sample();
    ds.numeric = vec![
        col("small", vec![0.0, 3.0, 255.0]),
        col("large", vec![0.0, 256.0, 65535.0]),
        col("too large", vec![0.0, 1.0, 65536.0]),
        col("fraction", vec![0.0, 1.5, 2.0]),
        col("negative zero", vec![0.0, -0.0, 2.0]),
        col("negative", vec![0.0, -1.0, 2.0]),
        col("nan", vec![0.0, f32::NAN, 2.0]),
    ];
    let bytes = write_ipc(&ds).unwrap();
    let reader =
        arrow_ipc::reader::FileReader::try_new(std::io::Cursor::new(&bytes), None).unwrap();
    let types: Vec<DataType> = ds
        .numeric
        .iter()
        .map(|c| {
            reader
                .schema()
                .field_with_name(&c.name)
                .unwrap()
                .data_type()
                .clone()
        })
        .collect();
    assert_eq!(
        types,
        [
            DataType::UInt8,
            DataType::UInt16,
            DataType::Float32,
            DataType::Float32,
            DataType::Float32,
            DataType::Float32,
            DataType::Float32
        ]
    );
    let bits = |d: &Dataset| -> Vec<Vec<u32>> {
        d.numeric
            .iter()
            .map(|c| c.values.iter().map(|v| v.to_bits()).collect())
            .collect()
    };
    let back = read_ipc(&bytes).unwrap();
    assert_eq!(bits(&back), bits(&ds));
    assert_eq!(back.genes().count(), 7, "the kind is kept");
    // in batches too (each batch written from its slice of the column)
    let parts = sbx_data::write_ipc_batches(&ds, 2).unwrap();
    assert_eq!(bits(&read_ipc(&parts).unwrap()), bits(&ds));
}

fn file(fields: Vec<Field>, cols: Vec<ArrayRef>) -> Vec<u8> {
    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(schema.clone(), cols).unwrap();
    let mut out = Vec::new();
    let mut w = arrow_ipc::writer::FileWriter::try_new(&mut out, &schema).unwrap();
    w.write(&batch).unwrap();
    w.finish().unwrap();
    drop(w);
    out
}

#[test]
fn missing_x_is_named() {
    let b = file(
        vec![Field::new("y", DataType::Float32, false)],
        vec![Arc::new(Float32Array::from(vec![1.0f32]))],
    );
    let e = read_ipc(&b).unwrap_err();
    assert!(matches!(&e, DataError::MissingColumn(c) if c == "x"), "{e}");
}

#[test]
fn float64_coordinates_are_a_type_error() {
    let b = file(
        vec![
            Field::new("x", DataType::Float64, false),
            Field::new("y", DataType::Float32, false),
        ],
        vec![
            Arc::new(Float64Array::from(vec![1.0])),
            Arc::new(Float32Array::from(vec![1.0f32])),
        ],
    );
    let e = read_ipc(&b).unwrap_err().to_string();
    assert!(
        e.contains("`x`") && e.contains("Float32") && e.contains("Float64"),
        "{e}"
    );
}

#[test]
fn non_finite_coordinates_are_counted() {
    let b = file(
        vec![
            Field::new("x", DataType::Float32, false),
            Field::new("y", DataType::Float32, false),
        ],
        vec![
            Arc::new(Float32Array::from(vec![0.0, 1.0, 2.0, 3.0])),
            Arc::new(Float32Array::from(vec![
                f32::NAN,
                f32::NAN,
                f32::INFINITY,
                1.0,
            ])),
        ],
    );
    match read_ipc(&b).unwrap_err() {
        DataError::NonFiniteCoordinates {
            column,
            nan,
            inf,
            rows,
        } => {
            assert_eq!((column.as_str(), nan, inf, rows), ("y", 2, 1, 4));
        }
        e => panic!("{e}"),
    }
}

#[test]
fn plain_strings_and_ints_are_accepted() {
    let b = file(
        vec![
            Field::new("x", DataType::Float32, false),
            Field::new("y", DataType::Float32, false),
            Field::new("label", DataType::Utf8, false),
            Field::new("count", DataType::Int32, false),
        ],
        vec![
            Arc::new(Float32Array::from(vec![0.0, 1.0])),
            Arc::new(Float32Array::from(vec![0.0, 1.0])),
            Arc::new(StringArray::from(vec!["a", "b"])),
            Arc::new(Int32Array::from(vec![3, 4])),
        ],
    );
    let d = read_ipc(&b).unwrap();
    assert_eq!(d.categorical("label").unwrap().categories, vec!["a", "b"]);
    assert_eq!(d.numeric("count").unwrap().values, vec![3.0, 4.0]);
}

#[test]
fn zero_rows_truncated_and_garbage() {
    let empty = Dataset {
        meta: Metadata::default(),
        ..Default::default()
    };
    assert!(matches!(write_ipc(&empty).unwrap_err(), DataError::Empty));
    let b = file(
        vec![
            Field::new("x", DataType::Float32, false),
            Field::new("y", DataType::Float32, false),
        ],
        vec![
            Arc::new(Float32Array::from(Vec::<f32>::new())),
            Arc::new(Float32Array::from(Vec::<f32>::new())),
        ],
    );
    assert!(matches!(read_ipc(&b).unwrap_err(), DataError::Empty));

    let good = write_ipc(&sample()).unwrap();
    let e = read_ipc(&good[..good.len() - 40]).unwrap_err().to_string();
    assert!(e.contains("truncated"), "{e}");
    let mut corrupt = good.clone();
    let mid = corrupt.len() / 2;
    for b in &mut corrupt[mid - 64..mid] {
        *b = 0xAB;
    }
    // Corrupt bodies must be an error or a dataset that still validates, never a panic.
    let _ = read_ipc(&corrupt);
    assert!(read_ipc(b"\x89HDF\r\n\x1a\n....")
        .unwrap_err()
        .to_string()
        .contains("h5ad"));
}

#[test]
fn limits_suggest_prepare() {
    let good = write_ipc(&sample()).unwrap();
    let e = read_ipc_with_limits(
        &good,
        &Limits {
            max_rows: 2,
            max_bytes: 1 << 30,
        },
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("sbx prepare") && e.contains("--max-points 2"),
        "{e}"
    );
}

#[test]
fn codes_out_of_range_are_rejected_on_write() {
    let mut d = sample();
    d.categorical[0].codes[0] = 9;
    let e = write_ipc(&d).unwrap_err().to_string();
    assert!(e.contains("outside"), "{e}");
}

#[test]
fn every_single_byte_corruption_is_an_error_or_a_valid_dataset() {
    // A corrupt download must never crash the page: flip each byte in turn.
    let good = write_ipc(&sample()).unwrap();
    let mut bad = Vec::new();
    std::panic::set_hook(Box::new(|_| {}));
    for i in 0..good.len() {
        for flip in [0xFFu8, 0x01, 0x80] {
            let mut b = good.clone();
            b[i] ^= flip;
            if std::panic::catch_unwind(|| {
                if let Ok(d) = read_ipc(&b) {
                    d.validate(&Limits::default()).unwrap();
                }
            })
            .is_err()
            {
                bad.push((i, flip));
            }
        }
    }
    let _ = std::panic::take_hook();
    assert!(
        bad.is_empty(),
        "panics at (byte, xor) {bad:?} of {} bytes",
        good.len()
    );
}

/// Two record batches whose `cell_type` dictionary grows between them, written with
/// delta dictionaries (the second batch sends only the new category; the file format
/// forbids replacing a dictionary outright).
fn two_batches(handling: arrow_ipc::writer::DictionaryHandling) -> Vec<u8> {
    use arrow_array::{types::Int32Type, DictionaryArray};
    let dt = DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8));
    let schema = Arc::new(Schema::new(vec![
        Field::new("x", DataType::Float32, false),
        Field::new("y", DataType::Float32, false),
        Field::new("cell_type", dt, false),
    ]));
    let batch = |xs: Vec<f32>, labels: Vec<&str>| {
        let d: DictionaryArray<Int32Type> = labels.into_iter().collect();
        RecordBatch::try_new(
            schema.clone(),
            vec![
                Arc::new(Float32Array::from(xs.clone())) as ArrayRef,
                Arc::new(Float32Array::from(xs)),
                Arc::new(d),
            ],
        )
        .unwrap()
    };
    let opts = arrow_ipc::writer::IpcWriteOptions::default().with_dictionary_handling(handling);
    let mut out = Vec::new();
    let mut w =
        arrow_ipc::writer::FileWriter::try_new_with_options(&mut out, &schema, opts).unwrap();
    w.write(&batch(vec![0.0, 1.0], vec!["T", "B"])).unwrap();
    w.write(&batch(vec![2.0, 3.0, 4.0], vec!["T", "B", "NK"]))
        .unwrap();
    w.finish().unwrap();
    drop(w);
    out
}

#[test]
fn delta_dictionaries_extend_the_categories() {
    use arrow_ipc::writer::DictionaryHandling;
    {
        let handling = DictionaryHandling::Delta;
        let bytes = two_batches(handling);
        let ds = read_ipc(&bytes).unwrap_or_else(|e| panic!("{handling:?}: {e}"));
        assert_eq!(ds.x, vec![0.0, 1.0, 2.0, 3.0, 4.0]);
        let c = &ds.categorical[0];
        let labels: Vec<&str> = c
            .codes
            .iter()
            .map(|&k| c.categories[k as usize].as_str())
            .collect();
        assert_eq!(labels, ["T", "B", "T", "B", "NK"], "{handling:?}");
    }
}
