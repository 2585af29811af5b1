//! Harmony as harmonypy runs it with its own defaults (what
//! `scanpy.external.pp.harmony_integrate` calls): theta 2, lambda 1, sigma 0.1,
//! `min(round(N / 30), 100)` clusters, 10 Harmony rounds of at most 20 clustering
//! rounds, cells updated in 20 shuffled blocks, and its convergence rules: a clustering
//! stops when the mean objective of its last three rounds moves less than 1e-5
//! (relative), Harmony stops when a round lowers the objective by less than 1e-4
//! (relative; an objective that rises also stops it). Only the first centroids differ:
//! the project's k-means++ (10 starts, 25 rounds) instead of scikit-learn's.
//!
//! [`crate::integrate::harmony`] is the project's simplified correction, tuned to the
//! batch scenario; this module is the reference it is compared with.

use ndarray::Array2;
use rand::{seq::SliceRandom, SeedableRng};
use rand_pcg::Pcg64Mcg;

/// harmonypy's defaults.
#[derive(Clone, Debug)]
pub struct HarmonyPy {
    pub theta: f64,
    pub lambda: f64,
    pub sigma: f64,
    /// None: `min(round(N / 30), 100)`.
    pub n_clusters: Option<usize>,
    pub max_iter_harmony: usize,
    pub max_iter_kmeans: usize,
    pub epsilon_cluster: f64,
    pub epsilon_harmony: f64,
    pub block_size: f64,
    pub seed: u64,
}

impl Default for HarmonyPy {
    fn default() -> Self {
        HarmonyPy {
            theta: 2.0,
            lambda: 1.0,
            sigma: 0.1,
            n_clusters: None,
            max_iter_harmony: 10,
            max_iter_kmeans: 20,
            epsilon_cluster: 1e-5,
            epsilon_harmony: 1e-4,
            block_size: 0.05,
            seed: 0,
        }
    }
}

/// The corrected embedding and the Harmony rounds run.
pub struct HarmonyRun {
    pub corrected: Array2<f32>,
    pub rounds: usize,
}

/// The state of one run: cells are rows (N x d), clusters K, batches B.
struct State<'a> {
    opt: &'a HarmonyPy,
    n: usize,
    d: usize,
    k: usize,
    nb: usize,
    batch: &'a [u32],
    pr_b: Vec<f64>,
    z_orig: Vec<f64>,
    /// The corrected embedding (rows), and its unit rows (what is clustered).
    z_corr: Vec<f64>,
    z_cos: Vec<f64>,
    /// K x d centroids (unit rows).
    y: Vec<f64>,
    /// K x N distances and memberships.
    dist: Vec<f64>,
    r: Vec<f64>,
    /// K x B expected and observed memberships.
    e: Vec<f64>,
    o: Vec<f64>,
    obj_kmeans: Vec<f64>,
    obj_harmony: Vec<f64>,
    rng: Pcg64Mcg,
}

/// Each row divided by its L2 norm (zero rows stay zero).
fn unit_rows(v: &mut [f64], d: usize) {
    for row in v.chunks_mut(d) {
        let norm = row.iter().map(|x| x * x).sum::<f64>().sqrt();
        if norm > 0.0 {
            row.iter_mut().for_each(|x| *x /= norm);
        }
    }
}

