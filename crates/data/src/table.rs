//! The converter's intermediate form: everything a reader (h5ad, CSV layouts)
//! found in its input, before columns are chosen and rows downsampled.

use crate::dataset::{CategoricalColumn, Metadata};

/// One per-unit column of the input.
#[derive(Debug, Clone, PartialEq)]
pub enum ObsColumn {
    Categorical(CategoricalColumn),
    Numeric {
        name: String,
        values: Vec<f64>,
    },
    /// Free text (e.g. barcodes); turned into a categorical column only when asked for.
    Text {
        name: String,
        values: Vec<String>,
    },
}

impl ObsColumn {
    pub fn name(&self) -> &str {
        match self {
            ObsColumn::Categorical(c) => &c.name,
            ObsColumn::Numeric { name, .. } | ObsColumn::Text { name, .. } => name,
        }
    }
}

/// Gene expression, stored gene by gene (CSC: compressed sparse columns over units).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Expression {
    pub n_obs: usize,
    pub var_names: Vec<String>,
    /// `indptr[g]..indptr[g+1]` are gene g's entries; len = n_vars + 1.
    pub indptr: Vec<usize>,
    pub indices: Vec<u32>,
    pub data: Vec<f32>,
}

impl Expression {
    pub fn n_vars(&self) -> usize {
        self.var_names.len()
    }

    /// Builds from a dense row-major n_obs x n_vars matrix, dropping zeros.
    pub fn from_dense_rows(n_obs: usize, var_names: Vec<String>, dense: &[f64]) -> Self {
        let n_vars = var_names.len();
        let mut counts = vec![0usize; n_vars + 1];
        for r in 0..n_obs {
            for g in 0..n_vars {
                if dense[r * n_vars + g] != 0.0 {
                    counts[g + 1] += 1;
                }
            }
        }
        for g in 0..n_vars {
            counts[g + 1] += counts[g];
        }
        let nnz = counts[n_vars];
        let mut pos = counts.clone();
        let mut indices = vec![0u32; nnz];
        let mut data = vec![0f32; nnz];
        for r in 0..n_obs {
            for g in 0..n_vars {
                let v = dense[r * n_vars + g];
                if v != 0.0 {
                    indices[pos[g]] = r as u32;
                    data[pos[g]] = v as f32;
                    pos[g] += 1;
                }
            }
        }
        Expression {
            n_obs,
            var_names,
            indptr: counts,
            indices,
            data,
        }
    }

    /// Builds from compressed rows (CSR over units: row r's entries are indptr[r]..indptr[r+1]).
    pub fn from_csr(
        n_obs: usize,
        var_names: Vec<String>,
        indptr: &[usize],
        indices: &[usize],
        data: &[f64],
    ) -> Self {
        let n_vars = var_names.len();
        let mut counts = vec![0usize; n_vars + 1];
        for &g in indices {
            counts[g + 1] += 1;
        }
        for g in 0..n_vars {
            counts[g + 1] += counts[g];
        }
        let mut pos = counts.clone();
        let mut out_idx = vec![0u32; indices.len()];
        let mut out_data = vec![0f32; indices.len()];
        for r in 0..n_obs {
            for k in indptr[r]..indptr[r + 1] {
                let g = indices[k];
                out_idx[pos[g]] = r as u32;
                out_data[pos[g]] = data[k] as f32;
                pos[g] += 1;
            }
        }
        Expression {
            n_obs,
            var_names,
            indptr: counts,
            indices: out_idx,
            data: out_data,
        }
    }

    /// Builds from a genes x units dense matrix given gene by gene (the CSV layouts).
    pub fn from_gene_rows(n_obs: usize, genes: Vec<(String, Vec<f64>)>) -> Self {
        let mut e = Expression {
            n_obs,
            indptr: vec![0],
            ..Default::default()
        };
        for (name, row) in genes {
            for (r, &v) in row.iter().enumerate() {
                if v != 0.0 {
                    e.indices.push(r as u32);
                    e.data.push(v as f32);
                }
            }
            e.indptr.push(e.indices.len());
            e.var_names.push(name);
        }
        e
    }

    pub fn gene_index(&self, name: &str) -> Option<usize> {
        self.var_names.iter().position(|v| v == name)
    }

    /// Dense values of gene `g` for every unit.
    pub fn gene_values(&self, g: usize) -> Vec<f32> {
        let mut out = vec![0f32; self.n_obs];
        for k in self.indptr[g]..self.indptr[g + 1] {
            out[self.indices[k] as usize] = self.data[k];
        }
        out
    }

    /// Total counts per unit.
    pub fn totals(&self) -> Vec<f64> {
        let mut t = vec![0f64; self.n_obs];
        for (k, &r) in self.indices.iter().enumerate() {
            t[r as usize] += self.data[k] as f64;
        }
        t
    }

    /// Variance of log1p(value) per gene over all units (zeros included).
    pub fn log1p_variances(&self) -> Vec<f64> {
        let n = self.n_obs.max(1) as f64;
        (0..self.n_vars())
            .map(|g| {
                let (mut s, mut s2) = (0f64, 0f64);
                for k in self.indptr[g]..self.indptr[g + 1] {
                    let v = (self.data[k] as f64).max(0.0).ln_1p();
                    s += v;
                    s2 += v * v;
                }
                let mean = s / n;
                (s2 / n - mean * mean).max(0.0)
            })
            .collect()
    }

    /// Indices of the `n` genes with the largest log1p variance (ties broken by name order).
    pub fn top_variable(&self, n: usize) -> Vec<usize> {
        top_of(&self.log1p_variances(), n)
    }
}

/// Indices of the `n` largest variances (ties broken by index).
pub fn top_of(variances: &[f64], n: usize) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..variances.len()).collect();
    idx.sort_by(|&a, &b| variances[b].total_cmp(&variances[a]).then(a.cmp(&b)));
    idx.truncate(n);
    idx
}

/// Everything one input holds.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SourceTable {
    /// Unit identifiers (obs names, barcodes), when the input has them.
    pub unit_ids: Option<Vec<String>>,
    pub x: Vec<f64>,
    pub y: Vec<f64>,
    pub obs: Vec<ObsColumn>,
    pub expression: Option<Expression>,
    /// What the reader knows (platform, unit kind, size, coordinate unit, source).
    pub meta: Metadata,
}

impl SourceTable {
    pub fn n_units(&self) -> usize {
        self.x.len()
    }
    pub fn obs(&self, name: &str) -> Option<&ObsColumn> {
        self.obs.iter().find(|c| c.name() == name)
    }
}
