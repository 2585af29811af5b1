//! Counting findings over the loaded runs: per failure class × model, how
//! many runs the class applied to ("checked"), how many committed, avoided
//! or were unclear (with 95% Wilson intervals of each share), and the pass
//! rate of the runs that committed against the runs that avoided.

use std::collections::BTreeMap;

use sbx_findings::{FailureClass, Finding, Verdict};
use sbx_suite::stats::{wilson_interval, PassCount};
use sbx_suite::RunSummary;
use serde::{Deserialize, Serialize};

/// The findings of one run with a trajectory. A class absent from
/// `findings` did not apply to the run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunFindings {
    pub run: RunSummary,
    pub findings: Vec<Finding>,
}

impl RunFindings {
    /// The verdict on `class`, or `None` when the class did not apply.
    pub fn verdict(&self, class: FailureClass) -> Option<Verdict> {
        self.findings
            .iter()
            .find(|f| f.class == class)
            .map(|f| f.verdict)
    }
}

/// A count with its share of the checked runs and the share's 95% Wilson
/// interval (fractions in [0, 1]).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Share {
    pub count: usize,
    pub rate: Option<f64>,
    pub lo: f64,
    pub hi: f64,
}

impl Share {
    pub fn of(count: usize, n: usize) -> Share {
        let (lo, hi) = wilson_interval(count, n);
        Share {
            count,
            rate: (n > 0).then(|| count as f64 / n as f64),
            lo,
            hi,
        }
    }
}

/// The pass rate of a group of runs (those with a recorded verdict), with
/// its 95% Wilson interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PassRate {
    pub passed: usize,
    pub graded: usize,
    pub rate: Option<f64>,
    pub lo: f64,
    pub hi: f64,
}

impl PassRate {
    fn of(c: PassCount) -> PassRate {
        let (lo, hi) = wilson_interval(c.passed, c.graded);
        PassRate {
            passed: c.passed,
            graded: c.graded,
            rate: c.rate(),
            lo,
            hi,
        }
    }
}

/// One row of the Findings page. `model` and `harness` are `None` in the
/// row that counts every model together.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassModelRow {
    pub class: FailureClass,
    pub model: Option<String>,
    pub harness: Option<String>,
    /// Runs of this model with a trajectory (whether or not the class applied).
    pub scanned: usize,
    /// Runs the class applied to: committed + avoided + unclear.
    pub checked: usize,
    pub committed: Share,
    pub avoided: Share,
    pub unclear: Share,
    pub pass_committed: PassRate,
    pub pass_avoided: PassRate,
}

#[derive(Default)]
struct Tally {
    scanned: usize,
    counts: [usize; 3],
    pass_committed: PassCount,
    pass_avoided: PassCount,
}

impl Tally {
    fn add(&mut self, verdict: Option<Verdict>, passed: Option<bool>) {
        self.scanned += 1;
        let Some(v) = verdict else { return };
        let slot = match v {
            Verdict::Committed => 0,
            Verdict::Avoided => 1,
            Verdict::Unclear => 2,
        };
        self.counts[slot] += 1;
        let pass = match v {
            Verdict::Committed => &mut self.pass_committed,
            Verdict::Avoided => &mut self.pass_avoided,
            Verdict::Unclear => return,
        };
        if let Some(p) = passed {
            pass.graded += 1;
            pass.passed += usize::from(p);
        }
    }

    fn row(&self, class: FailureClass, model: Option<(String, String)>) -> ClassModelRow {
        let checked = self.counts.iter().sum();
        let (model, harness) = model.unzip();
        ClassModelRow {
            class,
            model,
            harness,
            scanned: self.scanned,
            checked,
            committed: Share::of(self.counts[0], checked),
            avoided: Share::of(self.counts[1], checked),
            unclear: Share::of(self.counts[2], checked),
            pass_committed: PassRate::of(self.pass_committed),
            pass_avoided: PassRate::of(self.pass_avoided),
        }
    }
}

