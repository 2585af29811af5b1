//! A query compiled into regexes (one per word or phrase, or the user's
//! regex), plus what the token index can use to narrow the steps first.

use crate::fold::{is_token_char, WINDOW_STEP};
use crate::literals::{need, Need};
use crate::types::Query;
use regex::{Regex, RegexBuilder};

/// Compiled regexes are kept small: a pattern like `\w{1000}{1000}` is an
/// error message, not a stalled worker.
const REGEX_SIZE_LIMIT: usize = 2 << 20;

pub struct Matcher {
    /// Every one must match for a step to match (none: every step matches).
    terms: Vec<Regex>,
    /// Any term, for highlighting.
    any: Option<Regex>,
    pub need: Need,
    /// Case-insensitive single-token words: the index alone decides a match.
    pub index_exact: bool,
}

/// Splits a word query into words and `"quoted phrases"`; an unclosed quote
/// runs to the end of the text.
pub fn parse_terms(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(|c: char| c == '"' || !c.is_whitespace()) {
        rest = &rest[i..];
        if let Some(phrase) = rest.strip_prefix('"') {
            let end = phrase.find('"').unwrap_or(phrase.len());
            if !phrase[..end].is_empty() {
                out.push(phrase[..end].to_string());
            }
            rest = phrase.get(end + 1..).unwrap_or("");
        } else {
            let end = rest
                .find(|c: char| c == '"' || c.is_whitespace())
                .unwrap_or(rest.len());
            out.push(rest[..end].to_string());
            rest = &rest[end..];
        }
    }
    out
}

fn build(pattern: &str, case_sensitive: bool) -> Result<Regex, String> {
    RegexBuilder::new(pattern)
        .case_insensitive(!case_sensitive)
        .multi_line(true)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_SIZE_LIMIT)
        .build()
        .map_err(|e| match e {
            regex::Error::CompiledTooBig(_) => {
                "the regular expression is too large; make it more specific".to_string()
            }
            other => format!("not a valid regular expression: {other}"),
        })
}

impl Matcher {
    pub fn new(q: &Query) -> Result<Matcher, String> {
        if q.regex {
            if q.text.is_empty() {
                return Ok(Matcher::everything());
            }
            let re = build(&q.text, q.case_sensitive)?;
            let need = regex_syntax::ParserBuilder::new()
                .case_insensitive(!q.case_sensitive)
                .multi_line(true)
                .build()
                .parse(&q.text)
                .map_or(Need::All, |hir| need(&hir));
            return Ok(Matcher {
                terms: vec![re.clone()],
                any: Some(re),
                need,
                index_exact: false,
            });
        }
        let words = parse_terms(&q.text);
        if words.is_empty() {
            return Ok(Matcher::everything());
        }
        let terms = words
            .iter()
            .map(|w| build(&regex::escape(w), q.case_sensitive))
            .collect::<Result<Vec<_>, _>>()?;
        let alternation: Vec<String> = words.iter().map(|w| regex::escape(w)).collect();
        let any = build(&alternation.join("|"), q.case_sensitive)?;
        let index_exact = !q.case_sensitive
            && words
                .iter()
                .all(|w| w.chars().all(is_token_char) && w.chars().count() <= WINDOW_STEP);
        Ok(Matcher {
            terms,
            any: Some(any),
            need: Need::And(words.into_iter().map(Need::Lit).collect()),
            index_exact,
        })
    }

    fn everything() -> Matcher {
        Matcher {
            terms: Vec::new(),
            any: None,
            need: Need::All,
            index_exact: false,
        }
    }

    pub fn is_match(&self, text: &str) -> bool {
        self.terms.iter().all(|t| t.is_match(text))
    }

    /// Byte range of the earliest match of any term, if every term matches
    /// (an empty range at 0 when the query has no terms).
    pub fn first(&self, text: &str) -> Option<(usize, usize)> {
        let mut best: Option<(usize, usize)> = None;
        for t in &self.terms {
            let m = t.find(text)?;
            if best.is_none_or(|(s, _)| m.start() < s) {
                best = Some((m.start(), m.end()));
            }
        }
        Some(best.unwrap_or((0, 0)))
    }

    pub fn highlighter(&self) -> Option<&Regex> {
        self.any.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_phrases() {
        assert_eq!(
            parse_terms(r#"  harmony "sc.pp.normalize_total(adata" pydeseq2 "#),
            ["harmony", "sc.pp.normalize_total(adata", "pydeseq2"]
        );
        assert_eq!(
            parse_terms(r#"a"b c"d "unclosed phrase"#),
            ["a", "b c", "d", "unclosed phrase"]
        );
        assert_eq!(parse_terms(r#" "" "#), Vec::<String>::new());
    }

    #[test]
    fn exactness_from_the_index_only_for_plain_case_insensitive_words() {
        let m = |text: &str, cs: bool| {
            let q = Query {
                text: text.into(),
                case_sensitive: cs,
                ..Query::default()
            };
            Matcher::new(&q).unwrap().index_exact
        };
        assert!(m("harmony pydeseq2", false));
        assert!(!m("harmony pydeseq2", true));
        assert!(!m("sc.pp", false));
        assert!(!m("\"two words\"", false));
    }
}
