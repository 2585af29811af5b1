//! Reading and writing the Arrow IPC dataset file (see README "Dataset format").

use crate::dataset::{Dataset, Downsampling, Limits, Metadata, NumericKind, UnitKind};
use crate::error::{DataError, Result};
use crate::ipc_decode::BatchDecoder;
use arrow_array::types::Int32Type;
use arrow_array::{
    Array, ArrayRef, DictionaryArray, Float32Array, RecordBatch, StringArray, UInt16Array,
    UInt8Array,
};
use arrow_schema::{DataType, Field, Schema};
use std::collections::HashMap;
use std::sync::Arc;

/// Schema metadata keys. All values are strings.
pub mod keys {
    pub const FORMAT: &str = "sbx:format";
    pub const NAME: &str = "sbx:name";
    pub const PLATFORM: &str = "sbx:platform";
    pub const UNIT_KIND: &str = "sbx:unit_kind";
    pub const UNIT_SIZE: &str = "sbx:unit_size";
    pub const COORD_UNIT: &str = "sbx:coord_unit";
    pub const SOURCE: &str = "sbx:source";
    /// JSON object: {"description", "seed", "source_rows", "strata"}.
    pub const DOWNSAMPLING: &str = "sbx:downsampling";
    pub const SIMULATED: &str = "sbx:simulated";
    pub const SIMULATED_DESCRIPTION: &str = "sbx:simulated_description";
    /// "down" (image convention) or "up"; absent = up.
    pub const Y_AXIS: &str = "sbx:y_axis";
    /// Field metadata on x and y: the coordinate unit.
    pub const FIELD_UNIT: &str = "unit";
    /// Field metadata on a categorical column: JSON array of "#rrggbb" aligned with the categories.
    pub const FIELD_COLORS: &str = "sbx:colors";
    /// Field metadata on a numeric column: "gene" or "value".
    pub const FIELD_KIND: &str = "sbx:kind";
}

/// Format identifier written to `sbx:format`.
pub const FORMAT_ID: &str = "sbx-dataset/1";

/// Reads a dataset with the default [`Limits`].
pub fn read_ipc(bytes: &[u8]) -> Result<Dataset> {
    read_ipc_with_limits(bytes, &Limits::default())
}

pub fn read_ipc_with_limits(bytes: &[u8], limits: &Limits) -> Result<Dataset> {
    BatchDecoder::open_slice(bytes, limits)?.finish()
}

/// As [`read_ipc_with_limits`], taking ownership of the bytes so that the arrays are
/// views of them rather than of a copy (the browser hands over a fresh `Vec` per file).
pub fn read_ipc_owned(bytes: Vec<u8>, limits: &Limits) -> Result<Dataset> {
    BatchDecoder::open(bytes, limits)?.finish()
}

/// Size limit and the `ARROW1` magic at both ends, with a hint for the usual mix-ups.
pub(crate) fn check_envelope(bytes: &[u8], limits: &Limits) -> Result<()> {
    if bytes.len() as u64 > limits.max_bytes {
        return Err(DataError::TooLarge {
            what: "file size in bytes".into(),
            found: bytes.len() as u64,
            limit: limits.max_bytes,
            limit_points: limits.max_rows,
        });
    }
    if bytes.len() < 12 || &bytes[..6] != b"ARROW1" {
        let hint = if bytes.starts_with(b"\x89HDF") {
            " (this is an HDF5/.h5ad file: convert it with `sbx prepare` or open it as .h5ad)"
        } else if bytes.starts_with(&[0xff, 0xff, 0xff, 0xff]) {
            " (this looks like an Arrow IPC stream; write the file format, e.g. pyarrow.ipc.new_file / feather v2)"
        } else {
            ""
        };
        return Err(DataError::Ipc(format!(
            "missing the `ARROW1` magic at the start ({} bytes){hint}",
            bytes.len()
        )));
    }
    if &bytes[bytes.len() - 6..] != b"ARROW1" {
        return Err(DataError::Ipc(format!(
            "missing the `ARROW1` magic at the end: the file is truncated ({} bytes)",
            bytes.len()
        )));
    }
    Ok(())
}

/// Label given to null entries of a categorical column.
pub const MISSING: &str = "(missing)";

