//! A run as the rules see it: the code that ran (tokenized, calls resolved),
//! the agent's own words, and a way to turn a span into [`Evidence`].

use sbx_suite::trajectory::Step;

use crate::code::{Call, Code};
use crate::extract::{units, Unit};
use crate::finding::Evidence;
use crate::shell::Lang;
use crate::step_text::step_text;

/// Longest excerpt kept, in characters: evidence points, it does not copy.
const MAX_EXCERPT: usize = 240;

pub struct Analysed {
    pub unit: Unit,
    pub code: Code,
}

pub struct Program<'a> {
    pub steps: &'a [Step],
    pub units: Vec<Analysed>,
}

impl<'a> Program<'a> {
    pub fn new(steps: &'a [Step]) -> Program<'a> {
        let units = units(steps)
            .into_iter()
            .map(|unit| {
                let code = if unit.lang == Lang::Shell {
                    Code::default()
                } else {
                    Code::new(&unit.code.text)
                };
                Analysed { unit, code }
            })
            .collect();
        Program { steps, units }
    }

    /// Python/R code that ran, in step order.
    pub fn ran(&self) -> impl Iterator<Item = &Analysed> {
        self.units
            .iter()
            .filter(|a| a.unit.ran && a.unit.lang != Lang::Shell)
    }

    /// Every call of code that ran.
    pub fn calls(&self) -> impl Iterator<Item = (&Analysed, &Call)> {
        self.ran()
            .flat_map(|a| a.code.calls.iter().map(move |c| (a, c)))
    }

    /// Calls whose last name component is one of `names`.
    pub fn calls_named<'s>(
        &'s self,
        names: &'s [&'s str],
    ) -> impl Iterator<Item = (&'s Analysed, &'s Call)> {
        self.calls().filter(move |(_, c)| names.contains(&c.last()))
    }

    /// The agent's own words: assistant and reasoning messages, final answers.
    pub fn words(&self) -> impl Iterator<Item = (usize, &str)> {
        self.steps.iter().enumerate().filter_map(|(i, s)| match s {
            Step::Message { role, text } if role == "assistant" || role == "reasoning" => {
                Some((i, text.as_str()))
            }
            Step::FinalAnswer { text } => Some((i, text.as_str())),
            _ => None,
        })
    }

    /// Evidence for byte span `start..end` of a unit's code.
    pub fn code_evidence(&self, a: &Analysed, start: usize, end: usize) -> Option<Evidence> {
        let (s, e) = a.unit.code.raw_span(start, end);
        self.evidence(a.unit.step, s, e)
    }

    /// Evidence for a call (its callee and arguments).
    pub fn call_evidence(&self, a: &Analysed, c: &Call) -> Option<Evidence> {
        self.code_evidence(a, c.start, c.end)
    }

    /// Evidence for byte span `start..end` of a step's text.
    pub fn evidence(&self, step: usize, start: usize, end: usize) -> Option<Evidence> {
        let text = step_text(self.steps.get(step)?);
        let head = text.get(..start)?;
        let body = text.get(start..end)?.trim_end();
        let lead = body.len() - body.trim_start().len();
        let body = body.trim_start();
        if body.is_empty() {
            return None;
        }
        let first = head.chars().count() + text[start..start + lead].chars().count();
        let excerpt: String = body.chars().take(MAX_EXCERPT).collect();
        let n = excerpt.chars().count();
        Some(Evidence {
            step,
            excerpt,
            start: first,
            end: first + n,
        })
    }
}

/// Lower-cased word containment over identifiers like `donor_id`, `individual_cd`.
pub fn mentions(word: &str, stems: &[&str]) -> bool {
    let w = word.to_ascii_lowercase();
    stems.iter().any(|s| w.contains(s))
}

/// Byte span of the sentence (or line) around `at` in `text`.
pub fn sentence_around(text: &str, at: usize) -> (usize, usize) {
    let start = text[..at].rfind(['.', '\n', '!', '?']).map_or(0, |p| p + 1);
    let end = text[at..]
        .find(['.', '\n', '!', '?'])
        .map_or(text.len(), |p| at + p);
    (start, end)
}
