//! Every gene of a dataset, kept sparse: the non-zero entries of each unit (CSR over
//! rows), stored in the Arrow file as two list columns beside the per-unit columns
//! (see README "Sparse expression"). A gene is decoded into a dense column only when
//! the viewer or a caller asks for it.

use crate::error::{DataError, Result};

/// List column of each unit's gene indices (ascending, into [`GENES_KEY`]).
pub const GENES_COLUMN: &str = "expression_genes";
/// List column of each unit's values, aligned with [`GENES_COLUMN`].
pub const VALUES_COLUMN: &str = "expression_values";
/// Schema metadata: JSON array of the gene names, in index order.
pub const GENES_KEY: &str = "sbx:expression_genes";
/// Schema metadata: what the values are (e.g. `raw counts`).
pub const VALUES_KEY: &str = "sbx:expression_values";

/// Units × genes in compressed sparse rows: unit `i`'s entries are
/// `indptr[i]..indptr[i + 1]` of `indices` (gene indices, strictly ascending) and `data`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SparseExpression {
    pub genes: Vec<String>,
    /// What the values are, e.g. "raw counts".
    pub values: String,
    pub indptr: Vec<u32>,
    pub indices: Vec<u32>,
    pub data: Vec<f32>,
}

impl SparseExpression {
    /// Number of stored (non-zero) entries.
    pub fn nnz(&self) -> usize {
        self.data.len()
    }

    /// Index of a gene by name.
    pub fn gene_index(&self, name: &str) -> Option<usize> {
        self.genes.iter().position(|g| g == name)
    }

    /// Gene `g` as one value per unit (zeros where nothing is stored). One pass over the
    /// entries; `None` when `g` is not a gene.
    pub fn gene_column(&self, g: usize) -> Option<Vec<f32>> {
        if g >= self.genes.len() {
            return None;
        }
        let rows = self.indptr.len().saturating_sub(1);
        let mut out = vec![0.0f32; rows];
        let g = g as u32;
        for (r, w) in self.indptr.windows(2).enumerate() {
            let (a, b) = (w[0] as usize, w[1] as usize);
            let row = &self.indices[a.min(b)..b.min(self.indices.len())];
            if let Ok(k) = row.binary_search(&g) {
                out[r] = self.data[a + k];
            }
        }
        Some(out)
    }

    /// Sum of each unit's values.
    pub fn row_sums(&self) -> Vec<f32> {
        self.indptr
            .windows(2)
            .map(|w| self.data[w[0] as usize..w[1] as usize].iter().sum())
            .collect()
    }

    /// Keeps only the rows in `rows` (in that order).
    pub fn take(&self, rows: &[usize]) -> SparseExpression {
        let mut out = SparseExpression {
            genes: self.genes.clone(),
            values: self.values.clone(),
            indptr: Vec::with_capacity(rows.len() + 1),
            ..Default::default()
        };
        out.indptr.push(0);
        for &r in rows {
            let (a, b) = (self.indptr[r] as usize, self.indptr[r + 1] as usize);
            out.indices.extend_from_slice(&self.indices[a..b]);
            out.data.extend_from_slice(&self.data[a..b]);
            out.indptr.push(out.indices.len() as u32);
        }
        out
    }