pub(crate) fn metadata_from_schema(schema: &Schema) -> Result<Metadata> {
    let md = schema.metadata();
    let get = |k: &str| md.get(k).cloned();
    let mut meta = Metadata {
        name: get(keys::NAME).unwrap_or_default(),
        platform: get(keys::PLATFORM).unwrap_or_default(),
        coord_unit: get(keys::COORD_UNIT)
            .or_else(|| {
                schema
                    .field_with_name("x")
                    .ok()
                    .and_then(|f| f.metadata().get(keys::FIELD_UNIT).cloned())
            })
            .unwrap_or_default(),
        source: get(keys::SOURCE).unwrap_or_default(),
        simulated_description: get(keys::SIMULATED_DESCRIPTION),
        ..Default::default()
    };
    if let Some(k) = get(keys::UNIT_KIND) {
        meta.unit_kind = UnitKind::parse(&k).ok_or_else(|| DataError::Metadata {
            key: keys::UNIT_KIND.into(),
            message: format!("`{k}` is not one of cell, spot, bead, tixel"),
        })?;
    }
    if let Some(s) = get(keys::UNIT_SIZE) {
        let v: f32 = s.trim().parse().map_err(|_| DataError::Metadata {
            key: keys::UNIT_SIZE.into(),
            message: format!("`{s}` is not a number"),
        })?;
        if !(v.is_finite() && v > 0.0) {
            return Err(DataError::Metadata {
                key: keys::UNIT_SIZE.into(),
                message: format!("`{s}` must be a positive number"),
            });
        }
        meta.unit_size = Some(v);
    }
    if let Some(s) = get(keys::Y_AXIS) {
        meta.y_down = match s.trim() {
            "down" => true,
            "up" => false,
            other => {
                return Err(DataError::Metadata {
                    key: keys::Y_AXIS.into(),
                    message: format!("`{other}` is not `up` or `down`"),
                })
            }
        };
    }
    if let Some(s) = get(keys::SIMULATED) {
        meta.simulated = match s.trim() {
            "true" => true,
            "false" => false,
            other => {
                return Err(DataError::Metadata {
                    key: keys::SIMULATED.into(),
                    message: format!("`{other}` is not `true` or `false`"),
                })
            }
        };
    }
    if let Some(s) = get(keys::DOWNSAMPLING) {
        let d: Downsampling = serde_json::from_str(&s).map_err(|e| DataError::Metadata {
            key: keys::DOWNSAMPLING.into(),
            message: format!("expected JSON {{\"description\", \"seed\", \"source_rows\"}}: {e}"),
        })?;
        meta.downsampling = Some(d);
    }
    let known = [
        keys::FORMAT,
        keys::NAME,
        keys::PLATFORM,
        keys::UNIT_KIND,
        keys::UNIT_SIZE,
        keys::COORD_UNIT,
        keys::SOURCE,
        keys::DOWNSAMPLING,
        keys::SIMULATED,
        keys::SIMULATED_DESCRIPTION,
        keys::Y_AXIS,
        crate::sparse::GENES_KEY,
        crate::sparse::VALUES_KEY,
    ];
    for (k, v) in md {
        if !known.contains(&k.as_str()) {
            meta.extra.insert(k.clone(), v.clone());
        }
    }
    Ok(meta)
}

fn schema_metadata(meta: &Metadata) -> HashMap<String, String> {
    let mut md: HashMap<String, String> = meta
        .extra
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    md.insert(keys::FORMAT.into(), FORMAT_ID.into());
    md.insert(keys::NAME.into(), meta.name.clone());
    md.insert(keys::PLATFORM.into(), meta.platform.clone());
    md.insert(keys::UNIT_KIND.into(), meta.unit_kind.as_str().into());
    if let Some(s) = meta.unit_size {
        md.insert(keys::UNIT_SIZE.into(), s.to_string());
    }
    md.insert(keys::COORD_UNIT.into(), meta.coord_unit.clone());
    md.insert(keys::SOURCE.into(), meta.source.clone());
    if let Some(d) = &meta.downsampling {
        md.insert(
            keys::DOWNSAMPLING.into(),
            serde_json::to_string(d).unwrap_or_default(),
        );
    }
    md.insert(keys::SIMULATED.into(), meta.simulated.to_string());
    md.insert(
        keys::Y_AXIS.into(),
        if meta.y_down { "down" } else { "up" }.into(),
    );
    if let Some(s) = &meta.simulated_description {
        md.insert(keys::SIMULATED_DESCRIPTION.into(), s.clone());
    }
    md
}

/// Rows per record batch written by [`write_ipc`]: small enough that a reader decoding
/// batch by batch draws early and never holds a thread long, large enough that the
/// per-batch cost (a message header, a few allocations) stays negligible.
pub const BATCH_ROWS: usize = 65_536;

/// How a numeric column is stored: UInt8 or UInt16 when every value is a count that
/// fits (read back as the same f32 bits: -0.0 and NaN keep Float32), else Float32.
/// Gene counts are the bulk of a dataset file; this makes them 2-4 times smaller.
fn storage_type(values: &[f32]) -> DataType {
    let exact =
        |v: f32, max: f32| (0.0..=max).contains(&v) && (v as u32 as f32).to_bits() == v.to_bits();
    if values.iter().all(|&v| exact(v, u8::MAX as f32)) {
        DataType::UInt8
    } else if values.iter().all(|&v| exact(v, u16::MAX as f32)) {
        DataType::UInt16
    } else {
        DataType::Float32
    }
}

