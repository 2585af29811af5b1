//! PCA by randomized subspace iteration (Halko, Martinsson & Tropp 2011)
//! on a dense units x features matrix, with a Jacobi eigen-solver for the
//! small projected problem.

use ndarray::linalg::general_mat_mul;
use ndarray::{s, Array1, Array2, Axis};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

#[derive(Clone, Debug)]
pub struct Pca {
    /// units x n_comps scores (projections of the centred data).
    pub scores: Array2<f32>,
    /// features x n_comps loadings (unit vectors).
    pub components: Array2<f32>,
    /// Variance along each component (eigenvalues of the covariance, ddof 1).
    pub explained_variance: Vec<f64>,
}

/// Symmetric eigen-decomposition by cyclic Jacobi rotations. Returns
/// eigenvalues (descending) and eigenvectors as columns.
pub fn symmetric_eigen(a: &Array2<f64>) -> (Vec<f64>, Array2<f64>) {
    let n = a.nrows();
    let mut m = a.clone();
    let mut v = Array2::<f64>::eye(n);
    for _sweep in 0..100 {
        let off: f64 = (0..n)
            .flat_map(|i| (0..n).filter(move |&j| j != i).map(move |j| (i, j)))
            .map(|(i, j)| m[[i, j]] * m[[i, j]])
            .sum();
        if off < 1e-22 * (1.0 + m.iter().map(|x| x * x).sum::<f64>()) {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                if m[[p, q]].abs() < 1e-300 {
                    continue;
                }
                let theta = (m[[q, q]] - m[[p, p]]) / (2.0 * m[[p, q]]);
                let t = theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt());
                let t = if theta == 0.0 { 1.0 } else { t };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..n {
                    let (mkp, mkq) = (m[[k, p]], m[[k, q]]);
                    m[[k, p]] = c * mkp - s * mkq;
                    m[[k, q]] = s * mkp + c * mkq;
                }
                for k in 0..n {
                    let (mpk, mqk) = (m[[p, k]], m[[q, k]]);
                    m[[p, k]] = c * mpk - s * mqk;
                    m[[q, k]] = s * mpk + c * mqk;
                }
                for k in 0..n {
                    let (vkp, vkq) = (v[[k, p]], v[[k, q]]);
                    v[[k, p]] = c * vkp - s * vkq;
                    v[[k, q]] = s * vkp + c * vkq;
                }
            }
        }
    }
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&i, &j| m[[j, j]].total_cmp(&m[[i, i]]));
    let vals = order.iter().map(|&i| m[[i, i]]).collect();
    let mut vecs = Array2::<f64>::zeros((n, n));
    for (c, &i) in order.iter().enumerate() {
        vecs.column_mut(c).assign(&v.column(i));
    }
    (vals, vecs)
}

/// Orthonormalise the columns in place (modified Gram-Schmidt), worked on the
/// transpose so each column is a contiguous row.
fn orthonormalize(a: &mut Array2<f64>) {
    let mut t = a.t().as_standard_layout().into_owned();
    for j in 0..t.nrows() {
        let (done, mut rest) = t.view_mut().split_at(Axis(0), j);
        let mut col = rest.row_mut(0);
        for prev in done.rows() {
            let d = prev.dot(&col);
            col.scaled_add(-d, &prev);
        }
        let norm = col.dot(&col).sqrt();
        if norm > 1e-300 {
            col.mapv_inplace(|x| x / norm);
        }
    }
    a.assign(&t.t());
}

/// Orthonormal basis of the columns of an f32 product, in f64.
fn basis(p: Array2<f32>) -> Array2<f64> {
    let mut q = p.mapv(f64::from);
    orthonormalize(&mut q);
    q
}

