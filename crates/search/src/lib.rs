//! Search across every loaded trajectory: messages, code, tool outputs and
//! answers, with plain words, quoted phrases or a regular expression, and
//! filters by suite, eval, model, harness, step kind and finding class.
//!
//! [`Index::add_run`] tokenises each step's text into a vocabulary of
//! case-folded tokens with a posting list of steps per token. A query word is
//! looked up as a substring of the vocabulary (so `normalize` finds
//! `sc.pp.normalize_total`), which narrows the candidate steps; candidates are
//! then verified on the text, which gives exact phrase and case semantics and
//! the character offsets the page highlights. A regular expression is
//! narrowed the same way by the literals it requires, else scanned within a
//! byte budget (then [`SearchResults::capped`] says the total is a lower bound).
//!
//! ```
//! use sbx_search::{Index, Query, RunMeta};
//! use sbx_suite::trajectory::Step;
//! let mut index = Index::new();
//! let steps = vec![Step::ToolCall {
//!     name: "bash".into(),
//!     input: "python -c 'sc.pp.normalize_total(adata)'".into(),
//!     call_id: None,
//! }];
//! index.add_run(RunMeta { suite: "scbench".into(), ..RunMeta::default() }, &steps);
//! let found = index.search(&Query::words("normalize_total")).unwrap();
//! assert_eq!((found.total, found.hits[0].step, found.hits[0].start), (1, 0, 17));
//! ```
#![forbid(unsafe_code)]

mod bitset;
mod fold;
mod index;
mod literals;
mod matcher;
mod postings;
mod snippet;
mod text;
mod types;
mod vocab;

pub use index::Index;
pub use text::step_text;
pub use types::{Filters, Hit, Query, RunMeta, SearchResults};
