//! Appending decoded Arrow record batches to a [`Dataset`], one batch at a time.
//!
//! Every column is reserved once for the file's total row count (read from the message
//! headers before any body is decoded), so a large file costs one allocation per column
//! rather than a doubling series of them, and a partly decoded dataset is always whole
//! rows: every column has the same length after each batch.

use crate::dataset::{CategoricalColumn, Dataset, Metadata, NumericColumn, NumericKind};
use crate::error::{DataError, Result};
use crate::ipc::{keys, MISSING};
use crate::sparse_ipc::{is_sparse_column, SparseReader};
use arrow_array::cast::AsArray;
use arrow_array::types::{
    Float32Type, Float64Type, Int16Type, Int32Type, Int64Type, Int8Type, UInt16Type, UInt32Type,
    UInt64Type, UInt8Type,
};
use arrow_array::{Array, ArrayRef, ArrowPrimitiveType, DictionaryArray, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use std::collections::HashMap;

/// Where one schema field goes in the dataset.
enum Sink {
    X,
    Y,
    /// Index into `Dataset::categorical`, and the categories seen so far by string.
    Categorical(usize, HashMap<String, u32>),
    Numeric(usize),
    /// One of the sparse expression's list columns, read by [`SparseReader`].
    Sparse,
}

/// Builds a [`Dataset`] from the record batches of one schema.
pub(crate) struct ColumnsBuilder {
    sinks: Vec<Sink>,
    ds: Dataset,
    sparse: Option<SparseReader>,
}

fn type_name(dt: &DataType) -> String {
    format!("{dt}")
}

fn wrong_type(f: &Field, expected: &str) -> DataError {
    DataError::WrongType {
        column: f.name().clone(),
        expected: expected.into(),
        found: type_name(f.data_type()),
    }
}

impl ColumnsBuilder {
    /// Checks the schema against the format and reserves `rows` rows in every column.
    pub(crate) fn new(schema: &Schema, meta: Metadata, rows: usize) -> Result<ColumnsBuilder> {
        let col_index = |name: &str| {
            schema
                .index_of(name)
                .map_err(|_| DataError::MissingColumn(name.into()))
        };
        let (xi, yi) = (col_index("x")?, col_index("y")?);
        let mut ds = Dataset {
            meta,
            ..Default::default()
        };
        ds.x.reserve_exact(rows);
        ds.y.reserve_exact(rows);
        let mut sinks = Vec::with_capacity(schema.fields().len());
        for (i, f) in schema.fields().iter().enumerate() {
            let dt = f.data_type();
            let sink = if is_sparse_column(f.name()) {
                Sink::Sparse
            } else if i == xi || i == yi {
                if dt != &DataType::Float32 {
                    return Err(wrong_type(f, "Float32"));
                }
                if i == xi {
                    Sink::X
                } else {
                    Sink::Y
                }
            } else {
                match dt {
                    DataType::Dictionary(k, v)
                        if k.is_integer()
                            && matches!(**v, DataType::Utf8 | DataType::LargeUtf8) =>
                    {
                        Self::categorical(&mut ds, f, rows)?
                    }
                    DataType::Utf8 | DataType::LargeUtf8 | DataType::Boolean => {
                        Self::categorical(&mut ds, f, rows)?
                    }
                    dt if dt.is_numeric() => {
                        let kind = match f.metadata().get(keys::FIELD_KIND).map(String::as_str) {
                            Some("gene") => NumericKind::Gene,
                            _ => NumericKind::Value,
                        };
                        ds.numeric.push(NumericColumn {
                            name: f.name().clone(),
                            values: Vec::with_capacity(rows),
                            kind,
                        });
                        Sink::Numeric(ds.numeric.len() - 1)
                    }
                    _ => {
                        return Err(wrong_type(
                            f,
                            "Float32/numeric, or dictionary-encoded strings",
                        ))
                    }
                }
            };
            sinks.push(sink);
        }
        let sparse = SparseReader::new(schema)?;
        Ok(ColumnsBuilder { sinks, ds, sparse })
    }

    fn categorical(ds: &mut Dataset, f: &Field, rows: usize) -> Result<Sink> {
        let colors = match f.metadata().get(keys::FIELD_COLORS) {
            Some(colors) => Some(serde_json::from_str::<Vec<String>>(colors).map_err(|e| {
                DataError::Metadata {
                    key: format!("{}.{}", f.name(), keys::FIELD_COLORS),
                    message: format!("expected a JSON array of colour strings: {e}"),
                }
            })?),
            None => None,
        };
        ds.categorical.push(CategoricalColumn {
            name: f.name().clone(),
            codes: Vec::with_capacity(rows),
            categories: Vec::new(),
            colors,
        });
        Ok(Sink::Categorical(ds.categorical.len() - 1, HashMap::new()))
    }

    /// The rows appended so far.
    pub(crate) fn dataset(&self) -> &Dataset {
        &self.ds
    }

    pub(crate) fn finish(mut self) -> Dataset {
        self.ds.expression = self.sparse.map(|r| std::sync::Arc::new(r.finish()));
        self.ds
    }

    /// Appends one batch. On an error the builder may hold part of the batch: callers
    /// drop it (a file that fails part-way is not shown).
    pub(crate) fn push(&mut self, batch: &RecordBatch) -> Result<()> {
        if let Some(r) = &mut self.sparse {
            r.push(batch)?;
        }
        for (i, sink) in self.sinks.iter_mut().enumerate() {
            let a = batch.column(i);
            let f = batch.schema_ref().field(i).clone();
            match sink {
                Sink::X | Sink::Y => {
                    let dst = if matches!(sink, Sink::X) {
                        &mut self.ds.x
                    } else {
                        &mut self.ds.y
                    };
                    let p = a.as_primitive::<Float32Type>();
                    if p.null_count() > 0 {
                        return Err(DataError::Invalid(format!(
                            "column `{}` has {} null values; coordinates must all be present",
                            f.name(),
                            p.null_count()
                        )));
                    }
                    dst.extend_from_slice(p.values());
                }
                Sink::Sparse => {}
                Sink::Numeric(c) => {
                    append_numeric(a, &mut self.ds.numeric[*c].values)
                        .ok_or_else(|| wrong_type(&f, "a numeric type"))?;
                }
                Sink::Categorical(c, index) => {
                    let col = &mut self.ds.categorical[*c];
                    if let DataType::Dictionary(..) = a.data_type() {
                        append_dictionary(&f, a, col, index)?;
                    } else {
                        for r in 0..a.len() {
                            let label = if a.is_null(r) {
                                MISSING.to_string()
                            } else {
                                scalar_string(a, r)
                            };
                            let code = category(col, index, label);
                            col.codes.push(code);
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

/// The code of `label`, adding it as a new category when first seen.
fn category(col: &mut CategoricalColumn, index: &mut HashMap<String, u32>, label: String) -> u32 {
    if let Some(&k) = index.get(&label) {
        return k;
    }
    col.categories.push(label.clone());
    let k = (col.categories.len() - 1) as u32;
    index.insert(label, k);
    k
}

fn scalar_string(a: &ArrayRef, r: usize) -> String {
    match a.data_type() {
        DataType::Utf8 => a.as_string::<i32>().value(r).to_string(),
        DataType::LargeUtf8 => a.as_string::<i64>().value(r).to_string(),
        DataType::Boolean => a.as_boolean().value(r).to_string(),
        _ => String::new(),
    }
}

/// Appends any primitive numeric array as f32 (nulls become NaN). None if the type is not numeric.
pub(crate) fn append_numeric(a: &ArrayRef, out: &mut Vec<f32>) -> Option<()> {
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
        DataType::Float32 => {
            let p = a.as_primitive::<Float32Type>();
            let start = out.len();
            out.extend_from_slice(p.values());
            if p.null_count() > 0 {
                for r in 0..p.len() {
                    if p.is_null(r) {
                        out[start + r] = f32::NAN;
                    }
                }
            }
        }
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
        DataType::Utf8 => values
            .as_string::<i32>()
            .iter()
            .map(|s| s.unwrap_or(MISSING).to_string())
            .collect(),
        DataType::LargeUtf8 => values
            .as_string::<i64>()
            .iter()
            .map(|s| s.unwrap_or(MISSING).to_string())
            .collect(),
        _ => Vec::new(),
    }
}

/// Appends a dictionary-encoded string column. A batch whose dictionary is the column's
/// categories so far (the usual case: one dictionary for the whole file) copies its keys;
/// any other dictionary is re-mapped through the category strings.
fn append_dictionary(
    f: &Field,
    a: &ArrayRef,
    col: &mut CategoricalColumn,
    index: &mut HashMap<String, u32>,
) -> Result<()> {
    let DataType::Dictionary(k, _) = a.data_type() else {
        return Err(wrong_type(f, "dictionary"));
    };
    match **k {
        DataType::Int8 => append_keys::<Int8Type>(f, a, col, index),
        DataType::Int16 => append_keys::<Int16Type>(f, a, col, index),
        DataType::Int32 => append_keys::<Int32Type>(f, a, col, index),
        DataType::Int64 => append_keys::<Int64Type>(f, a, col, index),
        DataType::UInt8 => append_keys::<UInt8Type>(f, a, col, index),
        DataType::UInt16 => append_keys::<UInt16Type>(f, a, col, index),
        DataType::UInt32 => append_keys::<UInt32Type>(f, a, col, index),
        DataType::UInt64 => append_keys::<UInt64Type>(f, a, col, index),
        _ => Err(wrong_type(f, "dictionary with integer keys")),
    }
}

fn append_keys<K>(
    f: &Field,
    a: &ArrayRef,
    col: &mut CategoricalColumn,
    index: &mut HashMap<String, u32>,
) -> Result<()>
where
    K: arrow_array::types::ArrowDictionaryKeyType,
    <K as ArrowPrimitiveType>::Native: TryInto<i64> + Copy,
{
    let d: &DictionaryArray<K> = a.as_dictionary::<K>();
    let vals = dict_values(d.values());
    let k = vals.len();
    let identity = vals.len() <= col.categories.len() && col.categories[..vals.len()] == vals[..];
    let remap: Vec<u32> = if identity {
        Vec::new()
    } else {
        vals.into_iter().map(|v| category(col, index, v)).collect()
    };
    let start = col.codes.len();
    let raw = d.keys().values();
    let key = |c: <K as ArrowPrimitiveType>::Native| -> Option<usize> {
        let c: i64 = c.try_into().ok()?;
        usize::try_from(c).ok().filter(|&c| c < k)
    };
    // arrow-ipc validated every key of a valid slot against its dictionary; null slots
    // may hold anything and are overwritten below. So the usual file (one dictionary,
    // 32-bit keys) copies its keys as they are, without a pass per key.
    let bits32 = matches!(K::DATA_TYPE, DataType::Int32 | DataType::UInt32);
    if identity && bits32 {
        col.codes
            .extend_from_slice(d.keys().values().inner().typed_data::<u32>());
    } else {
        let mut bad = 0usize;
        col.codes.extend(raw.iter().map(|&c| match key(c) {
            Some(c) if identity => c as u32,
            Some(c) => remap[c],
            None => {
                bad += 1;
                0
            }
        }));
        // only keys outside the dictionary in valid slots are errors
        if bad > 0 {
            let real = (0..d.len())
                .filter(|&r| d.keys().is_valid(r) && key(raw[r]).is_none())
                .count();
            if real > 0 {
                return Err(DataError::Invalid(format!(
                    "column `{}` has {real} dictionary keys outside its {k} categories",
                    f.name()
                )));
            }
        }
    }
    let nulls = d.keys().null_count();
    if nulls > 0 {
        let missing = category(col, index, MISSING.to_string());
        for r in 0..d.len() {
            if d.keys().is_null(r) {
                col.codes[start + r] = missing;
            }
        }
    }
    Ok(())
}