impl State<'_> {
    fn distances(&mut self) {
        let (n, d) = (self.n, self.d);
        for c in 0..self.k {
            let yc = &self.y[c * d..(c + 1) * d];
            for i in 0..n {
                let zi = &self.z_cos[i * d..(i + 1) * d];
                let dot: f64 = yc.iter().zip(zi).map(|(a, b)| a * b).sum();
                self.dist[c * n + i] = 2.0 * (1.0 - dot);
            }
        }
    }

    /// E = (sum of memberships per cluster) x batch shares; O = memberships per batch.
    fn diversity(&mut self) {
        let (n, nb) = (self.n, self.nb);
        self.e.iter_mut().for_each(|v| *v = 0.0);
        self.o.iter_mut().for_each(|v| *v = 0.0);
        for c in 0..self.k {
            let mut total = 0.0;
            for i in 0..n {
                let w = self.r[c * n + i];
                total += w;
                self.o[c * nb + self.batch[i] as usize] += w;
            }
            for b in 0..nb {
                self.e[c * nb + b] = total * self.pr_b[b];
            }
        }
    }

    fn objective(&mut self) {
        let (n, nb, sigma, theta) = (self.n, self.nb, self.opt.sigma, self.opt.theta);
        // The cross-entropy term depends on the cell only through its batch.
        let cross: Vec<f64> = (0..self.k * nb)
            .map(|t| theta * ((self.o[t] + 1.0) / (self.e[t] + 1.0)).ln())
            .collect();
        let mut total = 0.0;
        for c in 0..self.k {
            for i in 0..n {
                let w = self.r[c * n + i];
                let b = self.batch[i] as usize;
                let entropy = if w > 0.0 { w * w.ln() } else { 0.0 };
                total += w * self.dist[c * n + i] + sigma * entropy + sigma * w * cross[c * nb + b];
            }
        }
        self.obj_kmeans.push(total);
    }

    /// harmonypy's `update_R`: memberships recomputed block by block, the diversity
    /// counts updated around each block.
    fn update_r(&mut self) {
        let (n, k, nb) = (self.n, self.k, self.nb);
        let mut scale = vec![0.0f64; k * n];
        for i in 0..n {
            let min = (0..k)
                .map(|c| self.dist[c * n + i])
                .fold(f64::INFINITY, f64::min);
            for c in 0..k {
                scale[c * n + i] = (-(self.dist[c * n + i] - min) / self.opt.sigma).exp();
            }
        }
        let mut order: Vec<usize> = (0..n).collect();
        order.shuffle(&mut self.rng);
        let n_blocks = (1.0 / self.opt.block_size).ceil() as usize;
        // numpy's array_split: the first n % blocks parts hold one more.
        let (base, extra) = (n / n_blocks, n % n_blocks);
        let mut start = 0;
        for blk in 0..n_blocks {
            let len = base + usize::from(blk < extra);
            let cells = &order[start..start + len];
            start += len;
            self.move_block(cells, -1.0);
            // The diversity penalty of a (cluster, batch), fixed within a block.
            let pen: Vec<f64> = (0..k * nb)
                .map(|t| ((self.e[t] + 1.0) / (self.o[t] + 1.0)).powf(self.opt.theta))
                .collect();
            for &i in cells {
                let b = self.batch[i] as usize;
                let mut total = 0.0;
                for c in 0..k {
                    let v = scale[c * n + i] * pen[c * nb + b];
                    self.r[c * n + i] = v;
                    total += v;
                }
                for c in 0..k {
                    self.r[c * n + i] /= total.max(1e-300);
                }
            }
            self.move_block(cells, 1.0);
        }
    }

    /// Adds (`sign` 1) or removes (-1) the memberships of `cells` from E and O.
    fn move_block(&mut self, cells: &[usize], sign: f64) {
        let (n, nb) = (self.n, self.nb);
        for c in 0..self.k {
            let mut total = 0.0;
            for &i in cells {
                let w = self.r[c * n + i];
                total += w;
                self.o[c * nb + self.batch[i] as usize] += sign * w;
            }
            for b in 0..nb {
                self.e[c * nb + b] += sign * total * self.pr_b[b];
            }
        }
    }

    /// Centroids from the memberships, as unit rows.
    fn centroids(&mut self) {
        let (n, d) = (self.n, self.d);
        self.y.iter_mut().for_each(|v| *v = 0.0);
        for c in 0..self.k {
            let yc = &mut self.y[c * d..(c + 1) * d];
            for i in 0..n {
                let w = self.r[c * n + i];
                for (acc, z) in yc.iter_mut().zip(&self.z_cos[i * d..(i + 1) * d]) {
                    *acc += w * z;
                }
            }
        }
        unit_rows(&mut self.y, d);
    }

    fn cluster(&mut self) {
        self.distances();
        for round in 0..self.opt.max_iter_kmeans {
            self.centroids();
            self.distances();
            self.update_r();
            self.objective();
            let o = &self.obj_kmeans;
            if round > 3 && o.len() >= 4 {
                let m = o.len();
                let old: f64 = (0..3).map(|j| o[m - 2 - j]).sum();
                let new: f64 = (0..3).map(|j| o[m - 1 - j]).sum();
                if (old - new).abs() / old.abs() < self.opt.epsilon_cluster {
                    break;
                }
            }
        }
        let last = self.obj_kmeans.last().copied().unwrap_or(f64::NAN);
        self.obj_harmony.push(last);
    }

    /// harmonypy's `moe_correct_ridge`: per cluster, a ridge regression of the
    /// embedding on the batch (intercept not penalised, not removed).
    fn correct(&mut self) {
        let (n, d, nb) = (self.n, self.d, self.nb);
        let mut z = self.z_orig.clone();
        let m = nb + 1;
        for c in 0..self.k {
            // x = Phi_Rk Phi_moe^T + diag(0, lambda...), rhs = Phi_Rk Z^T.
            let mut x = vec![0.0f64; m * m];
            let mut rhs = vec![0.0f64; m * d];
            for i in 0..n {
                let w = self.r[c * n + i];
                let b = self.batch[i] as usize + 1;
                x[0] += w;
                x[b] += w;
                x[b * m] += w;
                x[b * m + b] += w;
                for (j, &v) in self.z_orig[i * d..(i + 1) * d].iter().enumerate() {
                    rhs[j] += w * v;
                    rhs[b * d + j] += w * v;
                }
            }
            for b in 1..m {
                x[b * m + b] += self.opt.lambda;
            }
            let Some(w) = solve(&mut x, &mut rhs, m, d) else {
                continue;
            };
            for i in 0..n {
                let r = self.r[c * n + i];
                let b = self.batch[i] as usize + 1;
                for j in 0..d {
                    z[i * d + j] -= r * w[b * d + j];
                }
            }
        }
        self.z_cos.clone_from(&z);
        unit_rows(&mut self.z_cos, d);
        self.z_corr = z;
    }
}

