//! The index of every loaded trajectory and the search over it.

use crate::bitset::Bitset;
use crate::fold::{is_token_char, pieces, Tokenizer, WINDOW_STEP};
use crate::literals::Need;
use crate::matcher::Matcher;
use crate::snippet::snippet;
use crate::text::{kind_code, step_text, KINDS};
use crate::types::{Filters, Hit, Query, RunMeta, SearchResults};
use crate::vocab::Vocab;
use sbx_suite::trajectory::Step;

/// Bytes of step text a search verifies at most before it reports a lower
/// bound (`capped`), so a query the index cannot narrow stays interactive.
/// Regexes without a required literal scan at 20-1000 MB/s depending on
/// the pattern, so this is a compromise; see [`Index::set_scan_budget`].
const SCAN_BUDGET: usize = 4 << 20;
/// Most hits one search returns, whatever the query asks.
const MAX_LIMIT: usize = 10_000;

struct Stored {
    text: Box<str>,
    kind: u8,
}

/// Every indexed step's text, with a token index over it.
#[derive(Default)]
pub struct Index {
    runs: Vec<RunMeta>,
    /// Global id of each run's first step; runs' steps are contiguous.
    run_start: Vec<u32>,
    steps: Vec<Stored>,
    vocab: Vocab,
    tokenizer: Tokenizer,
    /// 0: [`SCAN_BUDGET`].
    scan_budget: usize,
}

impl Index {
    pub fn new() -> Self {
        Index::default()
    }

    /// Indexes one run's normalised trajectory; returns the run id that
    /// hits and [`Index::set_classes`] use.
    pub fn add_run(&mut self, meta: RunMeta, steps: &[Step]) -> usize {
        let run = self.runs.len();
        self.runs.push(meta);
        self.run_start.push(self.steps.len() as u32);
        for step in steps {
            let id = self.steps.len() as u32;
            let text = step_text(step);
            let vocab = &mut self.vocab;
            self.tokenizer.tokens(&text, &mut |t| vocab.add(t, id));
            self.steps.push(Stored {
                text: text.into_owned().into_boxed_str(),
                kind: kind_code(step.kind()).unwrap_or(4),
            });
        }
        run
    }

    /// Sets how many bytes of step text one search verifies at most before
    /// it reports a lower bound (0 restores the default of 4 MiB).
    pub fn set_scan_budget(&mut self, bytes: usize) {
        self.scan_budget = bytes;
    }

    /// Replaces a run's committed finding classes (ignored for an unknown run).
    pub fn set_classes(&mut self, run: usize, classes: Vec<String>) {
        if let Some(meta) = self.runs.get_mut(run) {
            meta.classes = classes;
        }
    }

    pub fn runs(&self) -> &[RunMeta] {
        &self.runs
    }

    /// Approximate heap bytes held: texts, vocabulary, postings, metadata.
    pub fn memory_bytes(&self) -> usize {
        let meta: usize = self
            .runs
            .iter()
            .map(|m| {
                std::mem::size_of::<RunMeta>()
                    + m.suite.len()
                    + m.run.len()
                    + m.eval.len()
                    + m.model.len()
                    + m.harness.len()
                    + m.classes.iter().map(|c| c.len() + 24).sum::<usize>()
            })
            .sum();
        let texts: usize = self.steps.iter().map(|s| s.text.len()).sum();
        meta + texts
            + self.steps.capacity() * std::mem::size_of::<Stored>()
            + self.run_start.capacity() * 4
            + self.vocab.memory_bytes()
            + self.tokenizer.folder.memory_bytes()
    }

    /// Releases spare capacity after the last [`Index::add_run`].
    pub fn shrink(&mut self) {
        self.vocab.shrink();
        self.steps.shrink_to_fit();
    }

    /// Distinct tokens indexed.
    pub fn vocabulary_len(&self) -> usize {
        self.vocab.len()
    }

    fn run_of(&self, id: usize) -> usize {
        self.run_start.partition_point(|&s| s as usize <= id) - 1
    }

    fn run_end(&self, run: usize) -> usize {
        self.run_start
            .get(run + 1)
            .map_or(self.steps.len(), |&s| s as usize)
    }

    /// Steps the filters let through, or `None` when there are no filters.
    fn allowed(&self, f: &Filters) -> Result<Option<Bitset>, String> {
        let kind =
            match &f.step_kind {
                Some(k) => Some(kind_code(k).ok_or_else(|| {
                    format!("unknown step kind {k:?}; one of {}", KINDS.join(", "))
                })?),
                None => None,
            };
        let eq = |want: &Option<String>, have: &str| want.as_deref().is_none_or(|w| w == have);
        if kind.is_none()
            && [&f.suite, &f.eval, &f.model, &f.harness, &f.class]
                .iter()
                .all(|x| x.is_none())
        {
            return Ok(None);
        }
        let mut set = Bitset::new(self.steps.len());
        for (run, m) in self.runs.iter().enumerate() {
            let keep = eq(&f.suite, &m.suite)
                && eq(&f.eval, &m.eval)
                && eq(&f.model, &m.model)
                && eq(&f.harness, &m.harness)
                && f.class.as_ref().is_none_or(|c| m.classes.contains(c));
            if !keep {
                continue;
            }
            let (s, e) = (self.run_start[run] as usize, self.run_end(run));
            match kind {
                None => set.insert_range(s, e),
                Some(k) => (s..e)
                    .filter(|&i| self.steps[i].kind == k)
                    .for_each(|i| set.insert(i)),
            }
        }
        Ok(Some(set))
    }

