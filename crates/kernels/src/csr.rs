//! A small compressed-sparse-row matrix: the count matrix of every scenario
//! (rows = spatial units, columns = genes) and, transposed, the gene-major
//! layout the per-gene tests walk.

/// Compressed sparse rows. Row `r` holds columns `indices[indptr[r]..indptr[r+1]]`
/// (strictly increasing) with values `data[..]` at the same positions.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CsrMatrix {
    pub nrows: usize,
    pub ncols: usize,
    pub indptr: Vec<usize>,
    pub indices: Vec<u32>,
    pub data: Vec<f32>,
}

impl CsrMatrix {
    /// An empty matrix of the given shape.
    pub fn zeros(nrows: usize, ncols: usize) -> Self {
        CsrMatrix {
            nrows,
            ncols,
            indptr: vec![0; nrows + 1],
            indices: Vec::new(),
            data: Vec::new(),
        }
    }

    /// Build from rows given as (column, value) lists; zeros are dropped and
    /// duplicate columns within a row are summed.
    pub fn from_rows(ncols: usize, rows: &[Vec<(u32, f32)>]) -> Self {
        let mut b = CsrBuilder::new(ncols);
        for r in rows {
            let mut r = r.clone();
            r.sort_by_key(|e| e.0);
            let mut merged: Vec<(u32, f32)> = Vec::with_capacity(r.len());
            for (c, v) in r {
                match merged.last_mut() {
                    Some(last) if last.0 == c => last.1 += v,
                    _ => merged.push((c, v)),
                }
            }
            b.push_row_sorted(&merged);
        }
        b.finish()
    }

    /// Dense row-major input (tests, small examples).
    pub fn from_dense(nrows: usize, ncols: usize, values: &[f32]) -> Self {
        assert_eq!(
            values.len(),
            nrows * ncols,
            "dense input has the wrong length"
        );
        let mut b = CsrBuilder::new(ncols);
        let mut row = Vec::new();
        for r in 0..nrows {
            row.clear();
            for c in 0..ncols {
                let v = values[r * ncols + c];
                if v != 0.0 {
                    row.push((c as u32, v));
                }
            }
            b.push_row_sorted(&row);
        }
        b.finish()
    }

    pub fn nnz(&self) -> usize {
        self.data.len()
    }

    /// Column indices and values of row `r`.
    pub fn row(&self, r: usize) -> (&[u32], &[f32]) {
        let (a, b) = (self.indptr[r], self.indptr[r + 1]);
        (&self.indices[a..b], &self.data[a..b])
    }

    /// Value at (r, c), zero if not stored.
    pub fn get(&self, r: usize, c: usize) -> f32 {
        let (idx, val) = self.row(r);
        match idx.binary_search(&(c as u32)) {
            Ok(i) => val[i],
            Err(_) => 0.0,
        }
    }

    /// Sum of each row (library size when rows are units).
    pub fn row_sums(&self) -> Vec<f64> {
        (0..self.nrows)
            .map(|r| self.row(r).1.iter().map(|&v| v as f64).sum())
            .collect()
    }

    /// Sum of each column.
    pub fn col_sums(&self) -> Vec<f64> {
        let mut s = vec![0.0f64; self.ncols];
        for (&c, &v) in self.indices.iter().zip(&self.data) {
            s[c as usize] += v as f64;
        }
        s
    }

    /// One column as a dense vector (e.g. a gene across all units).
    pub fn col_dense(&self, c: usize) -> Vec<f32> {
        (0..self.nrows).map(|r| self.get(r, c)).collect()
    }

    /// Row-major dense copy.
    pub fn to_dense(&self) -> Vec<f32> {
        let mut out = vec![0.0f32; self.nrows * self.ncols];
        // A slice per row: Vec indexing stays a call at opt-level z.
        for (r, dst) in out.chunks_mut(self.ncols.max(1)).enumerate() {
            let (idx, val) = self.row(r);
            for (&c, &v) in idx.iter().zip(val) {
                dst[c as usize] = v;
            }
        }
        out
    }

