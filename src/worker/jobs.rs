//! Routes each [`Request`] to its job and turns every failure into an error answer.
//! Plain Rust: the wasm32 glue (`host.rs`) only moves the texts and bytes in and out,
//! so everything here is tested natively.

use super::case::CaseJob;
use super::convert::{self, LastFile};
use super::protocol::{Request, Response};
use crate::corpus::job::CorpusJob;

/// The worker's state: the file read last, the case scenario held and the corpus.
#[derive(Default)]
pub struct Jobs {
    file: LastFile,
    case: CaseJob,
    /// The trajectories checked and indexed for the failure finder and search.
    corpus: CorpusJob,
}

impl Jobs {
    /// Answers one request (with the bytes that came beside it); `now` is a
    /// millisecond clock for the timings shown in the page.
    pub fn handle(
        &mut self,
        req: Request,
        bytes: Option<Vec<u8>>,
        now: &dyn Fn() -> f64,
    ) -> (Response, Option<Vec<u8>>) {
        let answer = match req {
            Request::Read { name } => self.file.read(name, bytes, now),
            Request::Prepare {
                obs_columns,
                genes,
                top_genes,
                max_points,
                seed,
            } => self
                .file
                .prepare(obs_columns, genes, top_genes, max_points, seed, now),
            Request::Synthetic { n, seed } => convert::synthetic(n, seed, now),
            Request::Case {
                case,
                seed,
                analysis,
            } => self
                .case
                .handle(&case, seed, &analysis, now)
                .map(|(reply, bytes)| (Response::Case(reply), bytes)),
            Request::CorpusAdd { run, eval, parts } => {
                super::corpus::add(&mut self.corpus, run, eval.as_ref(), &parts, bytes, now)
            }
            Request::CorpusSearch { query } => super::corpus::search(&self.corpus, &query, now),
        };
        answer.unwrap_or_else(|message| (Response::Error { message }, None))
    }

    /// Answers a request's JSON text with the answer's JSON text (a malformed
    /// request is an error answer).
    pub fn handle_text(
        &mut self,
        text: &str,
        bytes: Option<Vec<u8>>,
        now: &dyn Fn() -> f64,
    ) -> (String, Option<Vec<u8>>) {
        let (resp, out) = match serde_json::from_str::<Request>(text) {
            Ok(req) => self.handle(req, bytes, now),
            Err(e) => (
                Response::Error {
                    message: format!("malformed request: {e}"),
                },
                None,
            ),
        };
        (resp.to_json(), out)
    }
}
