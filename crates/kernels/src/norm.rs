//! Normalisations of a units x genes count matrix. Library-size + log1p is
//! what scanpy's `normalize_total` + `log1p` does; on a targeted panel where a
//! few genes take most of the counts it makes those genes compete for a fixed
//! total, which is the failure the MERFISH case study shows. The panel-aware
//! alternative computes size factors from the non-dominant genes only.

use crate::csr::CsrMatrix;

/// A normalisation choice, as offered to the user.
#[derive(Clone, Debug, PartialEq)]
pub enum Normalization {
    /// Counts as measured.
    Raw,
    /// Scale each unit to `target_sum` total counts, then ln(1 + x).
    LibSizeLog1p { target_sum: f64 },
    /// Raw counts z-scored per gene (mean 0, unit variance per gene).
    PerGeneScale,
    /// Size factors from the genes outside the `n_dominant` highest-total
    /// genes (scaled to their mean), then ln(1 + x). No unit is forced to a
    /// fixed total of the dominant genes.
    PanelAware { n_dominant: usize },
}

impl Normalization {
    pub fn label(&self) -> String {
        match self {
            Normalization::Raw => "raw counts".into(),
            Normalization::LibSizeLog1p { target_sum } => {
                format!("library size ({target_sum:.0}) + log1p")
            }
            Normalization::PerGeneScale => "per-gene scaling (z-score)".into(),
            Normalization::PanelAware { n_dominant } => {
                format!("panel-aware: size factors without the top {n_dominant} genes + log1p")
            }
        }
    }
}

/// ln(1 + c * target_sum / library) for every stored count; units with an
/// empty library stay zero. Sparse in, sparse out.
pub fn library_size_log1p(counts: &CsrMatrix, target_sum: f64) -> CsrMatrix {
    let libs = counts.row_sums();
    scale_rows_log1p(
        counts,
        &libs
            .iter()
            .map(|&l| if l > 0.0 { target_sum / l } else { 0.0 })
            .collect::<Vec<_>>(),
    )
}

/// Multiply row r by `factors[r]`, then ln(1 + x).
pub fn scale_rows_log1p(counts: &CsrMatrix, factors: &[f64]) -> CsrMatrix {
    let mut out = counts.clone();
    for r in 0..counts.nrows {
        let (a, b) = (counts.indptr[r], counts.indptr[r + 1]);
        for v in &mut out.data[a..b] {
            *v = ((*v as f64) * factors[r]).ln_1p() as f32;
        }
    }
    out
}

/// Indices of the `n` genes with the highest total counts (descending).
pub fn top_genes(counts: &CsrMatrix, n: usize) -> Vec<usize> {
    let sums = counts.col_sums();
    let mut order: Vec<usize> = (0..sums.len()).collect();
    order.sort_by(|&a, &b| sums[b].total_cmp(&sums[a]).then(a.cmp(&b)));
    order.truncate(n);
    order
}

/// Share of all counts taken by the `n` highest-total genes.
pub fn top_gene_share(counts: &CsrMatrix, n: usize) -> f64 {
    let sums = counts.col_sums();
    let total: f64 = sums.iter().sum();
    if total <= 0.0 {
        return 0.0;
    }
    top_genes(counts, n).iter().map(|&g| sums[g]).sum::<f64>() / total
}

/// Panel-aware size factors: per-unit totals over the genes not in
/// `dominant`, divided by their mean (so a typical unit keeps its scale).
pub fn panel_aware_size_factors(counts: &CsrMatrix, dominant: &[usize]) -> Vec<f64> {
    let mut is_dom = vec![false; counts.ncols];
    dominant.iter().for_each(|&g| is_dom[g] = true);
    let libs: Vec<f64> = (0..counts.nrows)
        .map(|r| {
            let (idx, val) = counts.row(r);
            idx.iter()
                .zip(val)
                .filter(|(c, _)| !is_dom[**c as usize])
                .map(|(_, &v)| v as f64)
                .sum()
        })
        .collect();
    let positive: Vec<f64> = libs.iter().copied().filter(|&l| l > 0.0).collect();
    let mean = if positive.is_empty() {
        1.0
    } else {
        positive.iter().sum::<f64>() / positive.len() as f64
    };
    libs.iter()
        .map(|&l| if l > 0.0 { l / mean } else { 0.0 })
        .collect()
}

