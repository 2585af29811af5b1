//! Statistics of the results pages, computed the way the benchmarks publish
//! them: a model's accuracy is the mean over evals of the per-eval mean of
//! its runs' verdicts, with a 95% confidence interval from the
//! t-distribution with n−1 degrees of freedom over those per-eval means
//! (sample standard deviation). Values are in percent, as published, and the
//! interval is not clipped to [0, 100] (the published tables are not either);
//! pages show it clipped with a mark ([`clip_percent`]) and a bootstrap
//! interval over evals beside it, which cannot leave [0, 100].
//!
//! A "model" is a (model, harness) configuration: the same model under two
//! harnesses is two rows, as in the published tables. Runs without a
//! recorded verdict are left out.
//!
//! The functions take the summaries held by a bundle manifest or a loaded
//! suite ([`Suite::eval_summaries`](crate::Suite::eval_summaries)), so they
//! work the same on both. Filter by suite before calling when several are loaded.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, StudentsT};

use crate::model::{EvalSummary, RunSummary};
use crate::results::Estimate;

pub mod forest;
mod paired;
pub mod resample;
pub mod speed;

pub use paired::{compare, Comparison, PairedEval, PairedTest};

/// A model under a harness.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ModelKey {
    pub model: String,
    pub harness: String,
}

impl ModelKey {
    pub fn new(model: impl Into<String>, harness: impl Into<String>) -> Self {
        ModelKey {
            model: model.into(),
            harness: harness.into(),
        }
    }
    pub fn of(run: &RunSummary) -> Self {
        ModelKey::new(run.model.clone(), run.harness.clone())
    }
    /// `model (harness)`.
    pub fn label(&self) -> String {
        format!("{} ({})", self.model, self.harness)
    }
}

/// Two-sided quantile of the t-distribution: t such that P(|T| ≤ t) = `level`.
pub fn t_quantile(level: f64, df: f64) -> Option<f64> {
    let dist = StudentsT::new(0.0, 1.0, df).ok()?;
    Some(dist.inverse_cdf(0.5 + level / 2.0))
}

/// Mean with a t-distribution interval from summary statistics (n values,
/// their mean and sample standard deviation). With n < 2 the bounds are `None`.
pub fn t_interval_from(n: usize, mean: f64, sd: f64, level: f64) -> Estimate {
    if n < 2 {
        return Estimate {
            mean,
            ci_lower: None,
            ci_upper: None,
        };
    }
    let half = t_quantile(level, (n - 1) as f64).map(|t| t * sd / (n as f64).sqrt());
    Estimate {
        mean,
        ci_lower: half.map(|h| mean - h),
        ci_upper: half.map(|h| mean + h),
    }
}

/// Mean of `values` with a t-distribution interval at `level` (e.g. 0.95).
/// `None` for an empty slice.
pub fn t_interval(values: &[f64], level: f64) -> Option<Estimate> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let mean = values.iter().sum::<f64>() / n as f64;
    let sd = if n > 1 {
        (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt()
    } else {
        0.0
    };
    Some(t_interval_from(n, mean, sd, level))
}

/// Two-sided 95% Wilson score interval of a proportion, as fractions in
/// [0, 1]: the interval statsmodels' `proportion_confint(successes, n,
/// method="wilson")` gives. Unlike the normal approximation it stays inside
/// [0, 1] and is usable for the small counts of per-model failure rates
/// (0 of 3, 3 of 3). With `n == 0` nothing is known and the interval is the
/// whole [0, 1]; `successes` above `n` are counted as `n`.
pub fn wilson_interval(successes: usize, n: usize) -> (f64, f64) {
    // Φ⁻¹(0.975), as scipy's norm.isf(0.025).
    const Z: f64 = 1.959_963_984_540_054;
    if n == 0 {
        return (0.0, 1.0);
    }
    let nf = n as f64;
    let p = successes.min(n) as f64 / nf;
    let z2 = Z * Z;
    let denom = 1.0 + z2 / nf;
    let center = (p + z2 / (2.0 * nf)) / denom;
    let half = Z / denom * (p * (1.0 - p) / nf + z2 / (4.0 * nf * nf)).sqrt();
    // At 0 of n and n of n the bounds are exactly 0 and 1; rounding would leave ±1e-17.
    let lo = if successes == 0 {
        0.0
    } else {
        (center - half).max(0.0)
    };
    let hi = if successes >= n {
        1.0
    } else {
        (center + half).min(1.0)
    };
    (lo, hi)
}

