//! Python semantics the reference graders rely on: `float()`, `str()` and
//! `repr()`, `strip()`/`upper()`/`lower()`, truthiness, `==` across int,
//! float and bool, hashing for sets and dict keys, and arithmetic that raises
//! `TypeError` on non-numbers.

use crate::value::Value;
use std::cmp::Ordering;

/// A Python exception raised while grading (the grader "crashes").
#[derive(Clone, Debug, PartialEq)]
pub struct PyErr {
    /// The Python exception class name, e.g. `TypeError`.
    pub kind: &'static str,
    pub message: String,
}

impl PyErr {
    pub fn type_error(msg: impl Into<String>) -> PyErr {
        PyErr {
            kind: "TypeError",
            message: msg.into(),
        }
    }
    pub fn value_error(msg: impl Into<String>) -> PyErr {
        PyErr {
            kind: "ValueError",
            message: msg.into(),
        }
    }
    pub fn attribute_error(v: &Value, attr: &str) -> PyErr {
        PyErr {
            kind: "AttributeError",
            message: format!("'{}' object has no attribute '{}'", v.type_name(), attr),
        }
    }
    pub fn recursion() -> PyErr {
        PyErr {
            kind: "RecursionError",
            message: "maximum recursion depth exceeded".into(),
        }
    }
}

pub type PyResult<T> = Result<T, PyErr>;

// ---------------------------------------------------------------- numbers

/// A Python number: exact integer or float.
#[derive(Clone, Copy, Debug)]
pub enum Num {
    I(i128),
    F(f64),
}

impl Num {
    pub fn f(self) -> f64 {
        match self {
            Num::I(i) => i as f64,
            Num::F(f) => f,
        }
    }
    pub fn to_value(self) -> Value {
        match self {
            Num::I(i) => match i64::try_from(i) {
                Ok(v) => Value::Int(v),
                Err(_) => Value::BigInt(i.to_string()),
            },
            Num::F(f) => Value::Float(f),
        }
    }
    pub fn is_zero(self) -> bool {
        match self {
            Num::I(i) => i == 0,
            Num::F(f) => f == 0.0,
        }
    }
}

/// The value as a Python number (bool counts as int), else `None`.
pub fn num(v: &Value) -> Option<Num> {
    match v {
        Value::Bool(b) => Some(Num::I(*b as i128)),
        Value::Int(i) => Some(Num::I(*i as i128)),
        Value::BigInt(s) => Some(match s.parse::<i128>() {
            Ok(i) => Num::I(i),
            Err(_) => Num::F(s.parse::<f64>().unwrap_or(f64::NAN)),
        }),
        Value::Float(f) => Some(Num::F(*f)),
        _ => None,
    }
}

/// `isinstance(v, (int, float)) and not isinstance(v, bool)`.
pub fn is_number(v: &Value) -> bool {
    matches!(v, Value::Int(_) | Value::BigInt(_) | Value::Float(_))
}

/// The reference's `is_finite_number`: a non-bool int/float whose float() is finite.
pub fn is_finite_number(v: &Value) -> bool {
    match v {
        Value::Int(_) => true,
        Value::BigInt(s) => s.parse::<f64>().map(|f| f.is_finite()).unwrap_or(false),
        Value::Float(f) => f.is_finite(),
        _ => false,
    }
}

fn unsupported(op: &str, a: &Value, b: &Value) -> PyErr {
    PyErr::type_error(format!(
        "unsupported operand type(s) for {op}: '{}' and '{}'",
        a.type_name(),
        b.type_name()
    ))
}

pub fn sub(a: &Value, b: &Value) -> PyResult<Num> {
    match (num(a), num(b)) {
        (Some(Num::I(x)), Some(Num::I(y))) => Ok(x
            .checked_sub(y)
            .map(Num::I)
            .unwrap_or(Num::F(x as f64 - y as f64))),
        (Some(x), Some(y)) => Ok(Num::F(x.f() - y.f())),
        _ => Err(unsupported("-", a, b)),
    }
}

pub fn add(a: &Value, b: &Value) -> PyResult<Num> {
    match (num(a), num(b)) {
        (Some(Num::I(x)), Some(Num::I(y))) => Ok(x
            .checked_add(y)
            .map(Num::I)
            .unwrap_or(Num::F(x as f64 + y as f64))),
        (Some(x), Some(y)) => Ok(Num::F(x.f() + y.f())),
        _ => Err(unsupported("+", a, b)),
    }
}

