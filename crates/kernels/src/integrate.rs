//! Batch integration and the batch-mixing measure of clusters.
//!
//! * `scale_by_batch`: z-score every feature within each batch (removes
//!   per-batch shifts and scales; assumes similar composition per batch).
//! * `harmony`: a Harmony-style correction in PCA space (Korsunsky et al.
//!   2019): soft k-means clustering with a diversity penalty that favours
//!   clusters mixing batches, then per cluster a ridge-shrunk batch-mean
//!   shift is removed from each unit in proportion to its membership.

use ndarray::Array2;

/// z-score each column within each batch (ddof 0; constant columns -> 0).
pub fn scale_by_batch(values: &mut Array2<f32>, batch: &[u32]) {
    let nb = batch.iter().copied().max().map_or(0, |m| m as usize + 1);
    let d = values.ncols();
    if !values.is_standard_layout() {
        *values = values.as_standard_layout().into_owned();
    }
    let Some(flat) = values.as_slice_mut() else {
        unreachable!("standard layout")
    };
    // Plain slices per row and batch (indexing stays a call at opt-level z).
    let mut sum = vec![0.0f64; nb * d];
    let mut sq = vec![0.0f64; nb * d];
    let mut cnt = vec![0.0f64; nb];
    for (row, &b) in flat.chunks(d.max(1)).zip(batch) {
        let b = b as usize;
        cnt[b] += 1.0;
        let (sum, sq) = (&mut sum[b * d..(b + 1) * d], &mut sq[b * d..(b + 1) * d]);
        for ((s, q), &v) in sum.iter_mut().zip(sq.iter_mut()).zip(row) {
            *s += v as f64;
            *q += (v as f64) * (v as f64);
        }
    }
    for (row, &b) in flat.chunks_mut(d.max(1)).zip(batch) {
        let b = b as usize;
        let (sum, sq) = (&sum[b * d..(b + 1) * d], &sq[b * d..(b + 1) * d]);
        for ((v, &s), &q) in row.iter_mut().zip(sum).zip(sq) {
            let m = s / cnt[b];
            let sd = (q / cnt[b] - m * m).max(0.0).sqrt();
            *v = if sd > 1e-12 {
                ((*v as f64 - m) / sd) as f32
            } else {
                0.0
            };
        }
    }
}

/// Options of the Harmony-style correction. Defaults were tuned on the
/// simulated Seeker scenario (wider kernel and weaker ridge than Harmony's
/// own defaults, because this simplified correction has no per-block
/// updates). Harmony as harmonypy runs it, with its own defaults, is
/// [`crate::harmony::harmony_py`].
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct HarmonyOptions {
    pub n_clusters: usize,
    /// Diversity penalty (Harmony's theta).
    pub theta: f64,
    /// Soft-clustering bandwidth (Harmony's sigma), on cosine distance.
    pub sigma: f64,
    /// Ridge shrinkage of batch means towards the cluster mean (lambda).
    pub lambda: f64,
    pub n_iter: usize,
    pub seed: u64,
}

impl Default for HarmonyOptions {
    fn default() -> Self {
        HarmonyOptions {
            n_clusters: 10,
            theta: 2.0,
            sigma: 0.5,
            lambda: 0.1,
            n_iter: 10,
            seed: 1,
        }
    }
}

fn l2_rows(z: &Array2<f32>) -> Array2<f32> {
    let mut out = z.clone();
    for mut row in out.rows_mut() {
        let n = row.iter().map(|&v| (v as f64).powi(2)).sum::<f64>().sqrt();
        if n > 0.0 {
            row.mapv_inplace(|v| (v as f64 / n) as f32);
        }
    }
    out
}

