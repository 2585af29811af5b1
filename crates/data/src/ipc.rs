//! Reading and writing the Arrow IPC dataset file (see README "Dataset format").

use crate::dataset::{
    CategoricalColumn, Dataset, Downsampling, Limits, Metadata, NumericColumn, NumericKind, UnitKind,
};
use crate::error::{DataError, Result};
use arrow_array::cast::AsArray;
use arrow_array::types::{
    Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type, UInt16Type, UInt32Type,
    UInt64Type, UInt8Type,
};
use arrow_array::{Array, ArrayRef, DictionaryArray, Float32Array, RecordBatch, StringArray};
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
    let reader = arrow_ipc::reader::FileReader::try_new(std::io::Cursor::new(bytes), None)
        .map_err(|e| DataError::Ipc(e.to_string()))?;
    let schema = reader.schema();
    let mut batches = Vec::with_capacity(reader.num_batches());
    let mut total = 0u64;
    for b in reader {
        let b = b.map_err(|e| DataError::Ipc(format!("record batch: {e}")))?;
        total += b.num_rows() as u64;
        if total > limits.max_rows {
            return Err(DataError::TooLarge {
                what: "number of rows".into(),
                found: total,
                limit: limits.max_rows,
                limit_points: limits.max_rows,
            });
        }
        batches.push(b);
    }
    let ds = from_batches(&schema, &batches)?;
    ds.validate(limits)?;
    Ok(ds)
}

fn type_name(dt: &DataType) -> String {
    format!("{dt}")
}

fn from_batches(schema: &Schema, batches: &[RecordBatch]) -> Result<Dataset> {
    let meta = metadata_from_schema(schema)?;
    let n: usize = batches.iter().map(|b| b.num_rows()).sum();
    let col_index = |name: &str| schema.index_of(name).map_err(|_| DataError::MissingColumn(name.into()));
    let xi = col_index("x")?;
    let yi = col_index("y")?;
    let mut ds = Dataset { meta, ..Default::default() };
    for (i, dst) in [(xi, &mut ds.x), (yi, &mut ds.y)] {
        let f = schema.field(i);
        if f.data_type() != &DataType::Float32 {
            return Err(DataError::WrongType {
                column: f.name().clone(),
                expected: "Float32".into(),
                found: type_name(f.data_type()),
            });
        }
        dst.reserve_exact(n);
        for b in batches {
            let a = b.column(i).as_primitive::<Float32Type>();
            if a.null_count() > 0 {
                return Err(DataError::Invalid(format!(
                    "column `{}` has {} null values; coordinates must all be present",
                    f.name(),
                    a.null_count()
                )));
            }
            dst.extend_from_slice(a.values());
        }
    }
    for (i, f) in schema.fields().iter().enumerate() {
        if i == xi || i == yi {
            continue;
        }
        let cols: Vec<&ArrayRef> = batches.iter().map(|b| b.column(i)).collect();
        match f.data_type() {
            DataType::Dictionary(_, v) if matches!(**v, DataType::Utf8 | DataType::LargeUtf8) => {
                let mut c = read_dictionary(f, &cols, n)?;
                if let Some(colors) = f.metadata().get(keys::FIELD_COLORS) {
                    let parsed: Vec<String> = serde_json::from_str(colors).map_err(|e| DataError::Metadata {
                        key: format!("{}.{}", f.name(), keys::FIELD_COLORS),
                        message: format!("expected a JSON array of colour strings: {e}"),
                    })?;
                    c.colors = Some(parsed);
                }
                ds.categorical.push(c);
            }
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Boolean => {
                let mut labels: Vec<String> = Vec::with_capacity(n);
                for a in &cols {
                    for r in 0..a.len() {
                        labels.push(if a.is_null(r) { MISSING.to_string() } else { scalar_string(a, r) });
                    }
                }
                ds.categorical.push(CategoricalColumn::from_labels(f.name(), &labels));
            }
            dt if dt.is_numeric() => {
                let mut values = Vec::with_capacity(n);
                for a in &cols {
                    append_numeric(a, &mut values).ok_or_else(|| DataError::WrongType {
                        column: f.name().clone(),
                        expected: "a numeric type".into(),
                        found: type_name(dt),
                    })?;
                }
                let kind = match f.metadata().get(keys::FIELD_KIND).map(String::as_str) {
                    Some("gene") => NumericKind::Gene,
                    _ => NumericKind::Value,
                };
                ds.numeric.push(NumericColumn { name: f.name().clone(), values, kind });
            }
            dt => {
                return Err(DataError::WrongType {
                    column: f.name().clone(),
                    expected: "Float32/numeric, or dictionary-encoded strings".into(),
                    found: type_name(dt),
                })
            }
        }
    }
    Ok(ds)
}

