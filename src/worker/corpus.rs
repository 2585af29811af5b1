//! The corpus ops in the worker: `corpus_add` cuts the bytes that came with
//! the request into the run's part files and hands them to
//! [`CorpusJob::add_run`]; `corpus_search` searches what was added. The job
//! (parsing, the failure finder, the index) is [`crate::corpus::job`].

use serde_json::Value;

use super::protocol::{split_parts, PartLen, Response};
use crate::corpus::job::CorpusJob;

type Answer = Result<(Response, Option<Vec<u8>>), String>;

/// `corpus_add`: one run's trajectory checked and indexed.
pub fn add(
    job: &mut CorpusJob,
    run: sbx_suite::RunSummary,
    eval: Option<&Value>,
    parts: &[PartLen],
    bytes: Option<Vec<u8>>,
    now: &dyn Fn() -> f64,
) -> Answer {
    let bytes = bytes.unwrap_or_default();
    let files = split_parts(parts, &bytes)?;
    drop(bytes);
    let id = run.id.clone();
    let added = job
        .add_run(run, eval, &files, now)
        .map_err(|e| format!("run {id}: {e}"))?;
    Ok((Response::CorpusAdded(added), None))
}

/// `corpus_search`: a search over every run added.
pub fn search(job: &CorpusJob, query: &sbx_search::Query, now: &dyn Fn() -> f64) -> Answer {
    Ok((Response::CorpusFound(job.search(query, now)?), None))
}
