//! X of an h5ad read block by block, so a pass over the matrix holds one block
//! at a time instead of the whole matrix.
//!
//! CSR and dense X are read in blocks of rows (hyperslabs of `X/data` and
//! `X/indices`, or of `X`); the HDF5 layer decodes only the chunks a block
//! overlaps. CSC cannot be cut by rows, so it is read in blocks of genes
//! (its own major axis): every pass the converter makes (totals, variances,
//! chosen genes) only adds up entries, so the order does not matter.

use super::hdf::{H5Source, NodeKind};

/// Values one block may hold by default (non-zeros for sparse X, cells for dense X):
/// about 16 MB of decoded f64 data and indices.
pub const DEFAULT_BLOCK_VALUES: usize = 1 << 20;

/// What a block's major index counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Major {
    Rows,
    Genes,
}

impl Major {
    pub fn label(self) -> &'static str {
        match self {
            Major::Rows => "rows",
            Major::Genes => "genes",
        }
    }

    fn singular(self) -> &'static str {
        match self {
            Major::Rows => "row",
            Major::Genes => "gene",
        }
    }

    /// The label of the other axis.
    fn minor_label(self) -> &'static str {
        match self {
            Major::Rows => "genes",
            Major::Genes => "rows",
        }
    }
}

enum Layout {
    Dense,
    /// `indptr` over the major axis (rows for CSR, genes for CSC).
    Sparse(Vec<u64>),
}

/// One block: majors `first..end`; major `first + i` owns entries `ptr[i]..ptr[i+1]`
/// of `minor` (the other axis) and `values`.
#[derive(Debug, Default)]
pub struct Block {
    pub first: usize,
    pub end: usize,
    pub ptr: Vec<usize>,
    pub minor: Vec<u32>,
    pub values: Vec<f32>,
}

/// How far a failed pass got, for the error message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreamError {
    pub major: Major,
    pub block: usize,
    pub blocks: usize,
    pub first: usize,
    pub end: usize,
    pub total: usize,
    pub message: String,
}

impl std::fmt::Display for StreamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = self.major.label();
        write!(
            f,
            "reading X {what} {}..{} (block {} of {}; {what} 0..{} of {} were read): {}",
            self.first, self.end, self.block, self.blocks, self.first, self.total, self.message
        )
    }
}

/// A block-by-block reader of X. Opening reads only the metadata and, for sparse
/// X, `indptr` (one integer per major index).
pub struct XStream<'a> {
    src: &'a dyn H5Source,
    pub n_obs: usize,
    pub n_vars: usize,
    pub major: Major,
    layout: Layout,
    block_values: usize,
    /// Largest buffer one block allocated for X, in bytes (decoded values plus
    /// indices, 8 bytes each): the bound the tests check.
    pub largest_block_bytes: usize,
}

impl<'a> XStream<'a> {
    pub fn open(src: &'a dyn H5Source, n_obs: usize, n_vars: usize) -> Result<Self, String> {
        let (major, layout) = match src.kind("/X") {
            Some(NodeKind::Dataset) => {
                let shape = src.shape("/X")?;
                if shape != [n_obs as u64, n_vars as u64] {
                    return Err(format!(
                        "/X has shape {shape:?}; expected ({n_obs}, {n_vars})"
                    ));
                }
                (Major::Rows, Layout::Dense)
            }
            Some(NodeKind::Group) => open_sparse(src, n_obs, n_vars)?,
            None => return Err("/X is missing".into()),
        };
        Ok(XStream {
            src,
            n_obs,
            n_vars,
            major,
            layout,
            block_values: DEFAULT_BLOCK_VALUES,
            largest_block_bytes: 0,
        })
    }

    /// Caps the values per block (at least one major index per block whatever the cap).
    pub fn with_block_values(mut self, n: usize) -> Self {
        self.block_values = n.max(1);
        self
    }

    pub fn n_major(&self) -> usize {
        match self.major {
            Major::Rows => self.n_obs,
            Major::Genes => self.n_vars,
        }
    }

    fn n_minor(&self) -> usize {
        match self.major {
            Major::Rows => self.n_vars,
            Major::Genes => self.n_obs,
        }
    }

    /// Block boundaries over the major axis, each within the value budget.
    fn plan(&self) -> Vec<(usize, usize)> {
        let n = self.n_major();
        let mut out = Vec::new();
        let mut a = 0;
        while a < n {
            let b = match &self.layout {
                Layout::Dense => (a + (self.block_values / self.n_minor().max(1)).max(1)).min(n),
                Layout::Sparse(ptr) => {
                    let limit = ptr[a].saturating_add(self.block_values as u64);
                    // Last major whose end stays within the budget, but at least one.
                    let b = ptr[a + 1..=n].partition_point(|&p| p <= limit) + a;
                    b.clamp(a + 1, n)
                }
            };
            out.push((a, b));
            a = b;
        }
        out
    }

