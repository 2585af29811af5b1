//! JSON text read and written the way Python's `json` module does it:
//! `NaN`, `Infinity`, `-Infinity` accepted, duplicate keys keep the last
//! value at the first position, floats round-trip exactly, big integers keep
//! their digits, `json.dumps` formatting on output.

use crate::py;
use crate::value::{Map, Value};
use std::fmt;

/// Python's json module gives up near this nesting depth (recursion limit).
const MAX_DEPTH: usize = 900;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    /// Character offset (like Python's `JSONDecodeError.pos`).
    pub pos: usize,
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: line {} column {} (char {})",
            self.message, self.line, self.column, self.pos
        )
    }
}

impl std::error::Error for ParseError {}

struct Parser<'a> {
    s: &'a [u8],
    text: &'a str,
    i: usize,
    /// Members of the objects being parsed, innermost last: an object's map is
    /// built once at its end with the exact capacity instead of growing.
    members: Vec<(String, Value)>,
    /// Elements of the arrays being parsed, innermost last.
    elements: Vec<Value>,
}

/// Parse one JSON document like `json.loads(text)`.
pub fn parse(text: &str) -> Result<Value, ParseError> {
    parse_with(text, None)
}

/// Parse like [`parse`] (same result for valid text, same error for invalid
/// text), but when the document is an object, only its members whose key is
/// in `keep` are built; the others are checked and skipped. For callers that
/// read a few keys of large records (`sbx grade` reads `grader` and `answer`).
pub fn parse_keeping<'a>(text: &'a str, keep: &'a [&'a str]) -> Result<Value, ParseError> {
    parse_with(text, Some(keep))
}

fn parse_with<'a>(text: &'a str, keep: Option<&'a [&'a str]>) -> Result<Value, ParseError> {
    let mut p = Parser {
        s: text.as_bytes(),
        text,
        i: 0,
        members: Vec::new(),
        elements: Vec::new(),
    };
    if text.starts_with('\u{feff}') {
        return Err(p.err("Unexpected UTF-8 BOM (decode using utf-8-sig)"));
    }
    p.ws();
    let v = match keep {
        Some(keep) if p.s.get(p.i) == Some(&b'{') => p.object_keeping(keep)?,
        _ => p.value(0)?,
    };
    p.ws();
    if p.i != p.s.len() {
        return Err(p.err("Extra data"));
    }
    Ok(v)
}

impl<'a> Parser<'a> {
    fn err(&self, msg: &str) -> ParseError {
        let mut end = self.i.min(self.text.len());
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        let before = &self.text[..end];
        let pos = before.chars().count();
        let line = before.matches('\n').count() + 1;
        let column = match before.rfind('\n') {
            Some(n) => before[n + 1..].chars().count() + 1,
            None => pos + 1,
        };
        ParseError {
            message: msg.to_string(),
            pos,
            line,
            column,
        }
    }

    fn ws(&mut self) {
        while self.i < self.s.len() && matches!(self.s[self.i], b' ' | b'\t' | b'\n' | b'\r') {
            self.i += 1;
        }
    }

    fn starts(&self, lit: &str) -> bool {
        self.s[self.i..].starts_with(lit.as_bytes())
    }

