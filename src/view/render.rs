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
    color_of, draw_points, draw_regions, draw_sample, Canvas, ColorBy, Drawn, Lod, Outline,
    PointSize, RegionPaint, Rgba, Style, View,
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
/// tiles on screen; smaller ones (and exports) draw every point. Also the most
/// rows a sample draws (see [`Detail::AtMost`]).
pub const LOD_ROWS: usize = 2_000_000;

/// How much of the dataset a picture draws.
#[derive(Clone, Copy)]
pub enum Detail<'a> {
    /// Every point (exports, and datasets below [`LOD_ROWS`]).
    Every,
    /// One panel through the level-of-detail tiles; small multiples, which the
    /// tiles cannot draw by panel, a sample of at most [`LOD_ROWS`] rows.
    Tiles(&'a Lod),
    /// One row in every few, at most this many rows: millions of points before their
    /// tiles are built, drawn at a bounded cost so that a redraw never holds the page.
    AtMost(usize),
}

/// What a picture drew.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Drew {
    Every,
    Tiles(Drawn),
    /// One row in `every` (ending with the last row, the one on top): `rows` rows.
    Sample {
        every: usize,
        rows: usize,
    },
}

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
    render_lod(ds, s, grid, view, canvas, regions, Detail::Every);
}

/// The palette of the settings' categorical colour column (empty for any other colouring).
fn settings_palette(ds: &Dataset, s: &Settings) -> Vec<Rgba> {
    match s.color {
        ColorChoice::Categorical(i) => palette_for(ds, i),
        _ => Vec::new(),
    }
}

/// How the settings colour each row (`palette` from [`settings_palette`]).
fn color_by<'a>(ds: &'a Dataset, s: &'a Settings, palette: &'a [Rgba]) -> ColorBy<'a> {
    match s.color {
        ColorChoice::Categorical(i) => ColorBy::Categorical {
            codes: &ds.categorical[i].codes,
            palette,
            hidden: s.hidden.iter().any(|&x| x).then_some(&s.hidden[..]),
        },
        ColorChoice::Numeric(i) => ColorBy::Numeric {
            values: &ds.numeric[i].values,
            min: s.min,
            max: s.max,
            log: s.log,
            map: s.map,
        },
        ColorChoice::None => ColorBy::Constant(PLAIN),
    }
}

/// Each row's colour under the settings, as the rasterizer draws it (RGBA bytes in
/// memory order); a row not drawn (a hidden category) is fully transparent. For a
/// renderer that takes the colours with the points (WebGL2).
pub fn row_colors(ds: &Dataset, s: &Settings) -> Vec<u32> {
    let palette = settings_palette(ds, s);
    let color = color_of(&color_by(ds, s, &palette));
    (0..ds.len()).map(|i| color(i).unwrap_or(0)).collect()
}