/// Label given to null entries of a categorical column.
pub const MISSING: &str = "(missing)";

fn scalar_string(a: &ArrayRef, r: usize) -> String {
    match a.data_type() {
        DataType::Utf8 => a.as_string::<i32>().value(r).to_string(),
        DataType::LargeUtf8 => a.as_string::<i64>().value(r).to_string(),
        DataType::Boolean => a.as_boolean().value(r).to_string(),
        _ => String::new(),
    }
}

/// Appends any primitive numeric array as f32 (nulls become NaN). None if the type is not numeric.
fn append_numeric(a: &ArrayRef, out: &mut Vec<f32>) -> Option<()> {
    macro_rules! conv {
        ($t:ty) => {{
            let p = a.as_primitive::<$t>();
            let start = out.len();
            out.extend(p.values().iter().map(|&v| v as f32));
            if p.null_count() > 0 {
                for r in 0..p.len() {
                    if p.is_null(r) {
                        out[start + r] = f32::NAN;
                    }
                }
            }
        }};
    }
    match a.data_type() {
        DataType::Float32 => conv!(Float32Type),
        DataType::Float64 => conv!(Float64Type),
        DataType::Int8 => conv!(Int8Type),
        DataType::Int16 => conv!(Int16Type),
        DataType::Int32 => conv!(Int32Type),
        DataType::Int64 => conv!(Int64Type),
        DataType::UInt8 => conv!(UInt8Type),
        DataType::UInt16 => conv!(UInt16Type),
        DataType::UInt32 => conv!(UInt32Type),
        DataType::UInt64 => conv!(UInt64Type),
        _ => return None,
    }
    Some(())
}

fn dict_values(values: &ArrayRef) -> Vec<String> {
    match values.data_type() {
        DataType::Utf8 => values.as_string::<i32>().iter().map(|s| s.unwrap_or(MISSING).to_string()).collect(),
        DataType::LargeUtf8 => values.as_string::<i64>().iter().map(|s| s.unwrap_or(MISSING).to_string()).collect(),
        _ => Vec::new(),
    }
}

/// Reads a dictionary-encoded string column. Batches whose dictionary differs from the
/// first are re-mapped through the category strings.
fn read_dictionary(f: &Field, cols: &[&ArrayRef], n: usize) -> Result<CategoricalColumn> {
    let mut categories: Vec<String> = Vec::new();
    let mut index: HashMap<String, u32> = HashMap::new();
    let mut codes: Vec<u32> = Vec::with_capacity(n);
    for a in cols {
        macro_rules! keys_of {
            ($t:ty) => {{
                let d: &DictionaryArray<$t> = a.as_dictionary::<$t>();
                let vals = dict_values(d.values());
                let remap: Vec<u32> = if categories.is_empty() || categories == vals {
                    if categories.is_empty() {
                        for (k, v) in vals.iter().enumerate() {
                            index.insert(v.clone(), k as u32);
                        }
                        categories = vals.clone();
                    }
                    (0..vals.len() as u32).collect()
                } else {
                    vals.iter()
                        .map(|v| {
                            *index.entry(v.clone()).or_insert_with(|| {
                                categories.push(v.clone());
                                (categories.len() - 1) as u32
                            })
                        })
                        .collect()
                };
                let k = remap.len();
                let identity = remap.iter().enumerate().all(|(i, &c)| i as u32 == c);
                let raw = d.keys().values();
                let mut bad = 0usize;
                if identity {
                    codes.extend(raw.iter().map(|&c| {
                        let c = c as i64;
                        if c < 0 || c as usize >= k {
                            bad += 1;
                            0
                        } else {
                            c as u32
                        }
                    }));
                } else {
                    codes.extend(raw.iter().map(|&c| {
                        let c = c as i64;
                        if c < 0 || c as usize >= k {
                            bad += 1;
                            0
                        } else {
                            remap[c as usize]
                        }
                    }));
                }
                if bad > 0 {
                    return Err(DataError::Invalid(format!(
                        "column `{}` has {bad} dictionary keys outside its {k} categories",
                        f.name()
                    )));
                }
                if d.keys().null_count() > 0 {
                    let missing = *index.entry(MISSING.to_string()).or_insert_with(|| {
                        categories.push(MISSING.to_string());
                        (categories.len() - 1) as u32
                    });
                    let start = codes.len() - d.len();
                    for r in 0..d.len() {
                        if d.keys().is_null(r) {
                            codes[start + r] = missing;
                        }
                    }
                }
            }};
        }
        match a.data_type() {
            DataType::Dictionary(k, _) => match **k {
                DataType::Int8 => keys_of!(Int8Type),
                DataType::Int16 => keys_of!(Int16Type),
                DataType::Int32 => keys_of!(Int32Type),
                DataType::Int64 => keys_of!(Int64Type),
                DataType::UInt8 => keys_of!(UInt8Type),
                DataType::UInt16 => keys_of!(UInt16Type),
                DataType::UInt32 => keys_of!(UInt32Type),
                DataType::UInt64 => keys_of!(UInt64Type),
                ref other => {
                    return Err(DataError::WrongType {
                        column: f.name().clone(),
                        expected: "dictionary with integer keys".into(),
                        found: type_name(other),
                    })
                }
            },
            other => {
                return Err(DataError::WrongType {
                    column: f.name().clone(),
                    expected: "dictionary".into(),
                    found: type_name(other),
                })
            }
        }
    }
    Ok(CategoricalColumn { name: f.name().clone(), codes, categories, colors: None })
}

