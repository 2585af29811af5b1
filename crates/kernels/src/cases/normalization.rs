//! Case 2: the Mbp-Plp1 correlation in oligodendrocytes under each
//! normalisation choice.

use crate::norm::{gene_values, top_gene_share, Normalization};
use crate::sim::Scenario;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CorrSummary {
    pub normalization: String,
    pub gene_a: String,
    pub gene_b: String,
    pub cell_type: String,
    pub n_cells: usize,
    pub spearman: f64,
    /// Share of the subset's counts taken by its top 1, 2 and 5 genes.
    pub top_share: [f64; 3],
    /// The two genes' values (for the scatter), one pair per cell.
    pub a: Vec<f32>,
    pub b: Vec<f32>,
}

/// Spearman correlation of `gene_a` and `gene_b` within `cell_type` under
/// `norm` (normalisation computed on that subset, as an analyst would after
/// subsetting).
pub fn case_normalization(
    s: &Scenario,
    norm: &Normalization,
    gene_a: &str,
    gene_b: &str,
    cell_type: &str,
) -> Result<CorrSummary, String> {
    let ct = s
        .obs("cell_type")
        .ok_or("scenario has no 'cell_type' column")?;
    let code = ct
        .code_of(cell_type)
        .ok_or_else(|| format!("no cell type '{cell_type}'"))?;
    let ga = s
        .gene(gene_a)
        .ok_or_else(|| format!("no gene '{gene_a}'"))?;
    let gb = s
        .gene(gene_b)
        .ok_or_else(|| format!("no gene '{gene_b}'"))?;
    let rows: Vec<usize> = (0..s.n_units()).filter(|&u| ct.codes[u] == code).collect();
    if rows.len() < 3 {
        return Err(format!("only {} cells of type '{cell_type}'", rows.len()));
    }
    let sub = subset_rows(&s.counts, &rows);
    let a = gene_values(&sub, ga, norm);
    let b = gene_values(&sub, gb, norm);
    Ok(CorrSummary {
        normalization: norm.label(),
        gene_a: gene_a.into(),
        gene_b: gene_b.into(),
        cell_type: cell_type.into(),
        n_cells: rows.len(),
        spearman: crate::stats::spearman(&a, &b),
        top_share: [
            top_gene_share(&sub, 1),
            top_gene_share(&sub, 2),
            top_gene_share(&sub, 5),
        ],
        a: a.iter().map(|&v| v as f32).collect(),
        b: b.iter().map(|&v| v as f32).collect(),
    })
}

/// The default choices shown side by side: raw, library size + log1p, and
/// panel-aware (size factors without the 7 myelin genes).
pub fn default_choices() -> Vec<Normalization> {
    vec![
        Normalization::Raw,
        Normalization::LibSizeLog1p { target_sum: 1e4 },
        Normalization::PanelAware { n_dominant: 7 },
        Normalization::PerGeneScale,
    ]
}

pub(crate) fn subset_rows(m: &crate::csr::CsrMatrix, rows: &[usize]) -> crate::csr::CsrMatrix {
    let mut b = crate::csr::CsrBuilder::new(m.ncols);
    let mut buf = Vec::new();
    for &r in rows {
        buf.clear();
        let (idx, val) = m.row(r);
        buf.extend(idx.iter().copied().zip(val.iter().copied()));
        b.push_row_sorted(&buf);
    }
    b.finish()
}