/// Harmony-style correction of `pcs` (units x components) for `batch`.
pub fn harmony(pcs: &Array2<f32>, batch: &[u32], opt: &HarmonyOptions) -> Array2<f32> {
    let (n, d) = pcs.dim();
    let nb = batch.iter().copied().max().map_or(0, |m| m as usize + 1);
    let k = opt.n_clusters.min(n).max(1);
    let batch_share: Vec<f64> = (0..nb)
        .map(|b| batch.iter().filter(|&&x| x as usize == b).count() as f64 / n as f64)
        .collect();
    let mut z = pcs.clone();
    let mut r = vec![0.0f64; n * k];
    let mut observed = vec![0.0f64; k * nb];
    let mut have_r = false;
    let mut cent = {
        let zn = l2_rows(&z);
        let (_, c, _) = crate::spatial::kmeans(&zn, k, 1, 25, opt.seed);
        l2_rows(&c)
    };
    for _iter in 0..opt.n_iter {
        let zn = l2_rows(&z);
        // Flat copies: the inner loops run n x k x d times per round.
        let znf: Vec<f32> = zn.iter().copied().collect();
        // Soft clustering: assignments from cosine distance times the
        // diversity penalty (E/O)^theta, centroids from the assignments.
        for _round in 0..10 {
            let cf: Vec<f32> = cent.iter().copied().collect();
            // The diversity penalty of each (cluster, batch): the same for every
            // unit of the batch, so computed once a round rather than once a unit.
            let penalty: Vec<f64> = (0..k * nb)
                .map(|t| {
                    let (c, b) = (t / nb, t % nb);
                    let e = expected_of(&observed, c, nb) * batch_share[b];
                    ((e + 1.0) / (observed[t] + 1.0)).powf(opt.theta)
                })
                .collect();
            let mut dists = vec![0.0f64; k];
            // Slices, not Vecs, in the hot loops: Vec indexing stays a call at opt-level z.
            let (dists, r, cf) = (&mut dists[..], &mut r[..], &cf[..]);
            let (znf, penalty) = (&znf[..], &penalty[..]);
            for i in 0..n {
                let b = batch[i] as usize;
                let zi = &znf[i * d..(i + 1) * d];
                for c in 0..k {
                    let dot: f32 = zi
                        .iter()
                        .zip(&cf[c * d..(c + 1) * d])
                        .map(|(a, b)| a * b)
                        .sum();
                    dists[c] = 2.0 * (1.0 - dot as f64);
                }
                let min_d = dists.iter().copied().fold(f64::INFINITY, f64::min);
                let mut total = 0.0;
                for c in 0..k {
                    let mut v = (-(dists[c] - min_d) / opt.sigma).exp();
                    if have_r {
                        v *= penalty[c * nb + b];
                    }
                    r[i * k + c] = v;
                    total += v;
                }
                for c in 0..k {
                    r[i * k + c] /= total.max(1e-300);
                }
            }
            observed.iter_mut().for_each(|v| *v = 0.0);
            let obs = &mut observed[..];
            for i in 0..n {
                let b = batch[i] as usize;
                for c in 0..k {
                    obs[c * nb + b] += r[i * k + c];
                }
            }
            have_r = true;
            let mut nc = vec![0.0f32; k * d];
            let ncs = &mut nc[..];
            for i in 0..n {
                let zi = &znf[i * d..(i + 1) * d];
                for c in 0..k {
                    let w = r[i * k + c] as f32;
                    if w > 1e-6 {
                        for (acc, &v) in ncs[c * d..(c + 1) * d].iter_mut().zip(zi) {
                            *acc += w * v;
                        }
                    }
                }
            }
            cent = l2_rows(
                &Array2::from_shape_vec((k, d), nc).unwrap_or_else(|_| Array2::zeros((k, d))),
            );
        }
        // Per cluster: ridge-shrunk batch means; remove each unit's
        // membership-weighted shift of its batch from the cluster mean.
        let mut corr = vec![0.0f64; n * d];
        let z0: Vec<f32> = z.iter().copied().collect();
        let (corr_s, z0, r) = (&mut corr[..], &z0[..], &r[..]);
        for c in 0..k {
            let mut wsum = 0.0;
            let (mut mean_v, mut bw_v, mut bmean_v) =
                (vec![0.0; d], vec![0.0; nb], vec![0.0; nb * d]);
            let (mean, bw, bmean): (&mut [f64], &mut [f64], &mut [f64]) =
                (&mut mean_v, &mut bw_v, &mut bmean_v);
            for i in 0..n {
                let w = r[i * k + c];
                let b = batch[i] as usize;
                wsum += w;
                bw[b] += w;
                for j in 0..d {
                    let v = w * z0[i * d + j] as f64;
                    mean[j] += v;
                    bmean[b * d + j] += v;
                }
            }
            if wsum <= 0.0 {
                continue;
            }
            mean.iter_mut().for_each(|m| *m /= wsum);
            for b in 0..nb {
                for j in 0..d {
                    bmean[b * d + j] =
                        (bmean[b * d + j] + opt.lambda * mean[j]) / (bw[b] + opt.lambda);
                }
            }
            for i in 0..n {
                let w = r[i * k + c];
                let b = batch[i] as usize;
                for j in 0..d {
                    corr_s[i * d + j] += w * (bmean[b * d + j] - mean[j]);
                }
            }
        }
        let mut shift = 0.0;
        for (zv, &c) in z.iter_mut().zip(corr.iter()) {
            let delta = c as f32;
            *zv -= delta;
            shift += (delta as f64).abs();
        }
        if shift / ((n * d) as f64) < 1e-4 {
            break;
        }
    }
    z
}

