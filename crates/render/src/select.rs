//! The point under the pointer and selection (box, lasso) by scanning every row:
//! the reference and fallback for the level-of-detail tiles ([`crate::Lod`]). All in
//! data coordinates; convert pointer pixels with [`crate::View::to_data`].

/// The visible point nearest to (x, y) within `max_dist` (data units), scanning every
/// row: the reference for [`crate::Lod::nearest`]. Ties go to the later row (the one
/// drawn on top).
pub fn nearest(
    xs: &[f32],
    ys: &[f32],
    x: f32,
    y: f32,
    max_dist: f32,
    visible: impl Fn(usize) -> bool,
) -> Option<usize> {
    nearest_among(0..xs.len().min(ys.len()), xs, ys, x, y, max_dist, visible)
}

/// As [`nearest`], over the given rows only.
pub(crate) fn nearest_among(
    rows: impl IntoIterator<Item = usize>,
    xs: &[f32],
    ys: &[f32],
    x: f32,
    y: f32,
    max_dist: f32,
    visible: impl Fn(usize) -> bool,
) -> Option<usize> {
    let mut best: Option<(f32, usize)> = None;
    for i in rows {
        let d = (xs[i] - x).powi(2) + (ys[i] - y).powi(2);
        // rows with a NaN coordinate have a NaN distance and are left out
        if d.is_nan() || d > max_dist * max_dist || !visible(i) {
            continue;
        }
        if best.is_none_or(|(bd, br)| d < bd || (d == bd && i > br)) {
            best = Some((d, i));
        }
    }
    best.map(|b| b.1)
}

/// Rows inside the data rectangle [x0, y0, x1, y1] (corners in any order), ascending.
pub fn select_box(
    xs: &[f32],
    ys: &[f32],
    rect: [f32; 4],
    visible: impl Fn(usize) -> bool,
) -> Vec<u32> {
    let (x0, x1) = (rect[0].min(rect[2]), rect[0].max(rect[2]));
    let (y0, y1) = (rect[1].min(rect[3]), rect[1].max(rect[3]));
    (0..xs.len().min(ys.len()))
        .filter(|&i| xs[i] >= x0 && xs[i] <= x1 && ys[i] >= y0 && ys[i] <= y1 && visible(i))
        .map(|i| i as u32)
        .collect()
}

/// Rows inside the lasso polygon (data coordinates, even-odd rule), ascending.
pub fn select_lasso(
    xs: &[f32],
    ys: &[f32],
    polygon: &[(f32, f32)],
    visible: impl Fn(usize) -> bool,
) -> Vec<u32> {
    if polygon.len() < 3 {
        return Vec::new();
    }
    let [x0, y0, x1, y1] = polygon_bounds(polygon);
    (0..xs.len().min(ys.len()))
        .filter(|&i| {
            let (x, y) = (xs[i], ys[i]);
            x >= x0 && x <= x1 && y >= y0 && y <= y1 && inside(x, y, polygon) && visible(i)
        })
        .map(|i| i as u32)
        .collect()
}

/// The polygon's bounding box [min x, min y, max x, max y].
pub(crate) fn polygon_bounds(polygon: &[(f32, f32)]) -> [f32; 4] {
    let mut b = [f32::MAX, f32::MAX, f32::MIN, f32::MIN];
    for &(x, y) in polygon {
        b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
    }
    b
}

pub(crate) fn inside(x: f32, y: f32, poly: &[(f32, f32)]) -> bool {
    crosses_odd(x, y, edges(poly))
}

/// A polygon edge: (vertex, previous vertex).
pub(crate) type Edge = ((f32, f32), (f32, f32));

/// The polygon's edges as (vertex, previous vertex), the order the crossing test
/// rounds in (the tiles' lasso keeps it, so both give the same answer).
pub(crate) fn edges(poly: &[(f32, f32)]) -> impl Iterator<Item = Edge> + '_ {
    let n = poly.len();
    (0..n).map(move |i| (poly[i], poly[(i + n - 1) % n]))
}

/// The even-odd rule: whether a horizontal ray from (x, y) crosses an odd number of
/// the edges.
pub(crate) fn crosses_odd(x: f32, y: f32, edges: impl Iterator<Item = Edge>) -> bool {
    let mut c = false;
    for ((xi, yi), (xj, yj)) in edges {
        if (yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi {
            c = !c;
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_is_the_closest_visible_row_within_reach() {
        let xs = [0.0, 1.0, 1.0, 5.0];
        let ys = [0.0, 0.0, 0.0, 5.0];
        // rows 1 and 2 tie: the later one is drawn on top and wins
        assert_eq!(nearest(&xs, &ys, 0.9, 0.0, 1.0, |_| true), Some(2));
        assert_eq!(nearest(&xs, &ys, 0.9, 0.0, 1.0, |i| i != 2), Some(1));
        assert_eq!(nearest(&xs, &ys, 0.2, 0.0, 1.0, |_| true), Some(0));
        assert_eq!(nearest(&xs, &ys, 3.0, 3.0, 1.0, |_| true), None);
        assert_eq!(nearest(&xs, &ys, 3.0, 3.0, 3.0, |_| true), Some(3));
        // a row without a position is never the nearest
        assert_eq!(
            nearest(&[f32::NAN, 2.0], &[0.0, 0.0], 0.0, 0.0, 5.0, |_| true),
            Some(1)
        );
    }

    #[test]
    fn box_and_lasso() {
        let xs = [0.0, 1.0, 2.0, 3.0, 1.0];
        let ys = [0.0, 1.0, 2.0, 3.0, 2.5];
        // Edges are inclusive: (1, 2.5) sits on the top edge.
        assert_eq!(
            select_box(&xs, &ys, [2.5, 2.5, 0.5, 0.5], |_| true),
            vec![1, 2, 4]
        );
        // Triangle: at x=1 it spans y 0.21..1.72 (holds (1,1), not (1,2.5)); at x=2, 1.56..2.16 (holds (2,2)).
        let tri = [(0.5, 0.0), (3.0, 2.6), (0.5, 1.5)];
        assert_eq!(select_lasso(&xs, &ys, &tri, |_| true), vec![1, 2]);
        let quad = [(0.5, 0.5), (2.5, 0.5), (2.5, 2.7), (0.5, 2.7)];
        assert_eq!(select_lasso(&xs, &ys, &quad, |_| true), vec![1, 2, 4]);
        assert_eq!(select_lasso(&xs, &ys, &quad, |i| i != 2), vec![1, 4]);
    }
}