    /// Steps that may satisfy `need` (`None`: any). `narrowed` turns false
    /// when some literal could not be looked up in the index.
    fn candidates(&self, need: &Need, narrowed: &mut bool) -> Option<Bitset> {
        let n = self.steps.len();
        match need {
            Need::All => {
                *narrowed = false;
                None
            }
            Need::Lit(s) => {
                let (ps, exact) = pieces(s);
                *narrowed &= exact && !ps.is_empty();
                let mut acc: Option<Bitset> = None;
                let open_start = s.chars().next().is_some_and(is_token_char);
                let open_end = s.chars().next_back().is_some_and(is_token_char);
                let last = ps.len().saturating_sub(1);
                for (i, p) in ps.into_iter().enumerate() {
                    // A piece with a separator on both sides inside the literal
                    // is a whole token of the text (pieces are cut below the
                    // window, so it was indexed whole): look it up exactly.
                    let whole = (i > 0 || !open_start)
                        && (i < last || !open_end)
                        && p.chars().count() < WINDOW_STEP;
                    if whole {
                        intersect(&mut acc, self.vocab.steps_with_token(&p, n));
                        continue;
                    }
                    match self.vocab.steps_containing(&p, n, 4 * n + 4096) {
                        Some(set) => intersect(&mut acc, set),
                        None => *narrowed = false,
                    }
                }
                acc
            }
            Need::And(parts) => {
                let mut acc = None;
                for p in parts {
                    if let Some(set) = self.candidates(p, narrowed) {
                        intersect(&mut acc, set);
                    }
                }
                acc
            }
            Need::Or(parts) => {
                let mut acc = Bitset::new(n);
                for p in parts {
                    acc.or_with(&self.candidates(p, narrowed)?);
                }
                Some(acc)
            }
        }
    }

    /// Runs a query. `Err` carries a message for the user (a bad regular
    /// expression or an unknown step kind); no input panics.
    pub fn search(&self, q: &Query) -> Result<SearchResults, String> {
        let matcher = Matcher::new(q)?;
        let allowed = self.allowed(&q.filters)?;
        let mut narrowed = true;
        let mut set = self.candidates(&matcher.need, &mut narrowed);
        if let Some(a) = allowed {
            intersect(&mut set, a);
        }
        let set = set.unwrap_or_else(|| Bitset::full(self.steps.len()));
        let exact = matcher.index_exact && narrowed;
        let limit = q.limit.min(MAX_LIMIT);
        let mut out = SearchResults::default();
        let mut last_run = usize::MAX;
        let mut scanned = 0usize;
        let mut misses = 0usize;
        let budget = if self.scan_budget == 0 {
            SCAN_BUDGET
        } else {
            self.scan_budget
        };
        for id in set.iter() {
            let step = &self.steps[id];
            if exact && out.hits.len() >= limit {
                // The index already decided: count runs without reading texts.
                let run = self.run_of(id);
                if run != last_run {
                    out.runs_matched += 1;
                    last_run = run;
                }
                continue;
            }
            if !exact && scanned >= budget {
                out.capped = true;
                break;
            }
            scanned += step.text.len();
            let found = if out.hits.len() < limit {
                matcher
                    .first(&step.text)
                    .inspect(|&first| out.hits.push(self.hit(id, first, &matcher)))
            } else {
                matcher.is_match(&step.text).then_some((0, 0))
            };
            if found.is_none() {
                misses += 1;
                continue;
            }
            let run = self.run_of(id);
            if run != last_run {
                out.runs_matched += 1;
                last_run = run;
            }
            if !exact {
                out.total += 1;
            }
        }
        if exact {
            out.total = set.count() - misses;
        }
        Ok(out)
    }

    fn hit(&self, id: usize, first: (usize, usize), matcher: &Matcher) -> Hit {
        let run = self.run_of(id);
        let step = &self.steps[id];
        let sn = snippet(&step.text, first, matcher.highlighter());
        Hit {
            run,
            step: id - self.run_start[run] as usize,
            kind: KINDS[usize::from(step.kind)].to_string(),
            snippet: sn.text,
            spans: sn.spans,
            start: sn.start,
            end: sn.end,
        }
    }
}

fn intersect(acc: &mut Option<Bitset>, set: Bitset) {
    match acc {
        Some(a) => a.and_with(&set),
        None => *acc = Some(set),
    }
}