/// Writes the dataset as one Arrow IPC file (no compression), in record batches of
/// [`BATCH_ROWS`] rows.
pub fn write_ipc(ds: &Dataset) -> Result<Vec<u8>> {
    write_ipc_batches(ds, BATCH_ROWS)
}

/// As [`write_ipc`], with at most `rows_per_batch` rows per record batch (at least one
/// batch, even for an empty dataset). Each batch's arrays are built from slices of the
/// dataset, so writing needs one batch of extra memory, not a copy of the dataset.
pub fn write_ipc_batches(ds: &Dataset, rows_per_batch: usize) -> Result<Vec<u8>> {
    ds.validate(&Limits {
        max_rows: u64::MAX,
        max_bytes: u64::MAX,
    })?;
    let unit_md: HashMap<String, String> =
        [(keys::FIELD_UNIT.to_string(), ds.meta.coord_unit.clone())].into();
    let mut fields: Vec<Field> = vec![
        Field::new("x", DataType::Float32, false).with_metadata(unit_md.clone()),
        Field::new("y", DataType::Float32, false).with_metadata(unit_md),
    ];
    // One values array per categorical column, shared by every batch (the file holds one
    // dictionary per column).
    let mut dictionaries: Vec<ArrayRef> = Vec::new();
    for c in &ds.categorical {
        let dt = DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8));
        let mut f = Field::new(&c.name, dt, false);
        if let Some(colors) = &c.colors {
            f = f.with_metadata(HashMap::from([(
                keys::FIELD_COLORS.to_string(),
                serde_json::to_string(colors).unwrap_or_default(),
            )]));
        }
        fields.push(f);
        dictionaries.push(Arc::new(StringArray::from_iter_values(c.categories.iter())));
    }
    // Counts are stored as the narrowest unsigned integers that hold them exactly.
    let storage: Vec<DataType> = ds.numeric.iter().map(|c| storage_type(&c.values)).collect();
    for (c, dt) in ds.numeric.iter().zip(&storage) {
        let kind = match c.kind {
            NumericKind::Gene => "gene",
            NumericKind::Value => "value",
        };
        fields.push(
            Field::new(&c.name, dt.clone(), false).with_metadata(HashMap::from([(
                keys::FIELD_KIND.to_string(),
                kind.to_string(),
            )])),
        );
    }
    let mut md = schema_metadata(&ds.meta);
    // The sparse expression's list columns, sliced per batch below.
    let mut sparse: Vec<ArrayRef> = Vec::new();
    if let Some(e) = &ds.expression {
        for (f, a) in crate::sparse_ipc::columns(e, &mut md)? {
            fields.push(f);
            sparse.push(a);
        }
    }
    let schema = Arc::new(Schema::new_with_metadata(fields, md));
    let mut out = Vec::new();
    let mut w = arrow_ipc::writer::FileWriter::try_new(&mut out, &schema)
        .map_err(|e| DataError::Ipc(e.to_string()))?;
    let step = rows_per_batch.max(1);
    let mut start = 0;
    loop {
        let end = (start + step).min(ds.len());
        let r = start..end;
        let mut arrays: Vec<ArrayRef> = vec![
            Arc::new(Float32Array::from(ds.x[r.clone()].to_vec())),
            Arc::new(Float32Array::from(ds.y[r.clone()].to_vec())),
        ];
        for (c, values) in ds.categorical.iter().zip(&dictionaries) {
            let keys_arr = arrow_array::Int32Array::from(
                c.codes[r.clone()]
                    .iter()
                    .map(|&k| k as i32)
                    .collect::<Vec<i32>>(),
            );
            let d = DictionaryArray::<Int32Type>::try_new(keys_arr, values.clone())
                .map_err(|e| DataError::Invalid(format!("column `{}`: {e}", c.name)))?;
            arrays.push(Arc::new(d));
        }
        for (c, dt) in ds.numeric.iter().zip(&storage) {
            let v = &c.values[r.clone()];
            arrays.push(match dt {
                DataType::UInt8 => {
                    Arc::new(UInt8Array::from_iter_values(v.iter().map(|&x| x as u8)))
                }
                DataType::UInt16 => {
                    Arc::new(UInt16Array::from_iter_values(v.iter().map(|&x| x as u16)))
                }
                _ => Arc::new(Float32Array::from(v.to_vec())),
            });
        }
        arrays.extend(sparse.iter().map(|a| a.slice(r.start, r.len())));
        let batch = RecordBatch::try_new(schema.clone(), arrays)
            .map_err(|e| DataError::Ipc(e.to_string()))?;
        w.write(&batch).map_err(|e| DataError::Ipc(e.to_string()))?;
        start = end;
        if start >= ds.len() {
            break;
        }
    }
    w.finish().map_err(|e| DataError::Ipc(e.to_string()))?;
    drop(w);
    Ok(out)
}