/// Solves `a x = b` (a: m x m, b: m x d) by Gaussian elimination with partial
/// pivoting; None when `a` is singular.
fn solve(a: &mut [f64], b: &mut [f64], m: usize, d: usize) -> Option<Vec<f64>> {
    for col in 0..m {
        let piv =
            (col..m).max_by(|&p, &q| a[p * m + col].abs().total_cmp(&a[q * m + col].abs()))?;
        if a[piv * m + col].abs() < 1e-300 {
            return None;
        }
        for j in 0..m {
            a.swap(col * m + j, piv * m + j);
        }
        for j in 0..d {
            b.swap(col * d + j, piv * d + j);
        }
        for row in 0..m {
            if row == col {
                continue;
            }
            let f = a[row * m + col] / a[col * m + col];
            if f == 0.0 {
                continue;
            }
            for j in 0..m {
                a[row * m + j] -= f * a[col * m + j];
            }
            for j in 0..d {
                b[row * d + j] -= f * b[col * d + j];
            }
        }
    }
    Some((0..m * d).map(|t| b[t] / a[(t / d) * m + t / d]).collect())
}

/// Runs Harmony on `pcs` (cells x components) for `batch` (codes 0..B).
pub fn harmony_py(pcs: &Array2<f32>, batch: &[u32], opt: &HarmonyPy) -> HarmonyRun {
    let (n, d) = pcs.dim();
    let nb = batch.iter().copied().max().map_or(0, |m| m as usize + 1);
    if n == 0 || d == 0 || batch.len() != n {
        return HarmonyRun {
            corrected: pcs.clone(),
            rounds: 0,
        };
    }
    let k = opt
        .n_clusters
        .unwrap_or(((n as f64 / 30.0).round() as usize).min(100))
        .clamp(1, n);
    let z_orig: Vec<f64> = pcs.iter().map(|&v| f64::from(v)).collect();
    // harmonypy divides each cell by its largest coordinate, then by its L2 norm.
    let mut z_cos = z_orig.clone();
    for row in z_cos.chunks_mut(d) {
        let max = row.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if max != 0.0 && max.is_finite() {
            row.iter_mut().for_each(|x| *x /= max);
        }
    }
    unit_rows(&mut z_cos, d);
    let pr_b = (0..nb)
        .map(|b| batch.iter().filter(|&&x| x as usize == b).count() as f64 / n as f64)
        .collect();
    let mut st = State {
        opt,
        n,
        d,
        k,
        nb,
        batch,
        pr_b,
        z_corr: z_orig.clone(),
        z_orig,
        z_cos,
        y: vec![0.0; k * d],
        dist: vec![0.0; k * n],
        r: vec![0.0; k * n],
        e: vec![0.0; k * nb],
        o: vec![0.0; k * nb],
        obj_kmeans: Vec::new(),
        obj_harmony: Vec::new(),
        rng: Pcg64Mcg::seed_from_u64(opt.seed),
    };
    // First centroids: k-means++ on the unit rows (one start; scikit-learn's takes
    // the best of ten, which would cost seconds here).
    let zc = Array2::from_shape_fn((n, d), |(i, j)| st.z_cos[i * d + j] as f32);
    let (_, cent, _) = crate::spatial::kmeans(&zc, k, 1, 25, opt.seed);
    st.y = cent.iter().map(|&v| f64::from(v)).collect();
    unit_rows(&mut st.y, d);
    st.distances();
    for i in 0..n {
        let min = (0..k)
            .map(|c| st.dist[c * n + i])
            .fold(f64::INFINITY, f64::min);
        let mut total = 0.0;
        for c in 0..k {
            let v = (-(st.dist[c * n + i] - min) / opt.sigma).exp();
            st.r[c * n + i] = v;
            total += v;
        }
        for c in 0..k {
            st.r[c * n + i] /= total;
        }
    }
    st.diversity();
    st.objective();
    st.obj_harmony.extend(st.obj_kmeans.last().copied());
    let mut rounds = 0;
    for round in 1..=opt.max_iter_harmony {
        rounds = round;
        st.cluster();
        st.correct();
        let h = &st.obj_harmony;
        let (old, new) = (h[h.len() - 2], h[h.len() - 1]);
        if (old - new) / old.abs() < opt.epsilon_harmony {
            break;
        }
    }
    HarmonyRun {
        corrected: Array2::from_shape_fn((n, d), |(i, j)| st.z_corr[i * d + j] as f32),
        rounds,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::Rng;

    #[test]
    fn solve_inverts_a_small_system() {
        // [[2, 1], [1, 3]] x = [[3], [5]] -> x = [0.8, 1.4]
        let mut a = vec![2.0, 1.0, 1.0, 3.0];
        let mut b = vec![3.0, 5.0];
        let x = solve(&mut a, &mut b, 2, 1).unwrap();
        assert!(
            (x[0] - 0.8).abs() < 1e-12 && (x[1] - 1.4).abs() < 1e-12,
            "{x:?}"
        );
        assert!(solve(&mut [0.0, 0.0, 0.0, 0.0], &mut [1.0, 1.0], 2, 1).is_none());
    }

    #[test]
    fn defaults_are_harmonypys() {
        let o = HarmonyPy::default();
        assert_eq!((o.theta, o.lambda, o.sigma), (2.0, 1.0, 0.1));
        assert_eq!((o.max_iter_harmony, o.max_iter_kmeans), (10, 20));
        assert_eq!((o.epsilon_cluster, o.epsilon_harmony), (1e-5, 1e-4));
        assert_eq!(o.n_clusters, None);
    }

    #[test]
    fn a_batch_shift_shrinks_and_the_types_stay_apart() {
        // Two cell types (x = +-3) in two batches shifted by +4 in y, in 3-D.
        let mut rng = Pcg64Mcg::seed_from_u64(5);
        let n = 600;
        let mut z = Array2::<f32>::zeros((n, 3));
        let (mut batch, mut ty) = (vec![0u32; n], vec![0u32; n]);
        for i in 0..n {
            batch[i] = (i % 2) as u32;
            ty[i] = ((i / 2) % 2) as u32;
            z[[i, 0]] = if ty[i] == 1 { 3.0 } else { -3.0 } + rng.random::<f32>() - 0.5;
            z[[i, 1]] = 4.0 * batch[i] as f32 + rng.random::<f32>() - 0.5;
            z[[i, 2]] = 1.0 + rng.random::<f32>() - 0.5;
        }
        let run = harmony_py(&z, &batch, &HarmonyPy::default());
        assert!((1..=10).contains(&run.rounds), "{}", run.rounds);
        let mean = |m: &Array2<f32>, b: u32, t: u32, j: usize| {
            let v: Vec<f32> = (0..n)
                .filter(|&i| batch[i] == b && ty[i] == t)
                .map(|i| m[[i, j]])
                .collect();
            v.iter().sum::<f32>() / v.len() as f32
        };
        let out = &run.corrected;
        let gap = (mean(out, 1, 0, 1) - mean(out, 0, 0, 1)).abs();
        assert!(gap < 2.0, "batch gap {gap}");
        assert!((mean(out, 0, 1, 0) - mean(out, 0, 0, 0)).abs() > 4.0);
    }
}
