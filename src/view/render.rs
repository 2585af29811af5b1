//! The viewer's picture: the dataset rasterized by the core under the
//! viewer's settings into an RGBA buffer, panel by panel with small
//! multiples, with niche regions over the points. The app puts the buffer on
//! a canvas in one call.

use super::colors::{outline_palette, palette_for, PLAIN};
use super::facets::{panel_view, Grid};
use super::model::{ColorChoice, Settings};
use super::niches::{NicheLayer, BORDER_PX, FILL_ALPHA};
use sbx_data::Dataset;
use sbx_render::{
    draw_points, draw_regions, Canvas, ColorBy, Drawn, Lod, Outline, PointSize, RegionPaint, Rgba,
    Style, View,
};
use std::sync::Arc;

pub const BACKGROUND: Rgba = Rgba::new(255, 255, 255, 255);
const BORDER: Rgba = Rgba::new(210, 214, 220, 255);

/// A computed niche layer with its palette and hidden niches, as the viewer holds them.
#[derive(Clone, Debug)]
pub struct RegionParts {
    pub layer: Arc<NicheLayer>,
    pub palette: Vec<Rgba>,
    pub hidden: Vec<bool>,
}

impl RegionParts {
    /// A translucent fill over the points (so the niche tints the cells
    /// without hiding their colours), then a solid border.
    fn draw(&self, panel: usize, canvas: &mut Canvas, view: &View) {
        let Some(regions) = self.layer.panels.get(panel) else {
            return;
        };
        let hidden = self.hidden.iter().any(|&h| h).then_some(&self.hidden[..]);
        for paint in [
            RegionPaint::Fill(FILL_ALPHA),
            RegionPaint::Border(BORDER_PX),
        ] {
            draw_regions(canvas, regions, view, &self.palette, hidden, paint);
        }
    }
}

/// The point size of the settings.
pub fn point_size(s: &Settings) -> PointSize {
    match s.data_size {
        Some(d) => PointSize::Data(d),
        None => PointSize::Pixels(s.size_px),
    }
}

/// Datasets from this many rows on are drawn through their level-of-detail
/// tiles on screen; smaller ones (and exports) draw every point.
pub const LOD_ROWS: usize = 2_000_000;

/// Draws the dataset into `canvas` (resized to the view). With small
/// multiples the canvas holds the grid of panels sharing `view` (which is
/// then one panel's view).
pub fn render(
    ds: &Dataset,
    s: &Settings,
    grid: Option<&Grid>,
    view: &View,
    canvas: &mut Canvas,
    regions: Option<&RegionParts>,
) {
    render_lod(ds, s, grid, view, canvas, regions, None);
}

/// As [`render`]; one panel is drawn through `lod` when given (which rows it
/// drew is returned).
pub fn render_lod(
    ds: &Dataset,
    s: &Settings,
    grid: Option<&Grid>,
    view: &View,
    canvas: &mut Canvas,
    regions: Option<&RegionParts>,
    lod: Option<&Lod>,
) -> Option<Drawn> {
    let (w, h) = (view.width, view.height);
    let palette;
    let color = match &s.color {
        ColorChoice::Categorical(i) => {
            palette = palette_for(ds, *i);
            ColorBy::Categorical {
                codes: &ds.categorical[*i].codes,
                palette: &palette,
                hidden: s.hidden.iter().any(|&x| x).then_some(&s.hidden[..]),
            }
        }
        ColorChoice::Numeric(i) => ColorBy::Numeric {
            values: &ds.numeric[*i].values,
            min: s.min,
            max: s.max,
            log: s.log,
            map: s.map,
        },
        ColorChoice::None => ColorBy::Constant(PLAIN),
    };
    let opal;
    let outline = match s.outline {
        Some(o) if o < ds.categorical.len() => {
            opal = outline_palette(ds.categorical[o].categories.len());
            Some(Outline {
                codes: &ds.categorical[o].codes,
                palette: &opal,
                width_px: 1.5,
                hidden: None,
            })
        }
        _ => None,
    };
    let style = |row_mask| Style {
        size: point_size(s),
        color,
        outline,
        row_mask,
    };
    let Some(g) = grid else {
        canvas.clear(w, h, BACKGROUND);
        let drawn = match lod {
            Some(l) => Some(l.draw(canvas, &ds.x, &ds.y, view, &style(None))),
            None => {
                draw_points(canvas, &ds.x, &ds.y, view, &style(None));
                None
            }
        };
        if let Some(r) = regions {
            r.draw(0, canvas, view);
        }
        return drawn;
    };
    let (cw, ch) = (w * g.cols as u32, h * g.rows as u32);
    canvas.clear(cw, ch, BACKGROUND);
    let mut panel = Canvas::new(w, h, BACKGROUND);
    for (i, mask) in g.facets.masks.iter().enumerate() {
        let pv = panel_view(view, &g.facets.bounds, i);
        panel.clear(w, h, BACKGROUND);
        draw_points(&mut panel, &ds.x, &ds.y, &pv, &style(Some(mask)));
        if let Some(r) = regions {
            r.draw(i, &mut panel, &pv);
        }
        let (c, r) = g.cell(i);
        blit_framed(canvas, &panel, c as u32 * w, r as u32 * h);
    }
    None
}

