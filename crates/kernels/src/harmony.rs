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

use crate::exp::exp_nonpositive;
use crate::lanes::{add_sub, affine, axpy, div_all, exp_times, shift_by_min};
use ndarray::{Array2, Axis};
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

/// The state of one run: cells are rows (N x d), clusters K, batches B. Per-cell
/// tables are N x K (a cell's clusters contiguous), so the distance and centroid
/// steps are single matrix products.
struct State<'a> {
    opt: &'a HarmonyPy,
    k: usize,
    nb: usize,
    batch: &'a [u32],
    /// The cells of each batch (for the per-batch products of the correction).
    members: Vec<Vec<usize>>,
    pr_b: Vec<f64>,
    z_orig: Array2<f64>,
    /// The corrected embedding, and its unit rows (what is clustered).
    z_corr: Array2<f64>,
    z_cos: Array2<f64>,
    /// K x d centroids (unit rows).
    y: Array2<f64>,
    /// N x K distances and memberships.
    dist: Array2<f64>,
    r: Array2<f64>,
    /// ln R, known in closed form where R is computed (saves a log per entry in
    /// the objective).
    log_r: Array2<f64>,
    /// N x K: update_r's table, the log of each unnormalised soft assignment.
    scale: Array2<f64>,
    /// B x K expected and observed memberships (a batch's clusters contiguous).
    e: Array2<f64>,
    o: Array2<f64>,
    obj_kmeans: Vec<f64>,
    obj_harmony: Vec<f64>,
    rng: Pcg64Mcg,
}

/// Each row divided by its L2 norm (zero rows stay zero).
fn unit_rows(v: &mut Array2<f64>) {
    for mut row in v.rows_mut() {
        let norm = row.dot(&row).sqrt();
        if norm > 0.0 {
            row.mapv_inplace(|x| x / norm);
        }
    }
}

/// The flat row-major data: plain slice loops, because ndarray's iterators are
/// not inlined at opt-level z.
fn flat(a: &Array2<f64>) -> &[f64] {
    a.as_slice().expect("standard layout")
}

fn flat_mut(a: &mut Array2<f64>) -> &mut [f64] {
    a.as_slice_mut().expect("standard layout")
}

