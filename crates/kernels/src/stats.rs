//! Per-gene two-group tests, multiple-testing correction and rank
//! correlation. The tests take either dense values or the sparse entries of
//! one gene (implicit zeros), because the unit-level test over 25,000 genes x
//! 10,000 barcodes must not densify the matrix.

use statrs::distribution::{ContinuousCDF, Normal, StudentsT};

/// Result of one two-group test.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TestResult {
    /// Test statistic (Welch t, or Mann-Whitney U of the first group).
    pub statistic: f64,
    /// Two-sided p-value.
    pub p: f64,
    /// Mean of group 1 minus mean of group 0.
    pub mean_diff: f64,
}

/// Summary statistics of one group: count, sum, sum of squares.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Moments {
    pub n: f64,
    pub sum: f64,
    pub sumsq: f64,
}

impl Moments {
    pub fn push(&mut self, v: f64) {
        self.n += 1.0;
        self.sum += v;
        self.sumsq += v * v;
    }
    pub fn of(values: &[f64]) -> Self {
        let mut m = Moments::default();
        values.iter().for_each(|&v| m.push(v));
        m
    }
    pub fn mean(&self) -> f64 {
        self.sum / self.n
    }
    /// Unbiased sample variance (ddof = 1), computed around the mean for
    /// stability.
    pub fn var(&self) -> f64 {
        if self.n < 2.0 {
            return f64::NAN;
        }
        let m = self.mean();
        ((self.sumsq - self.n * m * m) / (self.n - 1.0)).max(0.0)
    }
}

/// Welch's unequal-variance t-test from group moments (group 1 vs group 0),
/// as `scipy.stats.ttest_ind(b, a, equal_var=False)`. When both variances are
/// zero: p = 1 if the means are equal, else p = 0.
pub fn welch_from_moments(g0: &Moments, g1: &Moments) -> TestResult {
    let diff = g1.mean() - g0.mean();
    if g0.n < 2.0 || g1.n < 2.0 {
        return TestResult {
            statistic: f64::NAN,
            p: f64::NAN,
            mean_diff: diff,
        };
    }
    let (v0, v1) = (g0.var() / g0.n, g1.var() / g1.n);
    let se2 = v0 + v1;
    if se2 <= 1e-300 {
        let p = if diff.abs() <= 1e-12 { 1.0 } else { 0.0 };
        return TestResult {
            statistic: if p == 1.0 {
                0.0
            } else {
                diff.signum() * f64::INFINITY
            },
            p,
            mean_diff: diff,
        };
    }
    let t = diff / se2.sqrt();
    let df = se2 * se2 / (v0 * v0 / (g0.n - 1.0) + v1 * v1 / (g1.n - 1.0));
    TestResult {
        statistic: t,
        p: t_two_sided(t, df),
        mean_diff: diff,
    }
}

/// Welch's t-test on dense values: `a` = group 0, `b` = group 1.
pub fn welch_t(a: &[f64], b: &[f64]) -> TestResult {
    welch_from_moments(&Moments::of(a), &Moments::of(b))
}

/// Student's pooled-variance t-test (`equal_var=True`), for replicate-level
/// tests with very few replicates per group.
pub fn student_t(a: &[f64], b: &[f64]) -> TestResult {
    student_from_moments(&Moments::of(a), &Moments::of(b))
}

/// Student's t-test from group moments (group 1 vs group 0).
pub fn student_from_moments(g0: &Moments, g1: &Moments) -> TestResult {
    let diff = g1.mean() - g0.mean();
    let df = g0.n + g1.n - 2.0;
    if df < 1.0 {
        return TestResult {
            statistic: f64::NAN,
            p: f64::NAN,
            mean_diff: diff,
        };
    }
    let sp2 = ((g0.n - 1.0) * g0.var() + (g1.n - 1.0) * g1.var()) / df;
    let se2 = sp2 * (1.0 / g0.n + 1.0 / g1.n);
    if se2 <= 1e-300 {
        let p = if diff.abs() <= 1e-12 { 1.0 } else { 0.0 };
        return TestResult {
            statistic: 0.0,
            p,
            mean_diff: diff,
        };
    }
    let t = diff / se2.sqrt();
    TestResult {
        statistic: t,
        p: t_two_sided(t, df),
        mean_diff: diff,
    }
}

fn t_two_sided(t: f64, df: f64) -> f64 {
    match StudentsT::new(0.0, 1.0, df) {
        Ok(d) => (2.0 * d.sf(t.abs())).min(1.0),
        Err(_) => f64::NAN,
    }
}