/// What to group evals by on the results pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Grouping {
    Overall,
    Platform,
    Category,
    TimeHorizon,
}

/// The group of evals whose metadata does not say (or that are not loaded),
/// so that group sizes always add up to the total.
pub const UNSPECIFIED: &str = "(unspecified)";

impl Grouping {
    fn of(self, e: Option<&EvalSummary>) -> String {
        let g = match self {
            Grouping::Overall => return String::new(),
            Grouping::Platform => e.and_then(|e| e.platform.clone()),
            Grouping::Category => e.and_then(|e| e.category.clone()),
            Grouping::TimeHorizon => e.and_then(|e| e.time_horizon.clone()),
        };
        g.unwrap_or_else(|| UNSPECIFIED.to_string())
    }
}

/// One row of an accuracy table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AccuracyRow {
    pub key: ModelKey,
    /// The platform / category ([`UNSPECIFIED`] when the eval does not
    /// say), or `None` for [`Grouping::Overall`].
    pub group: Option<String>,
    /// Evals with at least one graded run.
    pub n_evals: usize,
    pub n_runs: usize,
    /// Percent, with a 95% t interval over per-eval means.
    pub accuracy: Estimate,
    /// 95% percentile bootstrap interval over evals (fixed seed), in
    /// percent; always inside [0, 100]. `None` for published rows and for
    /// fewer than two evals.
    pub bootstrap: Option<(f64, f64)>,
}

/// An interval bound as shown: clipped to [0, 100], and whether it was.
pub fn clip_percent(v: f64) -> (f64, bool) {
    let c = v.clamp(0.0, 100.0);
    (c, c != v)
}

impl AccuracyRow {
    /// The t-interval clipped to [0, 100], and whether either bound was clipped.
    pub fn clipped_t(&self) -> Option<(f64, f64, bool)> {
        let (lo, lc) = clip_percent(self.accuracy.ci_lower?);
        let (hi, hc) = clip_percent(self.accuracy.ci_upper?);
        Some((lo, hi, lc || hc))
    }
}

/// Passed and graded runs of one model on one eval.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassCount {
    pub passed: usize,
    pub graded: usize,
}

impl PassCount {
    pub fn rate(&self) -> Option<f64> {
        (self.graded > 0).then(|| self.passed as f64 / self.graded as f64)
    }
}

type EvalKey = (String, String); // (suite, eval id)

fn counts(runs: &[RunSummary]) -> BTreeMap<ModelKey, BTreeMap<EvalKey, PassCount>> {
    let mut out: BTreeMap<ModelKey, BTreeMap<EvalKey, PassCount>> = BTreeMap::new();
    for r in runs {
        let Some(p) = r.passed else { continue };
        let c = out
            .entry(ModelKey::of(r))
            .or_default()
            .entry((r.suite.clone(), r.eval_id.clone()))
            .or_default();
        c.graded += 1;
        c.passed += usize::from(p);
    }
    out
}

/// Accuracy per model (and per group), sorted by group then by descending accuracy.
pub fn accuracy_by_model(
    evals: &[EvalSummary],
    runs: &[RunSummary],
    grouping: Grouping,
) -> Vec<AccuracyRow> {
    let index: BTreeMap<EvalKey, &EvalSummary> = evals
        .iter()
        .map(|e| ((e.suite.clone(), e.id.clone()), e))
        .collect();
    let mut rows = Vec::new();
    for (key, per_eval) in counts(runs) {
        let mut groups: BTreeMap<String, (Vec<f64>, usize)> = BTreeMap::new();
        for (ek, c) in &per_eval {
            let g = grouping.of(index.get(ek).copied());
            let entry = groups.entry(g).or_default();
            entry.0.push(100.0 * c.passed as f64 / c.graded as f64);
            entry.1 += c.graded;
        }
        for (g, (means, n_runs)) in groups {
            let Some(accuracy) = t_interval(&means, 0.95) else {
                continue;
            };
            let bootstrap = resample::bootstrap_mean(&means);
            rows.push(AccuracyRow {
                key: key.clone(),
                group: (grouping != Grouping::Overall).then_some(g),
                n_evals: means.len(),
                n_runs,
                accuracy,
                bootstrap,
            });
        }
    }
    rows.sort_by(|a, b| {
        a.group
            .cmp(&b.group)
            .then(b.accuracy.mean.total_cmp(&a.accuracy.mean))
            .then(a.key.cmp(&b.key))
    });
    rows
}

