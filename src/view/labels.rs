//! Placing point labels on a chart so that they cover neither each other nor
//! the points: a greedy choice among a few positions around each point, the
//! one overlapping least what is already placed. Pixels, no drawing backend.

/// A label's box: left, top, width, height (pixels).
pub type LabelBox = (i32, i32, i32, i32);

/// Width of `text` at `size` px in a sans-serif font: an estimate (the SVG is
/// measured by the browser only when drawn), a little wide so boxes do not touch.
pub fn text_width(text: &str, size: f64) -> i32 {
    (text.chars().count() as f64 * size * 0.52).ceil() as i32
}

fn overlap(a: LabelBox, b: LabelBox) -> i64 {
    let w = (a.0 + a.2).min(b.0 + b.2) - a.0.max(b.0);
    let h = (a.1 + a.3).min(b.1 + b.3) - a.1.max(b.1);
    if w > 0 && h > 0 {
        i64::from(w) * i64::from(h)
    } else {
        0
    }
}

/// The top-left corner of each label of width `widths[i]` and height `h` beside
/// point `points[i]` (markers of radius `r`), inside `area` (left, top, width, height).
/// Labels are placed in the given order; each takes the first of eight positions
/// (right above, right below, left above, left below, then further out) with the
/// least overlap with the labels placed before it, every marker and the area's outside.
pub fn place_labels(
    points: &[(i32, i32)],
    widths: &[i32],
    h: i32,
    r: i32,
    area: LabelBox,
) -> Vec<(i32, i32)> {
    let markers: Vec<LabelBox> = points
        .iter()
        .map(|&(x, y)| (x - r, y - r, 2 * r + 1, 2 * r + 1))
        .collect();
    let mut placed: Vec<LabelBox> = Vec::with_capacity(points.len());
    let mut out = Vec::with_capacity(points.len());
    for (&(x, y), &w) in points.iter().zip(widths) {
        let gap = r + 3;
        let (right, left) = (x + gap, x - gap - w);
        let candidates = [
            (right, y - h),
            (right, y),
            (left, y - h),
            (left, y),
            (right, y - 2 * h),
            (left, y - 2 * h),
            (right, y + h),
            (left, y + h),
        ];
        let cost = |&(cx, cy): &(i32, i32)| -> i64 {
            let b = (cx, cy, w, h);
            let inside = overlap(b, area);
            let outside = i64::from(w) * i64::from(h) - inside;
            let labels: i64 = placed.iter().map(|&p| overlap(b, p)).sum();
            let dots: i64 = markers.iter().map(|&m| overlap(b, m)).sum();
            // leaving the chart hides a label: worse than covering another
            4 * outside + 2 * labels + dots
        };
        let best = candidates
            .iter()
            .copied()
            .enumerate()
            .min_by_key(|(i, c)| (cost(c), *i))
            .map_or((right, y - h), |(_, c)| c);
        placed.push((best.0, best.1, w, h));
        out.push(best);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const AREA: LabelBox = (0, 0, 400, 300);

    #[test]
    fn a_lone_label_sits_right_above_its_point() {
        assert_eq!(
            place_labels(&[(100, 100)], &[50], 12, 5, AREA),
            vec![(108, 88)]
        );
    }

    #[test]
    fn close_points_get_labels_that_do_not_overlap() {
        // four points in a tight cluster, long labels
        let pts = [(200, 150), (204, 152), (198, 156), (206, 149)];
        let w = [90, 90, 90, 90];
        let at = place_labels(&pts, &w, 12, 5, AREA);
        for i in 0..at.len() {
            for j in 0..i {
                let (a, b) = ((at[i].0, at[i].1, 90, 12), (at[j].0, at[j].1, 90, 12));
                assert_eq!(overlap(a, b), 0, "labels {i} and {j}: {at:?}");
            }
        }
    }

    #[test]
    fn labels_stay_inside_the_chart_where_they_can() {
        // a point at the right edge puts its label on the left
        let at = place_labels(&[(395, 100)], &[60], 12, 5, AREA);
        assert!(at[0].0 + 60 <= 400 && at[0].0 >= 0, "{at:?}");
        // at the top, below
        let at = place_labels(&[(100, 2)], &[60], 12, 5, AREA);
        assert!(at[0].1 >= 0, "{at:?}");
    }

    #[test]
    fn widths_grow_with_the_text() {
        assert!(text_width("gpt-5.5 (openai-codex)", 11.0) > text_width("gpt-5.5", 11.0));
        assert_eq!(text_width("", 11.0), 0);
    }
}
