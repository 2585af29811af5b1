//! Seeded resampling over evals: the bootstrap percentile interval and the
//! paired sign-flip permutation test.
//!
//! The generator is SplitMix64 and an index in `0..n` is the high word of
//! `x · n`, so a short Python script (`bench/stats/eval_level.py`) draws the
//! very same resamples and the published fixture can be compared exactly.

/// Resamples drawn for every bootstrap interval.
pub const BOOTSTRAP_RESAMPLES: usize = 10_000;
/// The fixed seed: the same data always gives the same interval.
pub const SEED: u64 = 20_260_412;
/// Up to this many evals the permutation test enumerates every sign flip.
pub const EXACT_PERMUTATION_MAX: usize = 16;
/// Random sign flips when there are more evals than that.
pub const PERMUTATION_RESAMPLES: usize = 20_000;

/// SplitMix64 (Steele, Lea and Flood 2014).
#[derive(Clone, Debug)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// A uniform index in `0..n` (n > 0).
    pub fn index(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }
}

/// Quantile `q` of sorted values with linear interpolation (numpy's default).
pub fn quantile_sorted(sorted: &[f64], q: f64) -> Option<f64> {
    let n = sorted.len();
    if n == 0 {
        return None;
    }
    let pos = q.clamp(0.0, 1.0) * (n - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = (lo + 1).min(n - 1);
    Some(sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64))
}

/// 95% percentile bootstrap interval of `stat` over `n` units (evals),
/// resampled with replacement. `stat` receives the drawn indices and returns
/// `None` when a resample has no defined value (it is then skipped).
/// `None` when `n < 2` or fewer than half the resamples have a value.
pub fn bootstrap_interval(
    n: usize,
    mut stat: impl FnMut(&[usize]) -> Option<f64>,
) -> Option<(f64, f64)> {
    if n < 2 {
        return None;
    }
    let mut rng = SplitMix64::new(SEED);
    let mut idx = vec![0usize; n];
    let mut values = Vec::with_capacity(BOOTSTRAP_RESAMPLES);
    for _ in 0..BOOTSTRAP_RESAMPLES {
        for i in &mut idx {
            *i = rng.index(n);
        }
        if let Some(v) = stat(&idx).filter(|v| v.is_finite()) {
            values.push(v);
        }
    }
    if values.len() * 2 < BOOTSTRAP_RESAMPLES {
        return None;
    }
    values.sort_by(f64::total_cmp);
    Some((
        quantile_sorted(&values, 0.025)?,
        quantile_sorted(&values, 0.975)?,
    ))
}

/// Mean of the values at `idx`, summed in order (as Python's `sum`).
pub fn mean_at(values: &[f64], idx: &[usize]) -> f64 {
    idx.iter().map(|&i| values[i]).sum::<f64>() / idx.len() as f64
}

/// Bootstrap interval of the mean of `values`.
pub fn bootstrap_mean(values: &[f64]) -> Option<(f64, f64)> {
    bootstrap_interval(values.len(), |idx| Some(mean_at(values, idx)))
}

/// Two-sided p-value of the paired permutation test of a zero mean
/// difference: the share of sign flips of `diffs` whose mean is at least as
/// far from 0 as the observed one. Exact (all 2ⁿ flips) up to
/// [`EXACT_PERMUTATION_MAX`] values, else [`PERMUTATION_RESAMPLES`] seeded
/// random flips with p = (k + 1) / (R + 1). Returns (p, exact).
pub fn sign_flip_p(diffs: &[f64]) -> (f64, bool) {
    let n = diffs.len();
    if n == 0 {
        return (1.0, true);
    }
    let observed = diffs.iter().sum::<f64>().abs();
    // Sums equal up to rounding count as ties (scipy does the same).
    let at_least = |s: f64| s.abs() >= observed * (1.0 - 1e-12) - 1e-12;
    if n <= EXACT_PERMUTATION_MAX {
        let total = 1u64 << n;
        let hits = (0..total)
            .filter(|mask| {
                let s: f64 = diffs
                    .iter()
                    .enumerate()
                    .map(|(i, d)| if mask >> i & 1 == 1 { -d } else { *d })
                    .sum();
                at_least(s)
            })
            .count();
        return (hits as f64 / total as f64, true);
    }
    let mut rng = SplitMix64::new(SEED);
    let mut hits = 0usize;
    for _ in 0..PERMUTATION_RESAMPLES {
        let mut s = 0.0;
        let mut bits = 0u64;
        for (i, d) in diffs.iter().enumerate() {
            if i % 64 == 0 {
                bits = rng.next_u64();
            }
            s += if bits >> (i % 64) & 1 == 1 { -d } else { *d };
        }
        hits += usize::from(at_least(s));
    }
    (
        (hits + 1) as f64 / (PERMUTATION_RESAMPLES + 1) as f64,
        false,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_matches_the_reference_sequence() {
        // First outputs for seed 0 from the reference C implementation.
        let mut r = SplitMix64::new(0);
        assert_eq!(r.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(r.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn indices_stay_in_range_and_cover_it() {
        let mut r = SplitMix64::new(7);
        let mut seen = [0usize; 5];
        for _ in 0..1000 {
            seen[r.index(5)] += 1;
        }
        assert!(seen.iter().all(|&c| c > 150), "{seen:?}");
    }

    #[test]
    fn quantiles_interpolate_like_numpy() {
        let v = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(quantile_sorted(&v, 0.5), Some(2.5));
        assert_eq!(quantile_sorted(&v, 0.0), Some(1.0));
        assert!((quantile_sorted(&v, 0.025).unwrap() - 1.075).abs() < 1e-12);
        assert_eq!(quantile_sorted(&[], 0.5), None);
    }

    #[test]
    fn bootstrap_of_a_constant_is_the_constant_and_needs_two_units() {
        assert_eq!(bootstrap_mean(&[3.0, 3.0, 3.0]), Some((3.0, 3.0)));
        assert_eq!(bootstrap_mean(&[3.0]), None);
        let (lo, hi) = bootstrap_mean(&[0.0, 100.0, 50.0, 25.0]).unwrap();
        assert!(lo < 43.75 && 43.75 < hi && lo >= 0.0 && hi <= 100.0);
    }

    #[test]
    fn exact_sign_flips_count_ties_and_extremes() {
        // All equal and positive: only the all-plus and all-minus flips reach it.
        let (p, exact) = sign_flip_p(&[1.0; 5]);
        assert!(exact);
        assert!((p - 2.0 / 32.0).abs() < 1e-15);
        // A zero mean difference is never surprising.
        assert_eq!(sign_flip_p(&[1.0, -1.0]).0, 1.0);
        assert_eq!(sign_flip_p(&[]).0, 1.0);
    }

    #[test]
    fn many_evals_use_seeded_random_flips() {
        let d: Vec<f64> = (0..40).map(|i| if i < 30 { 1.0 } else { -0.5 }).collect();
        let (p, exact) = sign_flip_p(&d);
        assert!(!exact);
        assert!(p < 0.001, "{p}");
        assert_eq!(sign_flip_p(&d), (p, false), "same seed, same p");
    }
}
