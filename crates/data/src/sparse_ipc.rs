//! The sparse expression's two list columns in the Arrow file: writing them with the
//! narrowest types that hold the data, and reading them back from any integer index
//! type and any numeric value type. Structure is checked by
//! [`SparseExpression::validate`] once the dataset is assembled.

use crate::error::{DataError, Result};
use crate::sparse::{SparseExpression, GENES_COLUMN, GENES_KEY, VALUES_COLUMN, VALUES_KEY};
use arrow_array::cast::AsArray;
use arrow_array::types::{
    Int16Type, Int32Type, Int64Type, Int8Type, UInt16Type, UInt32Type, UInt64Type, UInt8Type,
};
use arrow_array::{
    Array, ArrayRef, Float32Array, ListArray, RecordBatch, UInt16Array, UInt32Array,
};
use arrow_buffer::{OffsetBuffer, ScalarBuffer};
use arrow_schema::{DataType, Field, Schema};
use std::collections::HashMap;
use std::sync::Arc;

/// Whether a column is one of the two sparse-expression columns.
pub(crate) fn is_sparse_column(name: &str) -> bool {
    name == GENES_COLUMN || name == VALUES_COLUMN
}

fn list(item: DataType, offsets: &OffsetBuffer<i32>, values: ArrayRef) -> Result<ListArray> {
    ListArray::try_new(
        Arc::new(Field::new("item", item, false)),
        offsets.clone(),
        values,
        None,
    )
    .map_err(|e| DataError::Invalid(format!("sparse expression: {e}")))
}

/// The two list columns and the schema metadata of `e` (already validated).
pub(crate) fn columns(
    e: &SparseExpression,
    md: &mut HashMap<String, String>,
) -> Result<Vec<(Field, ArrayRef)>> {
    let offsets: Vec<i32> = e
        .indptr
        .iter()
        .map(|&o| i32::try_from(o))
        .collect::<std::result::Result<_, _>>()
        .map_err(|_| {
            DataError::Invalid(format!(
                "sparse expression: {} entries exceed an Arrow list's 2^31 - 1",
                e.nnz()
            ))
        })?;
    let offsets = OffsetBuffer::new(ScalarBuffer::from(offsets));
    // Gene indices fit 16 bits for up to 65,536 genes; integral counts fit 16 bits
    // nearly always: half the bytes of 32-bit columns.
    let (idx_type, idx): (DataType, ArrayRef) = if e.genes.len() <= 1 << 16 {
        let v: Vec<u16> = e.indices.iter().map(|&g| g as u16).collect();
        (DataType::UInt16, Arc::new(UInt16Array::from(v)))
    } else {
        (
            DataType::UInt32,
            Arc::new(UInt32Array::from(e.indices.clone())),
        )
    };
    let small_counts = e
        .data
        .iter()
        .all(|&v| v.fract() == 0.0 && (0.0..=65535.0).contains(&v));
    let (val_type, val): (DataType, ArrayRef) = if small_counts {
        let v: Vec<u16> = e.data.iter().map(|&v| v as u16).collect();
        (DataType::UInt16, Arc::new(UInt16Array::from(v)))
    } else {
        (
            DataType::Float32,
            Arc::new(Float32Array::from(e.data.clone())),
        )
    };
    let genes = list(idx_type, &offsets, idx)?;
    let values = list(val_type, &offsets, val)?;
    md.insert(
        GENES_KEY.into(),
        serde_json::to_string(&e.genes).unwrap_or_default(),
    );
    md.insert(VALUES_KEY.into(), e.values.clone());
    Ok(vec![
        (
            Field::new(GENES_COLUMN, genes.data_type().clone(), false),
            Arc::new(genes),
        ),
        (
            Field::new(VALUES_COLUMN, values.data_type().clone(), false),
            Arc::new(values),
        ),
    ])
}

/// Reads the sparse expression batch by batch when the file has it. Both columns and
/// the gene names come together or not at all.
pub(crate) struct SparseReader {
    gi: usize,
    vi: usize,
    m: SparseExpression,
}

