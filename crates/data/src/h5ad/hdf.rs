//! The few HDF5 operations the AnnData reader needs, behind a trait so the
//! HDF5 library can be swapped (or faked in tests) without touching the
//! AnnData logic. [`Hdf5ReaderFile`] implements it with the pure-Rust
//! `hdf5-reader` crate.

use hdf5_reader::{Datatype, FilterRegistry, Hdf5File, OpenOptions, SliceInfo, SliceInfoElem};

/// What sits at a path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    Group,
    Dataset,
}

/// The element type of a dataset, as far as the AnnData reader cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ElemKind {
    Int,
    Float,
    /// h5py stores numpy bools as an enum over int8.
    Bool,
    String,
    Compound,
    Other,
}

/// Read access to an HDF5 file. Paths are absolute ("/obs/cell_type").
/// Errors are plain messages; the caller adds the file name.
pub trait H5Source {
    fn kind(&self, path: &str) -> Option<NodeKind>;
    /// Names of the members of a group.
    fn members(&self, path: &str) -> Result<Vec<String>, String>;
    /// A string attribute of a group or dataset, if present and a string.
    fn attr_string(&self, path: &str, name: &str) -> Option<String>;
    /// A string-array attribute (e.g. `column-order`), if present.
    fn attr_strings(&self, path: &str, name: &str) -> Option<Vec<String>>;
    /// An integer-array attribute (e.g. the sparse `shape`), if present.
    fn attr_ints(&self, path: &str, name: &str) -> Option<Vec<i64>>;
    fn shape(&self, path: &str) -> Result<Vec<u64>, String>;
    fn elem_kind(&self, path: &str) -> Result<ElemKind, String>;
    /// Any integer, float or bool dataset, converted to f64 (row-major).
    fn read_f64(&self, path: &str) -> Result<Vec<f64>, String>;
    /// Any integer or bool dataset as i64.
    fn read_i64(&self, path: &str) -> Result<Vec<i64>, String>;
    fn read_strings(&self, path: &str) -> Result<Vec<String>, String>;
    /// Rows `start..end` along the first dimension (all of the others), as f64. Sources
    /// that can read part of a dataset override this so a block costs only its own size.
    fn read_rows_f64(&self, path: &str, start: u64, end: u64) -> Result<Vec<f64>, String> {
        let shape = self.shape(path)?;
        let width: u64 = shape.iter().skip(1).product();
        let all = self.read_f64(path)?;
        let (a, b) = ((start * width) as usize, (end * width) as usize);
        all.get(a..b)
            .map(<[f64]>::to_vec)
            .ok_or_else(|| format!("{path}: rows {start}..{end} out of range"))
    }
}

/// An HDF5 file opened from bytes with hdf5-reader, with the LZF filter registered.
pub struct Hdf5ReaderFile {
    file: Hdf5File,
}

impl Hdf5ReaderFile {
    /// Opens a file on disk without loading it: the HDF5 layer reads byte ranges on demand
    /// (positional reads), so only what is asked for is ever in memory. Native only.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn open(path: &std::path::Path) -> Result<Self, String> {
        // A small chunk cache: blocks are read in order, so decoded chunks are rarely revisited.
        let options = Self::options().with_chunk_cache_bytes(16 << 20);
        let file = Hdf5File::open_with_options(path, options)
            .map_err(|e| format!("not a readable HDF5 file: {e}"))?;
        Ok(Hdf5ReaderFile { file })
    }

    pub fn from_bytes(bytes: Vec<u8>) -> Result<Self, String> {
        let file = Hdf5File::from_vec_with_options(bytes, Self::options())
            .map_err(|e| format!("not a readable HDF5 file: {e}"))?;
        Ok(Hdf5ReaderFile { file })
    }

    fn options() -> OpenOptions {
        let mut registry = FilterRegistry::new();
        registry.register(
            crate::lzf::FILTER_LZF,
            Box::new(|desc, data, _elem| {
                // h5py records the uncompressed chunk size in client data slot 2.
                let max = desc
                    .client_data
                    .get(2)
                    .copied()
                    .filter(|&n| n > 0)
                    .map(|n| n as usize)
                    .unwrap_or(data.len().saturating_mul(64).max(1 << 20));
                crate::lzf::decompress(data, max).map_err(hdf5_reader::error::Error::FilterError)
            }),
        );
        // Backstop for damaged files that declare enormous datasets: no single read
        // above 2 GiB (the browser could not hold it anyway).
        OpenOptions::default()
            .with_filter_registry(registry)
            .with_max_read_bytes(2 << 30)
    }

    fn dataset(&self, path: &str) -> Result<hdf5_reader::Dataset, String> {
        self.file.dataset(path).map_err(|e| format!("{path}: {e}"))
    }

    fn attrs(&self, path: &str) -> Option<Vec<hdf5_reader::Attribute>> {
        match self.kind(path)? {
            NodeKind::Group => self.file.group(path).ok()?.attributes().ok(),
            NodeKind::Dataset => Some(self.file.dataset(path).ok()?.attributes()),
        }
    }
}

