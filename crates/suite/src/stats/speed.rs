//! Speed against accuracy: per (model, harness) accuracy with mean run time
//! or cost, from a published table or from loaded runs, and successive
//! versions of a model family joined so that "newer got faster, not more
//! accurate" can be read off one chart.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::resample::{bootstrap_interval, mean_at};
use super::{counts, t_interval, ModelKey};
use crate::model::RunSummary;
use crate::results::{Estimate, ResultsTable};

/// What the horizontal axis shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// Mean run time in seconds.
    Time,
    /// Mean cost per run in US dollars.
    Cost,
}

impl Measure {
    pub fn label(self) -> &'static str {
        match self {
            Measure::Time => "mean time per run (s)",
            Measure::Cost => "mean cost per run ($)",
        }
    }
    fn of_run(self, r: &RunSummary) -> Option<f64> {
        match self {
            Measure::Time => r.duration_s,
            Measure::Cost => r.cost_usd,
        }
        .filter(|v| v.is_finite())
    }
}

/// One model under one harness.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SpeedPoint {
    pub key: ModelKey,
    /// Percent, with the table's (or a t) interval over evals.
    pub accuracy: Estimate,
    pub time: Option<Estimate>,
    pub cost: Option<Estimate>,
}

impl SpeedPoint {
    pub fn measure(&self, m: Measure) -> Option<&Estimate> {
        match m {
            Measure::Time => self.time.as_ref(),
            Measure::Cost => self.cost.as_ref(),
        }
    }
}

/// The overall rows of a published table that give accuracy (or pass rate):
/// rows for a group or a single eval are left out. Time is `time_s` or
/// `duration_s`, cost `cost_usd`.
pub fn published_speed(table: &ResultsTable) -> Vec<SpeedPoint> {
    table
        .rows
        .iter()
        .filter(|r| r.group.is_none() && r.eval_id.is_none())
        .filter_map(|r| {
            let acc = r
                .metrics
                .get("accuracy")
                .or_else(|| r.metrics.get("pass_rate"))?;
            Some(SpeedPoint {
                key: ModelKey::new(r.model.clone(), r.harness.clone().unwrap_or_default()),
                accuracy: acc.clone(),
                time: r
                    .metrics
                    .get("time_s")
                    .or_else(|| r.metrics.get("duration_s"))
                    .cloned(),
                cost: r.metrics.get("cost_usd").cloned(),
            })
        })
        .collect()
}

type PerEval = BTreeMap<(String, String), (f64, usize)>;

/// Per model, per eval: (sum, count) of a run measure.
fn per_eval_measure(runs: &[RunSummary], m: Measure) -> BTreeMap<ModelKey, PerEval> {
    let mut out: BTreeMap<ModelKey, PerEval> = BTreeMap::new();
    for r in runs {
        let Some(v) = m.of_run(r) else { continue };
        let e = out
            .entry(ModelKey::of(r))
            .or_default()
            .entry((r.suite.clone(), r.eval_id.clone()))
            .or_default();
        e.0 += v;
        e.1 += 1;
    }
    out
}

fn eval_means(p: &PerEval) -> Vec<f64> {
    p.values().map(|(s, n)| s / *n as f64).collect()
}

/// Accuracy, time and cost per model from runs, each the mean over evals of
/// the per-eval mean with a 95% t interval (the published method).
pub fn run_speed(runs: &[RunSummary]) -> Vec<SpeedPoint> {
    let time = per_eval_measure(runs, Measure::Time);
    let cost = per_eval_measure(runs, Measure::Cost);
    counts(runs)
        .into_iter()
        .filter_map(|(key, per_eval)| {
            let acc: Vec<f64> = per_eval
                .values()
                .filter_map(|c| c.rate().map(|r| 100.0 * r))
                .collect();
            let of = |m: &BTreeMap<ModelKey, PerEval>| {
                m.get(&key).and_then(|p| t_interval(&eval_means(p), 0.95))
            };
            Some(SpeedPoint {
                accuracy: t_interval(&acc, 0.95)?,
                time: of(&time),
                cost: of(&cost),
                key,
            })
        })
        .collect()
}

/// A model name split into its family and version: the numeric parts of
/// one or two digits are the version (`claude-opus-4-7` → `claude-opus`,
/// [4, 7]; `gpt-5.5` → `gpt`, [5, 5]); longer numbers (dates) stay in the family.
pub fn family_version(model: &str) -> (String, Vec<u32>) {
    let mut family = Vec::new();
    let mut version = Vec::new();
    for tok in model.split(['-', '_']) {
        let parts: Vec<&str> = tok.split('.').collect();
        let numeric = parts
            .iter()
            .all(|p| !p.is_empty() && p.len() <= 2 && p.bytes().all(|b| b.is_ascii_digit()));
        if numeric {
            version.extend(parts.iter().filter_map(|p| p.parse::<u32>().ok()));
        } else {
            family.push(tok);
        }
    }
    (family.join("-"), version)
}

