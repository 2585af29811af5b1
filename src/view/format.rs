//! Text the viewer shows: the scale bar, lengths with their unit, the hover
//! table of one unit and the selection table.

use sbx_data::Dataset;

/// A round scale-bar length (1, 2 or 5 × 10^k data units) whose on-screen
/// length is at most `max_px`, and that length in pixels.
pub fn scale_bar(scale_px_per_unit: f64, max_px: f64) -> Option<(f64, f64)> {
    if !(scale_px_per_unit.is_finite() && scale_px_per_unit > 0.0) {
        return None;
    }
    let max_units = max_px / scale_px_per_unit;
    let mag = 10f64.powf(max_units.log10().floor());
    let len = [5.0, 2.0, 1.0]
        .iter()
        .map(|m| m * mag)
        .find(|&l| l <= max_units)?;
    Some((len, len * scale_px_per_unit))
}

/// A length in the dataset's coordinate unit ("um" is written µm, and
/// millimetres from 1000 µm on).
pub fn format_length(v: f64, unit: &str) -> String {
    let unit = if unit == "um" { "µm" } else { unit };
    if unit == "µm" && v >= 1000.0 {
        format!("{} mm", v / 1000.0)
    } else {
        format!("{v} {unit}")
    }
}

/// The values of one unit, for the hover tooltip: (column, value) pairs.
pub fn unit_values(ds: &Dataset, r: usize) -> Vec<(String, String)> {
    if r >= ds.len() {
        return Vec::new();
    }
    let mut v = vec![
        ("row".to_string(), r.to_string()),
        (
            "x, y".to_string(),
            format!("{:.1}, {:.1}", ds.x[r], ds.y[r]),
        ),
    ];
    for c in &ds.categorical {
        v.push((c.name.clone(), c.label(r).unwrap_or("—").to_string()));
    }
    for c in &ds.numeric {
        let x = c.values.get(r).copied().unwrap_or(f32::NAN);
        v.push((
            c.name.clone(),
            if x.is_finite() {
                format!("{x:.3}")
                    .trim_end_matches('0')
                    .trim_end_matches('.')
                    .to_string()
            } else {
                "—".into()
            },
        ));
    }
    v
}

/// The selection table shows at most this many rows.
pub const SELECTION_ROWS_SHOWN: usize = 100;

/// The selection table: header (row, x, y, every categorical column, the
/// first four numeric columns) and the first selected rows.
pub fn selection_table(ds: &Dataset, rows: &[u32]) -> (Vec<String>, Vec<Vec<String>>) {
    let nums: Vec<usize> = (0..ds.numeric.len().min(4)).collect();
    let mut head = vec!["row".to_string(), "x".into(), "y".into()];
    head.extend(ds.categorical.iter().map(|c| c.name.clone()));
    head.extend(nums.iter().map(|&i| ds.numeric[i].name.clone()));
    let body = rows
        .iter()
        .map(|&r| r as usize)
        .filter(|&r| r < ds.len())
        .take(SELECTION_ROWS_SHOWN)
        .map(|r| {
            let mut v = vec![
                r.to_string(),
                format!("{:.1}", ds.x[r]),
                format!("{:.1}", ds.y[r]),
            ];
            v.extend(
                ds.categorical
                    .iter()
                    .map(|c| c.label(r).unwrap_or("").to_string()),
            );
            v.extend(nums.iter().map(|&i| {
                let x = ds.numeric[i].values.get(r).copied().unwrap_or(f32::NAN);
                format!("{x:.2}")
            }));
            v
        })
        .collect();
    (head, body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::fixture::small;

    #[test]
    fn the_scale_bar_is_a_round_length() {
        assert_eq!(scale_bar(1.0, 160.0), Some((100.0, 100.0)));
        assert_eq!(scale_bar(0.5, 160.0), Some((200.0, 100.0)));
        assert_eq!(scale_bar(0.01, 160.0), Some((10000.0, 100.0)));
        let (len, px) = scale_bar(3.0, 160.0).unwrap();
        assert_eq!(len, 50.0);
        assert!((px - 150.0).abs() < 1e-9);
        assert_eq!(scale_bar(0.0, 160.0), None);
        assert_eq!(scale_bar(f64::NAN, 160.0), None);
    }

    #[test]
    fn lengths_read_in_micrometres_or_millimetres() {
        assert_eq!(format_length(50.0, "um"), "50 µm");
        assert_eq!(format_length(2000.0, "um"), "2 mm");
        assert_eq!(format_length(2000.0, "px"), "2000 px");
    }

    #[test]
    fn a_unit_is_described_by_every_column() {
        let ds = small();
        let v = unit_values(&ds, 2);
        assert_eq!(v[0], ("row".into(), "2".into()));
        assert_eq!(v[1], ("x, y".into(), "20.0, 0.0".into()));
        assert_eq!(v[2], ("cell_type".into(), "a".into()));
        assert_eq!(v[4], ("total".into(), "—".into()), "NaN reads as a dash");
        assert_eq!(unit_values(&ds, 4)[4].1, "5");
        assert!(unit_values(&ds, 99).is_empty());
    }

    #[test]
    fn the_selection_table_skips_unknown_rows() {
        let ds = small();
        let (head, body) = selection_table(&ds, &[3, 77, 0]);
        assert_eq!(head, ["row", "x", "y", "cell_type", "sample", "total"]);
        assert_eq!(body.len(), 2);
        assert_eq!(body[0], ["3", "0.0", "10.0", "c, \"q\"", "s2", "4.00"]);
        let many: Vec<u32> = (0..500).map(|i| i % 6).collect();
        assert_eq!(selection_table(&ds, &many).1.len(), SELECTION_ROWS_SHOWN);
    }
}
