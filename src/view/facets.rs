//! Small multiples: one panel per category of a column, laid out in a grid
//! that makes the panels as large as possible, all sharing one scale and pan.

use super::model::{categorical_index, FIT_MARGIN, H, W};
use sbx_data::Dataset;
use sbx_render::View;
use std::sync::Arc;

/// The grid (columns, rows) for `n` panels in a canvas of aspect `w`/`h`,
/// chosen to make panels as large as possible.
pub fn grid(n: usize, w: f64, h: f64, aspect: f64) -> (usize, usize) {
    let n = n.max(1);
    let mut best = (n, 1, 0.0);
    for cols in 1..=n {
        let rows = n.div_ceil(cols);
        let (pw, ph) = (w / cols as f64, h / rows as f64);
        // the fitted data rectangle's area in one panel
        let s = (pw / aspect.max(1e-9)).min(ph);
        let area = s * s * aspect;
        if area > best.2 {
            best = (cols, rows, area);
        }
    }
    (best.0, best.1)
}

/// Per-panel row membership and bounds for small multiples by one column.
pub struct Facets {
    pub labels: Vec<String>,
    pub masks: Vec<Vec<bool>>,
    pub bounds: Vec<[f32; 4]>,
}

pub fn facets(ds: &Dataset, col: usize) -> Facets {
    let c = &ds.categorical[col];
    let k = c.categories.len();
    let mut masks = vec![vec![false; ds.len()]; k];
    let mut bounds = vec![[f32::MAX, f32::MAX, f32::MIN, f32::MIN]; k];
    for (i, &code) in c.codes.iter().enumerate() {
        let code = code as usize;
        if code < k {
            masks[code][i] = true;
            let b = &mut bounds[code];
            b[0] = b[0].min(ds.x[i]);
            b[1] = b[1].min(ds.y[i]);
            b[2] = b[2].max(ds.x[i]);
            b[3] = b[3].max(ds.y[i]);
        }
    }
    // empty categories get no panel
    let keep: Vec<usize> = (0..k).filter(|&j| bounds[j][0] <= bounds[j][2]).collect();
    Facets {
        labels: keep.iter().map(|&j| c.categories[j].clone()).collect(),
        masks: keep
            .iter()
            .map(|&j| std::mem::take(&mut masks[j]))
            .collect(),
        bounds: keep.iter().map(|&j| bounds[j]).collect(),
    }
}

/// Small multiples with their grid on the viewer canvas.
pub struct Grid {
    pub facets: Facets,
    pub cols: usize,
    pub rows: usize,
}

/// The viewer's small multiples by the categorical column `name`, or None
/// when there is no such column or it has no rows.
pub fn make_grid(ds: &Dataset, name: &str) -> Option<Arc<Grid>> {
    let f = facets(ds, categorical_index(ds, name)?);
    if f.labels.is_empty() {
        return None;
    }
    // the widest panel's aspect decides the grid
    let aspect = f
        .bounds
        .iter()
        .map(|b| ((b[2] - b[0]).max(1e-6) / (b[3] - b[1]).max(1e-6)) as f64)
        .fold(0.0, f64::max);
    let (cols, rows) = grid(f.labels.len(), W as f64, H as f64, aspect);
    Some(Arc::new(Grid {
        facets: f,
        cols,
        rows,
    }))
}

impl Grid {
    /// Top-left corner of panel `i` in units of one panel (column, row).
    pub fn cell(&self, i: usize) -> (usize, usize) {
        (i % self.cols, i / self.cols)
    }
}

/// The view of panel `i` given the shared view of panel 0: same scale, and
/// each panel centred on its own data with the same pan offset.
pub fn panel_view(shared: &View, bounds: &[[f32; 4]], i: usize) -> View {
    let c = |b: &[f32; 4]| (((b[0] + b[2]) / 2.0) as f64, ((b[1] + b[3]) / 2.0) as f64);
    let (c0, ci) = (c(&bounds[0]), c(&bounds[i]));
    View {
        center_x: shared.center_x + ci.0 - c0.0,
        center_y: shared.center_y + ci.1 - c0.1,
        ..*shared
    }
}

/// The fitted shared view for small multiples: the smallest fitting scale of all panels.
pub fn fit_panels(bounds: &[[f32; 4]], pw: u32, ph: u32, y_down: bool) -> Option<View> {
    let first = bounds.first()?;
    let scale = bounds
        .iter()
        .map(|b| View::fit(*b, pw, ph, FIT_MARGIN, y_down).scale)
        .fold(f64::MAX, f64::min);
    Some(View {
        scale,
        ..View::fit(*first, pw, ph, FIT_MARGIN, y_down)
    })
}