/// Model × eval pass counts for the heatmap.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PassMatrix {
    /// Rows, by descending overall pass rate.
    pub models: Vec<ModelKey>,
    /// Columns: (suite, eval id), by descending pass rate over all models.
    pub evals: Vec<(String, String)>,
    /// `cells[row][col]`; `None` where the model has no graded run of the eval.
    pub cells: Vec<Vec<Option<PassCount>>>,
}

pub fn pass_matrix(runs: &[RunSummary]) -> PassMatrix {
    let counts = counts(runs);
    let mut eval_tot: BTreeMap<EvalKey, PassCount> = BTreeMap::new();
    let mut model_tot: Vec<(ModelKey, f64)> = Vec::new();
    for (k, per_eval) in &counts {
        let mut sum = 0.0;
        for (ek, c) in per_eval {
            let t = eval_tot.entry(ek.clone()).or_default();
            t.passed += c.passed;
            t.graded += c.graded;
            sum += c.passed as f64 / c.graded as f64;
        }
        model_tot.push((k.clone(), sum / per_eval.len().max(1) as f64));
    }
    model_tot.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut evals: Vec<(EvalKey, f64)> = eval_tot
        .into_iter()
        .map(|(k, c)| (k, c.rate().unwrap_or(0.0)))
        .collect();
    evals.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    let evals: Vec<EvalKey> = evals.into_iter().map(|(k, _)| k).collect();
    let models: Vec<ModelKey> = model_tot.into_iter().map(|(k, _)| k).collect();
    let cells = models
        .iter()
        .map(|m| {
            evals
                .iter()
                .map(|e| counts.get(m).and_then(|pe| pe.get(e)).copied())
                .collect()
        })
        .collect();
    PassMatrix {
        models,
        evals,
        cells,
    }
}

/// Exact two-sided McNemar test: the discordant pairs `b` (first passed,
/// second failed) and `c` (the reverse) under Binomial(b + c, 1/2);
/// p = min(1, 2·P(X ≤ min(b, c))). With no discordant pairs p = 1.
pub fn mcnemar_exact(b: u64, c: u64) -> f64 {
    let n = b + c;
    if n == 0 {
        return 1.0;
    }
    let k = b.min(c);
    // Sum C(n, i) / 2^n in log space so large n does not overflow.
    let ln_half_n = n as f64 * std::f64::consts::LN_2;
    let mut ln_c = 0.0f64; // ln C(n, 0)
    let mut tail = 0.0f64;
    for i in 0..=k {
        if i > 0 {
            ln_c += ((n - i + 1) as f64).ln() - (i as f64).ln();
        }
        tail += (ln_c - ln_half_n).exp();
    }
    (2.0 * tail).min(1.0)
}

/// The accuracy rows of a published results table, in the same shape as
/// [`accuracy_by_model`] so the pages can chart published and recomputed
/// numbers alike. Uses the `accuracy` metric, else `pass_rate`; rows with
/// neither are left out. `n_evals` is the table's n (0 when not given),
/// `n_runs` is 0 (published tables do not say), and a missing harness is "".
pub fn published_accuracy(table: &crate::results::ResultsTable) -> Vec<AccuracyRow> {
    table
        .rows
        .iter()
        .filter_map(|r| {
            let e = r
                .metrics
                .get("accuracy")
                .or_else(|| r.metrics.get("pass_rate"))?;
            Some(AccuracyRow {
                key: ModelKey::new(r.model.clone(), r.harness.clone().unwrap_or_default()),
                group: r.group.clone(),
                n_evals: r.n.map_or(0, |n| n as usize),
                n_runs: 0,
                accuracy: e.clone(),
                bootstrap: None,
            })
        })
        .collect()
}