impl State<'_> {
    /// Cosine distances 2 (1 - z.y) of every cell to every centroid: per cell, the
    /// centroids' coordinates (d rows of K) scaled and added, so the inner loop runs
    /// along K contiguous values (two at a time: a general matrix product has no
    /// WebAssembly SIMD kernel for f64).
    fn distances(&mut self) {
        let (k, d) = (self.k, self.y.ncols());
        let yt = self.y.t().as_standard_layout().into_owned();
        let (z, yt) = (flat(&self.z_cos), flat(&yt));
        for (zi, out) in z
            .chunks_exact(d)
            .zip(flat_mut(&mut self.dist).chunks_exact_mut(k))
        {
            out.fill(0.0);
            for (&zij, yj) in zi.iter().zip(yt.chunks_exact(k)) {
                axpy(out, zij, yj);
            }
            affine(out, 2.0, -2.0);
        }
    }

    /// E = (sum of memberships per cluster) x batch shares; O = memberships per batch.
    fn diversity(&mut self) {
        self.o.fill(0.0);
        for (row, &b) in self.r.rows().into_iter().zip(self.batch) {
            self.o
                .row_mut(b as usize)
                .zip_mut_with(&row, |o, &w| *o += w);
        }
        let total = self.o.sum_axis(Axis(0));
        for (mut e, &p) in self.e.rows_mut().into_iter().zip(&self.pr_b) {
            e.zip_mut_with(&total, |e, &t| *e = t * p);
        }
    }

    fn objective(&mut self) {
        let (sigma, theta) = (self.opt.sigma, self.opt.theta);
        // The cross-entropy term depends on the cell only through its batch.
        let mut cross = &self.o + 1.0;
        cross.zip_mut_with(&self.e, |c, &e| *c = theta * (*c / (e + 1.0)).ln());
        let k = self.k;
        let (r, lr, dist) = (flat(&self.r), flat(&self.log_r), flat(&self.dist));
        let cross = flat(&cross);
        let mut total = 0.0;
        for (i, &b) in self.batch.iter().enumerate() {
            let at = i * k..(i + 1) * k;
            let (r, lr, dist) = (&r[at.clone()], &lr[at.clone()], &dist[at]);
            let x = &cross[b as usize * k..(b as usize + 1) * k];
            for c in 0..k {
                let w = r[c];
                let entropy = if w > 0.0 { w * lr[c] } else { 0.0 };
                total += w * dist[c] + sigma * entropy + sigma * w * x[c];
            }
        }
        self.obj_kmeans.push(total);
    }

    /// harmonypy's `update_R`: memberships recomputed block by block, the diversity
    /// counts updated around each block.
    fn update_r(&mut self) {
        let (n, k, nb) = (self.dist.nrows(), self.k, self.nb);
        // The log of each cell's unnormalised soft assignment, -(dist - min) / sigma: exp of
        // it times the penalty, normalised, are the memberships. Every entry is written
        // here, so the table is kept between rounds, not zeroed.
        let mut scale = std::mem::take(&mut self.scale);
        let rows = flat(&self.dist).chunks_exact(k);
        for (d, s) in rows.zip(flat_mut(&mut scale).chunks_exact_mut(k)) {
            shift_by_min(s, d, self.opt.sigma);
        }
        let mut order: Vec<usize> = (0..n).collect();
        order.shuffle(&mut self.rng);
        let n_blocks = (1.0 / self.opt.block_size).ceil() as usize;
        // numpy's array_split: the first n % blocks parts hold one more.
        let (base, extra) = (n / n_blocks, n % n_blocks);
        let mut start = 0;
        let mut pen = Array2::<f64>::zeros((nb, k));
        let mut log_pen = Array2::<f64>::zeros((nb, k));
        for blk in 0..n_blocks {
            let len = base + usize::from(blk < extra);
            let cells = &order[start..start + len];
            start += len;
            self.move_block(cells, -1.0);
            // The diversity penalty of a (cluster, batch), fixed within a block.
            pen.assign(&self.e);
            let theta = self.opt.theta;
            log_pen.assign(&pen);
            log_pen.zip_mut_with(&self.o, |p, &o| *p = theta * ((*p + 1.0) / (o + 1.0)).ln());
            pen.zip_mut_with(&self.o, |p, &o| *p = ((*p + 1.0) / (o + 1.0)).powf(theta));
            let (pen, log_pen, arg) = (flat(&pen), flat(&log_pen), flat(&scale));
            let (r, lr) = (flat_mut(&mut self.r), flat_mut(&mut self.log_r));
            for &i in cells {
                let b = self.batch[i] as usize * k;
                let (pen, log_pen) = (&pen[b..b + k], &log_pen[b..b + k]);
                let (arg, r) = (&arg[i * k..(i + 1) * k], &mut r[i * k..(i + 1) * k]);
                // two loops: the first runs two lanes at a time, the ordered sum cannot
                exp_times(r, arg, pen);
                let mut total = 0.0;
                for &w in r.iter() {
                    total += w;
                }
                let total = total.max(1e-300);
                div_all(r, total);
                add_sub(&mut lr[i * k..(i + 1) * k], arg, log_pen, total.ln());
            }
            self.move_block(cells, 1.0);
        }
        self.scale = scale;
    }

    /// Adds (`sign` 1) or removes (-1) the memberships of `cells` from E and O.
    fn move_block(&mut self, cells: &[usize], sign: f64) {
        let k = self.k;
        let mut total = vec![0.0; k];
        let (r, o) = (flat(&self.r), flat_mut(&mut self.o));
        for &i in cells {
            let r = &r[i * k..(i + 1) * k];
            let b = self.batch[i] as usize * k;
            let o = &mut o[b..b + k];
            // (1 * w is w: the same sum as adding w)
            axpy(&mut total, 1.0, r);
            axpy(o, sign, r);
        }
        let e = flat_mut(&mut self.e);
        for (e, &p) in e.chunks_mut(k).zip(&self.pr_b) {
            for c in 0..k {
                e[c] += sign * total[c] * p;
            }
        }
    }

    /// Centroids from the memberships (R^T Z), as unit rows: summed as d rows of K
    /// (each cell's memberships scaled by each of its coordinates), then transposed.
    fn centroids(&mut self) {
        let (k, d) = (self.k, self.y.ncols());
        let mut yt = Array2::<f64>::zeros((d, k));
        let (z, r) = (flat(&self.z_cos), flat(&self.r));
        let acc = flat_mut(&mut yt);
        for (zi, ri) in z.chunks_exact(d).zip(r.chunks_exact(k)) {
            for (&zij, out) in zi.iter().zip(acc.chunks_exact_mut(k)) {
                axpy(out, zij, ri);
            }
        }
        self.y.assign(&yt.t());
        unit_rows(&mut self.y);
    }

    fn cluster(&mut self) {
        // (harmonypy computes the distances here too; the first round recomputes them
        // from new centroids before anything reads them)
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
    /// embedding on the batch (intercept not penalised, not removed). The sums over
    /// cells are per-batch products R_b^T Z_b, the correction R_b W_b.
    fn correct(&mut self) {
        let (k, d, nb) = (self.k, self.z_orig.ncols(), self.nb);
        let m = nb + 1;
        let part = |a: &Array2<f64>, b: usize| a.select(Axis(0), &self.members[b]);
        // Per cluster: x = Phi_Rk Phi_moe^T + diag(0, lambda...), rhs = Phi_Rk Z^T.
        let mut x = vec![0.0f64; k * m * m];
        let mut rhs = vec![0.0f64; k * m * d];
        for b in 0..nb {
            let rb = part(&self.r, b);
            let sums = rb.t().dot(&part(&self.z_orig, b));
            for c in 0..k {
                let w: f64 = rb.column(c).sum();
                let xc = &mut x[c * m * m..(c + 1) * m * m];
                xc[0] += w;
                xc[b + 1] += w;
                xc[(b + 1) * m] += w;
                xc[(b + 1) * m + b + 1] += w;
                let rc = &mut rhs[c * m * d..(c + 1) * m * d];
                for (j, &v) in sums.row(c).iter().enumerate() {
                    rc[j] += v;
                    rc[(b + 1) * d + j] += v;
                }
            }
        }
        // W_b: K x d, row c the batch-b coefficients of cluster c (zero if singular).
        let mut w_b = vec![Array2::<f64>::zeros((k, d)); nb];
        for c in 0..k {
            let xc = &mut x[c * m * m..(c + 1) * m * m];
            for b in 1..m {
                xc[b * m + b] += self.opt.lambda;
            }
            let Some(w) = solve(xc, &mut rhs[c * m * d..(c + 1) * m * d], m, d) else {
                continue;
            };
            for (b, wb) in w_b.iter_mut().enumerate() {
                for (j, v) in wb.row_mut(c).iter_mut().enumerate() {
                    *v = w[(b + 1) * d + j];
                }
            }
        }
        let mut z = self.z_orig.clone();
        for (b, wb) in w_b.iter().enumerate() {
            let shift = part(&self.r, b).dot(wb);
            for (&i, s) in self.members[b].iter().zip(shift.rows()) {
                let mut zi = z.row_mut(i);
                zi -= &s;
            }
        }
        self.z_cos.assign(&z);
        unit_rows(&mut self.z_cos);
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
    let z_orig = pcs.mapv(f64::from);
    // harmonypy divides each cell by its largest coordinate, then by its L2 norm.
    let mut z_cos = z_orig.clone();
    for mut row in z_cos.rows_mut() {
        let max = row.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if max != 0.0 && max.is_finite() {
            row.mapv_inplace(|x| x / max);
        }
    }
    unit_rows(&mut z_cos);
    let members: Vec<Vec<usize>> = (0..nb as u32)
        .map(|b| (0..n).filter(|&i| batch[i] == b).collect())
        .collect();
    let pr_b = members.iter().map(|m| m.len() as f64 / n as f64).collect();
    let mut st = State {
        opt,
        k,
        nb,
        batch,
        members,
        pr_b,
        z_corr: z_orig.clone(),
        z_orig,
        z_cos,
        y: Array2::zeros((k, d)),
        dist: Array2::zeros((n, k)),
        r: Array2::zeros((n, k)),
        log_r: Array2::zeros((n, k)),
        scale: Array2::zeros((n, k)),
        e: Array2::zeros((nb, k)),
        o: Array2::zeros((nb, k)),
        obj_kmeans: Vec::new(),
        obj_harmony: Vec::new(),
        rng: Pcg64Mcg::seed_from_u64(opt.seed),
    };
    // First centroids: k-means++ on the unit rows (one start; scikit-learn's takes
    // the best of ten, which would cost seconds here).
    let zc = st.z_cos.mapv(|v| v as f32);
    let (_, cent, _) = crate::spatial::kmeans(&zc, k, 1, 25, opt.seed);
    st.y = cent.mapv(f64::from);
    unit_rows(&mut st.y);
    st.distances();
    let rows = st.r.rows_mut().into_iter().zip(st.log_r.rows_mut());
    for ((mut r, mut log_r), dist) in rows.zip(st.dist.rows()) {
        let (Some(dist), Some(lr)) = (dist.as_slice(), log_r.as_slice_mut()) else {
            unreachable!("standard layout")
        };
        shift_by_min(lr, dist, opt.sigma);
        r.zip_mut_with(&log_r, |w, &a| *w = exp_nonpositive(a));
        let total: f64 = r.sum();
        r.mapv_inplace(|v| v / total);
        let lt = total.ln();
        log_r.mapv_inplace(|a| a - lt);
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
        corrected: st.z_corr.mapv(|v| v as f32),
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