    fn value(&mut self, depth: usize) -> Result<Value, ParseError> {
        if depth > MAX_DEPTH {
            return Err(self.err("Maximum nesting depth exceeded"));
        }
        let Some(&c) = self.s.get(self.i) else {
            return Err(self.err("Expecting value"));
        };
        match c {
            b'"' => Ok(Value::Str(self.string()?)),
            b'{' => self.object(depth),
            b'[' => self.array(depth),
            b'n' if self.starts("null") => {
                self.i += 4;
                Ok(Value::Null)
            }
            b't' if self.starts("true") => {
                self.i += 4;
                Ok(Value::Bool(true))
            }
            b'f' if self.starts("false") => {
                self.i += 5;
                Ok(Value::Bool(false))
            }
            b'N' if self.starts("NaN") => {
                self.i += 3;
                Ok(Value::Float(f64::NAN))
            }
            b'I' if self.starts("Infinity") => {
                self.i += 8;
                Ok(Value::Float(f64::INFINITY))
            }
            b'-' if self.starts("-Infinity") => {
                self.i += 9;
                Ok(Value::Float(f64::NEG_INFINITY))
            }
            b'-' | b'0'..=b'9' => self.number(),
            _ => Err(self.err("Expecting value")),
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.i;
        while self.i < self.s.len() && self.s[self.i].is_ascii_digit() {
            self.i += 1;
        }
        self.i - start
    }

    fn number(&mut self) -> Result<Value, ParseError> {
        let start = self.i;
        if self.s[self.i] == b'-' {
            self.i += 1;
        }
        match self.s.get(self.i) {
            Some(b'0') => self.i += 1,
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => {
                self.i = start;
                return Err(self.err("Expecting value"));
            }
        }
        let mut is_float = false;
        if self.s.get(self.i) == Some(&b'.')
            && self.s.get(self.i + 1).is_some_and(|c| c.is_ascii_digit())
        {
            self.i += 1;
            self.digits();
            is_float = true;
        }
        if matches!(self.s.get(self.i), Some(b'e' | b'E')) {
            let save = self.i;
            self.i += 1;
            if matches!(self.s.get(self.i), Some(b'+' | b'-')) {
                self.i += 1;
            }
            if self.digits() == 0 {
                self.i = save;
            } else {
                is_float = true;
            }
        }
        let lit = &self.text[start..self.i];
        if is_float {
            Ok(Value::Float(lit.parse::<f64>().unwrap_or(f64::NAN)))
        } else if let Ok(i) = lit.parse::<i64>() {
            Ok(Value::Int(i))
        } else if lit.trim_start_matches('-').len() > 4300 {
            // CPython refuses to convert integers this long.
            self.i = start;
            Err(self.err("Exceeds the limit (4300 digits) for integer string conversion"))
        } else {
            Ok(Value::BigInt(lit.to_string()))
        }
    }

    fn hex4(&mut self) -> Result<u32, ParseError> {
        let h = self
            .s
            .get(self.i..self.i + 4)
            .and_then(|b| std::str::from_utf8(b).ok());
        match h.and_then(|h| {
            if h.bytes().all(|c| c.is_ascii_hexdigit()) {
                u32::from_str_radix(h, 16).ok()
            } else {
                None
            }
        }) {
            Some(v) => {
                self.i += 4;
                Ok(v)
            }
            None => {
                self.i -= 1;
                Err(self.err("Invalid \\uXXXX escape"))
            }
        }
    }

    fn string(&mut self) -> Result<String, ParseError> {
        let open = self.i;
        self.i += 1;
        // Most strings have no escape: scan to the closing quote and copy once.
        let body = self.i;
        let plain_end = self.s[body..]
            .iter()
            .position(|&c| c == b'"' || c == b'\\' || c < 0x20)
            .map(|n| body + n);
        if let Some(end) = plain_end.filter(|&e| self.s[e] == b'"') {
            self.i = end + 1;
            return Ok(self.text[body..end].to_string());
        }
        let mut out = String::new();
        loop {
            let run_start = self.i;
            while self.i < self.s.len()
                && self.s[self.i] != b'"'
                && self.s[self.i] != b'\\'
                && self.s[self.i] >= 0x20
            {
                self.i += 1;
            }
            out.push_str(&self.text[run_start..self.i]);
            let Some(&c) = self.s.get(self.i) else {
                self.i = open;
                return Err(self.err("Unterminated string starting at"));
            };
            match c {
                b'"' => {
                    self.i += 1;
                    return Ok(out);
                }
                b'\\' => {
                    self.i += 1;
                    let Some(&e) = self.s.get(self.i) else {
                        self.i = open;
                        return Err(self.err("Unterminated string starting at"));
                    };
                    self.i += 1;
                    match e {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => {
                            let hi = self.hex4()?;
                            let mut cp = hi;
                            if (0xD800..0xDC00).contains(&hi) && self.starts("\\u") {
                                let save = self.i;
                                self.i += 2;
                                match self.hex4() {
                                    Ok(lo) if (0xDC00..0xE000).contains(&lo) => {
                                        cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                                    }
                                    Ok(_) => self.i = save,
                                    Err(e) => return Err(e),
                                }
                            }
                            // A lone surrogate cannot live in a Rust string.
                            out.push(char::from_u32(cp).unwrap_or('\u{FFFD}'));
                        }
                        _ => {
                            self.i -= 2;
                            return Err(self.err("Invalid \\escape"));
                        }
                    }
                }
                _ => return Err(self.err("Invalid control character at")),
            }
        }
    }

    // `object` and `array` hold their loops inline: one stack frame per
    // nesting level besides `value` (deep documents in unoptimised builds).
    fn object(&mut self, depth: usize) -> Result<Value, ParseError> {
        self.i += 1;
        self.ws();
        if self.s.get(self.i) == Some(&b'}') {
            self.i += 1;
            return Ok(Value::Object(Map::default()));
        }
        let start = self.members.len();
        loop {
            if self.s.get(self.i) != Some(&b'"') {
                return Err(self.err("Expecting property name enclosed in double quotes"));
            }
            let k = self.string()?;
            self.ws();
            if self.s.get(self.i) != Some(&b':') {
                return Err(self.err("Expecting ':' delimiter"));
            }
            self.i += 1;
            self.ws();
            let v = self.value(depth + 1)?;
            self.members.push((k, v));
            self.ws();
            match self.s.get(self.i) {
                Some(b',') => {
                    self.i += 1;
                    self.ws();
                }
                Some(b'}') => {
                    self.i += 1;
                    return Ok(self.finish_object(start));
                }
                // The member stacks are left as they are: an error ends the parse.
                _ => return Err(self.err("Expecting ',' delimiter")),
            }
        }
    }

    /// The top-level object of [`parse_keeping`]: members with other keys are
    /// checked by `skip_value`, not built (kept apart from the recursive
    /// `object` so that its stack frame stays small).
    fn object_keeping(&mut self, keep: &[&str]) -> Result<Value, ParseError> {
        self.i += 1;
        self.ws();
        if self.s.get(self.i) == Some(&b'}') {
            self.i += 1;
            return Ok(Value::Object(Map::default()));
        }
        let start = self.members.len();
        loop {
            let k = self.member_key()?;
            if keep.contains(&k.as_str()) {
                let v = self.value(1)?;
                self.members.push((k, v));
            } else {
                self.skip_value(1)?;
            }
            if self.member_end(b'}')? {
                return Ok(self.finish_object(start));
            }
        }
    }

    // The finishing steps live in their own frames, not in the recursive ones.
    #[inline(never)]
    fn finish_object(&mut self, start: usize) -> Value {
        let mut m = Map::with_capacity_and_hasher(self.members.len() - start, Default::default());
        // `insert` keeps a duplicate key at its first position with its last value.
        for (k, v) in self.members.drain(start..) {
            m.insert(k, v);
        }
        Value::Object(m)
    }

    #[inline(never)]
    fn finish_array(&mut self, start: usize) -> Value {
        Value::Array(self.elements.drain(start..).collect())
    }

    /// An object member's key and the `:` after it.
    #[inline(never)]
    fn member_key(&mut self) -> Result<String, ParseError> {
        if self.s.get(self.i) != Some(&b'"') {
            return Err(self.err("Expecting property name enclosed in double quotes"));
        }
        let k = self.string()?;
        self.ws();
        if self.s.get(self.i) != Some(&b':') {
            return Err(self.err("Expecting ':' delimiter"));
        }
        self.i += 1;
        self.ws();
        Ok(k)
    }

    /// After a member or element: `,` (more follow, false) or `close` (true).
    #[inline(never)]
    fn member_end(&mut self, close: u8) -> Result<bool, ParseError> {
        self.ws();
        match self.s.get(self.i) {
            Some(b',') => {
                self.i += 1;
                self.ws();
                Ok(false)
            }
            Some(&c) if c == close => {
                self.i += 1;
                Ok(true)
            }
            _ => Err(self.err("Expecting ',' delimiter")),
        }
    }

    /// Check a value the way [`Parser::value`] reads it, building nothing
    /// (scalars and strings with escapes go through the ordinary path).
    fn skip_value(&mut self, depth: usize) -> Result<(), ParseError> {
        if depth > MAX_DEPTH {
            return Err(self.err("Maximum nesting depth exceeded"));
        }
        match self.s.get(self.i) {
            Some(b'"') => self.skip_string(),
            Some(b'{') => self.skip_object(depth),
            Some(b'[') => self.skip_array(depth),
            _ => self.value(depth).map(drop),
        }
    }

    fn skip_string(&mut self) -> Result<(), ParseError> {
        let body = self.i + 1;
        if let Some(n) = self.s[body..]
            .iter()
            .position(|&c| c == b'"' || c == b'\\' || c < 0x20)
        {
            if self.s[body + n] == b'"' {
                self.i = body + n + 1;
                return Ok(());
            }
        }
        self.string().map(drop)
    }

    fn skip_object(&mut self, depth: usize) -> Result<(), ParseError> {
        self.i += 1;
        self.ws();
        if self.s.get(self.i) == Some(&b'}') {
            self.i += 1;
            return Ok(());
        }
        loop {
            if self.s.get(self.i) != Some(&b'"') {
                return Err(self.err("Expecting property name enclosed in double quotes"));
            }
            self.skip_string()?;
            self.ws();
            if self.s.get(self.i) != Some(&b':') {
                return Err(self.err("Expecting ':' delimiter"));
            }
            self.i += 1;
            self.ws();
            self.skip_value(depth + 1)?;
            self.ws();
            match self.s.get(self.i) {
                Some(b',') => {
                    self.i += 1;
                    self.ws();
                }
                Some(b'}') => {
                    self.i += 1;
                    return Ok(());
                }
                _ => return Err(self.err("Expecting ',' delimiter")),
            }
        }
    }

    fn skip_array(&mut self, depth: usize) -> Result<(), ParseError> {
        self.i += 1;
        self.ws();
        if self.s.get(self.i) == Some(&b']') {
            self.i += 1;
            return Ok(());
        }
        loop {
            self.skip_value(depth + 1)?;
            self.ws();
            match self.s.get(self.i) {
                Some(b',') => {
                    self.i += 1;
                    self.ws();
                }
                Some(b']') => {
                    self.i += 1;
                    return Ok(());
                }
                _ => return Err(self.err("Expecting ',' delimiter")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, ParseError> {
        self.i += 1;
        self.ws();
        if self.s.get(self.i) == Some(&b']') {
            self.i += 1;
            return Ok(Value::Array(Vec::new()));
        }
        let start = self.elements.len();
        loop {
            let v = self.value(depth + 1)?;
            self.elements.push(v);
            self.ws();
            match self.s.get(self.i) {
                Some(b',') => {
                    self.i += 1;
                    self.ws();
                }
                Some(b']') => {
                    self.i += 1;
                    return Ok(self.finish_array(start));
                }
                _ => return Err(self.err("Expecting ',' delimiter")),
            }
        }
    }
}

/// Replace every `{"$nonfinite": "NaN" | "Infinity" | "-Infinity"}` object
/// (exactly one key) by the float it stands for (conformance-file encoding).
pub fn decode_nonfinite(mut v: Value) -> Value {
    decode_nonfinite_in_place(&mut v);
    v
}

/// [`decode_nonfinite`] on a value in place (no map or list is rebuilt).
pub fn decode_nonfinite_in_place(v: &mut Value) {
    match v {
        Value::Object(m) => {
            if m.len() == 1 {
                if let Some(Value::Str(s)) = m.get("$nonfinite") {
                    let f = match s.as_str() {
                        "NaN" => Some(f64::NAN),
                        "Infinity" => Some(f64::INFINITY),
                        "-Infinity" => Some(f64::NEG_INFINITY),
                        _ => None,
                    };
                    if let Some(f) = f {
                        *v = Value::Float(f);
                        return;
                    }
                }
            }
            m.values_mut().for_each(decode_nonfinite_in_place);
        }
        Value::Array(a) => a.iter_mut().for_each(decode_nonfinite_in_place),
        _ => {}
    }
}

/// Output options of [`to_json`].
#[derive(Clone, Copy, Debug)]
pub struct DumpOptions {
    /// `json.dumps(..., ensure_ascii=True)` escapes every non-ASCII character.
    pub ensure_ascii: bool,
    /// `", "`/`": "` (Python's defaults) when false, `","`/`":"` when true.
    pub compact: bool,
}

impl DumpOptions {
    /// (between items, between a key and its value), as `json.dumps` writes them.
    pub(crate) fn separators(self) -> (&'static str, &'static str) {
        if self.compact {
            (",", ":")
        } else {
            (", ", ": ")
        }
    }
}

impl Default for DumpOptions {
    fn default() -> Self {
        DumpOptions {
            ensure_ascii: true,
            compact: false,
        }
    }
}

/// `json.dumps(value)` with Python's default formatting.
pub fn to_python_json(v: &Value) -> String {
    to_json(v, DumpOptions::default())
}

/// Serialize with the given options; non-finite floats become `NaN`/`Infinity`/`-Infinity`.
pub fn to_json(v: &Value, opts: DumpOptions) -> String {
    let mut out = String::new();
    write_json(&mut out, v, opts);
    out
}

/// Append the serialization of `v` to `out` (lets a caller reuse one buffer per line).
pub fn write_json(out: &mut String, v: &Value, opts: DumpOptions) {
    let (item_sep, _) = opts.separators();
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Int(i) => push_int(out, *i),
        Value::BigInt(s) => out.push_str(s),
        Value::Float(f) => {
            if f.is_nan() {
                out.push_str("NaN")
            } else if f.is_infinite() {
                out.push_str(if *f > 0.0 { "Infinity" } else { "-Infinity" })
            } else {
                py::push_float_repr(out, *f)
            }
        }
        Value::Str(s) => write_str(out, s, opts.ensure_ascii),
        Value::Array(a) => {
            out.push('[');
            for (n, x) in a.iter().enumerate() {
                if n > 0 {
                    out.push_str(item_sep);
                }
                write_json(out, x, opts);
            }
            out.push(']');
        }
        Value::Object(m) => write_object(out, m, opts),
    }
}

/// Append a JSON object of the members of `m`, in their order.
pub(crate) fn write_object(out: &mut String, m: &Map, opts: DumpOptions) {
    let (item_sep, key_sep) = opts.separators();
    out.push('{');
    for (n, (k, x)) in m.iter().enumerate() {
        if n > 0 {
            out.push_str(item_sep);
        }
        write_str(out, k, opts.ensure_ascii);
        out.push_str(key_sep);
        write_json(out, x, opts);
    }
    out.push('}');
}

/// Append the decimal digits of `i` without a temporary string.
pub fn push_int(out: &mut String, i: i64) {
    let mut buf = [0u8; 20];
    let mut n = i.unsigned_abs();
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if i < 0 {
        out.push('-');
    }
    // Only ASCII digits were written.
    out.push_str(std::str::from_utf8(&buf[at..]).unwrap_or_default());
}

/// A JSON string literal, quotes included.
pub fn write_str(out: &mut String, s: &str, ensure_ascii: bool) {
    out.push('"');
    write_str_body(out, s, ensure_ascii);
    out.push('"');
}

/// The escaped contents of a JSON string literal (no quotes): runs of
/// characters that need no escape are copied at once.
pub fn write_str_body(out: &mut String, s: &str, ensure_ascii: bool) {
    let bytes = s.as_bytes();
    let mut run = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let plain =
            b >= 0x20 && b != b'"' && b != b'\\' && (b < 0x7f || (!ensure_ascii && b >= 0x80));
        if plain {
            continue;
        }
        // A non-ASCII byte that is not a character start is handled with its character.
        if b >= 0x80 && !s.is_char_boundary(i) {
            continue;
        }
        out.push_str(&s[run..i]);
        let c = s[i..].chars().next().unwrap_or('\u{FFFD}');
        run = i + c.len_utf8();
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (ensure_ascii && (c as u32) > 0x7e) => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    push_u_escape(out, *unit);
                }
            }
            c => out.push(c),
        }
    }
    out.push_str(&s[run..]);
}

