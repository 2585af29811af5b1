//! Differential expression between two groups at the level of spatial
//! units (barcodes/cells: pseudoreplicates when units are nested in donors)
//! or at the level of replicates (pseudobulk per donor).

use crate::csr::CsrMatrix;
use crate::stats::{
    benjamini_hochberg, mann_whitney_u, mann_whitney_u_sparse, student_t, welch_from_moments,
    welch_t, Moments, TestResult,
};
use ndarray::Array2;

/// Which per-gene test to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TestKind {
    /// Welch's unequal-variance t-test.
    Welch,
    /// Student's pooled-variance t-test.
    Student,
    /// Wilcoxon rank-sum (Mann-Whitney U, normal approximation, tie-corrected).
    Wilcoxon,
}

/// Per-gene results with BH-adjusted p-values.
#[derive(Clone, Debug)]
pub struct DeTable {
    pub results: Vec<TestResult>,
    pub p_adj: Vec<f64>,
}

impl DeTable {
    fn new(results: Vec<TestResult>) -> Self {
        let p: Vec<f64> = results.iter().map(|r| r.p).collect();
        DeTable {
            p_adj: benjamini_hochberg(&p),
            results,
        }
    }
    /// Genes with adjusted p below `alpha`.
    pub fn significant(&self, alpha: f64) -> Vec<usize> {
        (0..self.p_adj.len())
            .filter(|&g| self.p_adj[g] < alpha)
            .collect()
    }
}

/// Sum the counts of units into replicates: `replicate[u]` in `0..n_replicates`.
/// Returns replicates x genes.
pub fn pseudobulk(counts: &CsrMatrix, replicate: &[u32], n_replicates: usize) -> Array2<f64> {
    assert_eq!(
        replicate.len(),
        counts.nrows,
        "pseudobulk: one replicate label per unit"
    );
    let mut out = Array2::<f64>::zeros((n_replicates, counts.ncols));
    for u in 0..counts.nrows {
        let r = replicate[u] as usize;
        let (idx, val) = counts.row(u);
        for (&g, &v) in idx.iter().zip(val) {
            out[[r, g as usize]] += v as f64;
        }
    }
    out
}

/// log2(counts-per-million + 1) of a replicates x genes pseudobulk matrix.
pub fn log_cpm(pb: &Array2<f64>) -> Array2<f64> {
    let mut out = pb.clone();
    for mut row in out.rows_mut() {
        let lib: f64 = row.sum();
        row.mapv_inplace(|c| {
            if lib > 0.0 {
                (c * 1e6 / lib + 1.0).log2()
            } else {
                0.0
            }
        });
    }
    out
}

/// Unit-level test on a genes x units matrix (values already normalised;
/// implicit zeros count as observations). `group1[u]` selects group 1.
pub fn de_units(genes_by_units: &CsrMatrix, group1: &[bool], test: TestKind) -> DeTable {
    assert_eq!(
        group1.len(),
        genes_by_units.ncols,
        "de_units: one group flag per unit"
    );
    let n1 = group1.iter().filter(|&&b| b).count();
    let n0 = group1.len() - n1;
    let mut buf: Vec<(f64, bool)> = Vec::new();
    let results = (0..genes_by_units.nrows)
        .map(|g| {
            let (idx, val) = genes_by_units.row(g);
            match test {
                TestKind::Welch | TestKind::Student => {
                    let (mut m0, mut m1) = (Moments::default(), Moments::default());
                    for (&u, &v) in idx.iter().zip(val) {
                        let v = v as f64;
                        if group1[u as usize] {
                            m1.push(v)
                        } else {
                            m0.push(v)
                        }
                    }
                    // Implicit zeros add to the counts only.
                    m0.n = n0 as f64;
                    m1.n = n1 as f64;
                    if test == TestKind::Welch {
                        welch_from_moments(&m0, &m1)
                    } else {
                        crate::stats::student_from_moments(&m0, &m1)
                    }
                }
                TestKind::Wilcoxon => {
                    buf.clear();
                    buf.extend(
                        idx.iter()
                            .zip(val)
                            .map(|(&u, &v)| (v as f64, group1[u as usize])),
                    );
                    mann_whitney_u_sparse(&mut buf, n0, n1)
                }
            }
        })
        .collect();
    DeTable::new(results)
}

