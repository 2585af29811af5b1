//! Decoding an Arrow IPC dataset file one record batch at a time, so a large file can be
//! drawn while the rest of it decodes and a page never holds its thread for the whole file.
//!
//! [`BatchDecoder::open`] checks the whole envelope first (magic at both ends, footer,
//! every block and buffer offset inside the file, the total row count against the
//! limits): a truncated or corrupt file is an error before any row is decoded. Each
//! [`BatchDecoder::next_batch`] then decodes one record batch and appends it to the
//! dataset; the rows decoded so far are [`BatchDecoder::dataset`]. A batch that fails
//! ends the decode: every later call returns the same error and the partial dataset is
//! not handed out by [`BatchDecoder::finish`], so a file is shown whole or not at all.

use crate::dataset::{Dataset, Limits};
use crate::error::{DataError, Result};
use crate::ipc::{check_envelope, metadata_from_schema};
use crate::ipc_columns::ColumnsBuilder;
use arrow_array::cast::AsArray;
use arrow_array::{ArrayRef, StringArray};
use arrow_buffer::Buffer;
use arrow_schema::{DataType, Field, Schema};
use std::collections::HashMap;
use std::sync::Arc;

fn ipc_err(e: impl std::fmt::Display) -> DataError {
    DataError::Ipc(e.to_string())
}

/// One message of the file: where its header and body lie.
#[derive(Clone, Copy)]
struct Block {
    offset: usize,
    meta: usize,
    body: usize,
}

/// An Arrow IPC dataset file being decoded batch by batch.
pub struct BatchDecoder {
    buffer: Buffer,
    schema: Arc<Schema>,
    dictionaries: HashMap<i64, ArrayRef>,
    layout: Layout,
    batches: Vec<(Block, usize)>,
    next: usize,
    rows_done: usize,
    rows_total: usize,
    builder: ColumnsBuilder,
    limits: Limits,
    /// The error that ended the decode, repeated by every later call.
    failed: Option<String>,
}

impl BatchDecoder {
    /// Checks the file and reads its schema, dictionaries and batch sizes (no row data).
    pub fn open(bytes: Vec<u8>, limits: &Limits) -> Result<BatchDecoder> {
        check_envelope(&bytes, limits)?;
        Self::open_buffer(Buffer::from_vec(bytes), limits)
    }

    /// As [`BatchDecoder::open`] over borrowed bytes (copied once).
    pub fn open_slice(bytes: &[u8], limits: &Limits) -> Result<BatchDecoder> {
        check_envelope(bytes, limits)?;
        Self::open_buffer(Buffer::from_slice_ref(bytes), limits)
    }

    fn open_buffer(buffer: Buffer, limits: &Limits) -> Result<BatchDecoder> {
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
        let data_end = n - 10 - footer_len;
        let footer = arrow_ipc::root_as_footer(&bytes[data_end..n - 10])
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
        let check = |b: &arrow_ipc::Block| -> Result<(Block, arrow_ipc::Message<'_>)> {
            let block = block_of(b, data_end, n)?;
            let msg = check_message_buffers(
                &bytes[block.offset..block.offset + block.meta],
                block.body,
                &layout,
            )?;
            if version != arrow_ipc::MetadataVersion::V1 && msg.version() != version {
                return Err(ipc_err(
                    "a message's metadata version differs from the footer's",
                ));
            }
            Ok((block, msg))
        };
        let mut dictionaries: HashMap<i64, ArrayRef> = HashMap::new();
        for b in footer.dictionaries().iter().flatten() {
            let (block, msg) = check(b)?;
            let body = buffer.slice_with_length(block.offset + block.meta, block.body);
            read_dictionary_batch(&msg, &body, &dict_fields, &mut dictionaries)?;
        }
        let mut batches = Vec::new();
        let mut total = 0u64;
        for b in footer.recordBatches().iter().flatten() {
            let (block, msg) = check(b)?;
            let rb = msg
                .header_as_record_batch()
                .ok_or_else(|| ipc_err("a record batch block holds another kind of message"))?;
            let rows = u64::try_from(rb.length())
                .map_err(|_| ipc_err("a record batch has a negative length"))?;
            total = total.saturating_add(rows);
            if total > limits.max_rows {
                return Err(DataError::TooLarge {
                    what: "number of rows".into(),
                    found: total,
                    limit: limits.max_rows,
                    limit_points: limits.max_rows,
                });
            }
            batches.push((block, rows as usize));
        }
        let meta = metadata_from_schema(&schema)?;
        let rows_total = total as usize;
        let builder = ColumnsBuilder::new(&schema, meta, rows_total)?;
        Ok(BatchDecoder {
            buffer,
            schema,
            dictionaries,
            layout,
            batches,
            next: 0,
            rows_done: 0,
            rows_total,
            builder,
            limits: *limits,
            failed: None,
        })
    }

