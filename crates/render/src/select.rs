//! Hit testing (the point under the pointer) and selection (box, lasso).
//! All in data coordinates; convert pointer pixels with [`View::to_data`].

use crate::view::View;

/// A uniform grid over the points, for hover at a million points.
#[derive(Debug, Clone)]
pub struct PointIndex {
    x0: f32,
    y0: f32,
    cell: f32,
    nx: usize,
    ny: usize,
    /// `start[c]..start[c+1]` index into `rows` for grid cell c.
    start: Vec<u32>,
    rows: Vec<u32>,
}

impl PointIndex {
    /// About 4 points per cell on average. Non-finite points are left out.
    pub fn new(xs: &[f32], ys: &[f32]) -> PointIndex {
        let n = xs.len().min(ys.len());
        let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for i in 0..n {
            if xs[i].is_finite() && ys[i].is_finite() {
                x0 = x0.min(xs[i]);
                x1 = x1.max(xs[i]);
                y0 = y0.min(ys[i]);
                y1 = y1.max(ys[i]);
            }
        }
        if x0 > x1 {
            return PointIndex {
                x0: 0.0,
                y0: 0.0,
                cell: 1.0,
                nx: 1,
                ny: 1,
                start: vec![0, 0],
                rows: vec![],
            };
        }
        let (w, h) = ((x1 - x0).max(1e-6), (y1 - y0).max(1e-6));
        let cells = (n / 4).max(1) as f32;
        let cell = ((w * h) / cells).sqrt().max(w.max(h) / 4096.0);
        let nx = ((w / cell) as usize + 1).max(1);
        let ny = ((h / cell) as usize + 1).max(1);
        let mut idx = PointIndex {
            x0,
            y0,
            cell,
            nx,
            ny,
            start: vec![0; nx * ny + 1],
            rows: vec![],
        };
        let cell_of: Vec<u32> = (0..n)
            .map(|i| {
                if xs[i].is_finite() && ys[i].is_finite() {
                    idx.cell_of(xs[i], ys[i]) as u32
                } else {
                    u32::MAX
                }
            })
            .collect();
        for &c in &cell_of {
            if c != u32::MAX {
                idx.start[c as usize + 1] += 1;
            }
        }
        for c in 0..nx * ny {
            idx.start[c + 1] += idx.start[c];
        }
        let mut pos = idx.start.clone();
        idx.rows = vec![0; idx.start[nx * ny] as usize];
        for (i, &c) in cell_of.iter().enumerate() {
            if c != u32::MAX {
                idx.rows[pos[c as usize] as usize] = i as u32;
                pos[c as usize] += 1;
            }
        }
        idx
    }

    fn cell_xy(&self, x: f32, y: f32) -> (usize, usize) {
        let cx = (((x - self.x0) / self.cell).floor().max(0.0) as usize).min(self.nx - 1);
        let cy = (((y - self.y0) / self.cell).floor().max(0.0) as usize).min(self.ny - 1);
        (cx, cy)
    }

    fn cell_of(&self, x: f32, y: f32) -> usize {
        let (cx, cy) = self.cell_xy(x, y);
        cy * self.nx + cx
    }

    /// The visible point nearest to (x, y) within `max_dist` (data units); ties go to the
    /// later row (the one drawn on top).
    pub fn nearest(
        &self,
        xs: &[f32],
        ys: &[f32],
        x: f32,
        y: f32,
        max_dist: f32,
        visible: impl Fn(usize) -> bool,
    ) -> Option<usize> {
        let (cx0, cy0) = self.cell_xy(x - max_dist, y - max_dist);
        let (cx1, cy1) = self.cell_xy(x + max_dist, y + max_dist);
        let mut best: Option<(f32, usize)> = None;
        for cy in cy0..=cy1 {
            for cx in cx0..=cx1 {
                let c = cy * self.nx + cx;
                for &r in &self.rows[self.start[c] as usize..self.start[c + 1] as usize] {
                    let r = r as usize;
                    let d = (xs[r] - x).powi(2) + (ys[r] - y).powi(2);
                    if d > max_dist * max_dist || !visible(r) {
                        continue;
                    }
                    if best.is_none_or(|(bd, br)| d < bd || (d == bd && r > br)) {
                        best = Some((d, r));
                    }
                }
            }
        }
        best.map(|b| b.1)
    }
}