    /// Checks the structure against a dataset of `rows` units; each error names what is
    /// wrong and where.
    pub fn validate(&self, rows: usize) -> Result<()> {
        let bad = |m: String| Err(DataError::Invalid(format!("sparse expression: {m}")));
        if self.indptr.len() != rows + 1 {
            return bad(format!(
                "{} row offsets for {rows} units; expected {}",
                self.indptr.len(),
                rows + 1
            ));
        }
        if self.indices.len() != self.data.len() {
            return bad(format!(
                "{} gene indices but {} values",
                self.indices.len(),
                self.data.len()
            ));
        }
        if self.indptr.first() != Some(&0) {
            return bad("the first row offset is not 0".into());
        }
        if let Some(r) = self.indptr.windows(2).position(|w| w[1] < w[0]) {
            return bad(format!(
                "row offsets decrease at unit {r} ({} then {})",
                self.indptr[r],
                self.indptr[r + 1]
            ));
        }
        let last = self.indptr.last().copied().unwrap_or(0) as usize;
        if last != self.indices.len() {
            return bad(format!(
                "the row offsets end at {last} but {} entries are stored",
                self.indices.len()
            ));
        }
        let n_genes = self.genes.len();
        let out_of_range = self
            .indices
            .iter()
            .filter(|&&g| g as usize >= n_genes)
            .count();
        if out_of_range > 0 {
            return bad(format!(
                "{out_of_range} gene indices are outside the {n_genes} genes"
            ));
        }
        for (r, w) in self.indptr.windows(2).enumerate() {
            let row = &self.indices[w[0] as usize..w[1] as usize];
            if row.windows(2).any(|p| p[1] <= p[0]) {
                return bad(format!(
                    "unit {r}'s gene indices are not strictly ascending"
                ));
            }
        }
        let non_finite = self.data.iter().filter(|v| !v.is_finite()).count();
        if non_finite > 0 {
            return bad(format!("{non_finite} values are NaN or infinite"));
        }
        let mut seen = std::collections::HashSet::new();
        if let Some(dup) = self.genes.iter().find(|g| !seen.insert(g.as_str())) {
            return bad(format!("gene name `{dup}` is used twice"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> SparseExpression {
        // 3 units x 3 genes: [[1,0,2],[0,0,0],[0,5,0]]
        SparseExpression {
            genes: vec!["A".into(), "B".into(), "C".into()],
            values: "raw counts".into(),
            indptr: vec![0, 2, 2, 3],
            indices: vec![0, 2, 1],
            data: vec![1.0, 2.0, 5.0],
        }
    }

    #[test]
    fn gene_columns_rows_and_take() {
        let m = tiny();
        m.validate(3).unwrap();
        assert_eq!(m.gene_column(0), Some(vec![1.0, 0.0, 0.0]));
        assert_eq!(m.gene_column(1), Some(vec![0.0, 0.0, 5.0]));
        assert_eq!(m.gene_column(2), Some(vec![2.0, 0.0, 0.0]));
        assert_eq!(m.gene_column(3), None);
        assert_eq!(m.gene_index("C"), Some(2));
        assert_eq!(m.row_sums(), [3.0, 0.0, 5.0]);
        let t = m.take(&[2, 0]);
        t.validate(2).unwrap();
        assert_eq!(t.gene_column(1), Some(vec![5.0, 0.0]));
        assert_eq!(t.gene_column(2), Some(vec![0.0, 2.0]));
    }

    fn error(m: &SparseExpression, rows: usize) -> String {
        m.validate(rows).unwrap_err().to_string()
    }

    #[test]
    fn every_structural_error_is_named() {
        assert!(error(&tiny(), 4).contains("4 row offsets for 4 units"));
        let mut m = tiny();
        m.indptr = vec![0, 3, 2, 3];
        assert!(
            error(&m, 3).contains("decrease at unit 1"),
            "{}",
            error(&m, 3)
        );
        let mut m = tiny();
        m.indptr = vec![1, 2, 2, 3];
        assert!(error(&m, 3).contains("first row offset"));
        let mut m = tiny();
        m.indptr = vec![0, 2, 2, 2];
        assert!(error(&m, 3).contains("end at 2 but 3 entries"));
        let mut m = tiny();
        m.indices[1] = 7;
        assert!(error(&m, 3).contains("1 gene indices are outside the 3 genes"));
        let mut m = tiny();
        m.indices = vec![2, 0, 1];
        assert!(error(&m, 3).contains("unit 0's gene indices are not strictly ascending"));
        let mut m = tiny();
        m.data[0] = f32::NAN;
        assert!(error(&m, 3).contains("1 values are NaN"));
        let mut m = tiny();
        m.data.pop();
        assert!(error(&m, 3).contains("3 gene indices but 2 values"));
        let mut m = tiny();
        m.genes[2] = "A".into();
        assert!(error(&m, 3).contains("`A` is used twice"));
    }
}