/// The fitted view of the whole canvas, or of one panel with small multiples,
/// in the dataset's y direction (`sbx:y_axis`: down draws y = 0 at the top).
pub fn fit_view(ds: &Dataset, grid: Option<&Grid>) -> View {
    grid.and_then(|g| {
        fit_panels(
            &g.facets.bounds,
            W / g.cols as u32,
            H / g.rows as u32,
            ds.meta.y_down,
        )
    })
    .unwrap_or_else(|| {
        View::fit(
            ds.bounds().unwrap_or([0.0, 0.0, 1.0, 1.0]),
            W,
            H,
            FIT_MARGIN,
            ds.meta.y_down,
        )
    })
}

/// The point under canvas pixel (x, y): the panel there (None without small
/// multiples), the pixel in that panel and the panel's view. None between or
/// past the panels.
pub struct Spot {
    pub panel: Option<usize>,
    pub x: f64,
    pub y: f64,
    pub view: View,
}

pub fn locate(view: &View, grid: Option<&Grid>, x: f64, y: f64) -> Option<Spot> {
    let Some(g) = grid else {
        return Some(Spot {
            panel: None,
            x,
            y,
            view: *view,
        });
    };
    let (pw, ph) = (view.width as f64, view.height as f64);
    if x < 0.0 || y < 0.0 {
        return None;
    }
    let (c, r) = ((x / pw).floor() as usize, (y / ph).floor() as usize);
    let i = r * g.cols + c;
    if c >= g.cols || i >= g.facets.labels.len() {
        return None;
    }
    Some(Spot {
        panel: Some(i),
        x: x - c as f64 * pw,
        y: y - r as f64 * ph,
        view: panel_view(view, &g.facets.bounds, i),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::fixture::small;

    #[test]
    fn the_grid_keeps_panels_large() {
        assert_eq!(grid(1, 880.0, 560.0, 1.0), (1, 1));
        assert_eq!(grid(2, 880.0, 560.0, 1.0), (2, 1));
        assert_eq!(grid(4, 800.0, 800.0, 1.0), (2, 2));
        assert_eq!(grid(3, 100.0, 900.0, 1.0), (1, 3), "a tall canvas stacks");
        assert_eq!(grid(0, 880.0, 560.0, 1.0), (1, 1));
    }

    #[test]
    fn facets_split_rows_by_category() {
        let ds = small();
        let g = make_grid(&ds, "sample").expect("a grid");
        assert_eq!(g.facets.labels, ["s1", "s2"]);
        assert_eq!(g.facets.masks[1], [false, false, false, true, true, true]);
        assert_eq!(g.facets.bounds[1], [0.0, 10.0, 20.0, 10.0]);
        assert_eq!((g.cols, g.rows), (1, 2), "two flat strips stack");
        assert!(
            make_grid(&ds, "total").is_none(),
            "numeric columns make no panels"
        );
        let mut empty = ds.clone();
        empty.categorical[1].codes = vec![9; 6];
        assert!(
            make_grid(&empty, "sample").is_none(),
            "no valid codes, no panels"
        );
    }

    #[test]
    fn panels_share_the_scale_and_follow_their_data() {
        let ds = small();
        let g = make_grid(&ds, "sample").unwrap();
        let v = fit_view(&ds, Some(&g));
        assert_eq!((v.width, v.height), (W, H / 2));
        let p1 = panel_view(&v, &g.facets.bounds, 1);
        assert_eq!(p1.scale, v.scale);
        assert_eq!(p1.center_y - v.center_y, 10.0);
        let whole = fit_view(&ds, None);
        assert_eq!((whole.width, whole.height), (W, H));
    }

    #[test]
    fn a_pixel_is_located_in_its_panel() {
        let ds = small();
        let g = make_grid(&ds, "sample").unwrap();
        let v = fit_view(&ds, Some(&g));
        let s = locate(&v, Some(&g), 100.0, H as f64 / 2.0 + 30.0).expect("panel 1");
        assert_eq!(s.panel, Some(1));
        assert_eq!((s.x, s.y), (100.0, 30.0));
        assert!(
            locate(&v, Some(&g), 100.0, H as f64 + 1.0).is_none(),
            "below the panels"
        );
        assert!(locate(&v, Some(&g), -1.0, 5.0).is_none());
        let s = locate(&v, None, 7.0, 8.0).unwrap();
        assert_eq!((s.panel, s.x, s.y), (None, 7.0, 8.0));
    }
}
