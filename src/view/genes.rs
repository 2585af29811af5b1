//! The gene picker's pure side: which of a dataset's genes match what the reader
//! typed, and the dataset with one more gene decoded from its sparse expression.

use sbx_data::{Dataset, NumericColumn, NumericKind};

/// How many matches the picker lists at once.
pub const SHOWN: usize = 200;

/// Every gene the dataset can colour by: its sparse matrix's genes, or else its gene
/// columns.
pub fn gene_names(ds: &Dataset) -> Vec<String> {
    match &ds.expression {
        Some(e) => e.genes.clone(),
        None => ds.genes().map(str::to_string).collect(),
    }
}

/// Indices into `genes` of those matching `query` (case-insensitive): names that start
/// with it first, then names that contain it, each in gene order; at most `limit`, and
/// the total number of matches.
pub fn gene_matches(genes: &[String], query: &str, limit: usize) -> (Vec<usize>, usize) {
    let q = query.trim().to_lowercase();
    let mut starts = Vec::new();
    let mut contains = Vec::new();
    for (i, g) in genes.iter().enumerate() {
        let g = g.to_lowercase();
        if g.starts_with(&q) {
            starts.push(i);
        } else if g.contains(&q) {
            contains.push(i);
        }
    }
    let total = starts.len() + contains.len();
    starts.extend(contains);
    starts.truncate(limit);
    (starts, total)
}

/// The dataset with gene `name` added as a numeric gene column, decoded from the
/// sparse expression; `None` when it is already a column or is not a gene. The copy
/// shares the sparse matrix, so it costs the per-unit columns only.
pub fn with_gene(ds: &Dataset, name: &str) -> Option<Dataset> {
    if ds.numeric(name).is_some() || ds.categorical(name).is_some() {
        return None;
    }
    let e = ds.expression.as_ref()?;
    let values = e.gene_column(e.gene_index(name)?)?;
    let mut out = ds.clone();
    out.numeric.push(NumericColumn {
        name: name.to_string(),
        values,
        kind: NumericKind::Gene,
    });
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use sbx_data::SparseExpression;
    use std::sync::Arc;

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn prefix_matches_come_first_and_are_counted() {
        let g = names(&["Actb", "Mbp", "Plp1", "Mobp", "Gapdh", "MBPL"]);
        assert_eq!(gene_matches(&g, "mbp", 10), (vec![1, 5], 2));
        assert_eq!(gene_matches(&g, " BP ", 10), (vec![1, 3, 5], 3));
        assert_eq!(gene_matches(&g, "p", 10), (vec![2, 1, 3, 4, 5], 5));
        assert_eq!(gene_matches(&g, "p", 2), (vec![2, 1], 5));
        assert_eq!(gene_matches(&g, "", 2), (vec![0, 1], 6));
        assert_eq!(gene_matches(&g, "zzz", 10), (vec![], 0));
    }

    #[test]
    fn a_gene_is_decoded_once_into_a_column() {
        let mut ds = crate::view::fixture::small();
        ds.expression = Some(Arc::new(SparseExpression {
            genes: names(&["A", "B"]),
            values: "raw counts".into(),
            indptr: vec![0, 1, 1, 2, 2, 2, 3],
            indices: vec![1, 0, 1],
            data: vec![4.0, 2.0, 9.0],
        }));
        assert_eq!(gene_names(&ds), ["A", "B"]);
        let with_b = with_gene(&ds, "B").expect("B decodes");
        assert_eq!(
            with_b.numeric("B").unwrap().values,
            [4.0, 0.0, 0.0, 0.0, 0.0, 9.0]
        );
        assert_eq!(with_b.numeric("B").unwrap().kind, NumericKind::Gene);
        assert!(Arc::ptr_eq(
            with_b.expression.as_ref().unwrap(),
            ds.expression.as_ref().unwrap()
        ));
        assert!(with_gene(&with_b, "B").is_none(), "already a column");
        assert!(with_gene(&ds, "C").is_none(), "not a gene");
        assert!(
            with_gene(&ds, "cell_type").is_none(),
            "a column, not a gene"
        );
    }
}
