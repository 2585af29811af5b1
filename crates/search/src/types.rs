//! The data that crosses the worker boundary as JSON.

use serde::{Deserialize, Serialize};

/// What a run is, for filters and for listing hits.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct RunMeta {
    pub suite: String,
    /// Run id within the suite (`<eval>/<provider>/<model>/<harness>/r<N>`).
    pub run: String,
    pub eval: String,
    pub model: String,
    pub harness: String,
    /// Finding class ids committed in this run (may be empty).
    pub classes: Vec<String>,
}

/// Restricts a search; `None` means any. Values compare exactly.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Filters {
    pub suite: Option<String>,
    pub eval: Option<String>,
    pub model: Option<String>,
    pub harness: Option<String>,
    /// A [`sbx_suite::trajectory::Step::kind`] id: `message`, `tool_call`,
    /// `tool_output`, `final_answer` or `unknown`.
    pub step_kind: Option<String>,
    /// A finding class id the run must have committed.
    pub class: Option<String>,
}

/// A search request.
///
/// Without `regex`, `text` is words and `"quoted phrases"`: a step matches
/// when every word and phrase occurs in its text (as a substring, so a word
/// also finds longer identifiers holding it). With `regex`, `text` is one
/// regular expression (Rust `regex` syntax, `^`/`$` at line ends) matched
/// against each step's text. Empty `text` matches every step the filters let
/// through.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Query {
    pub text: String,
    pub regex: bool,
    pub case_sensitive: bool,
    pub filters: Filters,
    /// Most hits returned (the total still counts past it). At most 10,000.
    pub limit: usize,
}

impl Default for Query {
    fn default() -> Self {
        Query {
            text: String::new(),
            regex: false,
            case_sensitive: false,
            filters: Filters::default(),
            limit: 100,
        }
    }
}

impl Query {
    /// A case-insensitive word query with no filters and the default limit.
    pub fn words(text: &str) -> Query {
        Query {
            text: text.to_string(),
            ..Query::default()
        }
    }

    /// A case-insensitive regular expression with no filters and the default limit.
    pub fn regex(pattern: &str) -> Query {
        Query {
            text: pattern.to_string(),
            regex: true,
            ..Query::default()
        }
    }
}

/// Hits in (run, step) order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchResults {
    /// At most `limit` hits, in the order runs were added, then by step.
    pub hits: Vec<Hit>,
    /// Matching steps; a lower bound when `capped`.
    pub total: usize,
    /// The scan stopped at its budget before checking every candidate step.
    pub capped: bool,
    /// Runs with at least one matching step (a lower bound when `capped`).
    pub runs_matched: usize,
}

/// One matching step.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Hit {
    /// Run id as returned by [`crate::Index::add_run`].
    pub run: usize,
    /// Step index in the run's normalised trajectory.
    pub step: usize,
    /// The step's kind id.
    pub kind: String,
    /// Text around the first match; `…` marks text cut at either end.
    pub snippet: String,
    /// Character (code point) ranges of `snippet` to highlight, sorted, not overlapping.
    pub spans: Vec<(usize, usize)>,
    /// Character offsets of the first match in the full step text.
    pub start: usize,
    pub end: usize,
}