fn normal_two_sided(z: f64) -> f64 {
    let n = Normal::standard();
    (2.0 * n.sf(z.abs())).min(1.0)
}

/// Mann-Whitney U / Wilcoxon rank-sum with the normal approximation, tie
/// correction and continuity correction — `scipy.stats.mannwhitneyu(b, a,
/// method="asymptotic")`. `statistic` is U of group 1 (`b`).
pub fn mann_whitney_u(a: &[f64], b: &[f64]) -> TestResult {
    let mut all: Vec<(f64, bool)> = a
        .iter()
        .map(|&v| (v, false))
        .chain(b.iter().map(|&v| (v, true)))
        .collect();
    let (mean0, mean1) = (mean(a), mean(b));
    mwu_core(&mut all, 0, 0.0, a.len(), b.len(), mean1 - mean0)
}

/// Mann-Whitney U for one gene stored sparsely: `entries` are the
/// (nonzero value, in group 1) pairs; every other unit is an implicit zero.
/// `n0`, `n1` are the total group sizes. Zeros (and negative values, which do
/// not occur for counts) are handled exactly, as one tie block.
pub fn mann_whitney_u_sparse(entries: &mut [(f64, bool)], n0: usize, n1: usize) -> TestResult {
    let nnz1 = entries.iter().filter(|e| e.1).count();
    let nnz0 = entries.len() - nnz1;
    let zeros0 = n0 - nnz0;
    let zeros1 = n1 - nnz1;
    let s0: f64 = entries.iter().filter(|e| !e.1).map(|e| e.0).sum();
    let s1: f64 = entries.iter().filter(|e| e.1).map(|e| e.0).sum();
    let diff = s1 / n1 as f64 - s0 / n0 as f64;
    let zeros = zeros0 + zeros1;
    let mut r = mwu_core(entries, zeros, zeros1 as f64, n0, n1, diff);
    if zeros > 0 && entries.iter().any(|e| e.0 < 0.0) {
        // Negative values would sort below the zero block; not supported.
        r.p = f64::NAN;
    }
    r
}

/// Mann-Whitney U from packed keys: each key is `(positive f32 bits) << 1 |
/// in_group1` for one nonzero value; all other units are zeros. Same result
/// as [`mann_whitney_u_sparse`], faster because integer keys sort quickly.
pub fn mann_whitney_u_keys(keys: &mut [u64], n0: usize, n1: usize, mean_diff: f64) -> TestResult {
    if n0 == 0 || n1 == 0 {
        return TestResult {
            statistic: f64::NAN,
            p: f64::NAN,
            mean_diff,
        };
    }
    keys.sort_unstable();
    let nnz1 = keys.iter().filter(|&&k| k & 1 == 1).count();
    let zeros = n0 + n1 - keys.len();
    let zeros1 = (n1 - nnz1) as f64;
    let mut sums = RankSums::default();
    if zeros > 0 {
        sums.add_block(0, 0, zeros, zeros1);
    }
    let mut i = 0;
    while i < keys.len() {
        let v = keys[i] >> 1;
        let mut j = i + 1;
        let mut c1 = (keys[i] & 1) as f64;
        while j < keys.len() && keys[j] >> 1 == v {
            c1 += (keys[j] & 1) as f64;
            j += 1;
        }
        sums.add_block(zeros, i, j, c1);
        i = j;
    }
    mwu_from_rank_sum(sums.group1, sums.ties, n0, n1, mean_diff)
}

/// Shared rank-sum: `rest` holds explicit values; `zeros` implicit zeros of
/// which `zeros1` belong to group 1, ranked first as one tie block.
fn mwu_core(
    rest: &mut [(f64, bool)],
    zeros: usize,
    zeros1: f64,
    n0: usize,
    n1: usize,
    diff: f64,
) -> TestResult {
    if n0 == 0 || n1 == 0 {
        return TestResult {
            statistic: f64::NAN,
            p: f64::NAN,
            mean_diff: diff,
        };
    }
    rest.sort_unstable_by(|x, y| x.0.total_cmp(&y.0));
    let mut sums = RankSums::default();
    if zeros > 0 {
        sums.add_block(0, 0, zeros, zeros1);
    }
    let mut i = 0;
    while i < rest.len() {
        let mut j = i + 1;
        while j < rest.len() && rest[j].0 == rest[i].0 {
            j += 1;
        }
        let c1 = rest[i..j].iter().filter(|e| e.1).count() as f64;
        sums.add_block(zeros, i, j, c1);
        i = j;
    }
    mwu_from_rank_sum(sums.group1, sums.ties, n0, n1, diff)
}

