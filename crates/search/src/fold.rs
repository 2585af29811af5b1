//! Tokens of the index: maximal runs of letters, digits and `_`, each
//! character replaced by one representative of its simple case-folding orbit
//! (the same folding the `regex` crate applies case-insensitively), so a
//! folded query piece is a substring of a folded token exactly when the
//! text holds the piece under case-insensitive matching.

use regex_syntax::hir::{ClassUnicode, ClassUnicodeRange};
use rustc_hash::FxHashMap;

/// Tokens longer than this many characters are indexed as overlapping
/// windows (binary blobs and base64 would otherwise flood the vocabulary).
pub const WINDOW: usize = 64;
/// Distance between window starts; query pieces are cut to this length, so
/// any occurrence of a piece lies wholly inside one window.
pub const WINDOW_STEP: usize = 32;

pub fn is_token_char(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

/// The representative of `c`'s case-folding orbit: ASCII lowercase when the
/// orbit holds an ASCII letter (`K`, `k` and the Kelvin sign give `k`), else
/// its smallest character.
pub fn fold_slow(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    let mut class = ClassUnicode::new([ClassUnicodeRange::new(c, c)]);
    if class.try_case_fold_simple().is_err() {
        return c;
    }
    let mut best = c;
    for r in class.iter() {
        for m in r.start()..=r.end() {
            if m.is_ascii() {
                return m.to_ascii_lowercase();
            }
            best = best.min(m);
        }
    }
    best
}

/// Folds characters, caching the non-ASCII ones (rare in code and logs).
#[derive(Default)]
pub struct Folder {
    cache: FxHashMap<char, char>,
}

impl Folder {
    pub fn fold(&mut self, c: char) -> char {
        if c.is_ascii() {
            return c.to_ascii_lowercase();
        }
        *self.cache.entry(c).or_insert_with(|| fold_slow(c))
    }

    pub fn memory_bytes(&self) -> usize {
        self.cache.capacity() * 9
    }
}

/// Splits text into folded tokens and hands each (or each window of a long
/// one) to `emit`. Buffers are reused across calls.
#[derive(Default)]
pub struct Tokenizer {
    pub folder: Folder,
    buf: String,
    /// Byte offset of each character of `buf`, for windows.
    offs: Vec<usize>,
}

impl Tokenizer {
    pub fn tokens(&mut self, text: &str, emit: &mut dyn FnMut(&str)) {
        for c in text.chars() {
            let token_char = if c.is_ascii() {
                c.is_ascii_alphanumeric() || c == '_'
            } else {
                is_token_char(c)
            };
            if token_char {
                self.offs.push(self.buf.len());
                let f = self.folder.fold(c);
                self.buf.push(f);
            } else if !self.buf.is_empty() {
                self.flush(emit);
            }
        }
        if !self.buf.is_empty() {
            self.flush(emit);
        }
    }

    fn flush(&mut self, emit: &mut dyn FnMut(&str)) {
        let n = self.offs.len();
        if n <= WINDOW {
            emit(&self.buf);
        } else {
            let mut start = 0;
            loop {
                let end = (start + WINDOW).min(n);
                let b = self.offs[start];
                let e = if end == n {
                    self.buf.len()
                } else {
                    self.offs[end]
                };
                emit(&self.buf[b..e]);
                if end == n {
                    break;
                }
                start += WINDOW_STEP;
            }
        }
        self.buf.clear();
        self.offs.clear();
    }
}

/// The folded token pieces a literal's occurrence must contain, each cut to
/// [`WINDOW_STEP`] characters. `exact` is false when a piece was cut.
pub fn pieces(literal: &str) -> (Vec<String>, bool) {
    let mut out = Vec::new();
    let mut exact = true;
    let mut cur = String::new();
    let mut len = 0;
    for c in literal.chars().chain(std::iter::once(' ')) {
        if is_token_char(c) {
            if len < WINDOW_STEP {
                cur.push(fold_slow(c));
            } else {
                exact = false;
            }
            len += 1;
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
            len = 0;
        }
    }
    (out, exact)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all_tokens(text: &str) -> Vec<String> {
        let mut t = Tokenizer::default();
        let mut out = Vec::new();
        t.tokens(text, &mut |s| out.push(s.to_string()));
        out
    }

    #[test]
    fn splits_on_punctuation_and_folds_case() {
        assert_eq!(
            all_tokens("sc.pp.Normalize_Total(adata, target_sum=1e4)"),
            ["sc", "pp", "normalize_total", "adata", "target_sum", "1e4"]
        );
        assert_eq!(
            all_tokens("Straße ΣΊΣΥΦΟΣ"),
            ["straße", all_tokens("σίσυφος")[0].as_str()]
        );
        // The Kelvin sign and the long s fold like their ASCII letters.
        assert_eq!(all_tokens("\u{212A}ey \u{17F}et"), ["key", "set"]);
    }

    #[test]
    fn long_tokens_become_overlapping_windows() {
        let long: String = (0..150)
            .map(|i| char::from(b'a' + (i % 26) as u8))
            .collect();
        let toks = all_tokens(&long);
        assert_eq!(toks.len(), 4, "windows at 0, 32, 64, 96: {toks:?}");
        assert!(toks.iter().all(|t| t.chars().count() <= WINDOW));
        assert_eq!(toks.last().unwrap(), &long[96..]);
        // Any 32-char piece of the token is inside one window.
        for s in 0..=(150 - WINDOW_STEP) {
            let p = &long[s..s + WINDOW_STEP];
            assert!(toks.iter().any(|t| t.contains(p)), "piece at {s}");
        }
    }

    #[test]
    fn pieces_of_a_literal() {
        assert_eq!(
            pieces("sc.pp.normalize_total(").0,
            ["sc", "pp", "normalize_total"]
        );
        assert_eq!(pieces("==").0, Vec::<String>::new());
        let (p, exact) = pieces(&"x".repeat(40));
        assert_eq!((p[0].len(), exact), (WINDOW_STEP, false));
    }
}