/// As [`render`], drawing as much as `detail` says; says what it drew.
pub fn render_lod(
    ds: &Dataset,
    s: &Settings,
    grid: Option<&Grid>,
    view: &View,
    canvas: &mut Canvas,
    regions: Option<&RegionParts>,
    detail: Detail<'_>,
) -> Drew {
    let (w, h) = (view.width, view.height);
    let palette = settings_palette(ds, s);
    let color = color_by(ds, s, &palette);
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
    let n = ds.len();
    // the most rows drawn: small multiples sample rather than go through the tiles
    let at_most = match (detail, grid) {
        (Detail::AtMost(m), _) => Some(m),
        (Detail::Tiles(_), Some(_)) => Some(LOD_ROWS),
        _ => None,
    };
    let every = at_most.map_or(1, |m| n.div_ceil(m.max(1)));
    let drew = match every {
        0 | 1 => Drew::Every,
        e => Drew::Sample {
            every: e,
            rows: n.div_ceil(e),
        },
    };
    let points = |c: &mut Canvas, v: &View, mask| {
        let st = style(mask);
        match drew {
            Drew::Sample { every, .. } => draw_sample(c, &ds.x, &ds.y, every, v, &st),
            _ => draw_points(c, &ds.x, &ds.y, v, &st),
        }
    };
    let Some(g) = grid else {
        canvas.clear(w, h, BACKGROUND);
        let drew = match detail {
            Detail::Tiles(l) => Drew::Tiles(l.draw(canvas, &ds.x, &ds.y, view, &style(None))),
            _ => {
                points(canvas, view, None);
                drew
            }
        };
        if let Some(r) = regions {
            r.draw(0, canvas, view);
        }
        return drew;
    };
    let (cw, ch) = (w * g.cols as u32, h * g.rows as u32);
    canvas.clear(cw, ch, BACKGROUND);
    let mut panel = Canvas::new(w, h, BACKGROUND);
    for (i, mask) in g.facets.masks.iter().enumerate() {
        let pv = panel_view(view, &g.facets.bounds, i);
        panel.clear(w, h, BACKGROUND);
        points(&mut panel, &pv, Some(mask));
        if let Some(r) = regions {
            r.draw(i, &mut panel, &pv);
        }
        let (c, r) = g.cell(i);
        blit_framed(canvas, &panel, c as u32 * w, r as u32 * h);
    }
    drew
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
        let drew = render_lod(&ds, &s, None, &v, &mut b, None, Detail::Tiles(&lod));
        // A few points: every row of the visible tiles, the same picture.
        assert!(
            matches!(drew, Drew::Tiles(d) if d.rows == ds.len()),
            "{drew:?}"
        );
        assert_eq!(a, b);
        let g = make_grid(&ds, "sample").unwrap();
        let gv = fit_view(&ds, Some(&g));
        assert_eq!(
            render_lod(&ds, &s, Some(&g), &gv, &mut b, None, Detail::Tiles(&lod)),
            Drew::Every
        );
    }

    #[test]
    fn without_tiles_a_bounded_draw_is_a_sample_ending_with_the_last_row() {
        let ds = small();
        let n = ds.len();
        let v = fit_view(&ds, None);
        let s = settings(&ds, "cell_type", vec![]);
        let (mut all, mut part) = (Canvas::new(1, 1, BACKGROUND), Canvas::new(1, 1, BACKGROUND));
        render(&ds, &s, None, &v, &mut all, None);
        // room for every row: every row
        let drew = render_lod(&ds, &s, None, &v, &mut part, None, Detail::AtMost(n));
        assert_eq!((drew, &part), (Drew::Every, &all));
        // room for a third: one in three, the same as the rasterizer's sample
        let drew = render_lod(
            &ds,
            &s,
            None,
            &v,
            &mut part,
            None,
            Detail::AtMost(n.div_ceil(3)),
        );
        assert_eq!(
            drew,
            Drew::Sample {
                every: 3,
                rows: n.div_ceil(3)
            }
        );
        let mut expect = Canvas::new(v.width, v.height, BACKGROUND);
        let pal = palette_for(&ds, 0);
        let st = Style {
            size: point_size(&s),
            color: ColorBy::Categorical {
                codes: &ds.categorical[0].codes,
                palette: &pal,
                hidden: None,
            },
            outline: None,
            row_mask: None,
        };
        draw_sample(&mut expect, &ds.x, &ds.y, 3, &v, &st);
        assert_eq!(part, expect);
        assert_ne!(part, all, "a sample leaves points out");
        // small multiples sample too, panel by panel
        let g = make_grid(&ds, "sample").unwrap();
        let gv = fit_view(&ds, Some(&g));
        let drew = render_lod(&ds, &s, Some(&g), &gv, &mut part, None, Detail::AtMost(2));
        assert_eq!(
            drew,
            Drew::Sample {
                every: n.div_ceil(2),
                rows: 2
            }
        );
    }

    #[test]
    fn row_colours_are_the_drawn_colours_and_hidden_rows_are_transparent() {
        let ds = small();
        let pal = palette_for(&ds, 0);
        let codes = &ds.categorical[0].codes;
        let colors = row_colors(&ds, &settings(&ds, "cell_type", vec![false, true]));
        assert_eq!(colors.len(), ds.len());
        for (i, &c) in colors.iter().enumerate() {
            let k = codes[i] as usize;
            assert_eq!(c, if k == 1 { 0 } else { pal[k].0 }, "row {i}");
        }
        // a single-point picture of each row has that row's colour
        let s = settings(&ds, "total", vec![]);
        let colors = row_colors(&ds, &s);
        for i in [0, 3, 5] {
            let one = ds.take(&[i]);
            let v = fit_view(&ds, None);
            let mut c = Canvas::new(1, 1, BACKGROUND);
            render(&one, &s, None, &v, &mut c, None);
            let (px, py) = v.to_pixel(f64::from(one.x[0]), f64::from(one.y[0]));
            assert_eq!(c.get(px as u32, py as u32).0, colors[i], "row {i}");
        }
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