fn elem_kind_of(dt: &Datatype) -> ElemKind {
    match dt {
        Datatype::FixedPoint { .. } => ElemKind::Int,
        Datatype::FloatingPoint { .. } => ElemKind::Float,
        Datatype::Enum { base, members } => {
            let names: Vec<&str> = members.iter().map(|m| m.name.as_str()).collect();
            if matches!(**base, Datatype::FixedPoint { .. })
                && names.contains(&"TRUE")
                && names.contains(&"FALSE")
            {
                ElemKind::Bool
            } else {
                ElemKind::Int
            }
        }
        Datatype::String { .. } => ElemKind::String,
        Datatype::VarLen {
            kind: hdf5_reader::VarLenKind::String,
            ..
        } => ElemKind::String,
        Datatype::Compound { .. } => ElemKind::Compound,
        _ => ElemKind::Other,
    }
}

/// Decodes raw little/big-endian numeric bytes as f64.
fn decode_numeric(raw: &[u8], dt: &Datatype, path: &str) -> Result<Vec<f64>, String> {
    use hdf5_reader::ByteOrder;
    let (size, kind, order) = match dt {
        Datatype::FixedPoint {
            size,
            signed,
            byte_order,
        } => (*size as usize, if *signed { 'i' } else { 'u' }, *byte_order),
        Datatype::FloatingPoint { size, byte_order } => (*size as usize, 'f', *byte_order),
        Datatype::Enum { base, .. } => return decode_numeric(raw, base, path),
        other => {
            return Err(format!(
                "{path}: expected a numeric dataset, found {other:?}"
            ))
        }
    };
    if size == 0 || !raw.len().is_multiple_of(size) {
        return Err(format!(
            "{path}: {} bytes is not a whole number of {size}-byte values",
            raw.len()
        ));
    }
    let be = order == ByteOrder::BigEndian;
    let mut out = Vec::with_capacity(raw.len() / size);
    macro_rules! go {
        ($t:ty) => {
            for c in raw.chunks_exact(size) {
                let mut a = [0u8; std::mem::size_of::<$t>()];
                a.copy_from_slice(c);
                let v = if be {
                    <$t>::from_be_bytes(a)
                } else {
                    <$t>::from_le_bytes(a)
                };
                out.push(v as f64);
            }
        };
    }
    match (kind, size) {
        ('f', 4) => go!(f32),
        ('f', 8) => go!(f64),
        ('i', 1) => go!(i8),
        ('i', 2) => go!(i16),
        ('i', 4) => go!(i32),
        ('i', 8) => go!(i64),
        ('u', 1) => go!(u8),
        ('u', 2) => go!(u16),
        ('u', 4) => go!(u32),
        ('u', 8) => go!(u64),
        _ => {
            return Err(format!(
                "{path}: unsupported numeric type ({kind}{})",
                size * 8
            ))
        }
    }
    Ok(out)
}

impl H5Source for Hdf5ReaderFile {
    fn kind(&self, path: &str) -> Option<NodeKind> {
        if path == "/" || self.file.group(path).is_ok() {
            return Some(NodeKind::Group);
        }
        self.file.dataset(path).ok().map(|_| NodeKind::Dataset)
    }

    fn members(&self, path: &str) -> Result<Vec<String>, String> {
        let g = if path == "/" {
            self.file.root_group()
        } else {
            self.file.group(path)
        }
        .map_err(|e| format!("{path}: {e}"))?;
        let (groups, datasets) = g.member_names().map_err(|e| format!("{path}: {e}"))?;
        Ok(groups.into_iter().chain(datasets).collect())
    }

