//! Two models compared at the level of evals.
//!
//! Repeated runs of one eval are not paired observations (run r1 of one model
//! has nothing in common with run r1 of another beyond the eval), so the unit
//! is the eval: each shared eval gives one difference of pass rates, and the
//! tests and the interval are over those differences. McNemar's test on
//! pass/fail pairs is used only where every shared eval has exactly one
//! graded run per side, which makes the eval outcomes themselves the pairs.

use serde::{Deserialize, Serialize};

use super::resample::{bootstrap_mean, sign_flip_p};
use super::{counts, mcnemar_exact, ModelKey, PassCount};
use crate::model::RunSummary;

/// One eval in a comparison of two models.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PairedEval {
    pub suite: String,
    pub eval_id: String,
    pub a: PassCount,
    pub b: PassCount,
    /// Pass rate of `a` minus pass rate of `b`, in percent.
    pub difference: f64,
}

/// The test whose p-value the comparison reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PairedTest {
    /// Every shared eval has one graded run per side: exact McNemar on the evals.
    McNemar,
    /// Exact paired permutation test over all sign flips of the per-eval differences.
    ExactPermutation,
    /// The same test with seeded random sign flips (too many evals to enumerate).
    RandomPermutation,
    /// No shared eval.
    None,
}

impl PairedTest {
    /// What ran and why, for the page.
    pub fn explain(self) -> &'static str {
        match self {
            PairedTest::McNemar => "Exact McNemar test: every shared eval has exactly one graded run per model, so each eval is one pass/fail pair.",
            PairedTest::ExactPermutation => "Exact paired permutation test over evals: runs of one eval are repeated measurements, not pairs, so each eval contributes one difference of pass rates and every sign flip of those differences is enumerated.",
            PairedTest::RandomPermutation => "Paired permutation test over evals with 20,000 seeded random sign flips of the per-eval pass-rate differences (too many evals to enumerate every flip).",
            PairedTest::None => "No eval was run by both models; nothing to test.",
        }
    }
}

/// Two models on the evals both ran.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub a: ModelKey,
    pub b: ModelKey,
    pub evals: Vec<PairedEval>,
    /// Mean over shared evals of the per-eval difference, in points.
    pub mean_difference: f64,
    /// 95% percentile bootstrap interval over evals of that mean (fixed
    /// seed); `None` with fewer than two shared evals.
    pub interval: Option<(f64, f64)>,
    /// Evals where `a`'s pass rate is higher, lower (ties are left out).
    pub a_higher: u64,
    pub b_higher: u64,
    /// Two-sided sign test on `a_higher` vs `b_higher`.
    pub sign_p: f64,
    /// Two-sided p-value of the paired permutation test.
    pub permutation_p: f64,
    /// Exact McNemar p-value when every shared eval has one run per side.
    pub mcnemar_p: Option<f64>,
    pub test: PairedTest,
}

impl Comparison {
    /// The p-value of the test that ran.
    pub fn p_value(&self) -> Option<f64> {
        match self.test {
            PairedTest::McNemar => self.mcnemar_p,
            PairedTest::ExactPermutation | PairedTest::RandomPermutation => {
                Some(self.permutation_p)
            }
            PairedTest::None => None,
        }
    }

    /// A plain verdict from the interval: no detectable difference when it contains 0.
    pub fn verdict(&self) -> String {
        let (a, b) = (self.a.label(), self.b.label());
        match self.interval {
            None if self.evals.is_empty() => "No shared evals: nothing to compare.".into(),
            None => "Too few shared evals for an interval: no verdict.".into(),
            Some((lo, hi)) if lo <= 0.0 && hi >= 0.0 => format!(
                "No detectable difference: the 95% interval of the difference ({lo:+.1} to {hi:+.1} points) contains 0."
            ),
            Some((lo, hi)) => {
                let (better, worse) = if self.mean_difference > 0.0 { (a, b) } else { (b, a) };
                format!(
                    "{better} passes more than {worse}: {:+.1} points (95% interval {lo:+.1} to {hi:+.1}), over {} evals.",
                    self.mean_difference,
                    self.evals.len()
                )
            }
        }
    }
}