/// PCA of `x` (units x features): columns are centred, then the top
/// `n_comps` components are found by randomized subspace iteration with
/// `n_oversample` extra directions and `n_iter` power iterations.
pub fn pca(x: &Array2<f32>, n_comps: usize, seed: u64) -> Pca {
    let (n, d) = x.dim();
    let k = n_comps.min(d).min(n);
    let l = (k + 10).min(d).min(n);
    let mut mean = Array1::<f64>::zeros(d);
    for row in x.rows() {
        mean.zip_mut_with(&row, |m, &v| *m += f64::from(v));
    }
    mean /= n.max(1) as f64;
    let mut xc = x.to_owned();
    for mut row in xc.rows_mut() {
        row.zip_mut_with(&mean, |v, &m| *v = (f64::from(*v) - m) as f32);
    }
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    let omega = Array2::from_shape_fn((d, l), |_| rng.random::<f64>() - 0.5);
    // The power iterations only find the subspace, so their products run in f32
    // (about twice as fast); B below, which fixes the components within it, is f64.
    let mut y = basis(xc.dot(&omega.mapv(|v| v as f32)));
    // Four power iterations suffice for the well-separated leading spectrum
    // of expression data (Halko et al. recommend 1-3 for most uses).
    for _ in 0..4 {
        let z = basis(xc.t().dot(&y.mapv(|v| v as f32)));
        y = basis(xc.dot(&z.mapv(|v| v as f32)));
    }
    drop(xc);
    // B = Q^T X (l x d) in f64, by blocks of rows (no full f64 copy of X).
    let mut b = Array2::<f64>::zeros((l, d));
    let rows = 1024;
    for start in (0..n).step_by(rows) {
        let end = (start + rows).min(n);
        let mut blk = x.slice(s![start..end, ..]).mapv(f64::from);
        for mut row in blk.rows_mut() {
            row -= &mean;
        }
        general_mat_mul(1.0, &y.slice(s![start..end, ..]).t(), &blk, 1.0, &mut b);
    }
    // Eigen of B B^T gives left singular vectors of B.
    let (vals, vecs) = symmetric_eigen(&b.dot(&b.t()));
    let mut scores = Array2::<f32>::zeros((n, k));
    let mut components = Array2::<f32>::zeros((d, k));
    let mut explained = Vec::with_capacity(k);
    // Left singular vectors of X (n x k) and V * s (d x k), one product each.
    let u_all = y.dot(&vecs.slice(s![.., ..k]));
    let v_all = b.t().dot(&vecs.slice(s![.., ..k]));
    for c in 0..k {
        let s2 = vals[c].max(0.0);
        let s = s2.sqrt();
        let u = u_all.column(c);
        let mut v = v_all.column(c).to_owned();
        if s > 0.0 {
            v.mapv_inplace(|t| t / s);
        }
        // Deterministic sign: largest-magnitude loading positive.
        let big = v
            .iter()
            .copied()
            .fold(0.0f64, |acc, t| if t.abs() > acc.abs() { t } else { acc });
        let sign = if big < 0.0 { -1.0 } else { 1.0 };
        for i in 0..n {
            scores[[i, c]] = (sign * u[i] * s) as f32;
        }
        for j in 0..d {
            components[[j, c]] = (sign * v[j]) as f32;
        }
        explained.push(s2 / (n as f64 - 1.0).max(1.0));
    }
    Pca {
        scores,
        components,
        explained_variance: explained,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jacobi_hand_worked() {
        // [[2,1],[1,2]] has eigenvalues 3 and 1, eigenvectors (1,1)/sqrt2, (1,-1)/sqrt2.
        let a = Array2::from_shape_vec((2, 2), vec![2.0, 1.0, 1.0, 2.0]).unwrap();
        let (vals, vecs) = symmetric_eigen(&a);
        assert!((vals[0] - 3.0).abs() < 1e-12 && (vals[1] - 1.0).abs() < 1e-12);
        assert!((vecs[[0, 0]].abs() - 0.5f64.sqrt()).abs() < 1e-12);
    }

    #[test]
    fn pca_matches_numpy() {
        // numpy reference (python3 + numpy in a throw-away venv):
        //   X = np.array([[2.5,2.4,0.5],[0.5,0.7,1.1],[2.2,2.9,0.3],[1.9,2.2,0.8],
        //                 [3.1,3.0,0.1],[2.3,2.7,0.6],[2.0,1.6,0.9],[1.0,1.1,1.3]])
        //   Xc = X - X.mean(0); s = np.linalg.svd(Xc, compute_uv=False); s**2/7
        let x = Array2::from_shape_vec(
            (8, 3),
            vec![
                2.5, 2.4, 0.5, 0.5, 0.7, 1.1, 2.2, 2.9, 0.3, 1.9, 2.2, 0.8, 3.1, 3.0, 0.1, 2.3,
                2.7, 0.6, 2.0, 1.6, 0.9, 1.0, 1.1, 1.3,
            ],
        )
        .unwrap();
        let p = pca(&x, 2, 1);
        let want = PCA_REF;
        for c in 0..2 {
            assert!(
                (p.explained_variance[c] - want[c]).abs() < 1e-6,
                "{:?}",
                p.explained_variance
            );
        }
        // Scores reproduce the variance and are uncorrelated.
        let s0: f64 = p
            .scores
            .column(0)
            .iter()
            .map(|&v| (v as f64).powi(2))
            .sum::<f64>()
            / 7.0;
        assert!((s0 - want[0]).abs() < 1e-4);
        let cross: f64 = p
            .scores
            .column(0)
            .iter()
            .zip(p.scores.column(1).iter())
            .map(|(&a, &b)| a as f64 * b as f64)
            .sum();
        assert!(cross.abs() < 1e-4);
    }
    // Pasted from numpy 2.4.6 : s**2/7 of the centred X above.
    const PCA_REF: [f64; 3] = [
        1.5025820224520217,
        0.059670014804538506,
        0.019712248457725557,
    ];
}