impl SparseReader {
    /// None when the schema has no sparse expression; an error when it has part of one.
    pub(crate) fn new(schema: &Schema) -> Result<Option<SparseReader>> {
        let gi = schema.index_of(GENES_COLUMN).ok();
        let vi = schema.index_of(VALUES_COLUMN).ok();
        let names = schema.metadata().get(GENES_KEY);
        let (gi, vi, names) = match (gi, vi, names) {
            (None, None, None) => return Ok(None),
            (Some(g), Some(v), Some(n)) => (g, v, n),
            (g, v, n) => {
                let mut missing = Vec::new();
                if g.is_none() {
                    missing.push(format!("column `{GENES_COLUMN}`"));
                }
                if v.is_none() {
                    missing.push(format!("column `{VALUES_COLUMN}`"));
                }
                if n.is_none() {
                    missing.push(format!("schema metadata `{GENES_KEY}`"));
                }
                return Err(DataError::Invalid(format!(
                    "sparse expression is incomplete: {} missing",
                    missing.join(", ")
                )));
            }
        };
        let genes: Vec<String> = serde_json::from_str(names).map_err(|e| DataError::Metadata {
            key: GENES_KEY.into(),
            message: format!("expected a JSON array of gene names: {e}"),
        })?;
        let m = SparseExpression {
            genes,
            values: schema
                .metadata()
                .get(VALUES_KEY)
                .cloned()
                .unwrap_or_default(),
            indptr: vec![0],
            ..Default::default()
        };
        Ok(Some(SparseReader { gi, vi, m }))
    }

    /// Appends one record batch's units.
    pub(crate) fn push(&mut self, b: &RecordBatch) -> Result<()> {
        let m = &mut self.m;
        let g = list_of(b.column(self.gi), GENES_COLUMN)?;
        let v = list_of(b.column(self.vi), VALUES_COLUMN)?;
        let (go, vo) = (g.value_offsets(), v.value_offsets());
        if go != vo {
            return Err(DataError::Invalid(format!(
                "sparse expression: `{GENES_COLUMN}` and `{VALUES_COLUMN}` hold different numbers of entries per unit"
            )));
        }
        let (first, last) = (go[0] as usize, go[go.len() - 1] as usize);
        let start = m.indices.len();
        append_indices(&g.values().slice(first, last - first), &mut m.indices)?;
        let vals = v.values().slice(first, last - first);
        crate::ipc_columns::append_numeric(&vals, &mut m.data).ok_or_else(|| {
            DataError::WrongType {
                column: VALUES_COLUMN.into(),
                expected: "a list of numbers".into(),
                found: format!("{}", v.value_type()),
            }
        })?;
        if vals.null_count() > 0 {
            return Err(DataError::Invalid(format!(
                "sparse expression: `{VALUES_COLUMN}` has {} null entries",
                vals.null_count()
            )));
        }
        for &o in &go[1..] {
            let at = start + (o as usize - first);
            m.indptr.push(u32::try_from(at).map_err(|_| {
                DataError::Invalid("sparse expression: more than 2^32 entries".into())
            })?);
        }
        Ok(())
    }

    /// The expression of every unit pushed; checked by the dataset's validation.
    pub(crate) fn finish(self) -> SparseExpression {
        self.m
    }
}

fn list_of<'a>(a: &'a ArrayRef, name: &str) -> Result<&'a ListArray> {
    let l = a.as_list_opt::<i32>().ok_or_else(|| DataError::WrongType {
        column: name.into(),
        expected: "a list of numbers per unit".into(),
        found: format!("{}", a.data_type()),
    })?;
    if l.null_count() > 0 {
        return Err(DataError::Invalid(format!(
            "sparse expression: `{name}` has {} null units; write an empty list for a unit with no entries",
            l.null_count()
        )));
    }
    Ok(l)
}

/// Appends gene indices of any integer type; negative or null ones are errors.
fn append_indices(a: &ArrayRef, out: &mut Vec<u32>) -> Result<()> {
    if a.null_count() > 0 {
        return Err(DataError::Invalid(format!(
            "sparse expression: `{GENES_COLUMN}` has {} null gene indices",
            a.null_count()
        )));
    }
    let before = out.len();
    let mut negative = 0usize;
    macro_rules! conv {
        ($t:ty) => {
            out.extend(a.as_primitive::<$t>().values().iter().map(|&v| {
                let v = v as i64;
                negative += usize::from(!(0..=i64::from(u32::MAX)).contains(&v));
                v.clamp(0, i64::from(u32::MAX)) as u32
            }))
        };
    }
    match a.data_type() {
        DataType::UInt8 => conv!(UInt8Type),
        DataType::UInt16 => conv!(UInt16Type),
        DataType::UInt32 => conv!(UInt32Type),
        DataType::UInt64 => conv!(UInt64Type),
        DataType::Int8 => conv!(Int8Type),
        DataType::Int16 => conv!(Int16Type),
        DataType::Int32 => conv!(Int32Type),
        DataType::Int64 => conv!(Int64Type),
        other => {
            return Err(DataError::WrongType {
                column: GENES_COLUMN.into(),
                expected: "a list of integer gene indices".into(),
                found: format!("{other}"),
            })
        }
    }
    if negative > 0 {
        out.truncate(before);
        return Err(DataError::Invalid(format!(
            "sparse expression: {negative} gene indices are negative or too large"
        )));
    }
    Ok(())
}