/// Rows per class (in [`FailureClass::ALL`] order): first all models
/// together, then each (model, harness) in name order. A class that applied
/// to no run of a model still gets its row (checked 0), so the table shows
/// that the model's runs were scanned.
pub fn summarize(runs: &[RunFindings]) -> Vec<ClassModelRow> {
    let mut rows = Vec::new();
    for class in FailureClass::ALL {
        let mut all = Tally::default();
        let mut per: BTreeMap<(String, String), Tally> = BTreeMap::new();
        for r in runs {
            let v = r.verdict(class);
            all.add(v, r.run.passed);
            per.entry((r.run.model.clone(), r.run.harness.clone()))
                .or_default()
                .add(v, r.run.passed);
        }
        if runs.is_empty() {
            continue;
        }
        rows.push(all.row(class, None));
        rows.extend(per.into_iter().map(|(k, t)| t.row(class, Some(k))));
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(
        model: &str,
        harness: &str,
        passed: Option<bool>,
        f: &[(FailureClass, Verdict)],
    ) -> RunFindings {
        RunFindings {
            run: RunSummary {
                suite: "s".into(),
                id: format!("{model}/{harness}/{}", f.len()),
                eval_id: "e".into(),
                provider: "p".into(),
                model: model.into(),
                harness: harness.into(),
                run_index: 1,
                passed,
                score: None,
                duration_s: None,
                cost_usd: None,
                has_answer: true,
                trajectory_format: Some("pi".into()),
                n_steps: Some(3),
            },
            findings: f
                .iter()
                .map(|&(class, verdict)| Finding {
                    class,
                    verdict,
                    rule: "r".into(),
                    reason: "why".into(),
                    evidence: vec![],
                })
                .collect(),
        }
    }

    #[test]
    fn counts_per_class_and_model_with_intervals() {
        use FailureClass::{Pseudoreplication as P, SpotAsCell as S};
        use Verdict::{Avoided as A, Committed as C, Unclear as U};
        let runs = vec![
            run("m1", "h", Some(false), &[(P, C)]),
            run("m1", "h", Some(false), &[(P, C), (S, A)]),
            run("m1", "h", Some(true), &[(P, A)]),
            run("m1", "h", None, &[(P, U)]),
            run("m1", "h", Some(true), &[]),
            run("m2", "h", Some(true), &[(P, A)]),
        ];
        let rows = summarize(&runs);
        // Six classes × (all + two models).
        assert_eq!(rows.len(), 18);
        let p_m1 = rows
            .iter()
            .find(|r| r.class == P && r.model.as_deref() == Some("m1"))
            .unwrap();
        assert_eq!((p_m1.scanned, p_m1.checked), (5, 4));
        assert_eq!(
            (p_m1.committed.count, p_m1.avoided.count, p_m1.unclear.count),
            (2, 1, 1)
        );
        assert_eq!(p_m1.committed.rate, Some(0.5));
        assert_eq!(
            (p_m1.committed.lo, p_m1.committed.hi),
            wilson_interval(2, 4)
        );
        assert_eq!(
            (p_m1.pass_committed.passed, p_m1.pass_committed.graded),
            (0, 2)
        );
        assert_eq!((p_m1.pass_avoided.passed, p_m1.pass_avoided.graded), (1, 1));
        let p_all = rows
            .iter()
            .find(|r| r.class == P && r.model.is_none())
            .unwrap();
        assert_eq!(
            (p_all.scanned, p_all.checked, p_all.avoided.count),
            (6, 5, 2)
        );
        assert_eq!(p_all.pass_avoided.rate, Some(1.0));
        let s_m2 = rows
            .iter()
            .find(|r| r.class == S && r.model.as_deref() == Some("m2"))
            .unwrap();
        assert_eq!((s_m2.checked, s_m2.committed.rate), (0, None));
        assert_eq!((s_m2.committed.lo, s_m2.committed.hi), (0.0, 1.0));
        assert!(summarize(&[]).is_empty());
    }
}