pub fn abs(n: Num) -> Num {
    match n {
        Num::I(i) => Num::I(i.checked_abs().unwrap_or(i128::MAX)),
        Num::F(f) => Num::F(f.abs()),
    }
}

/// Exact comparison of a Python int with a float (Python never rounds here).
fn cmp_int_float(i: i128, f: f64) -> Option<Ordering> {
    if f.is_nan() {
        return None;
    }
    if i.unsigned_abs() < (1u128 << 53) {
        return (i as f64).partial_cmp(&f);
    }
    if f.is_infinite() || f.abs() >= 1.7e38 {
        return Some(if f > 0.0 {
            Ordering::Less
        } else {
            Ordering::Greater
        });
    }
    let t = f.trunc();
    let ti = t as i128;
    match i.cmp(&ti) {
        Ordering::Equal => 0.0f64.partial_cmp(&(f - t)),
        o => Some(o),
    }
}

pub fn num_cmp(a: Num, b: Num) -> Option<Ordering> {
    match (a, b) {
        (Num::I(x), Num::I(y)) => Some(x.cmp(&y)),
        (Num::I(x), Num::F(y)) => cmp_int_float(x, y),
        (Num::F(x), Num::I(y)) => cmp_int_float(y, x).map(Ordering::reverse),
        (Num::F(x), Num::F(y)) => x.partial_cmp(&y),
    }
}

/// Python ordering comparison `a < b` etc. Numbers with numbers, strings with
/// strings, lists with lists; anything else raises TypeError.
pub fn compare(a: &Value, b: &Value, op: &str) -> PyResult<bool> {
    let ord = match (a, b) {
        (Value::Str(x), Value::Str(y)) => Some(x.cmp(y)),
        (Value::Array(x), Value::Array(y)) => {
            // The first differing element decides, else the lengths.
            for (p, q) in x.iter().zip(y.iter()) {
                if !eq_in_container(p, q) {
                    return compare(p, q, op);
                }
            }
            Some(x.len().cmp(&y.len()))
        }
        _ => match (num(a), num(b)) {
            (Some(x), Some(y)) => num_cmp(x, y),
            _ => {
                return Err(PyErr::type_error(format!(
                    "'{op}' not supported between instances of '{}' and '{}'",
                    a.type_name(),
                    b.type_name()
                )))
            }
        },
    };
    Ok(match ord {
        None => false,
        Some(o) => match op {
            "<" => o == Ordering::Less,
            "<=" => o != Ordering::Greater,
            ">" => o == Ordering::Greater,
            ">=" => o != Ordering::Less,
            _ => false,
        },
    })
}

pub fn lt(a: &Value, b: &Value) -> PyResult<bool> {
    compare(a, b, "<")
}
pub fn le(a: &Value, b: &Value) -> PyResult<bool> {
    compare(a, b, "<=")
}
pub fn ge(a: &Value, b: &Value) -> PyResult<bool> {
    compare(a, b, ">=")
}
pub fn gt(a: &Value, b: &Value) -> PyResult<bool> {
    compare(a, b, ">")
}

/// `float(v)` for a JSON value.
pub fn to_float(v: &Value) -> PyResult<f64> {
    match v {
        Value::Str(s) => parse_float(s).ok_or_else(|| {
            PyErr::value_error(format!(
                "could not convert string to float: {}",
                repr_str(s)
            ))
        }),
        Value::Null | Value::Array(_) | Value::Object(_) => Err(PyErr::type_error(format!(
            "float() argument must be a string or a real number, not '{}'",
            v.type_name()
        ))),
        _ => Ok(num(v).map(Num::f).unwrap_or(f64::NAN)),
    }
}

// ---------------------------------------------------------------- equality

fn eq_impl(a: &Value, b: &Value, in_container: bool) -> bool {
    match (a, b) {
        (Value::Null, Value::Null) => true,
        (Value::Str(x), Value::Str(y)) => x == y,
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| eq_impl(p, q, true))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| eq_impl(v, w, true)))
        }
        _ => match (num(a), num(b)) {
            (Some(Num::F(x)), Some(Num::F(y))) if x.is_nan() && y.is_nan() => in_container,
            (Some(x), Some(y)) => num_cmp(x, y) == Some(Ordering::Equal),
            _ => false,
        },
    }
}

