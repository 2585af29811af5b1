//! Reading and writing the Arrow IPC dataset file (see README "Dataset format").

use crate::dataset::{
    CategoricalColumn, Dataset, Downsampling, Limits, Metadata, NumericColumn, NumericKind,
    UnitKind,
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
    check_envelope(bytes, limits)?;
    read_buffer(arrow_buffer::Buffer::from_slice_ref(bytes), limits)
}

/// As [`read_ipc_with_limits`], taking ownership of the bytes so that the arrays are
/// views of them rather than of a copy (the browser hands over a fresh `Vec` per file).
pub fn read_ipc_owned(bytes: Vec<u8>, limits: &Limits) -> Result<Dataset> {
    check_envelope(&bytes, limits)?;
    read_buffer(arrow_buffer::Buffer::from_vec(bytes), limits)
}

fn read_buffer(buffer: arrow_buffer::Buffer, limits: &Limits) -> Result<Dataset> {
    let (schema, batches) = decode_file(&buffer, limits)?;
    let ds = from_batches(&schema, &batches)?;
    ds.validate(limits)?;
    Ok(ds)
}

/// Size limit and the `ARROW1` magic at both ends, with a hint for the usual mix-ups.
fn check_envelope(bytes: &[u8], limits: &Limits) -> Result<()> {
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

fn ipc_err(e: impl std::fmt::Display) -> DataError {
    DataError::Ipc(e.to_string())
}

/// Decodes the whole file from one buffer: arrays slice it instead of each message
/// being read into a buffer of its own. Every block and every
/// buffer offset is bounds-checked first, so a corrupt file is an error, never a panic.
///
/// Dictionaries are decoded here rather than through arrow-ipc's `FileDecoder`, whose
/// delta-dictionary path links arrow-select's generic concat/interleave (about a tenth of
/// the browser bundle) for string dictionaries that [`append_strings`] joins directly.
fn decode_file(
    buffer: &arrow_buffer::Buffer,
    limits: &Limits,
) -> Result<(Arc<Schema>, Vec<RecordBatch>)> {
    use arrow_buffer::Buffer;
    let bytes = buffer.as_slice();
    let n = bytes.len();
    let mut trailer = [0u8; 10];
    trailer.copy_from_slice(&bytes[n - 10..]);
    let footer_len = arrow_ipc::reader::read_footer_length(trailer).map_err(ipc_err)?;
    if footer_len + 10 + 8 > n {
        return Err(DataError::Ipc(format!(
            "footer length {footer_len} exceeds the file size {n}: truncated or corrupt"
        )));
    }
    let footer = arrow_ipc::root_as_footer(&bytes[n - 10 - footer_len..n - 10])
        .map_err(|e| DataError::Ipc(format!("unreadable footer: {e}")))?;
    let fb_schema = footer
        .schema()
        .ok_or_else(|| DataError::Ipc("the footer has no schema".into()))?;
    let schema = Arc::new(
        arrow_ipc::convert::try_fb_to_schema(fb_schema)
            .map_err(|e| DataError::Ipc(format!("schema: {e}")))?,
    );
    let dict_fields = dictionary_fields(&fb_schema, &schema);
    let layout = buffer_layout(&schema)?;
    let version = footer.version();
    // (message header, body) of one block, after checking it lies inside the file.
    let block_data = |block: &arrow_ipc::Block| -> Result<(arrow_ipc::Message<'_>, Buffer)> {
        let meta = usize::try_from(block.metaDataLength())
            .map_err(|_| ipc_err("negative metadata length"))?;
        let body =
            usize::try_from(block.bodyLength()).map_err(|_| ipc_err("negative body length"))?;
        let off = usize::try_from(block.offset()).map_err(|_| ipc_err("negative block offset"))?;
        let end = off
            .checked_add(meta)
            .and_then(|v| v.checked_add(body))
            .unwrap_or(usize::MAX);
        // Blocks and bodies are 8-byte aligned in valid files (and arrow-rs relies on it).
        if end > n - 10 - footer_len || meta < 8 || off % 8 != 0 || meta % 8 != 0 {
            return Err(DataError::Ipc(format!(
                "a block at byte {off} runs past the data ({end} > {n}): truncated or corrupt"
            )));
        }
        let msg = check_message_buffers(&bytes[off..off + meta], body, &layout)?;
        if version != arrow_ipc::MetadataVersion::V1 && msg.version() != version {
            return Err(ipc_err(
                "a message's metadata version differs from the footer's",
            ));
        }
        Ok((msg, buffer.slice_with_length(off + meta, body)))
    };
    let mut dictionaries: HashMap<i64, ArrayRef> = HashMap::new();
    for block in footer.dictionaries().iter().flatten() {
        let (msg, body) = block_data(block)?;
        let dict = msg
            .header_as_dictionary_batch()
            .ok_or_else(|| ipc_err("a dictionary block holds another kind of message"))?;
        let id = dict.id();
        let value_type = dict_fields
            .get(&id)
            .ok_or_else(|| DataError::Ipc(format!("dictionary: id {id} is not in the schema")))?;
        let data = dict
            .data()
            .ok_or_else(|| DataError::Ipc(format!("dictionary {id} has no values")))?;
        let values_schema = Arc::new(Schema::new(vec![Field::new(
            "values",
            value_type.clone(),
            true,
        )]));
        let values = arrow_ipc::reader::read_record_batch(
            &body,
            data,
            values_schema,
            &HashMap::new(),
            None,
            &msg.version(),
        )
        .map_err(|e| DataError::Ipc(format!("dictionary {id}: {e}")))?
        .column(0)
        .clone();
        let values = match (dict.isDelta(), dictionaries.get(&id)) {
            (false, _) => values,
            (true, Some(existing)) => append_strings(existing, &values),
            (true, None) => {
                return Err(DataError::Ipc(format!(
                    "dictionary {id}: a delta batch comes before the dictionary it extends"
                )))
            }
        };
        dictionaries.insert(id, values);
    }
    let mut batches = Vec::new();
    let mut total = 0u64;
    for block in footer.recordBatches().iter().flatten() {
        let (msg, body) = block_data(block)?;
        let Some(rb) = msg.header_as_record_batch() else {
            return Err(ipc_err(
                "a record batch block holds another kind of message",
            ));
        };
        let b = arrow_ipc::reader::read_record_batch(
            &body,
            rb,
            schema.clone(),
            &dictionaries,
            None,
            &msg.version(),
        )
        .map_err(|e| DataError::Ipc(format!("record batch: {e}")))?;
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
    Ok((schema, batches))
}

/// Dictionary id -> value type, for the top-level dictionary-encoded fields (the format
/// has no nested columns; `buffer_layout` rejects them).
fn dictionary_fields(fb: &arrow_ipc::Schema<'_>, schema: &Schema) -> HashMap<i64, DataType> {
    let mut out = HashMap::new();
    for (i, f) in fb.fields().iter().flatten().enumerate() {
        if let (Some(enc), Some(field)) = (f.dictionary(), schema.fields().get(i)) {
            if let DataType::Dictionary(_, v) = field.data_type() {
                out.insert(enc.id(), (**v).clone());
            }
        }
    }
    out
}

/// A delta dictionary: the existing string values followed by the new ones.
fn append_strings(a: &ArrayRef, b: &ArrayRef) -> ArrayRef {
    match a.data_type() {
        DataType::LargeUtf8 => Arc::new(
            a.as_string::<i64>()
                .iter()
                .chain(b.as_string_opt::<i64>().into_iter().flat_map(|s| s.iter()))
                .collect::<arrow_array::LargeStringArray>(),
        ),
        _ => Arc::new(
            a.as_string_opt::<i32>()
                .into_iter()
                .flat_map(|s| s.iter())
                .chain(b.as_string_opt::<i32>().into_iter().flat_map(|s| s.iter()))
                .collect::<StringArray>(),
        ),
    }
}

/// Element widths of the buffers of one record batch (0 = any length: validity bitmaps,
/// string bytes), and of the offsets of dictionary values. Types outside the format are
/// rejected here, before any decoding.
struct Layout {
    batch: Vec<usize>,
    dict_offsets: usize,
}

fn buffer_layout(schema: &Schema) -> Result<Layout> {
    let mut batch = Vec::new();
    let mut dict_offsets = 4;
    for f in schema.fields() {
        let dt = f.data_type();
        let widths: Vec<usize> = match dt {
            DataType::Utf8 => vec![0, 4, 0],
            DataType::LargeUtf8 => vec![0, 8, 0],
            DataType::Boolean => vec![0, 0],
            DataType::Dictionary(k, v)
                if k.is_integer() && matches!(**v, DataType::Utf8 | DataType::LargeUtf8) =>
            {
                if **v == DataType::LargeUtf8 {
                    dict_offsets = 8;
                }
                vec![0, k.primitive_width().unwrap_or(1)]
            }
            dt if dt.is_numeric() && dt.primitive_width().is_some() => {
                vec![0, dt.primitive_width().unwrap_or(1)]
            }
            // The sparse expression: list validity, i32 offsets, item validity, items.
            DataType::List(item)
                if crate::sparse_ipc::is_sparse_column(f.name())
                    && item.data_type().is_numeric()
                    && item.data_type().primitive_width().is_some() =>
            {
                vec![0, 4, 0, item.data_type().primitive_width().unwrap_or(1)]
            }
            other => {
                return Err(DataError::WrongType {
                    column: f.name().clone(),
                    expected: "Float32/numeric, or dictionary-encoded strings".into(),
                    found: type_name(other),
                })
            }
        };
        batch.extend(widths);
    }
    Ok(Layout {
        batch,
        dict_offsets,
    })
}

/// Checks that every buffer a message declares lies inside its body and holds whole
/// elements (arrow-ipc slices and types them with assertions, not errors).
fn check_message_buffers<'m>(
    meta: &'m [u8],
    body: usize,
    layout: &Layout,
) -> Result<arrow_ipc::Message<'m>> {
    let (start, len) = if meta[..4] == [0xff; 4] {
        (8, i32::from_le_bytes([meta[4], meta[5], meta[6], meta[7]]))
    } else {
        (4, i32::from_le_bytes([meta[0], meta[1], meta[2], meta[3]]))
    };
    let len = usize::try_from(len).map_err(|_| ipc_err("negative message length"))?;
    if start + len > meta.len() {
        return Err(ipc_err("message header runs past its block"));
    }
    let msg = arrow_ipc::root_as_message(&meta[start..start + len])
        .map_err(|e| ipc_err(format!("unreadable message: {e}")))?;
    let dict_widths = [0, layout.dict_offsets, 0];
    let (rb, widths) = match msg.header_type() {
        arrow_ipc::MessageHeader::RecordBatch => (msg.header_as_record_batch(), &layout.batch[..]),
        arrow_ipc::MessageHeader::DictionaryBatch => (
            msg.header_as_dictionary_batch().and_then(|d| d.data()),
            &dict_widths[..],
        ),
        _ => (None, &[][..]),
    };
    if let Some(rb) = rb {
        if rb.compression().is_some() {
            return Err(ipc_err("compressed Arrow files are not supported; write it uncompressed (e.g. compression=None)"));
        }
        let buffers: Vec<&arrow_ipc::Buffer> = rb.buffers().iter().flatten().collect();
        if buffers.len() != widths.len() {
            return Err(ipc_err(format!(
                "a message has {} buffers; the schema needs {}",
                buffers.len(),
                widths.len()
            )));
        }
        for (b, &w) in buffers.iter().zip(widths) {
            let (o, l) = (b.offset(), b.length());
            if w > 1 && l % w as i64 != 0 {
                return Err(ipc_err(format!(
                    "a buffer of {l} bytes does not hold whole {w}-byte values: corrupt file"
                )));
            }
            // The format requires 8-byte aligned buffers; arrow-rs asserts alignment when typing them.
            if o < 0 || l < 0 || o % 8 != 0 || (o as u64).saturating_add(l as u64) > body as u64 {
                return Err(ipc_err(format!(
                    "a buffer at {o}+{l} lies outside its {body}-byte body: corrupt file"
                )));
            }
        }
    }
    Ok(msg)
}