fn expected_of(observed: &[f64], c: usize, nb: usize) -> f64 {
    observed[c * nb..(c + 1) * nb].iter().sum()
}

/// Per cluster: the largest share of its units from a single batch.
/// Returns (per-cluster fractions, cluster sizes, unweighted mean).
pub fn max_batch_fraction(clusters: &[u32], batch: &[u32]) -> (Vec<f64>, Vec<usize>, f64) {
    let nc = clusters.iter().copied().max().map_or(0, |m| m as usize + 1);
    let nb = batch.iter().copied().max().map_or(0, |m| m as usize + 1);
    let mut counts = vec![0usize; nc * nb];
    let mut size = vec![0usize; nc];
    for (&c, &b) in clusters.iter().zip(batch) {
        counts[c as usize * nb + b as usize] += 1;
        size[c as usize] += 1;
    }
    let fr: Vec<f64> = (0..nc)
        .map(|c| {
            let mx = counts[c * nb..(c + 1) * nb]
                .iter()
                .copied()
                .max()
                .unwrap_or(0);
            if size[c] > 0 {
                mx as f64 / size[c] as f64
            } else {
                0.0
            }
        })
        .collect();
    let mean = if nc > 0 {
        fr.iter().sum::<f64>() / nc as f64
    } else {
        0.0
    };
    (fr, size, mean)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    #[test]
    fn max_batch_fraction_hand_worked() {
        // cluster 0: batches [0,0,1] -> 2/3; cluster 1: [1,1,1,0] -> 3/4.
        let (fr, size, mean) = max_batch_fraction(&[0, 0, 0, 1, 1, 1, 1], &[0, 0, 1, 1, 1, 1, 0]);
        assert_eq!(size, vec![3, 4]);
        assert!((fr[0] - 2.0 / 3.0).abs() < 1e-12 && (fr[1] - 0.75).abs() < 1e-12);
        assert!((mean - (2.0 / 3.0 + 0.75) / 2.0).abs() < 1e-12);
    }

    #[test]
    fn scale_by_batch_removes_shift() {
        let mut a = Array2::from_shape_vec((4, 1), vec![1.0f32, 3.0, 11.0, 13.0]).unwrap();
        scale_by_batch(&mut a, &[0, 0, 1, 1]);
        assert_eq!(a.column(0).to_vec(), vec![-1.0, 1.0, -1.0, 1.0]);
    }

    #[test]
    fn harmony_removes_a_batch_shift_but_keeps_types() {
        // Two cell types (x = +-3) in two batches shifted by +4 in y.
        let mut rng = rand_pcg::Pcg64Mcg::seed_from_u64(2);
        let n = 400;
        let mut z = Array2::<f32>::zeros((n, 2));
        let mut batch = vec![0u32; n];
        let mut ty = vec![0u32; n];
        for i in 0..n {
            batch[i] = (i % 2) as u32;
            ty[i] = ((i / 2) % 2) as u32;
            z[[i, 0]] = if ty[i] == 1 { 3.0 } else { -3.0 } + rng.random::<f32>() - 0.5;
            z[[i, 1]] = 4.0 * batch[i] as f32 + rng.random::<f32>() - 0.5;
        }
        // A 2-D toy needs a sharper kernel than the 20-PC default.
        let out = harmony(
            &z,
            &batch,
            &HarmonyOptions {
                n_clusters: 4,
                sigma: 0.1,
                lambda: 1.0,
                ..Default::default()
            },
        );
        let mean = |b: u32, t: u32, j: usize| {
            let v: Vec<f32> = (0..n)
                .filter(|&i| batch[i] == b && ty[i] == t)
                .map(|i| out[[i, j]])
                .collect();
            v.iter().sum::<f32>() / v.len() as f32
        };
        // Batch gap in y shrinks from 4 to well under 1; type gap in x stays.
        assert!(
            (mean(1, 0, 1) - mean(0, 0, 1)).abs() < 1.0,
            "{}",
            mean(1, 0, 1) - mean(0, 0, 1)
        );
        assert!((mean(0, 1, 0) - mean(0, 0, 0)).abs() > 4.0);
    }
}