/// The rank sum of group 1 and the tie term (sum of t^3 - t), built one tie
/// block at a time in sorted order.
#[derive(Default)]
struct RankSums {
    group1: f64,
    ties: f64,
}

impl RankSums {
    /// The `j - i` tied values holding ranks `offset+i+1 ..= offset+j` (their
    /// average rank each), `c1` of them in group 1.
    fn add_block(&mut self, offset: usize, i: usize, j: usize, c1: f64) {
        self.group1 += (offset as f64 + (i + 1 + j) as f64 / 2.0) * c1;
        let t = (j - i) as f64;
        self.ties += t * t * t - t;
    }
}

/// U1 of group 1 from its rank sum, and scipy's asymptotic two-sided p-value
/// with tie correction (`tie_term` = sum of t^3 - t over tie blocks) and
/// continuity correction.
fn mwu_from_rank_sum(
    rank_sum1: f64,
    tie_term: f64,
    n0: usize,
    n1: usize,
    mean_diff: f64,
) -> TestResult {
    let n = (n0 + n1) as f64;
    let (n0f, n1f) = (n0 as f64, n1 as f64);
    let u1 = rank_sum1 - n1f * (n1f + 1.0) / 2.0;
    let mu = n0f * n1f / 2.0;
    let sigma2 = n0f * n1f / 12.0 * ((n + 1.0) - tie_term / (n * (n - 1.0)));
    if sigma2 <= 0.0 {
        return TestResult {
            statistic: u1,
            p: 1.0,
            mean_diff,
        };
    }
    // scipy: U = max(U1, U2); z = (U - mu - 0.5) / sigma; p = 2 sf(z).
    let u = u1.max(n0f * n1f - u1);
    let z = (u - mu - 0.5) / sigma2.sqrt();
    TestResult {
        statistic: u1,
        p: normal_two_sided(z.max(0.0)),
        mean_diff,
    }
}

fn mean(v: &[f64]) -> f64 {
    v.iter().sum::<f64>() / v.len() as f64
}

/// Benjamini-Hochberg adjusted p-values (`statsmodels ... method="fdr_bh"`).
/// NaN p-values are treated as 1 and still count as tests.
pub fn benjamini_hochberg(p: &[f64]) -> Vec<f64> {
    let m = p.len();
    let clean: Vec<f64> = p
        .iter()
        .map(|&x| if x.is_nan() { 1.0 } else { x })
        .collect();
    let mut order: Vec<usize> = (0..m).collect();
    order.sort_by(|&a, &b| clean[a].total_cmp(&clean[b]));
    let mut adj = vec![1.0; m];
    let mut running = 1.0f64;
    for rank in (0..m).rev() {
        let i = order[rank];
        let v = (clean[i] * m as f64 / (rank + 1) as f64).min(1.0);
        running = running.min(v);
        adj[i] = running;
    }
    adj
}

/// Average ranks (1-based), ties get the mean of their positions
/// (`scipy.stats.rankdata(method="average")`).
pub fn rank_average(v: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..v.len()).collect();
    order.sort_by(|&a, &b| v[a].total_cmp(&v[b]));
    let mut ranks = vec![0.0; v.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i + 1;
        while j < order.len() && v[order[j]] == v[order[i]] {
            j += 1;
        }
        let avg = (i + 1 + j) as f64 / 2.0;
        for &k in &order[i..j] {
            ranks[k] = avg;
        }
        i = j;
    }
    ranks
}

/// Pearson correlation; NaN if either side is constant.
pub fn pearson(x: &[f64], y: &[f64]) -> f64 {
    assert_eq!(x.len(), y.len(), "pearson: vectors differ in length");
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (&a, &b) in x.iter().zip(y) {
        let (dx, dy) = (a - mx, b - my);
        sxy += dx * dy;
        sxx += dx * dx;
        syy += dy * dy;
    }
    if sxx <= 0.0 || syy <= 0.0 {
        return f64::NAN;
    }
    sxy / (sxx * syy).sqrt()
}