    /// Record batches in the file.
    pub fn batch_count(&self) -> usize {
        self.batches.len()
    }

    /// Record batches decoded so far.
    pub fn batches_done(&self) -> usize {
        self.next
    }

    /// Rows in the file (the sum of its batches' declared lengths).
    pub fn rows_total(&self) -> usize {
        self.rows_total
    }

    /// Rows decoded so far.
    pub fn rows_done(&self) -> usize {
        self.rows_done
    }

    /// True when every batch is decoded.
    pub fn is_done(&self) -> bool {
        self.next == self.batches.len()
    }

    /// The rows decoded so far: whole rows, every column the same length.
    pub fn dataset(&self) -> &Dataset {
        self.builder.dataset()
    }

    /// Decodes the next record batch and appends it; `Ok(false)` when there was none left.
    /// After an error every later call fails too, naming it.
    pub fn next_batch(&mut self) -> Result<bool> {
        if let Some(m) = &self.failed {
            return Err(DataError::Invalid(format!(
                "the decode stopped at an error: {m}"
            )));
        }
        let Some(&(block, rows)) = self.batches.get(self.next) else {
            return Ok(false);
        };
        match self.decode_batch(block, rows) {
            Ok(()) => {
                self.next += 1;
                self.rows_done += rows;
                Ok(true)
            }
            Err(e) => {
                let e = match e {
                    DataError::Ipc(m) => DataError::Ipc(format!(
                        "record batch {} of {}: {m}",
                        self.next + 1,
                        self.batches.len()
                    )),
                    other => other,
                };
                self.failed = Some(e.to_string());
                Err(e)
            }
        }
    }

    fn decode_batch(&mut self, block: Block, rows: usize) -> Result<()> {
        let bytes = self.buffer.as_slice();
        let msg = check_message_buffers(
            &bytes[block.offset..block.offset + block.meta],
            block.body,
            &self.layout,
        )?;
        let rb = msg
            .header_as_record_batch()
            .ok_or_else(|| ipc_err("a record batch block holds another kind of message"))?;
        let body = self
            .buffer
            .slice_with_length(block.offset + block.meta, block.body);
        let b = arrow_ipc::reader::read_record_batch(
            &body,
            rb,
            self.schema.clone(),
            &self.dictionaries,
            None,
            &msg.version(),
        )
        .map_err(ipc_err)?;
        if b.num_rows() != rows {
            return Err(ipc_err(format!(
                "{} rows where the header says {rows}",
                b.num_rows()
            )));
        }
        self.builder.push(&b)
    }

    /// Decodes what is left and checks the whole dataset.
    pub fn finish(mut self) -> Result<Dataset> {
        while self.next_batch()? {}
        let ds = self.builder.finish();
        // the builder keeps every code inside its categories (see `ipc_columns`)
        ds.validate_checking_codes(&self.limits, false)?;
        Ok(ds)
    }
}

/// The block's header and body, after checking they lie inside the data part of the file.
fn block_of(b: &arrow_ipc::Block, data_end: usize, n: usize) -> Result<Block> {
    let meta =
        usize::try_from(b.metaDataLength()).map_err(|_| ipc_err("negative metadata length"))?;
    let body = usize::try_from(b.bodyLength()).map_err(|_| ipc_err("negative body length"))?;
    let offset = usize::try_from(b.offset()).map_err(|_| ipc_err("negative block offset"))?;
    let end = offset
        .checked_add(meta)
        .and_then(|v| v.checked_add(body))
        .unwrap_or(usize::MAX);
    // Blocks and bodies are 8-byte aligned in valid files (and arrow-rs relies on it).
    if end > data_end || meta < 8 || offset % 8 != 0 || meta % 8 != 0 {
        return Err(DataError::Ipc(format!(
            "a block at byte {offset} runs past the data ({end} > {n}): truncated or corrupt"
        )));
    }
    Ok(Block { offset, meta, body })
}

/// Decodes one dictionary message into `dictionaries` (a delta extends the existing one).
///
/// Dictionaries are decoded here rather than through arrow-ipc's `FileDecoder`, whose
/// delta-dictionary path links arrow-select's generic concat/interleave (about a tenth of
/// the browser bundle) for string dictionaries that [`append_strings`] joins directly.
fn read_dictionary_batch(
    msg: &arrow_ipc::Message<'_>,
    body: &Buffer,
    dict_fields: &HashMap<i64, DataType>,
    dictionaries: &mut HashMap<i64, ArrayRef>,
) -> Result<()> {
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
        body,
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
    Ok(())
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
                    found: format!("{other}"),
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