/// Python `a == b`. A NaN read from JSON is one shared object in Python, so
/// inside lists and dicts (identity checked first) NaN equals NaN; at the top
/// level it does not.
pub fn eq(a: &Value, b: &Value) -> bool {
    eq_impl(a, b, false)
}

/// Equality as a container member comparison (`x is y or x == y`).
pub fn eq_in_container(a: &Value, b: &Value) -> bool {
    eq_impl(a, b, true)
}

/// Python `needle in haystack` for a string needle (used for `"value" in x`).
pub fn contains_str(haystack: &Value, needle: &str) -> PyResult<bool> {
    match haystack {
        Value::Str(s) => Ok(s.contains(needle)),
        Value::Object(m) => Ok(m.contains_key(needle)),
        Value::Array(a) => Ok(a.iter().any(|x| x.as_str() == Some(needle))),
        other => Err(PyErr::type_error(format!(
            "argument of type '{}' is not iterable",
            other.type_name()
        ))),
    }
}

// ---------------------------------------------------------------- hashing

/// A hashable stand-in for a Python value: equal keys for values Python
/// treats as equal in a set or dict (`1 == 1.0 == True`, one shared NaN).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum HKey {
    None,
    Int(i128),
    Float(u64),
    NaN,
    Str(String),
    Tuple(Vec<HKey>),
}

fn num_key(n: Num) -> HKey {
    match n {
        Num::I(i) => HKey::Int(i),
        Num::F(f) if f.is_nan() => HKey::NaN,
        Num::F(f) if f.fract() == 0.0 && f.abs() < 1.7e38 => HKey::Int(f as i128),
        Num::F(f) => HKey::Float(f.to_bits()),
    }
}

/// `hash(v)`: lists and dicts are unhashable (TypeError).
pub fn hash_key(v: &Value) -> PyResult<HKey> {
    match v {
        Value::Null => Ok(HKey::None),
        Value::Str(s) => Ok(HKey::Str(s.clone())),
        Value::Array(_) | Value::Object(_) => Err(PyErr::type_error(format!(
            "unhashable type: '{}'",
            v.type_name()
        ))),
        _ => Ok(num(v).map(num_key).unwrap_or(HKey::None)),
    }
}

// ---------------------------------------------------------------- strings

/// Python's `str.isspace()` set (Unicode White_Space plus the ASCII
/// information separators U+001C..U+001F).
pub fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// `s.strip()`.
pub fn strip(s: &str) -> &str {
    s.trim_matches(is_py_space)
}

/// `s.upper()`.
pub fn upper(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_uppercase();
    }
    s.to_uppercase()
}

/// `s.lower()`.
pub fn lower(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    s.to_lowercase()
}

/// Zero code points of the Unicode decimal-digit runs (Unicode 14, as CPython 3.11).
const DECIMAL_ZEROS: [u32; 66] = [
    0x30, 0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66, 0xbe6, 0xc66, 0xce6, 0xd66,
    0xde6, 0xe50, 0xed0, 0xf20, 0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90,
    0x1b50, 0x1bb0, 0x1c40, 0x1c50, 0xa620, 0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0, 0xff10,
    0x104a0, 0x10d30, 0x11066, 0x110f0, 0x11136, 0x111d0, 0x112f0, 0x11450, 0x114d0, 0x11650,
    0x116c0, 0x11730, 0x118e0, 0x11950, 0x11c50, 0x11d50, 0x11da0, 0x16a60, 0x16ac0, 0x16b50,
    0x1d7ce, 0x1d7d8, 0x1d7e2, 0x1d7ec, 0x1d7f6, 0x1e140, 0x1e2f0, 0x1e950, 0x1fbf0,
];

/// The decimal value of a Unicode decimal digit (`unicodedata.decimal`).
pub fn unicode_decimal(c: char) -> Option<u8> {
    let cp = c as u32;
    DECIMAL_ZEROS
        .iter()
        .find(|z| cp >= **z && cp < **z + 10)
        .map(|z| (cp - z) as u8)
}

