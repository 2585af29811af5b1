//! What a regular expression requires of the text, as a tree of literal
//! strings, so the token index can narrow the steps before the regex runs.
//! The tree is loose (it may accept steps the regex rejects) but never
//! strict: a step the regex matches always passes it.

use crate::fold::fold_slow;
use regex_syntax::hir::{Class, Hir, HirKind};

#[derive(Debug, PartialEq, Eq)]
pub enum Need {
    /// Nothing known: every step.
    All,
    /// This text occurs (up to case, when folded chars were merged).
    Lit(String),
    And(Vec<Need>),
    Or(Vec<Need>),
}

/// A single character the node matches, up to case folding (`k`, `[Kk]`).
fn one_char(hir: &Hir) -> Option<char> {
    match hir.kind() {
        HirKind::Literal(l) => {
            let s = std::str::from_utf8(&l.0).ok()?;
            let mut it = s.chars();
            let c = it.next()?;
            it.next().is_none().then_some(c)
        }
        HirKind::Class(Class::Unicode(cls)) => {
            let mut chars = cls.iter().flat_map(|r| r.start()..=r.end());
            let first = fold_slow(chars.next()?);
            // Orbits have at most four members; larger classes are not one letter.
            let mut n = 1;
            for c in chars {
                n += 1;
                if n > 4 || fold_slow(c) != first {
                    return None;
                }
            }
            Some(first)
        }
        _ => None,
    }
}

pub fn need(hir: &Hir) -> Need {
    match hir.kind() {
        HirKind::Literal(l) => Need::Lit(String::from_utf8_lossy(&l.0).into_owned()),
        HirKind::Class(_) => one_char(hir).map_or(Need::All, |c| Need::Lit(c.to_string())),
        HirKind::Empty | HirKind::Look(_) => Need::All,
        HirKind::Repetition(r) if r.min == 0 => Need::All,
        HirKind::Repetition(r) => need(&r.sub),
        HirKind::Capture(c) => need(&c.sub),
        HirKind::Concat(parts) => {
            let mut all = Vec::new();
            let mut cur = String::new();
            for p in parts {
                if let HirKind::Literal(l) = p.kind() {
                    cur.push_str(&String::from_utf8_lossy(&l.0));
                } else if let Some(c) = one_char(p) {
                    cur.push(c);
                } else {
                    if !cur.is_empty() {
                        all.push(Need::Lit(std::mem::take(&mut cur)));
                    }
                    all.push(need(p));
                }
            }
            if !cur.is_empty() {
                all.push(Need::Lit(cur));
            }
            all.retain(|n| *n != Need::All);
            match all.len() {
                0 => Need::All,
                1 => all.pop().unwrap_or(Need::All),
                _ => Need::And(all),
            }
        }
        HirKind::Alternation(alts) => {
            let alts: Vec<Need> = alts.iter().map(need).collect();
            if alts.contains(&Need::All) {
                Need::All
            } else {
                Need::Or(alts)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex_syntax::ParserBuilder;

    fn need_of(pattern: &str, ci: bool) -> Need {
        let hir = ParserBuilder::new()
            .case_insensitive(ci)
            .build()
            .parse(pattern)
            .unwrap();
        need(&hir)
    }

    fn lit(s: &str) -> Need {
        Need::Lit(s.to_string())
    }

    #[test]
    fn literals_required_by_common_patterns() {
        assert_eq!(
            need_of(r"normalize_total\(", false),
            lit("normalize_total(")
        );
        assert_eq!(
            need_of(r"sc\.tl\.(leiden|louvain)\(", false),
            Need::And(vec![
                lit("sc.tl."),
                Need::Or(vec![lit("leiden"), lit("louvain")]),
                lit("(")
            ])
        );
        assert_eq!(need_of(r"\d+\s*cells", false), lit("cells"));
        assert_eq!(need_of(r"(?:ab)?c*|x", false), Need::All);
        assert_eq!(need_of(r"\w+", false), Need::All);
    }

    #[test]
    fn case_insensitive_letters_still_give_literals() {
        // Under (?i) each letter is a class of its case variants (K includes the Kelvin sign).
        assert_eq!(need_of("Harmony", true), lit("harmony"));
        assert_eq!(need_of("kNN_graph", true), lit("knn_graph"));
        assert_eq!(need_of("[a-z]+", true), Need::All);
    }
}