/// Compares two models eval by eval (see the module text).
pub fn compare(runs: &[RunSummary], a: &ModelKey, b: &ModelKey) -> Comparison {
    let counts = counts(runs);
    let empty = Default::default();
    let ca = counts.get(a).unwrap_or(&empty);
    let cb = counts.get(b).unwrap_or(&empty);
    let evals: Vec<PairedEval> = ca
        .iter()
        .filter_map(|(ek, pa)| {
            let pb = cb.get(ek)?;
            let (ra, rb) = (pa.rate()?, pb.rate()?);
            Some(PairedEval {
                suite: ek.0.clone(),
                eval_id: ek.1.clone(),
                a: *pa,
                b: *pb,
                difference: 100.0 * (ra - rb),
            })
        })
        .collect();
    let diffs: Vec<f64> = evals.iter().map(|e| e.difference).collect();
    let n = diffs.len();
    let mean_difference = if n == 0 {
        0.0
    } else {
        diffs.iter().sum::<f64>() / n as f64
    };
    let a_higher = diffs.iter().filter(|d| **d > 0.0).count() as u64;
    let b_higher = diffs.iter().filter(|d| **d < 0.0).count() as u64;
    let single = n > 0 && evals.iter().all(|e| e.a.graded == 1 && e.b.graded == 1);
    let (permutation_p, exact) = sign_flip_p(&diffs);
    let test = if n == 0 {
        PairedTest::None
    } else if single {
        PairedTest::McNemar
    } else if exact {
        PairedTest::ExactPermutation
    } else {
        PairedTest::RandomPermutation
    };
    Comparison {
        a: a.clone(),
        b: b.clone(),
        mean_difference,
        interval: bootstrap_mean(&diffs),
        a_higher,
        b_higher,
        sign_p: mcnemar_exact(a_higher, b_higher),
        permutation_p,
        // With one run per side, discordant evals are exactly those with a nonzero difference.
        mcnemar_p: single.then(|| mcnemar_exact(a_higher, b_higher)),
        test,
        evals,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(model: &str, eval: &str, idx: u32, passed: bool) -> RunSummary {
        RunSummary {
            suite: "s".into(),
            id: format!("{model}-{eval}-{idx}"),
            eval_id: eval.into(),
            provider: "p".into(),
            model: model.into(),
            harness: "h".into(),
            run_index: idx,
            passed: Some(passed),
            score: None,
            duration_s: None,
            cost_usd: None,
            has_answer: true,
            trajectory_format: None,
            n_steps: None,
        }
    }

    fn key(m: &str) -> ModelKey {
        ModelKey::new(m, "h")
    }

    #[test]
    fn repeated_runs_are_not_paired_by_index() {
        // Same pass counts per eval, different run order: the comparison must not change.
        let mut runs = Vec::new();
        for (e, pa, pb) in [
            ("e1", [true, false, false], [false, false, true]),
            ("e2", [true, true, false], [false, true, true]),
        ] {
            for i in 0..3 {
                runs.push(run("a", e, i + 1, pa[i as usize]));
                runs.push(run("b", e, i + 1, pb[i as usize]));
            }
        }
        let c = compare(&runs, &key("a"), &key("b"));
        assert_eq!(c.test, PairedTest::ExactPermutation);
        assert!(c.mcnemar_p.is_none());
        assert_eq!(c.mean_difference, 0.0);
        assert_eq!((c.a_higher, c.b_higher), (0, 0));
        assert_eq!(c.p_value(), Some(1.0));
        assert!(
            c.verdict().starts_with("No detectable difference"),
            "{}",
            c.verdict()
        );
    }

    #[test]
    fn one_run_per_side_uses_mcnemar_on_evals() {
        let mut runs = Vec::new();
        for i in 0..12 {
            let e = format!("e{i}");
            runs.push(run("a", &e, 1, true));
            runs.push(run("b", &e, 1, i < 2));
        }
        let c = compare(&runs, &key("a"), &key("b"));
        assert_eq!(c.test, PairedTest::McNemar);
        assert_eq!((c.a_higher, c.b_higher), (10, 0));
        // 2 · 0.5^10
        assert!((c.p_value().unwrap() - 2.0 / 1024.0).abs() < 1e-15);
        let (lo, hi) = c.interval.unwrap();
        assert!(lo > 0.0 && hi <= 100.0, "{lo} {hi}");
        assert!(
            c.verdict().contains("a (h) passes more than b (h)"),
            "{}",
            c.verdict()
        );
    }

    #[test]
    fn no_shared_eval_gives_no_test() {
        let runs = vec![run("a", "e1", 1, true), run("b", "e2", 1, true)];
        let c = compare(&runs, &key("a"), &key("b"));
        assert_eq!(c.test, PairedTest::None);
        assert_eq!(c.p_value(), None);
        assert!(c.interval.is_none());
        assert!(c.verdict().starts_with("No shared evals"));
    }
}