/// Arrows from each version to the next one of the same family under the
/// same harness, as (older, newer) indices into `points`.
pub fn version_arrows(points: &[SpeedPoint]) -> Vec<(usize, usize)> {
    // (family, harness) → (version, index) of its points.
    type Lines = BTreeMap<(String, String), Vec<(Vec<u32>, usize)>>;
    let mut lines = Lines::new();
    for (i, p) in points.iter().enumerate() {
        let (fam, ver) = family_version(&p.key.model);
        if !ver.is_empty() {
            lines
                .entry((fam, p.key.harness.clone()))
                .or_default()
                .push((ver, i));
        }
    }
    let mut out = Vec::new();
    for (_, mut v) in lines {
        v.sort();
        out.extend(v.windows(2).map(|w| (w[0].1, w[1].1)));
    }
    out
}

/// A newer version against an older one, eval by eval.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VersionPair {
    /// Accuracy of `newer` minus `older`, in points, with a 95% bootstrap
    /// interval over the shared evals.
    pub accuracy_difference: f64,
    pub accuracy_interval: Option<(f64, f64)>,
    pub n_accuracy_evals: usize,
    /// Mean measure of `newer` over that of `older` (means over shared evals
    /// of per-eval means), with a 95% bootstrap interval over those evals.
    pub ratio: Option<f64>,
    pub ratio_interval: Option<(f64, f64)>,
    pub n_ratio_evals: usize,
}

/// The accuracy difference and the time (or cost) ratio of two models.
pub fn version_pair(
    runs: &[RunSummary],
    newer: &ModelKey,
    older: &ModelKey,
    m: Measure,
) -> VersionPair {
    let c = super::compare(runs, newer, older);
    let per = per_eval_measure(runs, m);
    let empty = PerEval::new();
    let (pn, po) = (
        per.get(newer).unwrap_or(&empty),
        per.get(older).unwrap_or(&empty),
    );
    let (mut xn, mut xo) = (Vec::new(), Vec::new());
    for (k, (s, n)) in pn {
        if let Some((so, no)) = po.get(k) {
            xn.push(s / *n as f64);
            xo.push(so / *no as f64);
        }
    }
    let all: Vec<usize> = (0..xn.len()).collect();
    let ratio_at = |idx: &[usize]| {
        let d = mean_at(&xo, idx);
        (d > 0.0).then(|| mean_at(&xn, idx) / d)
    };
    VersionPair {
        accuracy_difference: c.mean_difference,
        accuracy_interval: c.interval,
        n_accuracy_evals: c.evals.len(),
        ratio: if xn.is_empty() { None } else { ratio_at(&all) },
        ratio_interval: bootstrap_interval(xn.len(), ratio_at),
        n_ratio_evals: xn.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn family_and_version_from_model_names() {
        assert_eq!(
            family_version("claude-opus-4-7"),
            ("claude-opus".into(), vec![4, 7])
        );
        assert_eq!(family_version("gpt-5.5"), ("gpt".into(), vec![5, 5]));
        assert_eq!(family_version("gpt-5.10"), ("gpt".into(), vec![5, 10]));
        assert_eq!(
            family_version("grok-4.20-beta-0309-reasoning"),
            ("grok-beta-0309-reasoning".into(), vec![4, 20])
        );
        assert_eq!(family_version("mystery"), ("mystery".into(), vec![]));
    }

    fn point(model: &str, harness: &str) -> SpeedPoint {
        let e = Estimate {
            mean: 1.0,
            ci_lower: None,
            ci_upper: None,
        };
        SpeedPoint {
            key: ModelKey::new(model, harness),
            accuracy: e,
            time: None,
            cost: None,
        }
    }

    #[test]
    fn arrows_join_successive_versions_within_family_and_harness() {
        let pts = vec![
            point("gpt-5.10", "m"),
            point("gpt-5.4", "m"),
            point("gpt-5.5", "m"),
            point("gpt-5.5", "codex"),
            point("claude-opus-4-6", "m"),
            point("claude-opus-4-7", "m"),
            point("claude-sonnet-4-6", "m"),
        ];
        let mut a = version_arrows(&pts);
        a.sort();
        // 5.4 → 5.5 → 5.10 (numeric, not text order); opus 4.6 → 4.7; nothing across harness or family.
        assert_eq!(a, vec![(1, 2), (2, 0), (4, 5)]);
    }
}