/// One gene's values across units under a normalisation choice.
pub fn gene_values(counts: &CsrMatrix, gene: usize, norm: &Normalization) -> Vec<f64> {
    let raw: Vec<f64> = counts.col_dense(gene).iter().map(|&v| v as f64).collect();
    match norm {
        Normalization::Raw => raw,
        Normalization::LibSizeLog1p { target_sum } => {
            let libs = counts.row_sums();
            raw.iter()
                .zip(&libs)
                .map(|(&c, &l)| {
                    if l > 0.0 {
                        (c * target_sum / l).ln_1p()
                    } else {
                        0.0
                    }
                })
                .collect()
        }
        Normalization::PerGeneScale => zscore(&raw),
        Normalization::PanelAware { n_dominant } => {
            let sf = panel_aware_size_factors(counts, &top_genes(counts, *n_dominant));
            raw.iter()
                .zip(&sf)
                .map(|(&c, &s)| if s > 0.0 { (c / s).ln_1p() } else { 0.0 })
                .collect()
        }
    }
}

/// Mean 0, unit variance (ddof = 0, as scanpy's `scale`); constant input maps to zeros.
pub fn zscore(v: &[f64]) -> Vec<f64> {
    let n = v.len() as f64;
    let m = v.iter().sum::<f64>() / n;
    let sd = (v.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / n).sqrt();
    v.iter()
        .map(|x| if sd > 0.0 { (x - m) / sd } else { 0.0 })
        .collect()
}

/// z-score the columns of a dense row-major (units x genes) matrix in place
/// and clip to +-`max_value` (scanpy `scale(max_value=10)`).
pub fn scale_columns(values: &mut ndarray::Array2<f32>, max_value: f32) {
    // Row by row (the layout's order) rather than column by column: the same sums
    // in the same order, without a cache miss per element.
    let (n, d) = values.dim();
    if !values.is_standard_layout() {
        *values = values.as_standard_layout().into_owned();
    }
    let Some(flat) = values.as_slice_mut() else {
        unreachable!("standard layout")
    };
    let mut mean = vec![0.0f64; d];
    for row in flat.chunks(d.max(1)) {
        for (m, &v) in mean.iter_mut().zip(row) {
            *m += v as f64;
        }
    }
    mean.iter_mut().for_each(|m| *m /= n as f64);
    let mut sd = vec![0.0f64; d];
    for row in flat.chunks(d.max(1)) {
        for ((s, &m), &v) in sd.iter_mut().zip(&mean).zip(row) {
            *s += (v as f64 - m).powi(2);
        }
    }
    sd.iter_mut().for_each(|s| *s = (*s / n as f64).sqrt());
    for row in flat.chunks_mut(d.max(1)) {
        for ((v, &m), &sd) in row.iter_mut().zip(&mean).zip(&sd) {
            let z = if sd > 0.0 {
                ((*v as f64 - m) / sd) as f32
            } else {
                0.0
            };
            *v = z.clamp(-max_value, max_value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn libsize_log1p_hand_worked() {
        // unit 0: [2, 0, 8] (lib 10), unit 1: [1, 1, 0] (lib 2); target 10
        let m = CsrMatrix::from_dense(2, 3, &[2., 0., 8., 1., 1., 0.]);
        let n = library_size_log1p(&m, 10.0);
        let want = [3f64.ln(), 0.0, 9f64.ln(), 6f64.ln(), 6f64.ln(), 0.0];
        for (a, w) in n.to_dense().iter().zip(want) {
            assert!((*a as f64 - w).abs() < 1e-6);
        }
        assert_eq!(top_genes(&m, 2), vec![2, 0]);
        assert!((top_gene_share(&m, 1) - 8.0 / 12.0).abs() < 1e-12);
        let g2 = gene_values(&m, 2, &Normalization::LibSizeLog1p { target_sum: 10.0 });
        assert!((g2[0] - 9f64.ln()).abs() < 1e-12);
    }

    #[test]
    fn panel_aware_ignores_dominant_genes() {
        // gene 0 dominant; non-dominant totals: unit0 = 2, unit1 = 6 -> mean 4
        let m = CsrMatrix::from_dense(2, 3, &[100., 1., 1., 50., 3., 3.]);
        let sf = panel_aware_size_factors(&m, &[0]);
        assert_eq!(sf, vec![0.5, 1.5]);
        let v = gene_values(&m, 0, &Normalization::PanelAware { n_dominant: 1 });
        assert!(
            (v[0] - 201f64.ln()).abs() < 1e-12 && (v[1] - (1.0 + 50.0 / 1.5f64).ln()).abs() < 1e-12
        );
    }

    #[test]
    fn zscore_and_scale() {
        let z = zscore(&[1., 2., 3.]);
        let s = (2.0f64 / 3.0).sqrt();
        assert!((z[0] + 1.0 / s).abs() < 1e-12 && z[1].abs() < 1e-12);
        let mut a = ndarray::Array2::from_shape_vec((3, 1), vec![1f32, 2., 3.]).unwrap();
        scale_columns(&mut a, 1.0);
        assert_eq!(a[[0, 0]], -1.0);
        assert_eq!(a[[2, 0]], 1.0);
    }
}
