//! Code decoded out of a step's text (a JSON string, a shell-quoted
//! argument, a heredoc body) together with where each of its bytes came
//! from, so evidence found in the decoded code points back into the step.

/// Decoded text; `map[i]` is the byte offset in the step text of the source
/// of decoded byte `i`, and `map[text.len()]` is the end of the source.
#[derive(Clone, Debug, Default)]
pub struct Mapped {
    pub text: String,
    map: Vec<u32>,
}

impl Mapped {
    /// A verbatim slice of the step text starting at byte `base`.
    pub fn verbatim(text: &str, base: usize) -> Mapped {
        let map = (0..=text.len()).map(|i| to_u32(base + i)).collect();
        Mapped {
            text: text.to_string(),
            map,
        }
    }

    /// Byte span in the step text of decoded byte span `start..end`.
    pub fn raw_span(&self, start: usize, end: usize) -> (usize, usize) {
        let last = self.map.len().saturating_sub(1);
        let s = self.map.get(start.min(last)).copied().unwrap_or(0) as usize;
        let e = self.map.get(end.min(last)).copied().unwrap_or(0) as usize;
        (s, e.max(s))
    }

    /// A piece of this text (byte span `start..end` of `self.text`), still mapped.
    pub fn slice(&self, start: usize, end: usize) -> Mapped {
        let end = end.min(self.text.len());
        let start = start.min(end);
        Mapped {
            text: self.text.get(start..end).unwrap_or("").to_string(),
            map: self
                .map
                .get(start..=end)
                .map(<[u32]>::to_vec)
                .unwrap_or_default(),
        }
    }

    /// Decodes the JSON string literal whose opening quote is at byte `q` of
    /// `self.text`; returns it mapped back through `self`, and the byte after
    /// the closing quote.
    pub fn json_string_at(&self, q: usize) -> Option<(Mapped, usize)> {
        let b = self.text.as_bytes();
        if b.get(q) != Some(&b'"') {
            return None;
        }
        let mut out = Mapped::default();
        let mut i = q + 1;
        while i < b.len() {
            match b[i] {
                b'"' => {
                    out.map.push(self.map_at(i));
                    return Some((out, i + 1));
                }
                b'\\' => {
                    let (decoded, len) = json_escape(&self.text, i);
                    let at = self.map_at(i);
                    for _ in 0..decoded.len_utf8() {
                        out.map.push(at);
                    }
                    out.text.push(decoded);
                    i += len;
                }
                _ => {
                    let ch_len = utf8_len(b[i]);
                    for k in 0..ch_len {
                        out.map.push(self.map_at(i + k));
                    }
                    out.text
                        .push_str(self.text.get(i..i + ch_len).unwrap_or(""));
                    i += ch_len;
                }
            }
        }
        None
    }

    /// Decodes a shell double-quoted string body `start..end` (quotes
    /// excluded): `\"`, `\\`, `\$`, `` \` `` and a backslash-newline are escapes.
    pub fn shell_double_quoted(&self, start: usize, end: usize) -> Mapped {
        let b = self.text.as_bytes();
        let mut out = Mapped::default();
        let mut i = start;
        while i < end.min(b.len()) {
            if b[i] == b'\\' && matches!(b.get(i + 1), Some(b'"' | b'\\' | b'$' | b'`')) {
                out.map.push(self.map_at(i));
                out.text.push(b[i + 1] as char);
                i += 2;
                continue;
            }
            let ch_len = utf8_len(b[i]);
            for k in 0..ch_len {
                out.map.push(self.map_at(i + k));
            }
            out.text
                .push_str(self.text.get(i..i + ch_len).unwrap_or(""));
            i += ch_len;
        }
        out.map.push(self.map_at(i.min(end)));
        out
    }

