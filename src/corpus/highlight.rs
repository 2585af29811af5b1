//! Splitting a text into plain and marked pieces by character spans, so a
//! step can be shown with a finding's excerpt or a search match highlighted.
//! Spans count Unicode code points (as findings' evidence and search hits
//! do), not bytes, so they never cut a character in two.

use serde::{Deserialize, Serialize};

/// A piece of a text: shown marked or plain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Piece {
    pub text: String,
    pub marked: bool,
}

/// `text` cut at the character spans `[start, end)`. Spans are clipped to
/// the text; empty, reversed and out-of-range spans mark nothing; overlapping
/// or touching spans merge. Concatenating the pieces gives back `text`.
pub fn split_marked(text: &str, spans: &[(usize, usize)]) -> Vec<Piece> {
    let n_chars = text.chars().count();
    let mut spans: Vec<(usize, usize)> = spans
        .iter()
        .map(|&(s, e)| (s.min(n_chars), e.min(n_chars)))
        .filter(|(s, e)| s < e)
        .collect();
    spans.sort_unstable();
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
    for (s, e) in spans {
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    // Character index → byte offset, for each span boundary in order.
    let byte_at = |chars: usize| -> usize {
        text.char_indices()
            .nth(chars)
            .map_or(text.len(), |(b, _)| b)
    };
    let mut pieces = Vec::with_capacity(2 * merged.len() + 1);
    let mut at = 0usize;
    for (s, e) in merged {
        let (bs, be) = (byte_at(s), byte_at(e));
        if bs > at {
            pieces.push(Piece {
                text: text[at..bs].to_string(),
                marked: false,
            });
        }
        pieces.push(Piece {
            text: text[bs..be].to_string(),
            marked: true,
        });
        at = be;
    }
    if at < text.len() || pieces.is_empty() {
        pieces.push(Piece {
            text: text[at..].to_string(),
            marked: false,
        });
    }
    pieces
}

/// A window of `text` around the character span `[start, end)`, with up to
/// `context` characters either side, and the span's position inside it.
/// Used for search results and finding excerpts in lists, where a step of
/// many kilobytes would drown the match. `…` marks a cut.
pub fn snippet(text: &str, start: usize, end: usize, context: usize) -> (String, (usize, usize)) {
    let n = text.chars().count();
    let (s, e) = (start.min(n), end.min(n).max(start.min(n)));
    let from = s.saturating_sub(context);
    let to = e.saturating_add(context).min(n);
    let mut out = String::new();
    let mut offset = 0;
    if from > 0 {
        out.push('…');
        offset = 1;
    }
    out.extend(text.chars().skip(from).take(to - from));
    if to < n {
        out.push('…');
    }
    (out, (s - from + offset, e - from + offset))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(pieces: &[Piece]) -> Vec<&str> {
        pieces
            .iter()
            .filter(|p| p.marked)
            .map(|p| p.text.as_str())
            .collect()
    }

    fn joined(pieces: &[Piece]) -> String {
        pieces.iter().map(|p| p.text.as_str()).collect()
    }

    #[test]
    fn marks_character_spans_not_bytes() {
        let text = "µ-test: sc.pp.normalize_total(adata) → log1p";
        let start = text.chars().position(|c| c == 'n').unwrap();
        let end = start + "normalize_total".chars().count();
        let p = split_marked(text, &[(start, end)]);
        assert_eq!(marked(&p), ["normalize_total"]);
        assert_eq!(joined(&p), text);
        assert_eq!(p.len(), 3);
        // After a multi-byte character.
        let at = text.chars().count() - "log1p".len();
        let p = split_marked(text, &[(at, at + 5)]);
        assert_eq!(marked(&p), ["log1p"]);
    }

    #[test]
    fn overlapping_reversed_and_out_of_range_spans() {
        let text = "abcdefghij";
        let p = split_marked(text, &[(2, 5), (4, 7), (9, 3), (8, 100), (50, 60)]);
        assert_eq!(marked(&p), ["cdefg", "ij"]);
        assert_eq!(joined(&p), text);
        let p = split_marked(text, &[(1, 3), (3, 4)]);
        assert_eq!(marked(&p), ["bcd"]);
        assert_eq!(
            split_marked(text, &[]),
            vec![Piece {
                text: text.into(),
                marked: false
            }]
        );
        assert_eq!(
            split_marked("", &[(0, 3)]),
            vec![Piece {
                text: String::new(),
                marked: false
            }]
        );
        let whole = split_marked("é", &[(0, 1)]);
        assert_eq!(
            whole,
            vec![Piece {
                text: "é".into(),
                marked: true
            }]
        );
    }

    #[test]
    fn snippets_keep_the_span_inside() {
        let text = "0123456789abcdefghij";
        let (s, (a, b)) = snippet(text, 10, 12, 3);
        assert_eq!(s, "…789abcde…");
        assert_eq!(s.chars().skip(a).take(b - a).collect::<String>(), "ab");
        let (s, (a, b)) = snippet(text, 0, 2, 3);
        assert_eq!(s, "01234…");
        assert_eq!((a, b), (0, 2));
        let (s, (a, b)) = snippet("αβγ", 1, 99, 10);
        assert_eq!(s, "αβγ");
        assert_eq!((a, b), (1, 3));
        let (s, (a, b)) = snippet("abc", 7, 2, 1);
        assert_eq!((s.as_str(), a, b), ("…c", 2, 2));
    }
}