/// `float(s)` for a string, as CPython does it: non-ASCII whitespace becomes a
/// space and non-ASCII decimal digits become ASCII digits (any other
/// non-ASCII character fails); then ASCII whitespace is stripped (not
/// U+001C..U+001F); underscores between digits are accepted, and
/// `inf`/`infinity`/`nan` in any case with an optional sign.
pub fn parse_float(s: &str) -> Option<f64> {
    let mut ascii = String::with_capacity(s.len());
    for c in s.chars() {
        if (c as u32) < 127 {
            ascii.push(c);
        } else if is_py_space(c) {
            ascii.push(' ');
        } else {
            ascii.push((b'0' + unicode_decimal(c)?) as char);
        }
    }
    let t = ascii.trim_matches(|c| matches!(c, ' ' | '\t' | '\n' | '\x0b' | '\x0c' | '\r'));
    let body = t.strip_prefix(['+', '-']).unwrap_or(t);
    let lower_body = body.to_ascii_lowercase();
    let neg = t.starts_with('-');
    if matches!(lower_body.as_str(), "inf" | "infinity") {
        return Some(if neg {
            f64::NEG_INFINITY
        } else {
            f64::INFINITY
        });
    }
    if lower_body == "nan" {
        return Some(f64::NAN);
    }
    // digits with single underscores between digits; optional fraction; optional exponent.
    let b = body.as_bytes();
    let mut i = 0;
    let mut clean = String::with_capacity(t.len());
    if neg {
        clean.push('-');
    }
    let digit_run = |i: &mut usize, clean: &mut String| -> usize {
        let mut n = 0;
        while *i < b.len() {
            if b[*i].is_ascii_digit() {
                clean.push(b[*i] as char);
                n += 1;
                *i += 1;
            } else if b[*i] == b'_' && n > 0 && b.get(*i + 1).is_some_and(|c| c.is_ascii_digit()) {
                *i += 1;
            } else {
                break;
            }
        }
        n
    };
    let int_digits = digit_run(&mut i, &mut clean);
    let mut frac_digits = 0;
    if i < b.len() && b[i] == b'.' {
        clean.push('.');
        i += 1;
        frac_digits = digit_run(&mut i, &mut clean);
    }
    if int_digits == 0 && frac_digits == 0 {
        return None;
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        clean.push('e');
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            clean.push(b[i] as char);
            i += 1;
        }
        if digit_run(&mut i, &mut clean) == 0 {
            return None;
        }
    }
    if i != b.len() {
        return None;
    }
    if clean.ends_with('.') {
        clean.push('0');
    }
    if clean.starts_with('.') || clean.starts_with("-.") {
        clean = clean.replacen('.', "0.", 1);
    }
    clean.parse::<f64>().ok()
}

/// `repr(float)` / `str(float)`: shortest round-trip digits, scientific
/// notation below 1e-4 and from 1e16 on.
/// Append `repr(f)` to `out` (no intermediate string in the common fixed-notation case).
pub fn push_float_repr(out: &mut String, f: f64) {
    let a = f.abs();
    if a == 0.0 || (1e-4..1e16).contains(&a) {
        push_fixed_repr(out, f);
    } else {
        out.push_str(&float_repr(f));
    }
}

/// Fixed notation: Rust's shortest round-trip digits, plus ".0" for integers.
fn push_fixed_repr(out: &mut String, f: f64) {
    use std::fmt::Write;
    let start = out.len();
    let _ = write!(out, "{f}");
    if !out.as_bytes()[start..].contains(&b'.') {
        out.push_str(".0");
    }
}

pub fn float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let a = f.abs();
    if a == 0.0 || (1e-4..1e16).contains(&a) {
        let mut s = String::with_capacity(24);
        push_fixed_repr(&mut s, f);
        return s;
    }
    let sci = format!("{:e}", f); // e.g. "-1.2345e-5", "1e16"
    let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let neg = mant.starts_with('-');
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let sign = if neg { "-" } else { "" };
    let decpt = exp + 1;
    if decpt <= -4 || decpt > 16 {
        let m = if digits.len() > 1 {
            format!("{}.{}", &digits[..1], &digits[1..])
        } else {
            digits.clone()
        };
        let es = if exp < 0 { '-' } else { '+' };
        format!("{sign}{m}e{es}{:02}", exp.abs())
    } else if decpt <= 0 {
        format!("{sign}0.{}{}", "0".repeat((-decpt) as usize), digits)
    } else {
        let d = decpt as usize;
        if digits.len() <= d {
            format!("{sign}{}{}.0", digits, "0".repeat(d - digits.len()))
        } else {
            format!("{sign}{}.{}", &digits[..d], &digits[d..])
        }
    }
}