/// Unit-level test straight from a units x genes count matrix, with
/// library-size normalisation (`target_sum`) + ln(1+x) applied on the fly.
/// The t-tests stream the rows once (no transpose); the Wilcoxon test
/// transposes and ranks each gene by sorting packed integer keys.
pub fn de_units_lognorm(
    counts: &CsrMatrix,
    target_sum: f64,
    group1: &[bool],
    test: TestKind,
) -> DeTable {
    assert_eq!(
        group1.len(),
        counts.nrows,
        "de_units_lognorm: one group flag per unit"
    );
    let libs = counts.row_sums();
    let n1 = group1.iter().filter(|&&b| b).count();
    let n0 = group1.len() - n1;
    match test {
        TestKind::Welch | TestKind::Student => {
            let g = counts.ncols;
            // Per gene and group: sum and sum of squares.
            let mut acc = vec![0.0f64; g * 4];
            for u in 0..counts.nrows {
                if libs[u] <= 0.0 {
                    continue;
                }
                // f32 logs, as scanpy computes on float32 data; sums in f64.
                let f = (target_sum / libs[u]) as f32;
                let off = if group1[u] { 2 } else { 0 };
                let (idx, val) = counts.row(u);
                for (&c, &v) in idx.iter().zip(val) {
                    let x = (v * f).ln_1p() as f64;
                    let a = &mut acc[c as usize * 4 + off..c as usize * 4 + off + 2];
                    a[0] += x;
                    a[1] += x * x;
                }
            }
            let results = (0..g)
                .map(|c| {
                    let m0 = Moments {
                        n: n0 as f64,
                        sum: acc[c * 4],
                        sumsq: acc[c * 4 + 1],
                    };
                    let m1 = Moments {
                        n: n1 as f64,
                        sum: acc[c * 4 + 2],
                        sumsq: acc[c * 4 + 3],
                    };
                    if test == TestKind::Welch {
                        welch_from_moments(&m0, &m1)
                    } else {
                        crate::stats::student_from_moments(&m0, &m1)
                    }
                })
                .collect();
            DeTable::new(results)
        }
        TestKind::Wilcoxon => {
            let t = counts.transpose();
            let factors: Vec<f32> = libs
                .iter()
                .map(|&l| {
                    if l > 0.0 {
                        (target_sum / l) as f32
                    } else {
                        0.0
                    }
                })
                .collect();
            let mut keys: Vec<u64> = Vec::new();
            let results = (0..t.nrows)
                .map(|gene| {
                    let (idx, val) = t.row(gene);
                    keys.clear();
                    let (mut s0, mut s1) = (0.0f64, 0.0f64);
                    for (&u, &v) in idx.iter().zip(val) {
                        let x = (v * factors[u as usize]).ln_1p() as f64;
                        if x <= 0.0 {
                            continue;
                        }
                        let g1 = group1[u as usize];
                        if g1 {
                            s1 += x
                        } else {
                            s0 += x
                        }
                        // Positive f32 bit patterns sort like the values.
                        keys.push(((x as f32).to_bits() as u64) << 1 | g1 as u64);
                    }
                    let diff = s1 / n1.max(1) as f64 - s0 / n0.max(1) as f64;
                    crate::stats::mann_whitney_u_keys(&mut keys, n0, n1, diff)
                })
                .collect();
            DeTable::new(results)
        }
    }
}

