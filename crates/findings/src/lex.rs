//! A small tokenizer for Python and R source: names, strings, numbers and
//! operators with byte spans; comments are skipped, strings (triple-quoted,
//! prefixed, R raw strings) are single tokens so nothing inside them is read
//! as code. Never fails: unknown bytes become one-character operators and an
//! unterminated string runs to the end.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tok {
    /// An identifier (R backticked names included, without the backticks).
    Name,
    /// A string literal; the span covers the quotes, `inner` the content.
    Str,
    Num,
    /// An operator or punctuation; multi-character ones (`::`, `<-`, `%>%`, `|>`, `==`, `**`) are one token.
    Op,
    /// End of a logical line (outside brackets).
    Newline,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: Tok,
    pub start: usize,
    pub end: usize,
    /// For strings: the content span (without prefix and quotes).
    pub inner: (usize, usize),
}

impl Token {
    pub fn text<'a>(&self, src: &'a str) -> &'a str {
        src.get(self.start..self.end).unwrap_or("")
    }
    pub fn inner_text<'a>(&self, src: &'a str) -> &'a str {
        src.get(self.inner.0..self.inner.1).unwrap_or("")
    }
    pub fn is_op(&self, src: &str, op: &str) -> bool {
        self.kind == Tok::Op && self.text(src) == op
    }
}

const MULTI_OPS: &[&str] = &[
    "%>%", "%in%", "<<-", "**=", "//=", "::", "<-", "->", "|>", "==", "!=", "<=", ">=", "**", "//",
    "+=", "-=", "*=", "/=", ":=", "...",
];

/// Tokenizes `src`. Linear in its length.
pub fn tokenize(src: &str) -> Vec<Token> {
    let b = src.as_bytes();
    let mut out = Vec::with_capacity(b.len() / 4);
    let mut i = 0;
    let mut depth: i32 = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'\n' | b';' => {
                if depth <= 0 && out.last().is_some_and(|t: &Token| t.kind != Tok::Newline) {
                    out.push(tok(Tok::Newline, i, i + 1));
                }
                i += 1;
            }
            b'\\' if b.get(i + 1) == Some(&b'\n') => i += 2,
            _ if c.is_ascii_whitespace() => i += 1,
            b'\'' | b'"' => {
                let t = string(b, i, i);
                i = t.end;
                out.push(t);
            }
            b'`' => {
                let end = memchr_from(b, i + 1, b'`').map_or(b.len(), |e| e + 1);
                out.push(Token {
                    kind: Tok::Name,
                    start: i,
                    end,
                    inner: (i + 1, end.saturating_sub(1).max(i + 1)),
                });
                i = end;
            }
            _ if c.is_ascii_digit()
                || (c == b'.' && b.get(i + 1).is_some_and(u8::is_ascii_digit)) =>
            {
                let s = i;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'.' || b[i] == b'_')
                {
                    // exponent sign: 1e-4
                    i += 1;
                    if i < b.len()
                        && (b[i] == b'-' || b[i] == b'+')
                        && matches!(b[i - 1], b'e' | b'E')
                    {
                        i += 1;
                    }
                }
                out.push(tok(Tok::Num, s, i));
            }
            _ if c == b'_' || c.is_ascii_alphabetic() || c >= 0x80 => {
                let s = i;
                while i < b.len() && (b[i] == b'_' || b[i].is_ascii_alphanumeric() || b[i] >= 0x80)
                {
                    i += 1;
                }
                // String prefixes (r, b, f, rb, ...) and R raw strings r"(...)".
                if i < b.len() && (b[i] == b'\'' || b[i] == b'"') && i - s <= 2 {
                    let p = src[s..i].to_ascii_lowercase();
                    if p.chars().all(|ch| matches!(ch, 'r' | 'b' | 'f' | 'u')) {
                        let t = string(b, s, i);
                        i = t.end;
                        out.push(t);
                        continue;
                    }
                }
                out.push(tok(Tok::Name, s, i));
            }
            _ => {
                let s = i;
                let rest = &src.as_bytes()[i..];
                let len = if c == b'%' {
                    // R infix operators %...%
                    rest.iter()
                        .skip(1)
                        .take(12)
                        .position(|&x| x == b'%')
                        .map_or(1, |p| p + 2)
                } else {
                    MULTI_OPS
                        .iter()
                        .find(|op| rest.starts_with(op.as_bytes()))
                        .map_or(1, |op| op.len())
                };
                let mut end = (s + len).min(b.len());
                while !src.is_char_boundary(end) {
                    end += 1;
                }
                match c {
                    b'(' | b'[' | b'{' => depth += 1,
                    b')' | b']' | b'}' => depth -= 1,
                    _ => {}
                }
                out.push(tok(Tok::Op, s, end));
                i = end;
            }
        }
    }
    out
}

fn tok(kind: Tok, start: usize, end: usize) -> Token {
    Token {
        kind,
        start,
        end,
        inner: (start, end),
    }
}