fn push_u_escape(out: &mut String, unit: u16) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push_str("\\u");
    for shift in [12, 8, 4, 0] {
        out.push(HEX[((unit >> shift) & 0xf) as usize] as char);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_tokens_and_duplicates() {
        let v = parse(r#"{"b": NaN, "a": [Infinity, -Infinity], "b": 2}"#).unwrap();
        let m = v.as_object().unwrap();
        let keys: Vec<&str> = m.keys().map(|k| k.as_str()).collect();
        assert_eq!(keys, ["b", "a"]);
        assert!(matches!(m["b"], Value::Int(2)));
        assert_eq!(
            to_python_json(&v),
            r#"{"b": 2, "a": [Infinity, -Infinity]}"#
        );
    }

    #[test]
    fn numbers_round_trip() {
        for t in [
            "0.1",
            "1e-05",
            "1e+16",
            "123456789012345678901234567890",
            "-0.0",
            "2.5e-308",
            "1.7976931348623157e+308",
        ] {
            assert_eq!(to_python_json(&parse(t).unwrap()), t);
        }
        assert_eq!(to_python_json(&parse("1E400").unwrap()), "Infinity");
        assert_eq!(to_python_json(&parse("1.0").unwrap()), "1.0");
    }

    #[test]
    fn rejects_what_python_rejects() {
        for t in [
            "",
            "[1,]",
            "{\"a\":1,}",
            "01",
            "1.",
            "[1e]",
            "\"a\nb\"",
            "nan",
            "{'a': 1}",
            "\u{feff}1",
            "[1] x",
            "\"\\x\"",
        ] {
            assert!(parse(t).is_err(), "{t:?} should fail");
        }
        assert!(parse(" \t\n[1] \r\n").is_ok());
    }

    #[test]
    fn strings_and_surrogates() {
        let v = parse(r#""\ud83d\ude00 \u00e9 \/""#).unwrap();
        assert_eq!(v.as_str().unwrap(), "😀 é /");
        assert_eq!(to_python_json(&v), r#""\ud83d\ude00 \u00e9 /""#);
        assert!(parse(r#""\ud800""#).is_ok());
    }

    #[test]
    fn parse_keeping_builds_only_kept_members_and_fails_like_parse() {
        let v = parse_keeping(
            r#"{"id": "x", "answer": [1, {"a": NaN}], "expected": {"m": [1e400, "\u00e9"]}, "answer": 2}"#,
            &["grader", "answer"],
        )
        .unwrap();
        assert_eq!(to_python_json(&v), r#"{"answer": 2}"#);
        // Arrays and scalars at the top are built whole.
        assert_eq!(
            to_python_json(&parse_keeping("[1, {\"b\": 2}]", &[]).unwrap()),
            "[1, {\"b\": 2}]"
        );
        let bad = [
            "",
            "[1,]",
            "{\"a\":1,}",
            "01",
            "1.",
            "[1e]",
            "\"a\nb\"",
            "nan",
            "{'a': 1}",
            "\"\\x\"",
            "\"\\u12\"",
            "\"\\ud800\\u12\"",
            "{\"a\" 1}",
            "{1: 2}",
            "[1 2]",
            "\"abc",
            "tru",
        ];
        for b in bad {
            for doc in [
                b.to_string(),
                format!("{{\"x\": {b}}}"),
                format!("{{\"x\": [1, {{\"y\": {b}}}], \"grader\": 1}}"),
                format!("{{\"grader\": 1, \"x\": {{\"k\": {b}}}}}"),
            ] {
                assert_eq!(
                    parse_keeping(&doc, &["grader"]).err(),
                    parse(&doc).err(),
                    "{doc:?}"
                );
                assert!(parse(&doc).is_err(), "{doc:?}");
            }
        }
        let deep = format!("{{\"x\": {}}}", "[".repeat(5000));
        assert_eq!(parse_keeping(&deep, &[]).err(), parse(&deep).err());
        let big = format!("{{\"x\": {}}}", "9".repeat(5000));
        assert_eq!(parse_keeping(&big, &[]).err(), parse(&big).err());
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let t = "[".repeat(5000);
        assert!(parse(&t).is_err());
    }

    #[test]
    fn nonfinite_sentinels() {
        let v = decode_nonfinite(
            parse(r#"[{"$nonfinite": "NaN"}, {"$nonfinite": "-Infinity"}, {"$nonfinite": "x"}]"#)
                .unwrap(),
        );
        assert_eq!(
            to_python_json(&v),
            r#"[NaN, -Infinity, {"$nonfinite": "x"}]"#
        );
    }
}