/// `format(x, ".Nf")` for a number value (`inf`, `nan` as Python writes them).
pub fn fmt_fixed(v: &Value, prec: usize) -> String {
    match num(v) {
        Some(n) => fmt_fixed_f(n.f(), prec),
        None => py_str(v),
    }
}

pub fn fmt_fixed_f(f: f64, prec: usize) -> String {
    if f.is_nan() {
        "nan".into()
    } else if f.is_infinite() {
        if f > 0.0 {
            "inf".into()
        } else {
            "-inf".into()
        }
    } else {
        fixed_fast(f, prec).unwrap_or_else(|| format!("{:.*}", prec, f))
    }
}

/// `format!("{:.prec$}", f)` without the formatting machinery when the
/// rounding is unambiguous: `|f| * 10^prec` is computed with a relative error
/// below 2^-52, so when its fractional part is farther than that from one
/// half, the correctly rounded decimal is the nearest integer of the product.
/// `None` (use the exact formatter) for ties, large values or many decimals.
fn fixed_fast(f: f64, prec: usize) -> Option<String> {
    const P10: [f64; 7] = [1.0, 10.0, 100.0, 1e3, 1e4, 1e5, 1e6];
    let a = f.abs();
    // NaN and infinities are handled by the caller; kept out here too.
    if prec >= P10.len() || a.is_nan() || a >= 1e9 {
        return None;
    }
    let scaled = a * P10[prec];
    let floor = scaled.floor();
    let frac = scaled - floor;
    if (frac - 0.5).abs() <= scaled * 2f64.powi(-50) + f64::MIN_POSITIVE {
        return None;
    }
    let mut r = floor as u64 + (frac > 0.5) as u64;
    // Digits of r, least significant first, at least prec + 1 of them.
    let mut digits = [b'0'; 24];
    let mut n = 0;
    while r > 0 || n <= prec {
        digits[n] = b'0' + (r % 10) as u8;
        r /= 10;
        n += 1;
    }
    let mut out = String::with_capacity(n + 2);
    if f.is_sign_negative() {
        out.push('-');
    }
    for i in (0..n).rev() {
        if i + 1 == prec {
            out.push('.');
        }
        out.push(digits[i] as char);
    }
    Some(out)
}