/// Hover: nearest visible point to pixel (px, py) within `max_px` pixels.
#[allow(clippy::too_many_arguments)] // mirrors the pointer event: index, data, view, position, radius, filter
pub fn hit_test(
    index: &PointIndex,
    xs: &[f32],
    ys: &[f32],
    view: &View,
    px: f64,
    py: f64,
    max_px: f64,
    visible: impl Fn(usize) -> bool,
) -> Option<usize> {
    let (x, y) = view.to_data(px, py);
    index.nearest(
        xs,
        ys,
        x as f32,
        y as f32,
        (max_px / view.scale) as f32,
        visible,
    )
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
    let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
    for &(x, y) in polygon {
        x0 = x0.min(x);
        x1 = x1.max(x);
        y0 = y0.min(y);
        y1 = y1.max(y);
    }
    (0..xs.len().min(ys.len()))
        .filter(|&i| {
            let (x, y) = (xs[i], ys[i]);
            x >= x0 && x <= x1 && y >= y0 && y <= y1 && inside(x, y, polygon) && visible(i)
        })
        .map(|i| i as u32)
        .collect()
}

pub(crate) fn inside(x: f32, y: f32, poly: &[(f32, f32)]) -> bool {
    let mut c = false;
    let mut j = poly.len() - 1;
    for i in 0..poly.len() {
        let (xi, yi) = poly[i];
        let (xj, yj) = poly[j];
        if (yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi {
            c = !c;
        }
        j = i;
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_matches_brute_force() {
        // A 50x40 jittered grid; compare the index with a plain scan.
        let mut xs = vec![];
        let mut ys = vec![];
        for i in 0..2000u32 {
            xs.push((i % 50) as f32 + ((i * 7919) % 13) as f32 / 20.0);
            ys.push((i / 50) as f32 + ((i * 104729) % 11) as f32 / 20.0);
        }
        let idx = PointIndex::new(&xs, &ys);
        for q in 0..200u32 {
            let (x, y) = ((q * 37 % 520) as f32 / 10.0, (q * 53 % 410) as f32 / 10.0);
            let brute = (0..xs.len())
                .filter(|&i| (xs[i] - x).powi(2) + (ys[i] - y).powi(2) <= 1.0)
                .min_by(|&a, &b| {
                    let da = (xs[a] - x).powi(2) + (ys[a] - y).powi(2);
                    let db = (xs[b] - x).powi(2) + (ys[b] - y).powi(2);
                    da.total_cmp(&db).then(b.cmp(&a))
                });
            assert_eq!(
                idx.nearest(&xs, &ys, x, y, 1.0, |_| true),
                brute,
                "query {x},{y}"
            );
        }
        // Hidden points are skipped.
        let first = idx.nearest(&xs, &ys, 0.0, 0.0, 1.0, |_| true).unwrap();
        assert_ne!(
            idx.nearest(&xs, &ys, 0.0, 0.0, 1.0, |i| i != first),
            Some(first)
        );
    }

    #[test]
    fn hit_test_through_the_view() {
        let xs = [10.0, 20.0];
        let ys = [10.0, 10.0];
        let idx = PointIndex::new(&xs, &ys);
        let v = View {
            width: 100,
            height: 100,
            center_x: 15.0,
            center_y: 10.0,
            scale: 2.0,
            y_down: true,
        };
        // Point 1 is at pixel (60, 50).
        assert_eq!(
            hit_test(&idx, &xs, &ys, &v, 61.0, 51.0, 3.0, |_| true),
            Some(1)
        );
        assert_eq!(
            hit_test(&idx, &xs, &ys, &v, 70.0, 50.0, 3.0, |_| true),
            None
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