fn type_name(dt: &DataType) -> String {
    format!("{dt}")
}

fn from_batches(schema: &Schema, batches: &[RecordBatch]) -> Result<Dataset> {
    let meta = metadata_from_schema(schema)?;
    let n: usize = batches.iter().map(|b| b.num_rows()).sum();
    let col_index = |name: &str| {
        schema
            .index_of(name)
            .map_err(|_| DataError::MissingColumn(name.into()))
    };
    let xi = col_index("x")?;
    let yi = col_index("y")?;
    let mut ds = Dataset {
        meta,
        ..Default::default()
    };
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
        if i == xi || i == yi || crate::sparse_ipc::is_sparse_column(f.name()) {
            continue;
        }
        let cols: Vec<&ArrayRef> = batches.iter().map(|b| b.column(i)).collect();
        match f.data_type() {
            DataType::Dictionary(_, v) if matches!(**v, DataType::Utf8 | DataType::LargeUtf8) => {
                let mut c = read_dictionary(f, &cols, n)?;
                if let Some(colors) = f.metadata().get(keys::FIELD_COLORS) {
                    let parsed: Vec<String> =
                        serde_json::from_str(colors).map_err(|e| DataError::Metadata {
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
                        labels.push(if a.is_null(r) {
                            MISSING.to_string()
                        } else {
                            scalar_string(a, r)
                        });
                    }
                }
                ds.categorical
                    .push(CategoricalColumn::from_labels(f.name(), &labels));
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
                ds.numeric.push(NumericColumn {
                    name: f.name().clone(),
                    values,
                    kind,
                });
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
    ds.expression = crate::sparse_ipc::read(schema, batches)?.map(Arc::new);
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
    Ok(CategoricalColumn {
        name: f.name().clone(),
        codes,
        categories,
        colors: None,
    })
}

fn metadata_from_schema(schema: &Schema) -> Result<Metadata> {
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

/// Writes the dataset as one Arrow IPC file (one record batch, no compression).
pub fn write_ipc(ds: &Dataset) -> Result<Vec<u8>> {
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
    let mut arrays: Vec<ArrayRef> = vec![
        Arc::new(Float32Array::from(ds.x.clone())),
        Arc::new(Float32Array::from(ds.y.clone())),
    ];
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
        let keys_arr =
            arrow_array::Int32Array::from(c.codes.iter().map(|&k| k as i32).collect::<Vec<i32>>());
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
            Field::new(&c.name, DataType::Float32, false).with_metadata(HashMap::from([(
                keys::FIELD_KIND.to_string(),
                kind.to_string(),
            )])),
        );
        arrays.push(Arc::new(Float32Array::from(c.values.clone())));
    }
    let mut md = schema_metadata(&ds.meta);
    if let Some(e) = &ds.expression {
        for (f, a) in crate::sparse_ipc::columns(e, &mut md)? {
            fields.push(f);
            arrays.push(a);
        }
    }
    let schema = Arc::new(Schema::new_with_metadata(fields, md));
    let batch =
        RecordBatch::try_new(schema.clone(), arrays).map_err(|e| DataError::Ipc(e.to_string()))?;
    let mut out = Vec::new();
    {
        let mut w = arrow_ipc::writer::FileWriter::try_new(&mut out, &schema)
            .map_err(|e| DataError::Ipc(e.to_string()))?;
        w.write(&batch).map_err(|e| DataError::Ipc(e.to_string()))?;
        w.finish().map_err(|e| DataError::Ipc(e.to_string()))?;
    }
    Ok(out)
}