fn memchr_from(b: &[u8], from: usize, c: u8) -> Option<usize> {
    b.get(from..)?
        .iter()
        .position(|&x| x == c)
        .map(|p| p + from)
}

/// A string starting at `start` (prefix included) whose quote is at `q`.
fn string(b: &[u8], start: usize, q: usize) -> Token {
    let quote = b[q];
    let raw = b[start..q].iter().any(|c| c.eq_ignore_ascii_case(&b'r'));
    // R raw string: r"(...)" / r"[...]" / r"{...}" with optional dashes.
    if raw && q > start {
        if let Some(t) = r_raw_string(b, start, q) {
            return t;
        }
    }
    let triple = b.get(q + 1) == Some(&quote) && b.get(q + 2) == Some(&quote);
    if triple {
        let body = q + 3;
        let mut i = body;
        while i < b.len() {
            if b[i] == b'\\' && !raw {
                i += 2;
                continue;
            }
            if b[i] == quote && b.get(i + 1) == Some(&quote) && b.get(i + 2) == Some(&quote) {
                return Token {
                    kind: Tok::Str,
                    start,
                    end: i + 3,
                    inner: (body, i),
                };
            }
            i += 1;
        }
        let end = b.len();
        return Token {
            kind: Tok::Str,
            start,
            end,
            inner: (body.min(end), end),
        };
    }
    let body = q + 1;
    let mut i = body;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            c if c == quote => {
                return Token {
                    kind: Tok::Str,
                    start,
                    end: i + 1,
                    inner: (body, i),
                }
            }
            _ => i += 1,
        }
    }
    let end = b.len();
    Token {
        kind: Tok::Str,
        start,
        end,
        inner: (body.min(end), end),
    }
}

fn r_raw_string(b: &[u8], start: usize, q: usize) -> Option<Token> {
    let quote = b[q];
    let mut i = q + 1;
    let dashes = b.get(i..)?.iter().take_while(|&&c| c == b'-').count();
    i += dashes;
    let close = match b.get(i)? {
        b'(' => b')',
        b'[' => b']',
        b'{' => b'}',
        _ => return None,
    };
    let body = i + 1;
    let mut j = body;
    while j < b.len() {
        if b[j] == close
            && b.get(j + 1..j + 1 + dashes)
                .is_some_and(|d| d.iter().all(|&c| c == b'-'))
            && b.get(j + 1 + dashes) == Some(&quote)
        {
            return Some(Token {
                kind: Tok::Str,
                start,
                end: j + 2 + dashes,
                inner: (body, j),
            });
        }
        j += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<(Tok, &str)> {
        tokenize(src)
            .iter()
            .map(|t| (t.kind, t.text(src)))
            .collect()
    }

    #[test]
    fn comments_and_strings_hide_code() {
        let src = "x = 1  # sc.pp.normalize_total(a)\ns = 'sc.tl.leiden(a)'\n";
        let names: Vec<&str> = tokenize(src)
            .iter()
            .filter(|t| t.kind == Tok::Name)
            .map(|t| t.text(src))
            .collect();
        assert_eq!(names, ["x", "s"]);
    }

    #[test]
    fn triple_quoted_and_prefixed_strings() {
        let src = "a = f\"\"\"x 'y'\n# not a comment\n\"\"\" + rb'\\''\nb";
        let k = kinds(src);
        assert_eq!(k[2].0, Tok::Str);
        assert!(k[2].1.contains("# not a comment"));
        assert_eq!(k[4], (Tok::Str, "rb'\\''"));
        assert_eq!(k.last().unwrap(), &(Tok::Name, "b"));
    }

    #[test]
    fn brackets_join_lines_and_r_operators_are_single() {
        let src = "f(a,\n  b)\ny <- x %>% NormalizeData()\nDESeq2::DESeq(d)";
        let k = kinds(src);
        let newlines = k.iter().filter(|t| t.0 == Tok::Newline).count();
        assert_eq!(newlines, 2);
        assert!(k.contains(&(Tok::Op, "<-")));
        assert!(k.contains(&(Tok::Op, "%>%")));
        assert!(k.contains(&(Tok::Op, "::")));
        let raw = r#"x <- r"(a "b" c)" + 1"#;
        assert_eq!(kinds(raw)[2], (Tok::Str, r#"r"(a "b" c)""#));
    }

    #[test]
    fn numbers_with_exponents_and_unterminated_input() {
        let k = kinds("1e-4 + 1e4");
        assert_eq!(k[0], (Tok::Num, "1e-4"));
        assert_eq!(k[2], (Tok::Num, "1e4"));
        for src in [
            "'abc",
            "\"\"\"abc",
            "`x",
            "r\"(abc",
            "é ü \u{0}\\",
            "%",
            "a.b.c(",
        ] {
            let _ = tokenize(src);
        }
    }
}