/// Replicate-level test on a replicates x genes matrix of values (e.g.
/// `log_cpm(pseudobulk(..))`); `group1[r]` selects group 1.
pub fn de_replicates(values: &Array2<f64>, group1: &[bool], test: TestKind) -> DeTable {
    assert_eq!(
        group1.len(),
        values.nrows(),
        "de_replicates: one group flag per replicate"
    );
    let results = values
        .columns()
        .into_iter()
        .map(|col| {
            let a: Vec<f64> = col
                .iter()
                .zip(group1)
                .filter(|(_, &g)| !g)
                .map(|(&v, _)| v)
                .collect();
            let b: Vec<f64> = col
                .iter()
                .zip(group1)
                .filter(|(_, &g)| g)
                .map(|(&v, _)| v)
                .collect();
            match test {
                TestKind::Welch => welch_t(&a, &b),
                TestKind::Student => student_t(&a, &b),
                TestKind::Wilcoxon => mann_whitney_u(&a, &b),
            }
        })
        .collect();
    DeTable::new(results)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streamed_lognorm_tests_equal_the_two_step_path() {
        // units x genes counts, 6 units, 3 genes (gene 2 all zero).
        let dense = [
            3., 0., 0., 1., 2., 0., 0., 5., 0., 4., 4., 0., 2., 0., 0., 7., 1., 0.,
        ];
        let m = CsrMatrix::from_dense(6, 3, &dense);
        let g = [false, true, false, true, true, false];
        let norm = crate::norm::library_size_log1p(&m, 100.0).transpose();
        for test in [TestKind::Welch, TestKind::Student, TestKind::Wilcoxon] {
            let a = de_units_lognorm(&m, 100.0, &g, test);
            let b = de_units(&norm, &g, test);
            for gene in 0..3 {
                let (pa, pb) = (a.results[gene].p, b.results[gene].p);
                assert!(
                    (pa - pb).abs() < 1e-6 || (pa.is_nan() && pb.is_nan()),
                    "{test:?} gene {gene}: {pa} vs {pb}"
                );
            }
        }
    }

    #[test]
    fn pseudobulk_sums_by_replicate() {
        let m = CsrMatrix::from_dense(3, 2, &[1., 2., 3., 0., 0., 5.]);
        let pb = pseudobulk(&m, &[0, 1, 0], 2);
        assert_eq!(pb.into_raw_vec_and_offset().0, vec![1., 7., 3., 0.]);
        let l = log_cpm(&Array2::from_shape_vec((1, 2), vec![1.0, 3.0]).unwrap());
        assert!((l[[0, 0]] - (250001f64).log2()).abs() < 1e-9);
    }

    #[test]
    fn sparse_unit_tests_equal_dense_tests() {
        // genes x units; unit groups: [F, F, T, T, T]
        let dense: [f32; 10] = [0., 1., 0., 3., 2., /* gene 1 */ 4., 0., 0., 0., 1.];
        let m = CsrMatrix::from_dense(2, 5, &dense);
        let g = [false, false, true, true, true];
        for test in [TestKind::Welch, TestKind::Wilcoxon] {
            let t = de_units(&m, &g, test);
            for gene in 0..2 {
                let row = &dense[gene * 5..gene * 5 + 5];
                let a: Vec<f64> = (0..5).filter(|&u| !g[u]).map(|u| row[u] as f64).collect();
                let b: Vec<f64> = (0..5).filter(|&u| g[u]).map(|u| row[u] as f64).collect();
                let want = if test == TestKind::Welch {
                    welch_t(&a, &b)
                } else {
                    mann_whitney_u(&a, &b)
                };
                assert!(
                    (t.results[gene].p - want.p).abs() < 1e-12,
                    "{test:?} gene {gene}"
                );
            }
        }
        let r = de_replicates(
            &Array2::from_shape_vec((5, 2), vec![0., 4., 1., 0., 0., 0., 3., 0., 2., 1.]).unwrap(),
            &g,
            TestKind::Welch,
        );
        assert!((r.results[0].p - de_units(&m, &g, TestKind::Welch).results[0].p).abs() < 1e-12);
    }
}
