//! CSV writing (RFC 4180): the one field-quoting rule of the app, and the
//! viewer's selection export.

use sbx_data::Dataset;
use std::fmt::Write;

/// One CSV field, quoted when it holds a comma, quote or line break.
pub fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The selected rows as CSV: row index, x, y, every categorical and numeric
/// column. Rows past the dataset are skipped; non-finite values are empty.
pub fn selection_csv(ds: &Dataset, rows: &[u32]) -> String {
    let mut out = String::from("row,x,y");
    for name in ds
        .categorical
        .iter()
        .map(|c| &c.name)
        .chain(ds.numeric.iter().map(|c| &c.name))
    {
        out.push(',');
        out.push_str(&csv_field(name));
    }
    out.push('\n');
    for &r in rows {
        let r = r as usize;
        if r >= ds.len() {
            continue;
        }
        let _ = write!(out, "{r},{},{}", ds.x[r], ds.y[r]);
        for c in &ds.categorical {
            out.push(',');
            out.push_str(&csv_field(c.label(r).unwrap_or("")));
        }
        for c in &ds.numeric {
            out.push(',');
            let v = c.values.get(r).copied().unwrap_or(f32::NAN);
            if v.is_finite() {
                let _ = write!(out, "{v}");
            }
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::fixture::small;

    #[test]
    fn fields_are_quoted_only_when_needed() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_field(""), "");
    }

    #[test]
    fn the_selection_is_written_with_every_column() {
        let ds = small();
        let csv = selection_csv(&ds, &[3, 2, 99]);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], "row,x,y,cell_type,sample,total");
        assert_eq!(lines[1], "3,0,10,\"c, \"\"q\"\"\",s2,4");
        assert_eq!(lines[2], "2,20,0,a,s1,", "NaN is an empty field");
        assert_eq!(lines.len(), 3, "row 99 is not in the dataset");
    }
}