/// Copies a panel into the canvas at (ox, oy) with a thin frame, so panels read apart.
fn blit_framed(canvas: &mut Canvas, panel: &Canvas, ox: u32, oy: u32) {
    let (w, h, cw) = (panel.width, panel.height, canvas.width);
    for y in 0..h {
        let src = &panel.pixels[(y * w) as usize..((y + 1) * w) as usize];
        let at = ((oy + y) * cw + ox) as usize;
        canvas.pixels[at..at + w as usize].copy_from_slice(src);
    }
    for x in 0..w {
        canvas.pixels[(oy * cw + ox + x) as usize] = BORDER.0;
        canvas.pixels[((oy + h - 1) * cw + ox + x) as usize] = BORDER.0;
    }
    for y in 0..h {
        canvas.pixels[((oy + y) * cw + ox) as usize] = BORDER.0;
        canvas.pixels[((oy + y) * cw + ox + w - 1) as usize] = BORDER.0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::facets::{fit_view, make_grid};
    use crate::view::fixture::small;
    use crate::view::model::{color_choice, H, W};
    use sbx_render::ColorMap;

    /// The fitted picture coloured by cell type, with the given categories hidden.
    fn by_cell_type(ds: &Dataset, hidden: Vec<bool>) -> Canvas {
        let v = fit_view(ds, None);
        let mut c = Canvas::new(1, 1, BACKGROUND);
        render(
            ds,
            &settings(ds, "cell_type", hidden),
            None,
            &v,
            &mut c,
            None,
        );
        c
    }

    fn settings(ds: &Dataset, color: &str, hidden: Vec<bool>) -> Settings {
        Settings {
            color: color_choice(ds, color),
            hidden,
            min: 0.0,
            max: 6.0,
            log: false,
            map: ColorMap::Viridis,
            data_size: None,
            size_px: 5.0,
            outline: None,
        }
    }

    fn count(c: &Canvas, color: Rgba) -> usize {
        c.pixels.iter().filter(|&&p| p == color.0).count()
    }

    #[test]
    fn points_take_their_category_colour_unless_hidden() {
        let ds = small();
        let pal = palette_for(&ds, 0);
        let c = by_cell_type(&ds, vec![]);
        assert_eq!((c.width, c.height), (W, H));
        let b = count(&c, pal[1]);
        assert!(b > 0, "category b is drawn");
        let c = by_cell_type(&ds, vec![false, true]);
        assert_eq!(count(&c, pal[1]), 0, "hidden category b is not drawn");
        assert!(count(&c, pal[0]) > 0);
    }

    #[test]
    fn one_panel_goes_through_the_level_of_detail_when_given() {
        let ds = small();
        let lod = Lod::new(&ds.x, &ds.y);
        let v = fit_view(&ds, None);
        let s = settings(&ds, "cell_type", vec![]);
        let (mut a, mut b) = (Canvas::new(1, 1, BACKGROUND), Canvas::new(1, 1, BACKGROUND));
        render(&ds, &s, None, &v, &mut a, None);
        let drawn = render_lod(&ds, &s, None, &v, &mut b, None, Some(&lod));
        // A few points: every row of the visible tiles, the same picture.
        assert_eq!(drawn.map(|d| d.rows), Some(ds.len()));
        assert_eq!(a, b);
        let g = make_grid(&ds, "sample").unwrap();
        let gv = fit_view(&ds, Some(&g));
        assert_eq!(
            render_lod(&ds, &s, Some(&g), &gv, &mut b, None, Some(&lod)),
            None
        );
    }

    #[test]
    fn small_multiples_fill_a_framed_grid() {
        let ds = small();
        let g = make_grid(&ds, "sample").unwrap();
        let v = fit_view(&ds, Some(&g));
        let mut c = Canvas::new(1, 1, BACKGROUND);
        render(&ds, &settings(&ds, "", vec![]), Some(&g), &v, &mut c, None);
        assert_eq!((c.width, c.height), (v.width, v.height * 2));
        assert_eq!(c.pixels[0], BORDER.0, "the frame's corner");
        let plain = count(&c, PLAIN);
        assert!(plain > 0, "uncoloured points are drawn plain");
    }

    /// A vertical bar with a flag at its top end (largest y), to the right.
    fn flag(y_down: bool) -> Dataset {
        let mut pts: Vec<(f32, f32, &str)> = (0..=20).map(|i| (0.0, i as f32, "bar")).collect();
        pts.extend((1..=6).map(|i| (i as f32, 20.0, "flag")));
        let mut ds = Dataset {
            x: pts.iter().map(|p| p.0).collect(),
            y: pts.iter().map(|p| p.1).collect(),
            ..Default::default()
        };
        let labels: Vec<&str> = pts.iter().map(|p| p.2).collect();
        ds.categorical
            .push(sbx_data::CategoricalColumn::from_labels(
                "cell_type",
                &labels,
            ));
        ds.meta.y_down = y_down;
        ds
    }

    /// Mean pixel (column, row) of the points drawn in `color`.
    fn centre(c: &Canvas, color: Rgba) -> (f64, f64) {
        let (mut sx, mut sy, mut n) = (0.0, 0.0, 0.0);
        for (i, &p) in c.pixels.iter().enumerate() {
            if p == color.0 {
                sx += (i as u32 % c.width) as f64;
                sy += (i as u32 / c.width) as f64;
                n += 1.0;
            }
        }
        assert!(n > 0.0, "colour drawn");
        (sx / n, sy / n)
    }

    #[test]
    fn the_y_axis_direction_of_the_dataset_is_honoured() {
        for y_down in [false, true] {
            let ds = flag(y_down);
            let pal = palette_for(&ds, 0);
            assert_eq!(fit_view(&ds, None).y_down, y_down);
            let c = by_cell_type(&ds, vec![]);
            let (bar, fl) = (centre(&c, pal[0]), centre(&c, pal[1]));
            assert!(fl.0 > bar.0, "the flag stays right of the bar");
            if y_down {
                assert!(
                    fl.1 > bar.1 + 100.0,
                    "y down: the flag (largest y) is at the bottom"
                );
            } else {
                assert!(
                    fl.1 < bar.1 - 100.0,
                    "y up: the flag (largest y) is at the top"
                );
            }
        }
    }
}
