//! The corpus work the data worker holds between messages: each run's
//! trajectory arrives as the bytes of its bundle part files; the job parses
//! them, runs the failure finder on the steps (timing it), adds the steps to
//! the search index, and keeps the findings. Searches then run on the index.
//! Plain Rust, so the worker glue only moves messages and the whole path is
//! tested natively.

use std::collections::HashMap;

use sbx_findings::{detect, Finding, Task, Verdict};
use sbx_search::{Index, Query, RunMeta, SearchResults};
use sbx_suite::bundle::read_trajectory_part;
use sbx_suite::{RunSummary, Step};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::summary::RunFindings;

/// What came of adding one run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Added {
    /// One finding per class that applied, as [`sbx_findings::detect`] gives them.
    pub findings: Vec<Finding>,
    pub n_steps: usize,
    /// Time the failure finder took on this trajectory (0 when the run was
    /// already held and nothing was computed).
    pub detect_ms: f64,
    /// Time adding the steps to the search index took.
    pub index_ms: f64,
    /// The run was already held: its findings are the ones computed then.
    pub kept: bool,
}

/// A search's hits with the runs they are in (by the index's run number).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Found {
    pub results: SearchResults,
    pub runs: Vec<(usize, RunMeta)>,
    pub ms: f64,
}

/// The runs held by one worker, their findings and their search index.
#[derive(Default)]
pub struct CorpusJob {
    index: Index,
    findings: Vec<RunFindings>,
    /// (suite, run id) → position in `findings` (= run number in the index).
    held: HashMap<(String, String), usize>,
}

/// The steps of a trajectory from its part files, in order; `first_step`
/// of each part must continue where the previous one ended.
pub fn steps_from_parts(parts: &[(String, Vec<u8>)]) -> Result<Vec<Step>, String> {
    let mut steps = Vec::new();
    for (file, bytes) in parts {
        let part = read_trajectory_part(file, bytes).map_err(|e| e.to_string())?;
        if part.first_step != steps.len() {
            return Err(format!(
                "{file}: part starts at step {} but {} steps came before it",
                part.first_step,
                steps.len()
            ));
        }
        steps.extend(part.steps);
    }
    Ok(steps)
}

/// The finder's task facts from an eval as the bundle holds it (`task`,
/// `metadata`, …); without an eval the task says nothing and only what the
/// code shows counts.
pub fn task_of(eval: Option<&Value>) -> Task {
    Task::from_eval(eval.unwrap_or(&Value::Null))
}

impl CorpusJob {
    /// Runs held so far, with their findings, in the order they were added.
    pub fn findings(&self) -> &[RunFindings] {
        &self.findings
    }

    /// Parses, checks and indexes one run. A run already held is not
    /// computed again. `now` gives milliseconds (`performance.now()` in the
    /// worker).
    pub fn add_run(
        &mut self,
        run: RunSummary,
        eval: Option<&Value>,
        parts: &[(String, Vec<u8>)],
        now: &dyn Fn() -> f64,
    ) -> Result<Added, String> {
        let key = (run.suite.clone(), run.id.clone());
        if let Some(&i) = self.held.get(&key) {
            let held = &self.findings[i];
            return Ok(Added {
                n_steps: held.run.n_steps.unwrap_or(0),
                findings: held.findings.clone(),
                detect_ms: 0.0,
                index_ms: 0.0,
                kept: true,
            });
        }
        let steps = steps_from_parts(parts)?;
        let task = task_of(eval);
        let t0 = now();
        let found = detect(&task, &steps);
        let t1 = now();
        let committed = found
            .iter()
            .filter(|f| f.verdict == Verdict::Committed)
            .map(|f| f.class.id().to_string())
            .collect();
        let meta = RunMeta {
            suite: run.suite.clone(),
            run: run.id.clone(),
            eval: run.eval_id.clone(),
            model: run.model.clone(),
            harness: run.harness.clone(),
            classes: committed,
        };
        let number = self.index.add_run(meta, &steps);
        let t2 = now();
        let mut run = run;
        run.n_steps = Some(steps.len());
        let findings = RunFindings {
            run,
            findings: found,
        };
        self.held.insert(key, number);
        debug_assert_eq!(number, self.findings.len());
        let found = findings.findings.clone();
        self.findings.push(findings);
        Ok(Added {
            findings: found,
            n_steps: steps.len(),
            detect_ms: t1 - t0,
            index_ms: t2 - t1,
            kept: false,
        })
    }

    /// Searches every run held, with the runs of the hits.
    pub fn search(&self, q: &Query, now: &dyn Fn() -> f64) -> Result<Found, String> {
        let t0 = now();
        let results = self.index.search(q)?;
        let ms = now() - t0;
        let mut numbers: Vec<usize> = results.hits.iter().map(|h| h.run).collect();
        numbers.sort_unstable();
        numbers.dedup();
        let metas = self.index.runs();
        let runs = numbers
            .into_iter()
            .filter_map(|n| metas.get(n).map(|m| (n, m.clone())))
            .collect();
        Ok(Found { results, runs, ms })
    }
}
