//! The messages between the page and the data worker, its one contract (they are two
//! wasm modules). A [`Request`] is tagged by `op`, a [`Response`] by `kind`; file and
//! Arrow bytes travel beside the JSON, transferred rather than copied. The worker
//! reads requests and writes answers with serde's derives; the page writes requests
//! (`write.rs`) and reads answers (`read.rs`) by hand, because the derived code would
//! cost the page's wasm kilobytes of its 1 MB gzip budget. `tests.rs` checks that both
//! sides agree on a sample of every message.

mod case;
mod corpus;
mod read;
mod write;

pub use case::{
    Analysis, BatchAnswer, CaseAnswer, CaseReply, CumulusAnswer, DeAnswer, FromCaseAnswer,
    HeadlineAnswer, NicheAnswer, OocyteAnswer, SweepAnswer, TimepointCount, TissueInfo,
};

pub use corpus::{split_parts, CorpusAdded, CorpusFound, PartLen};

use serde::{Deserialize, Serialize};

/// A message from the page.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Request {
    /// Read the `.h5ad` sent alongside and keep it for `Prepare`.
    Read { name: String },
    /// Build a dataset from the file read last, as `sbx prepare` would.
    Prepare {
        obs_columns: Vec<String>,
        genes: Vec<String>,
        top_genes: usize,
        max_points: usize,
        seed: u64,
    },
    /// Write the synthetic benchmark dataset of `n` points (see `sbx_data::synthetic`).
    Synthetic { n: usize, seed: u64 },
    /// One analysis of a case study on its scenario simulated with `seed`.
    Case {
        /// `ScenarioKind::id()`, e.g. "batch_integration".
        case: String,
        seed: u64,
        analysis: Analysis,
    },
    /// Check and index one run's trajectory, whose bundle part files come beside
    /// the request one after another (`parts` says where each ends). The worker
    /// keeps every run added, for `CorpusSearch`.
    CorpusAdd {
        run: sbx_suite::RunSummary,
        /// The eval as the failure finder reads it (`task`, `metadata`); `None`
        /// when it is not loaded, so only the code counts.
        eval: Option<serde_json::Value>,
        parts: Vec<PartLen>,
    },
    /// Search every run added so far.
    CorpusSearch { query: sbx_search::Query },
}

impl Request {
    pub fn case(case: &str, seed: u64, analysis: Analysis) -> Self {
        Request::Case {
            case: case.into(),
            seed,
            analysis,
        }
    }

    /// The wire name of the request (its `op`).
    pub fn op(&self) -> &'static str {
        match self {
            Request::Read { .. } => "read",
            Request::Prepare { .. } => "prepare",
            Request::Synthetic { .. } => "synthetic",
            Request::Case { .. } => "case",
            Request::CorpusAdd { .. } => "corpus_add",
            Request::CorpusSearch { .. } => "corpus_search",
        }
    }

    /// Whether the answer is a function of the request alone, so the page may keep
    /// it for the session (`Read` and `Prepare` depend on the file sent or read last).
    pub fn is_pure(&self) -> bool {
        matches!(self, Request::Synthetic { .. } | Request::Case { .. })
    }
}

/// One obs column as the page's form lists it.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct ObsInfo {
    pub name: String,
    /// Free text (one value per unit, e.g. barcodes): not kept unless asked for.
    pub text: bool,
}

/// The worker's answer. `Prepared` and some `Case` answers come with Arrow bytes beside them.
#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Response {
    /// Sent once the worker listens: messages posted to a worker before its wasm has
    /// installed the handler would be dropped.
    Ready,
    /// From `Read`.
    Summary {
        name: String,
        n_units: usize,
        n_genes: usize,
        obs: Vec<ObsInfo>,
        read_ms: f64,
    },
    /// From `Prepare` or `Synthetic`.
    Prepared {
        rows: usize,
        ms: f64,
    },
    /// From `Case`.
    Case(CaseReply),
    /// From `CorpusAdd`: the run's findings.
    CorpusAdded(CorpusAdded),
    /// From `CorpusSearch`.
    CorpusFound(CorpusFound),
    Error {
        message: String,
    },
}

impl Response {
    /// The wire name of the answer (its `kind`), for messages about an answer that
    /// came at the wrong time.
    pub fn kind(&self) -> &'static str {
        match self {
            Response::Ready => "ready",
            Response::Summary { .. } => "summary",
            Response::Prepared { .. } => "prepared",
            Response::Case(_) => "case",
            Response::CorpusAdded(_) => "corpus_added",
            Response::CorpusFound(_) => "corpus_found",
            Response::Error { .. } => "error",
        }
    }

    /// The answer as the worker sends it. Serialising these types cannot fail, but a
    /// failure would still reach the page as an error answer.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|e| {
            format!(r#"{{"kind":"error","message":"the worker could not encode its answer: {e}"}}"#)
        })
    }
}

#[cfg(test)]
mod tests;