    fn attr_string(&self, path: &str, name: &str) -> Option<String> {
        let a = self.attrs(path)?.into_iter().find(|a| a.name == name)?;
        a.read_string()
            .ok()
            .or_else(|| a.read_strings().ok().and_then(|v| v.into_iter().next()))
    }

    fn attr_strings(&self, path: &str, name: &str) -> Option<Vec<String>> {
        let a = self.attrs(path)?.into_iter().find(|a| a.name == name)?;
        a.read_strings()
            .ok()
            .or_else(|| a.read_string().ok().map(|s| vec![s]))
    }

    fn attr_ints(&self, path: &str, name: &str) -> Option<Vec<i64>> {
        let a = self.attrs(path)?.into_iter().find(|a| a.name == name)?;
        if let Ok(v) = a.read_1d::<i64>() {
            return Some(v);
        }
        if let Ok(v) = a.read_1d::<u64>() {
            return Some(v.into_iter().map(|x| x as i64).collect());
        }
        if let Ok(v) = a.read_1d::<i32>() {
            return Some(v.into_iter().map(i64::from).collect());
        }
        a.read_1d::<u32>()
            .ok()
            .map(|v| v.into_iter().map(i64::from).collect())
    }

    fn shape(&self, path: &str) -> Result<Vec<u64>, String> {
        Ok(self.dataset(path)?.shape().to_vec())
    }

    fn elem_kind(&self, path: &str) -> Result<ElemKind, String> {
        Ok(elem_kind_of(self.dataset(path)?.dtype()))
    }

    fn read_f64(&self, path: &str) -> Result<Vec<f64>, String> {
        let d = self.dataset(path)?;
        let dt = d.dtype().clone();
        let raw = d.read_raw_bytes().map_err(|e| format!("{path}: {e}"))?;
        decode_numeric(&raw, &dt, path)
    }

    fn read_i64(&self, path: &str) -> Result<Vec<i64>, String> {
        let d = self.dataset(path)?;
        match elem_kind_of(d.dtype()) {
            ElemKind::Int | ElemKind::Bool => {}
            k => return Err(format!("{path}: expected integers, found {k:?}")),
        }
        Ok(self.read_f64(path)?.into_iter().map(|v| v as i64).collect())
    }

    fn read_strings(&self, path: &str) -> Result<Vec<String>, String> {
        self.dataset(path)?
            .read_strings()
            .map_err(|e| format!("{path}: {e}"))
    }

    /// A hyperslab read: hdf5-reader decodes only the chunks that overlap the rows.
    fn read_rows_f64(&self, path: &str, start: u64, end: u64) -> Result<Vec<f64>, String> {
        let d = self.dataset(path)?;
        let ndim = d.shape().len();
        if ndim == 0 || end < start || end > d.shape()[0] {
            return Err(format!(
                "{path}: rows {start}..{end} outside its shape {:?}",
                d.shape()
            ));
        }
        let mut selections = vec![SliceInfoElem::Slice {
            start,
            end,
            step: 1,
        }];
        selections.extend(d.shape()[1..].iter().map(|&n| SliceInfoElem::Slice {
            start: 0,
            end: n,
            step: 1,
        }));
        let sel = SliceInfo { selections };
        let dt = match d.dtype() {
            Datatype::Enum { base, .. } => (**base).clone(),
            other => other.clone(),
        };
        macro_rules! go {
            ($t:ty) => {
                d.read_slice::<$t>(&sel)
                    .map_err(|e| format!("{path}: {e}"))?
                    .iter()
                    .map(|&v| v as f64)
                    .collect()
            };
        }
        Ok(match dt {
            Datatype::FloatingPoint { size: 4, .. } => go!(f32),
            Datatype::FloatingPoint { size: 8, .. } => go!(f64),
            Datatype::FixedPoint { size, signed, .. } => match (size, signed) {
                (1, true) => go!(i8),
                (1, false) => go!(u8),
                (2, true) => go!(i16),
                (2, false) => go!(u16),
                (4, true) => go!(i32),
                (4, false) => go!(u32),
                (8, true) => go!(i64),
                (8, false) => go!(u64),
                _ => return Err(format!("{path}: unsupported integer size {size}")),
            },
            other => return Err(format!("{path}: expected numbers, found {other:?}")),
        })
    }
}
