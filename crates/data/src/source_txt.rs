//! A dataset folder's `SOURCE.txt`: `Key: value` lines (continuation lines
//! indented), read into the fields the Datasets page shows.
//!
//! The licence line names the repository's licence first and the data's own
//! origin after `Underlying:` / `Underlying data:`; that origin (paper, data
//! release, DOI) is the dataset's citation.

use serde::Serialize;

/// What a `SOURCE.txt` says, each field as written (empty when absent).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct SourceInfo {
    /// Repository and commit the files were taken from.
    pub origin: String,
    /// The licence of the files (before any `Underlying:` part).
    pub licence: String,
    /// The data's own origin: the paper or data release to cite.
    pub citation: String,
    /// What the files hold.
    pub content: String,
    /// Any other lines (`Note:`, `Sample structure:` …), joined.
    pub notes: String,
}

/// Parses the text of a `SOURCE.txt`. Never fails: unknown keys go to `notes`,
/// text before the first key is ignored.
pub fn parse_source_txt(text: &str) -> SourceInfo {
    let mut fields: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        let continued = line.starts_with(char::is_whitespace);
        match key_of(trimmed) {
            Some((k, v)) if !continued => fields.push((k.to_string(), v.trim().to_string())),
            _ => {
                if let Some(last) = fields.last_mut() {
                    if !last.1.is_empty() {
                        last.1.push(' ');
                    }
                    last.1.push_str(trimmed);
                }
            }
        }
    }
    let mut info = SourceInfo::default();
    let mut notes = Vec::new();
    for (k, v) in fields {
        match k.to_ascii_lowercase().as_str() {
            "origin" => info.origin = v,
            "license" | "licence" => {
                let (licence, underlying) = split_underlying(&v);
                info.licence = licence;
                if !underlying.is_empty() {
                    info.citation = underlying;
                }
            }
            "content" => info.content = v,
            _ => notes.push(format!("{k}: {v}")),
        }
    }
    info.notes = notes.join(" ");
    info
}

/// `Key: value` when the line starts with a short key of letters and spaces.
fn key_of(line: &str) -> Option<(&str, &str)> {
    let (k, v) = line.split_once(':')?;
    let ok = !k.is_empty()
        && k.len() <= 24
        && k.chars().all(|c| c.is_ascii_alphabetic() || c == ' ')
        && !v.starts_with("//");
    ok.then_some((k.trim(), v))
}

/// Splits "MIT (GiottoData). Underlying: 10x … CC BY 4.0." into the licence
/// and the underlying data's origin.
fn split_underlying(v: &str) -> (String, String) {
    for marker in ["Underlying data:", "Underlying:"] {
        if let Some(i) = v.find(marker) {
            let licence = v[..i].trim().trim_end_matches(['.', ';']).trim();
            return (
                licence.to_string(),
                v[i + marker.len()..].trim().to_string(),
            );
        }
    }
    (v.trim().to_string(), String::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    const XENIUM: &str = "Origin: github.com/phipsonlab/jazzPanda @ f913a8b, data/rep{1,2}_clusters.rda\n\
License: GPL-3 (package DESCRIPTION + LICENSE). Underlying data: 10x Xenium FFPE Human Breast Cancer Rep1 & Rep2 (Janesick et al. 2023), 10x CC BY 4.0.\n\
Content: small tissue window from each replicate;\n  *_clusters.csv: anno (8 cell types), x, y (um).\n\
Sample structure: 2 serial-section replicates (rep1/rep2).\n";

    #[test]
    fn reads_origin_licence_citation_and_continuations() {
        let s = parse_source_txt(XENIUM);
        assert_eq!(
            s.origin,
            "github.com/phipsonlab/jazzPanda @ f913a8b, data/rep{1,2}_clusters.rda"
        );
        assert_eq!(s.licence, "GPL-3 (package DESCRIPTION + LICENSE)");
        assert_eq!(
            s.citation,
            "10x Xenium FFPE Human Breast Cancer Rep1 & Rep2 (Janesick et al. 2023), 10x CC BY 4.0."
        );
        assert_eq!(
            s.content,
            "small tissue window from each replicate; *_clusters.csv: anno (8 cell types), x, y (um)."
        );
        assert_eq!(
            s.notes,
            "Sample structure: 2 serial-section replicates (rep1/rep2)."
        );
    }

    #[test]
    fn licence_without_underlying_keeps_citation_empty() {
        let s = parse_source_txt("License: GPL-3.\nOrigin: x");
        assert_eq!(s.licence, "GPL-3.");
        assert_eq!(s.citation, "");
        assert_eq!(s.origin, "x");
    }

    #[test]
    fn garbage_never_panics() {
        for t in ["", ":::", "\n  indented first\n", "Content:", "é: ü\n\t:"] {
            let _ = parse_source_txt(t);
        }
        assert_eq!(parse_source_txt("  lost\nContent: a\n b").content, "a b");
    }
}