    /// The transpose (counting sort by column; O(nnz)).
    pub fn transpose(&self) -> CsrMatrix {
        let mut counts = vec![0usize; self.ncols + 1];
        for &c in &self.indices {
            counts[c as usize + 1] += 1;
        }
        for i in 0..self.ncols {
            counts[i + 1] += counts[i];
        }
        let indptr = counts.clone();
        let mut next = counts;
        let mut indices = vec![0u32; self.nnz()];
        let mut data = vec![0.0f32; self.nnz()];
        for r in 0..self.nrows {
            let (idx, val) = self.row(r);
            for (&c, &v) in idx.iter().zip(val) {
                let p = next[c as usize];
                indices[p] = r as u32;
                data[p] = v;
                next[c as usize] += 1;
            }
        }
        CsrMatrix {
            nrows: self.ncols,
            ncols: self.nrows,
            indptr,
            indices,
            data,
        }
    }

    /// Keep only the listed columns, in the given order (gene subsetting).
    pub fn select_cols(&self, cols: &[usize]) -> CsrMatrix {
        let mut map = vec![u32::MAX; self.ncols];
        for (new, &old) in cols.iter().enumerate() {
            map[old] = new as u32;
        }
        let mut b = CsrBuilder::new(cols.len());
        let mut row = Vec::new();
        for r in 0..self.nrows {
            row.clear();
            let (idx, val) = self.row(r);
            for (&c, &v) in idx.iter().zip(val) {
                let m = map[c as usize];
                if m != u32::MAX {
                    row.push((m, v));
                }
            }
            row.sort_by_key(|e| e.0);
            b.push_row_sorted(&row);
        }
        b.finish()
    }
}

/// Row-by-row builder used by the simulators.
pub struct CsrBuilder {
    ncols: usize,
    indptr: Vec<usize>,
    indices: Vec<u32>,
    data: Vec<f32>,
}

impl CsrBuilder {
    pub fn new(ncols: usize) -> Self {
        CsrBuilder {
            ncols,
            indptr: vec![0],
            indices: Vec::new(),
            data: Vec::new(),
        }
    }
    /// Append a row whose entries are sorted by column and distinct.
    pub fn push_row_sorted(&mut self, entries: &[(u32, f32)]) {
        for &(c, v) in entries {
            debug_assert!((c as usize) < self.ncols);
            if v != 0.0 {
                self.indices.push(c);
                self.data.push(v);
            }
        }
        self.indptr.push(self.indices.len());
    }
    pub fn finish(self) -> CsrMatrix {
        CsrMatrix {
            nrows: self.indptr.len() - 1,
            ncols: self.ncols,
            indptr: self.indptr,
            indices: self.indices,
            data: self.data,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transpose_and_sums_match_dense() {
        // 2x3: [[1,0,2],[0,3,0]]
        let m = CsrMatrix::from_dense(2, 3, &[1.0, 0.0, 2.0, 0.0, 3.0, 0.0]);
        assert_eq!(m.nnz(), 3);
        assert_eq!(m.row_sums(), vec![3.0, 3.0]);
        assert_eq!(m.col_sums(), vec![1.0, 3.0, 2.0]);
        let t = m.transpose();
        assert_eq!(t.to_dense(), vec![1.0, 0.0, 0.0, 3.0, 2.0, 0.0]);
        assert_eq!(t.transpose(), m);
        assert_eq!(m.get(1, 1), 3.0);
        assert_eq!(m.select_cols(&[2, 0]).to_dense(), vec![2.0, 1.0, 0.0, 0.0]);
        let r = CsrMatrix::from_rows(3, &[vec![(2, 1.0), (0, 1.0), (2, 1.0)], vec![(1, 3.0)]]);
        assert_eq!(r, m);
    }
}
