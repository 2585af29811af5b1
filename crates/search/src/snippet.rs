//! The text shown for a hit: a window around the first match, with every
//! match inside it as character ranges to highlight.

use regex::Regex;

/// Characters of context kept before the first match.
const BEFORE: usize = 60;
/// Characters a snippet holds at most (without the ellipses).
const WIDTH: usize = 220;
/// How far past the window a highlight search may look (keeps look-arounds
/// right without scanning a long output to its end for every hit).
const SLACK: usize = 64;

const ELLIPSIS: char = '…';

pub struct Snippet {
    pub text: String,
    pub spans: Vec<(usize, usize)>,
    pub start: usize,
    pub end: usize,
}

/// Byte index `n` characters before `at` (or 0).
fn back(text: &str, at: usize, n: usize) -> usize {
    text[..at]
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i)
}

/// Byte index `n` characters after `at` (or the end).
fn forward(text: &str, at: usize, n: usize) -> usize {
    text[at..]
        .char_indices()
        .nth(n)
        .map_or(text.len(), |(i, _)| at + i)
}

pub fn snippet(text: &str, first: (usize, usize), highlight: Option<&Regex>) -> Snippet {
    let (s, e) = first;
    let start = text[..s].chars().count();
    let end = start + text[s..e].chars().count();
    let ws = if BEFORE == 0 || s == 0 {
        0
    } else {
        back(text, s, BEFORE)
    };
    let kept_before = text[ws..s].chars().count();
    let we = forward(text, s, WIDTH - kept_before);
    let mut out = String::with_capacity(we - ws + 8);
    let lead = usize::from(ws > 0);
    if ws > 0 {
        out.push(ELLIPSIS);
    }
    out.push_str(&text[ws..we]);
    if we < text.len() {
        out.push(ELLIPSIS);
    }
    let spans = highlight.map_or_else(Vec::new, |re| spans(text, ws, we, re, lead));
    Snippet {
        text: out,
        spans,
        start,
        end,
    }
}

/// Matches of `re` overlapping `ws..we`, clipped to it, as char ranges of the snippet.
fn spans(text: &str, ws: usize, we: usize, re: &Regex, lead: usize) -> Vec<(usize, usize)> {
    let hay = &text[..forward(text, we, SLACK)];
    let mut out: Vec<(usize, usize)> = Vec::new();
    // Start a little before the window so a match crossing its left edge is kept.
    let mut at = back(text, ws, SLACK);
    while at <= we {
        let Some(m) = re.find_at(hay, at) else { break };
        if m.start() >= we {
            break;
        }
        let (ms, me) = (m.start().max(ws), m.end().min(we));
        if me > ms {
            let cs = lead + text[ws..ms].chars().count();
            let ce = cs + text[ms..me].chars().count();
            match out.last_mut() {
                Some(last) if last.1 >= cs => last.1 = last.1.max(ce),
                _ => out.push((cs, ce)),
            }
        }
        at = if m.end() > m.start() {
            m.end()
        } else {
            forward(text, m.end(), 1)
        };
        if m.end() == text.len() {
            break;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str, span: (usize, usize)) -> String {
        s.chars().skip(span.0).take(span.1 - span.0).collect()
    }

    #[test]
    fn window_with_ellipses_and_char_spans() {
        let text = format!(
            "{}Zellzahl für Probe 1: größer ✓ {}",
            "ü".repeat(100),
            "é".repeat(300)
        );
        let re = Regex::new("(?i)grö|probe").unwrap();
        let s0 = text.find("Probe").unwrap();
        let sn = snippet(&text, (s0, s0 + "Probe".len()), Some(&re));
        assert_eq!((sn.start, sn.end), (113, 118));
        assert!(sn.text.starts_with('…') && sn.text.ends_with('…'));
        assert_eq!(sn.text.chars().count(), WIDTH + 2);
        let shown: Vec<String> = sn.spans.iter().map(|&sp| chars(&sn.text, sp)).collect();
        assert_eq!(shown, ["Probe", "grö"]);
    }

    #[test]
    fn short_text_is_whole_and_empty_match_gives_no_span() {
        let sn = snippet("abc", (0, 0), Some(&Regex::new("x*").unwrap()));
        assert_eq!(
            (sn.text.as_str(), sn.spans.len(), sn.start, sn.end),
            ("abc", 0, 0, 0)
        );
    }
}