fn metadata_from_schema(schema: &Schema) -> Result<Metadata> {
    let md = schema.metadata();
    let get = |k: &str| md.get(k).cloned();
    let mut meta = Metadata {
        name: get(keys::NAME).unwrap_or_default(),
        platform: get(keys::PLATFORM).unwrap_or_default(),
        coord_unit: get(keys::COORD_UNIT)
            .or_else(|| {
                schema.field_with_name("x").ok().and_then(|f| f.metadata().get(keys::FIELD_UNIT).cloned())
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
    ];
    for (k, v) in md {
        if !known.contains(&k.as_str()) {
            meta.extra.insert(k.clone(), v.clone());
        }
    }
    Ok(meta)
}

fn schema_metadata(meta: &Metadata) -> HashMap<String, String> {
    let mut md: HashMap<String, String> = meta.extra.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
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
        md.insert(keys::DOWNSAMPLING.into(), serde_json::to_string(d).unwrap_or_default());
    }
    md.insert(keys::SIMULATED.into(), meta.simulated.to_string());
    if let Some(s) = &meta.simulated_description {
        md.insert(keys::SIMULATED_DESCRIPTION.into(), s.clone());
    }
    md
}

/// Writes the dataset as one Arrow IPC file (one record batch, no compression).
pub fn write_ipc(ds: &Dataset) -> Result<Vec<u8>> {
    ds.validate(&Limits { max_rows: u64::MAX, max_bytes: u64::MAX })?;
    let unit_md: HashMap<String, String> = [(keys::FIELD_UNIT.to_string(), ds.meta.coord_unit.clone())].into();
    let mut fields: Vec<Field> = vec![
        Field::new("x", DataType::Float32, false).with_metadata(unit_md.clone()),
        Field::new("y", DataType::Float32, false).with_metadata(unit_md),
    ];
    let mut arrays: Vec<ArrayRef> = vec![
        Arc::new(Float32Array::from(ds.x.clone())),
        Arc::new(Float32Array::from(ds.y.clone())),
    ];
    for c in &ds.categorical {
        let dt = DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8));
        let mut f = Field::new(&c.name, dt, false);
        if let Some(colors) = &c.colors {
            f = f.with_metadata(
                HashMap::from([(keys::FIELD_COLORS.to_string(), serde_json::to_string(colors).unwrap_or_default())]),
            );
        }
        fields.push(f);
        let keys_arr = arrow_array::Int32Array::from(c.codes.iter().map(|&k| k as i32).collect::<Vec<i32>>());
        let values = StringArray::from_iter_values(c.categories.iter());
        let d = DictionaryArray::<Int32Type>::try_new(keys_arr, Arc::new(values))
            .map_err(|e| DataError::Invalid(format!("column `{}`: {e}", c.name)))?;
        arrays.push(Arc::new(d));
    }
    for c in &ds.numeric {
        let kind = match c.kind {
            NumericKind::Gene => "gene",
            NumericKind::Value => "value",
        };
        fields.push(
            Field::new(&c.name, DataType::Float32, false)
                .with_metadata(HashMap::from([(keys::FIELD_KIND.to_string(), kind.to_string())])),
        );
        arrays.push(Arc::new(Float32Array::from(c.values.clone())));
    }
    let schema = Arc::new(Schema::new_with_metadata(fields, schema_metadata(&ds.meta)));
    let batch = RecordBatch::try_new(schema.clone(), arrays).map_err(|e| DataError::Ipc(e.to_string()))?;
    let mut out = Vec::new();
    {
        let mut w = arrow_ipc::writer::FileWriter::try_new(&mut out, &schema)
            .map_err(|e| DataError::Ipc(e.to_string()))?;
        w.write(&batch).map_err(|e| DataError::Ipc(e.to_string()))?;
        w.finish().map_err(|e| DataError::Ipc(e.to_string()))?;
    }
    Ok(out)
}