/// Spearman rank correlation with average ranks for ties
/// (`scipy.stats.spearmanr`).
pub fn spearman(x: &[f64], y: &[f64]) -> f64 {
    pearson(&rank_average(x), &rank_average(y))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol * b.abs().max(1e-300) || (a - b).abs() < 1e-15
    }

    // Reference values below were computed with scipy 1.x in a throw-away
    // venv (python3 -m venv /tmp/kvenv; pip install numpy scipy):
    //   a=[1.2,3.4,2.2,5.0,4.1]; b=[6.5,7.1,5.9,8.8,6.0,7.7]
    //   scipy.stats.ttest_ind(b, a, equal_var=False)
    //   scipy.stats.mannwhitneyu(b, a, method="asymptotic")
    const A: [f64; 5] = [1.2, 3.4, 2.2, 5.0, 4.1];
    const B: [f64; 6] = [6.5, 7.1, 5.9, 8.8, 6.0, 7.7];

    #[test]
    fn welch_matches_scipy() {
        let r = welch_t(&A, &B);
        assert!(close(r.statistic, WELCH_T, 1e-9), "t {}", r.statistic);
        assert!(close(r.p, WELCH_P, 1e-6), "p {}", r.p);
    }

    #[test]
    fn student_matches_scipy() {
        let r = student_t(&A, &B);
        assert!(close(r.statistic, STUDENT_T, 1e-9), "t {}", r.statistic);
        assert!(close(r.p, STUDENT_P, 1e-6), "p {}", r.p);
    }

    #[test]
    fn mwu_matches_scipy_with_ties() {
        let r = mann_whitney_u(&A, &B);
        assert!(close(r.statistic, 30.0, 1e-12));
        assert!(close(r.p, MWU_P, 1e-6), "p {}", r.p);
        // Heavy ties: a=[0,0,0,1,2,2,3], b=[0,1,1,2,3,3,4,5]
        let a = [0., 0., 0., 1., 2., 2., 3.];
        let b = [0., 1., 1., 2., 3., 3., 4., 5.];
        let r = mann_whitney_u(&a, &b);
        assert!(close(r.statistic, MWU_TIES_U, 1e-12), "U {}", r.statistic);
        assert!(close(r.p, MWU_TIES_P, 1e-6), "p {}", r.p);
    }

    #[test]
    fn sparse_mwu_equals_dense() {
        let a = [0., 0., 0., 1., 2., 2., 3.];
        let b = [0., 1., 1., 2., 3., 3., 4., 5.];
        let dense = mann_whitney_u(&a, &b);
        let mut entries: Vec<(f64, bool)> = a
            .iter()
            .filter(|&&v| v != 0.0)
            .map(|&v| (v, false))
            .chain(b.iter().filter(|&&v| v != 0.0).map(|&v| (v, true)))
            .collect();
        let sparse = mann_whitney_u_sparse(&mut entries, a.len(), b.len());
        assert!(close(sparse.statistic, dense.statistic, 1e-12));
        assert!(close(sparse.p, dense.p, 1e-12));
        assert!(close(sparse.mean_diff, dense.mean_diff, 1e-12));
    }

    #[test]
    fn bh_hand_worked() {
        // p = [0.01, 0.04, 0.03, 0.5], m = 4:
        // sorted 0.01*4/1=0.04, 0.03*4/2=0.06, 0.04*4/3=0.0533, 0.5*4/4=0.5
        // step-up minima: 0.04, 0.0533, 0.0533, 0.5
        let adj = benjamini_hochberg(&[0.01, 0.04, 0.03, 0.5]);
        let want = [0.04, 0.16 / 3.0, 0.16 / 3.0, 0.5];
        for (a, w) in adj.iter().zip(want) {
            assert!(close(*a, w, 1e-12), "{adj:?}");
        }
    }

    #[test]
    fn spearman_with_ties() {
        // Hand-worked: x ranks [1,2.5,2.5,4], y ranks [1,2,3,4];
        // pearson of the ranks = 0.9486832980505138 (= 3/sqrt(10)).
        let r = spearman(&[1., 2., 2., 3.], &[10., 20., 30., 40.]);
        assert!(close(r, 3.0 / 10f64.sqrt(), 1e-12), "{r}");
        assert!(close(spearman(&SX, &SY), SPEARMAN_XY, 1e-9));
        assert_eq!(rank_average(&[3., 1., 3., 2.]), vec![3.5, 1.0, 3.5, 2.0]);
    }

    const SX: [f64; 8] = [0., 0., 1., 3., 3., 5., 2., 0.];
    const SY: [f64; 8] = [1., 0., 2., 2., 4., 1., 3., 0.];
    // Pasted from the script above (scipy scipy 1.17.1); spearmanr(SX, SY) for SPEARMAN_XY.
    const WELCH_T: f64 = 4.698299882188982;
    const WELCH_P: f64 = 0.0020038751837572204;
    const STUDENT_T: f64 = 4.840314327167776;
    const STUDENT_P: f64 = 0.000920622087782158;
    const MWU_P: f64 = 0.00811311726556578;
    const MWU_TIES_U: f64 = 40.5;
    const MWU_TIES_P: f64 = 0.15652977813221672;
    const SPEARMAN_XY: f64 = 0.5937963921554016;
}