/// `repr(s)` for a string.
pub fn repr_str(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if (0x80..0xa0).contains(&(c as u32)) => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// `repr(v)`.
pub fn py_repr(v: &Value) -> String {
    match v {
        Value::Str(s) => repr_str(s),
        Value::Array(a) => format!("[{}]", a.iter().map(py_repr).collect::<Vec<_>>().join(", ")),
        Value::Object(m) => format!(
            "{{{}}}",
            m.iter()
                .map(|(k, x)| format!("{}: {}", repr_str(k), py_repr(x)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        other => py_str(other),
    }
}

/// `str(v)`.
pub fn py_str(v: &Value) -> String {
    match v {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Int(i) => i.to_string(),
        Value::BigInt(s) => s.clone(),
        Value::Float(f) => float_repr(*f),
        Value::Str(s) => s.clone(),
        other => py_repr(other),
    }
}

/// `bool(v)`.
pub fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Int(i) => *i != 0,
        Value::BigInt(_) => true,
        Value::Float(f) => *f != 0.0,
        Value::Str(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(m) => !m.is_empty(),
    }
}

/// `d.get(key, default)` where `d` must be a dict (AttributeError otherwise).
pub fn dict_get<'a>(d: &'a Value, key: &str, default: &'a Value) -> PyResult<&'a Value> {
    match d {
        Value::Object(m) => Ok(m.get(key).unwrap_or(default)),
        other => Err(PyErr::attribute_error(other, "get")),
    }
}

/// Python `sum()` of numbers: starts at int 0, stays int while every term is int.
pub fn sum(items: impl IntoIterator<Item = Num>) -> Num {
    let mut acc = Num::I(0);
    for x in items {
        acc = match (acc, x) {
            (Num::I(a), Num::I(b)) => a
                .checked_add(b)
                .map(Num::I)
                .unwrap_or(Num::F(a as f64 + b as f64)),
            (a, b) => Num::F(a.f() + b.f()),
        };
    }
    acc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_fast_path_agrees_with_the_exact_formatter() {
        let mut x: u64 = 0x9E3779B97F4A7C15;
        let mut vals = vec![
            0.0,
            -0.0,
            0.125,
            0.375,
            2.5,
            0.005,
            1.005,
            -1.5,
            999999999.99,
            0.0049999,
            1e-9,
            -3e-7,
        ];
        for _ in 0..20000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let m = (x >> 11) as f64 / (1u64 << 53) as f64;
            let e = ((x >> 3) % 24) as i32 - 12;
            let v = m * 10f64.powi(e) * if x & 1 == 0 { 1.0 } else { -1.0 };
            vals.push(v);
            // Values on a decimal grid are the likeliest ties.
            vals.push(((x % 100000) as f64) / 1000.0);
        }
        for v in vals {
            for prec in 0..=6 {
                assert_eq!(
                    fmt_fixed_f(v, prec),
                    format!("{:.*}", prec, v),
                    "{v:e} prec {prec}"
                );
            }
        }
    }

    #[test]
    fn float_repr_matches_python() {
        let cases = [
            (0.1, "0.1"),
            (1.0, "1.0"),
            (-0.0, "-0.0"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (1.5e-5, "1.5e-05"),
            (0.0001, "0.0001"),
            (123.456, "123.456"),
            (1e300, "1e+300"),
            (9007199254740993.0, "9007199254740992.0"),
            (2.0 / 3.0, "0.6666666666666666"),
        ];
        for (f, s) in cases {
            assert_eq!(float_repr(f), s);
        }
    }

    #[test]
    fn float_parse_matches_python() {
        assert_eq!(parse_float(" 1_000.5 "), Some(1000.5));
        assert_eq!(parse_float("-Infinity"), Some(f64::NEG_INFINITY));
        assert!(parse_float("NaN").unwrap().is_nan());
        assert_eq!(parse_float(".5"), Some(0.5));
        assert_eq!(parse_float("5."), Some(5.0));
        assert_eq!(parse_float("1e5"), Some(1e5));
        for bad in [
            "",
            "1__0",
            "_1",
            "1_",
            "0x10",
            "1e",
            "e5",
            ".",
            "1,5",
            "inf inity",
        ] {
            assert_eq!(parse_float(bad), None, "{bad}");
        }
        assert_eq!(parse_float("\u{1f}2"), None);
        assert_eq!(parse_float("\u{a0}\u{661}\u{ff12}.5\u{2003}"), Some(12.5));
        assert_eq!(parse_float("\u{b2}"), None);
    }

    #[test]
    fn equality_and_hashing() {
        assert!(eq(&Value::Int(1), &Value::Float(1.0)));
        assert!(eq(&Value::Bool(true), &Value::Int(1)));
        assert!(!eq(&Value::Float(f64::NAN), &Value::Float(f64::NAN)));
        let a = Value::Array(vec![Value::Float(f64::NAN)]);
        assert!(eq(&a, &a.clone()));
        assert_eq!(
            hash_key(&Value::Float(2.0)).unwrap(),
            hash_key(&Value::Int(2)).unwrap()
        );
        assert!(hash_key(&Value::Array(vec![])).is_err());
        // 2**53 + 1 is not equal to the float 2**53.
        assert!(!eq(
            &Value::Int(9007199254740993),
            &Value::Float(9007199254740992.0)
        ));
    }

    #[test]
    fn str_and_repr() {
        let v = crate::json::parse(r#"{"a": [1, 2.5, true, null, "it's"]}"#).unwrap();
        assert_eq!(py_str(&v), r#"{'a': [1, 2.5, True, None, "it's"]}"#);
        assert_eq!(strip("\u{1c} x \n"), "x");
        assert_eq!(upper("straße"), "STRASSE");
    }
}