    /// Visits the blocks in order, skipping those with no `wanted` major index, and
    /// calls `progress(done, total)` after each. Stops at the first error, saying
    /// which block it reached.
    pub fn for_each_block(
        &mut self,
        wanted: Option<&[bool]>,
        progress: &mut dyn FnMut(usize, usize),
        visit: &mut dyn FnMut(&Block),
    ) -> Result<(), StreamError> {
        let plan = self.plan();
        let total = self.n_major();
        for (k, &(a, b)) in plan.iter().enumerate() {
            if wanted.is_some_and(|w| !w[a..b].iter().any(|&x| x)) {
                progress(b, total);
                continue;
            }
            let block = self.read_block(a, b).map_err(|message| StreamError {
                major: self.major,
                block: k + 1,
                blocks: plan.len(),
                first: a,
                end: b,
                total,
                message,
            })?;
            visit(&block);
            progress(b, total);
        }
        Ok(())
    }

    fn read_block(&mut self, a: usize, b: usize) -> Result<Block, String> {
        let minor = self.n_minor();
        let mut block = Block {
            first: a,
            end: b,
            ptr: vec![0],
            ..Default::default()
        };
        match &self.layout {
            Layout::Dense => {
                let dense = self.src.read_rows_f64("/X", a as u64, b as u64)?;
                self.largest_block_bytes = self.largest_block_bytes.max(dense.len() * 8);
                if dense.len() != (b - a) * minor {
                    return Err(format!(
                        "/X: read {} values, expected {}",
                        dense.len(),
                        (b - a) * minor
                    ));
                }
                for i in 0..b - a {
                    for (g, &v) in dense[i * minor..(i + 1) * minor].iter().enumerate() {
                        if v != 0.0 {
                            block.minor.push(g as u32);
                            block.values.push(v as f32);
                        }
                    }
                    block.ptr.push(block.values.len());
                }
            }
            Layout::Sparse(ptr) => {
                let (lo, hi) = (ptr[a], ptr[b]);
                // A block of one row (or gene) may pass the budget, but never the other
                // axis: more entries than that is a damaged indptr, not a big row.
                if b - a == 1 && hi - lo > minor as u64 {
                    return Err(format!(
                        "/X/indptr gives {} entries to one {}, more than its {minor} {}",
                        hi - lo,
                        self.major.singular(),
                        self.major.minor_label()
                    ));
                }
                let data = self.src.read_rows_f64("/X/data", lo, hi)?;
                let indices = self.src.read_rows_f64("/X/indices", lo, hi)?;
                self.largest_block_bytes = self
                    .largest_block_bytes
                    .max((data.len() + indices.len()) * 8);
                let n = (hi - lo) as usize;
                if data.len() != n || indices.len() != n {
                    return Err(format!(
                        "/X: read {} values and {} indices, expected {n}",
                        data.len(),
                        indices.len()
                    ));
                }
                block.minor = Vec::with_capacity(n);
                for &i in &indices {
                    if !(i >= 0.0 && i < minor as f64 && i.fract() == 0.0) {
                        return Err(format!("/X/indices has {i}, outside 0..{minor}"));
                    }
                    block.minor.push(i as u32);
                }
                block.values = data.iter().map(|&v| v as f32).collect();
                block
                    .ptr
                    .extend(ptr[a + 1..=b].iter().map(|&p| (p - lo) as usize));
            }
        }
        Ok(block)
    }
}

/// CSR or CSC metadata, checked before anything large is read.
fn open_sparse(src: &dyn H5Source, n_obs: usize, n_vars: usize) -> Result<(Major, Layout), String> {
    let major = if super::sparse_is_csr(src, n_obs, n_vars)? {
        Major::Rows
    } else {
        Major::Genes
    };
    let n = if major == Major::Rows { n_obs } else { n_vars };
    super::expect_len(src, "/X/indptr", n + 1)?;
    let raw = src.read_i64("/X/indptr")?;
    let mut ptr = Vec::with_capacity(raw.len());
    for &p in &raw {
        let p = u64::try_from(p).map_err(|_| format!("/X/indptr: negative value {p}"))?;
        if ptr.last().is_some_and(|&q| p < q) {
            return Err("/X/indptr is not non-decreasing".into());
        }
        ptr.push(p);
    }
    if ptr.len() != n + 1 {
        return Err(format!(
            "/X/indptr has {} entries; expected {}",
            ptr.len(),
            n + 1
        ));
    }
    let nnz = ptr[n];
    for path in ["/X/data", "/X/indices"] {
        let shape = src.shape(path)?;
        if shape != [nnz] {
            return Err(format!(
                "{path} has shape {shape:?}; /X/indptr ends at {nnz}"
            ));
        }
    }
    Ok((major, Layout::Sparse(ptr)))
}