    /// Joins pieces (each already mapped) into one text, e.g. notebook cells.
    pub fn join(parts: Vec<Mapped>, sep: &str) -> Mapped {
        let mut out = Mapped::default();
        let mut end = 0;
        for p in parts {
            end = p.map.last().copied().unwrap_or(end);
            out.text.push_str(&p.text);
            out.map
                .extend_from_slice(&p.map[..p.map.len().saturating_sub(1)]);
            out.text.push_str(sep);
            out.map.extend(std::iter::repeat_n(end, sep.len()));
        }
        out.map.push(end);
        out
    }

    fn map_at(&self, i: usize) -> u32 {
        self.map.get(i).or(self.map.last()).copied().unwrap_or(0)
    }
}

fn to_u32(x: usize) -> u32 {
    u32::try_from(x).unwrap_or(u32::MAX)
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// One JSON escape at `i` (a backslash): the character and the escape's length.
fn json_escape(s: &str, i: usize) -> (char, usize) {
    let b = s.as_bytes();
    match b.get(i + 1) {
        Some(b'n') => ('\n', 2),
        Some(b't') => ('\t', 2),
        Some(b'r') => ('\r', 2),
        Some(b'b') => ('\u{8}', 2),
        Some(b'f') => ('\u{c}', 2),
        Some(b'u') => {
            let hex = s
                .get(i + 2..i + 6)
                .and_then(|h| u32::from_str_radix(h, 16).ok());
            // Surrogate halves decode to the replacement character: spans stay exact.
            (
                hex.and_then(char::from_u32).unwrap_or('\u{fffd}'),
                6.min(b.len() - i),
            )
        }
        Some(&c) if c < 0x80 => (c as char, 2),
        _ => ('\\', 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_map_back_to_the_escaped_source() {
        let raw = r#"{"content":"import scanpy as sc\nsc.pp.log1p(a, \"x\")","path":"a.py"}"#;
        let m = Mapped::verbatim(raw, 0);
        let q = raw.find(":\"").unwrap() + 1;
        let (code, after) = m.json_string_at(q).unwrap();
        assert_eq!(code.text, "import scanpy as sc\nsc.pp.log1p(a, \"x\")");
        assert_eq!(&raw[after..after + 1], ",");
        let s = code.text.find("sc.pp").unwrap();
        let (rs, re) = code.raw_span(s, code.text.len());
        assert_eq!(&raw[rs..re], r#"sc.pp.log1p(a, \"x\")"#);
    }

    #[test]
    fn nested_json_and_shell_quotes_compose() {
        let inner = r#"{"source": ["x = 1\n", "sc.tl.leiden(a)"]}"#;
        let outer = serde_json::to_string(&serde_json::json!({ "content": inner })).unwrap();
        let m = Mapped::verbatim(&outer, 0);
        let (nb, _) = m.json_string_at(outer.find(":\"").unwrap() + 1).unwrap();
        assert_eq!(nb.text, inner);
        let q = nb.text.find("\"sc.tl").unwrap();
        let (cell, _) = nb.json_string_at(q).unwrap();
        let (rs, re) = cell.raw_span(0, cell.text.len());
        assert_eq!(&outer[rs..re], "sc.tl.leiden(a)");

        let sh = r#"python -c "print(\"hi\") # \$HOME""#;
        let m = Mapped::verbatim(sh, 0);
        let body = m.shell_double_quoted(11, sh.len() - 1);
        assert_eq!(body.text, r#"print("hi") # $HOME"#);
        let (rs, re) = body.raw_span(0, 11);
        assert_eq!(&sh[rs..re], r#"print(\"hi\")"#);
    }

    #[test]
    fn broken_input_never_panics() {
        let m = Mapped::verbatim("\"abc\\u12", 0);
        assert!(m.json_string_at(0).is_none());
        let m = Mapped::verbatim("\"\\", 0);
        assert!(m.json_string_at(0).is_none());
        assert_eq!(Mapped::verbatim("é", 3).raw_span(0, 99), (3, 5));
        let j = Mapped::join(
            vec![Mapped::verbatim("a", 0), Mapped::verbatim("b", 5)],
            "\n",
        );
        assert_eq!(j.text, "a\nb\n");
        assert_eq!(j.raw_span(2, 3), (5, 6));
    }
}
