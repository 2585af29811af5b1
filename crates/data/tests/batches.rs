//! Decoding an Arrow dataset file batch by batch: what a page draws while the rest
//! decodes. Every prefix is whole rows equal to the file's first rows; truncated files
//! fail before any row is decoded; a batch that fails ends the decode for good.

use arrow_array::types::Int32Type;
use arrow_array::{ArrayRef, DictionaryArray, Float32Array, RecordBatch, StringArray};
use arrow_schema::{DataType, Field, Schema};
use sbx_data::dataset::Limits;
use sbx_data::{synthetic::synthetic, BatchDecoder, Dataset};
use std::sync::Arc;

fn assert_prefix(part: &Dataset, full: &Dataset) {
    let n = part.len();
    assert_eq!(part.x[..], full.x[..n]);
    assert_eq!(part.y[..], full.y[..n]);
    for (p, f) in part.categorical.iter().zip(&full.categorical) {
        assert_eq!(p.codes.len(), n, "{}", p.name);
        assert_eq!(p.codes[..], f.codes[..n], "{}", p.name);
        assert_eq!(p.categories[..], f.categories[..p.categories.len()]);
    }
    for (p, f) in part.numeric.iter().zip(&full.numeric) {
        assert_eq!(p.values.len(), n, "{}", p.name);
        assert_eq!(p.values[..], f.values[..n], "{}", p.name);
    }
}

#[test]
fn large_datasets_are_written_as_several_batches_and_read_back_whole() {
    let ds = synthetic(200_000, 3);
    let bytes = sbx_data::write_ipc(&ds).unwrap();
    let mut dec = BatchDecoder::open(bytes.clone(), &Limits::default()).unwrap();
    assert_eq!(
        dec.batch_count(),
        200_000usize.div_ceil(sbx_data::ipc::BATCH_ROWS)
    );
    assert_eq!(dec.rows_total(), 200_000);
    assert_eq!((dec.rows_done(), dec.dataset().len()), (0, 0));
    let mut seen = Vec::new();
    while dec.next_batch().unwrap() {
        assert_eq!(dec.dataset().len(), dec.rows_done());
        assert_prefix(dec.dataset(), &ds);
        seen.push(dec.rows_done());
    }
    assert_eq!(seen, [65_536, 131_072, 196_608, 200_000]);
    assert!(dec.is_done());
    assert!(!dec.next_batch().unwrap(), "nothing after the last batch");
    let read = dec.finish().unwrap();
    assert_eq!(read.x, ds.x);
    assert_eq!(read.categorical[0].categories, ds.categorical[0].categories);
    assert_eq!(read.categorical[1].codes, ds.categorical[1].codes);
    assert_eq!(read.numeric[1].values, ds.numeric[1].values);
    assert_eq!(read.meta.name, ds.meta.name);
    // the whole-file reader gives the same dataset
    let whole = sbx_data::read_ipc(&bytes).unwrap();
    assert_eq!(whole.y, read.y);
    assert_eq!(whole.categorical[0].codes, read.categorical[0].codes);
}

#[test]
fn any_batch_size_round_trips_including_a_last_short_batch() {
    let ds = synthetic(1_001, 9);
    for per in [1, 7, 1_000, 1_001, 5_000] {
        let bytes = sbx_data::write_ipc_batches(&ds, per).unwrap();
        let dec = BatchDecoder::open(bytes, &Limits::default()).unwrap();
        assert_eq!(
            dec.batch_count(),
            1_001usize.div_ceil(per),
            "{per} rows per batch"
        );
        let read = dec.finish().unwrap();
        assert_prefix(&read, &ds);
        assert_eq!(read.len(), ds.len());
    }
}

#[test]
fn truncated_multi_batch_files_fail_before_any_row_is_decoded() {
    let ds = synthetic(5_000, 1);
    let bytes = sbx_data::write_ipc_batches(&ds, 1_000).unwrap();
    // inside the first batch, between batches, inside the last batch, inside the footer,
    // and one byte short
    let n = bytes.len();
    for cut in [4_000, n / 3, n / 2, n - 300, n - 40, n - 1] {
        let err = BatchDecoder::open(bytes[..cut].to_vec(), &Limits::default())
            .err()
            .unwrap_or_else(|| panic!("a file cut at {cut} of {n} bytes opened"));
        assert!(
            err.to_string().contains("truncated"),
            "cut at {cut}: `{err}` does not say the file is truncated"
        );
    }
}

#[test]
fn the_row_limit_applies_to_the_sum_of_batches_before_decoding() {
    let ds = synthetic(3_000, 1);
    let bytes = sbx_data::write_ipc_batches(&ds, 1_000).unwrap();
    let limits = Limits {
        max_rows: 2_500,
        ..Limits::default()
    };
    let err = BatchDecoder::open(bytes, &limits)
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("3000") && err.contains("2500"), "{err}");
}

/// Three batches; the third has a null coordinate.
fn file_failing_in_batch_3() -> Vec<u8> {
    let schema = Arc::new(Schema::new(vec![
        Field::new("x", DataType::Float32, true),
        Field::new("y", DataType::Float32, false),
        Field::new(
            "kind",
            DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)),
            false,
        ),
    ]));
    let values: ArrayRef = Arc::new(StringArray::from(vec!["a", "b"]));
    let mut out = Vec::new();
    let mut w = arrow_ipc::writer::FileWriter::try_new(&mut out, &schema).unwrap();
    for b in 0..3 {
        let x: Float32Array = if b == 2 {
            vec![Some(1.0), None].into()
        } else {
            vec![Some(1.0), Some(2.0)].into()
        };
        let keys = arrow_array::Int32Array::from(vec![0, 1]);
        let kind = DictionaryArray::<Int32Type>::try_new(keys, values.clone()).unwrap();
        let cols: Vec<ArrayRef> = vec![
            Arc::new(x),
            Arc::new(Float32Array::from(vec![3.0, 4.0])),
            Arc::new(kind),
        ];
        w.write(&RecordBatch::try_new(schema.clone(), cols).unwrap())
            .unwrap();
    }
    w.finish().unwrap();
    drop(w);
    out
}

#[test]
fn a_failing_batch_ends_the_decode_and_nothing_partial_is_handed_out() {
    let bytes = file_failing_in_batch_3();
    let mut dec = BatchDecoder::open(bytes.clone(), &Limits::default()).unwrap();
    assert_eq!(dec.batch_count(), 3);
    assert!(dec.next_batch().unwrap());
    assert!(dec.next_batch().unwrap());
    assert_eq!(dec.dataset().len(), 4);
    assert_eq!(dec.dataset().categorical[0].categories, ["a", "b"]);
    let err = dec.next_batch().unwrap_err().to_string();
    assert!(err.contains("null") && err.contains('x'), "{err}");
    assert_eq!(dec.batches_done(), 2, "the failed batch is not counted");
    let again = dec.next_batch().unwrap_err().to_string();
    assert!(
        again.contains("stopped") && again.contains("null"),
        "{again}"
    );
    assert!(
        dec.finish().is_err(),
        "finish never returns the partial rows"
    );
    assert!(sbx_data::read_ipc(&bytes).is_err());
}
