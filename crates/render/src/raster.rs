//! The point rasterizer: draws units as opaque discs into an RGBA buffer.

use crate::color::{ColorMap, Rgba, MISSING_GREY};
use crate::view::View;

/// An RGBA8 image (row-major, top row first), ready for `ImageData`.
#[derive(Debug, Clone, PartialEq)]
pub struct Canvas {
    pub width: u32,
    pub height: u32,
    /// One packed [`Rgba`] per pixel.
    pub pixels: Vec<u32>,
}

impl Canvas {
    pub fn new(width: u32, height: u32, background: Rgba) -> Canvas {
        Canvas {
            width,
            height,
            pixels: vec![background.0; width as usize * height as usize],
        }
    }

    /// Resizes if needed and fills with `background`, reusing the allocation.
    pub fn clear(&mut self, width: u32, height: u32, background: Rgba) {
        self.width = width;
        self.height = height;
        self.pixels.clear();
        self.pixels
            .resize(width as usize * height as usize, background.0);
    }

    /// The pixels as RGBA bytes (length width * height * 4), without a copy:
    /// the page hands them to `ImageData` on every redraw.
    #[allow(unsafe_code)]
    pub fn rgba(&self) -> &[u8] {
        // SAFETY: u32 has no padding and every byte of it is a valid u8; the length
        // covers exactly the same memory; alignment of u8 is 1.
        unsafe {
            std::slice::from_raw_parts(self.pixels.as_ptr() as *const u8, self.pixels.len() * 4)
        }
    }

    pub fn get(&self, x: u32, y: u32) -> Rgba {
        Rgba(self.pixels[(y * self.width + x) as usize])
    }
}

/// Point diameter.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PointSize {
    /// On screen, whatever the zoom.
    Pixels(f32),
    /// In data units (a spot or bead diameter): grows with zoom.
    Data(f32),
}

impl PointSize {
    pub fn pixels(self, view: &View) -> f32 {
        match self {
            PointSize::Pixels(p) => p,
            PointSize::Data(d) => (d as f64 * view.scale) as f32,
        }
    }
}

/// How points get their colour.
#[derive(Debug, Clone, Copy)]
pub enum ColorBy<'a> {
    Constant(Rgba),
    /// `palette[codes[i]]`; points whose category is hidden (`hidden[code]`) are not drawn.
    Categorical {
        codes: &'a [u32],
        palette: &'a [Rgba],
        hidden: Option<&'a [bool]>,
    },
    /// Linear (or log1p) from `min` to `max` through `map`; NaN drawn grey.
    Numeric {
        values: &'a [f32],
        min: f32,
        max: f32,
        log: bool,
        map: ColorMap,
    },
}

/// A second colour channel drawn as a ring around each point (e.g. niches).
#[derive(Debug, Clone, Copy)]
pub struct Outline<'a> {
    pub codes: &'a [u32],
    pub palette: &'a [Rgba],
    /// Ring width in pixels.
    pub width_px: f32,
    /// Categories whose ring is not drawn.
    pub hidden: Option<&'a [bool]>,
}

/// Everything one redraw needs besides the coordinates.
#[derive(Debug, Clone, Copy)]
pub struct Style<'a> {
    pub size: PointSize,
    pub color: ColorBy<'a>,
    pub outline: Option<Outline<'a>>,
    /// Only rows with `mask[i] == true` are drawn (e.g. one panel of small multiples).
    pub row_mask: Option<&'a [bool]>,
}

/// The pixels of a disc `diameter` pixels wide, as horizontal spans (dy, dx_min, dx_max)
/// around an anchor pixel. Odd widths centre on the pixel holding the point; even widths
/// on the pixel corner nearest to it (`even` = true), so a 2-pixel point is a 2x2 square.
#[derive(Debug, Clone, PartialEq)]
struct Stamp {
    spans: Vec<(i32, i32, i32)>,
    even: bool,
    reach: i32,
}

fn stamp(diameter: f32) -> Stamp {
    let k = (diameter.round() as i32).max(1);
    let r = k as f64 / 2.0;
    let even = k % 2 == 0;
    let (lo, hi, off) = if even {
        (-(k / 2), k / 2 - 1, 0.5)
    } else {
        (-(k - 1) / 2, (k - 1) / 2, 0.0)
    };
    let mut spans = Vec::new();
    for dy in lo..=hi {
        let cy = dy as f64 + off;
        let xs: Vec<i32> = (lo..=hi)
            .filter(|&dx| (dx as f64 + off).powi(2) + cy * cy <= r * r + 1e-9)
            .collect();
        if let (Some(&a), Some(&b)) = (xs.first(), xs.last()) {
            spans.push((dy, a, b));
        }
    }
    Stamp {
        spans,
        even,
        reach: hi.max(-lo),
    }
}

struct Lut {
    table: [u32; 256],
    lo: f32,
    inv: f32,
    log: bool,
}

impl Lut {
    fn new(min: f32, max: f32, log: bool, map: ColorMap) -> Lut {
        let f = |v: f32| if log { v.max(0.0).ln_1p() } else { v };
        let (lo, hi) = (f(min), f(max));
        let span = hi - lo;
        let inv = if span.abs() > f32::EPSILON {
            255.0 / span
        } else {
            0.0
        };
        let table = map.lut().map(|c| c.0);
        Lut {
            table,
            lo,
            inv,
            log,
        }
    }
    #[inline]
    fn color(&self, v: f32) -> u32 {
        if v.is_nan() {
            return MISSING_GREY.0;
        }
        let v = if self.log { v.max(0.0).ln_1p() } else { v };
        let t = ((v - self.lo) * self.inv).clamp(0.0, 255.0);
        self.table[t as usize]
    }
}

/// The colour of row `i` (`None`: not drawn), one call per row: for drawing a
/// few representatives of the points rather than every point.
pub fn color_of<'a>(color: &ColorBy<'a>) -> Box<dyn Fn(usize) -> Option<u32> + 'a> {
    match *color {
        ColorBy::Constant(c) => Box::new(move |_| Some(c.0)),
        ColorBy::Categorical {
            codes,
            palette,
            hidden,
        } => Box::new(move |i| {
            let k = *codes.get(i)? as usize;
            if hidden.and_then(|h| h.get(k)).copied().unwrap_or(false) {
                return None;
            }
            Some(palette.get(k).map_or(MISSING_GREY.0, |c| c.0))
        }),
        ColorBy::Numeric {
            values,
            min,
            max,
            log,
            map,
        } => {
            let lut = Lut::new(min, max, log, map);
            Box::new(move |i| Some(lut.color(*values.get(i)?)))
        }
    }
}

/// Draws every point (in row order; later rows on top). Points outside the canvas are skipped.
pub fn draw_points(canvas: &mut Canvas, xs: &[f32], ys: &[f32], view: &View, style: &Style) {
    draw_some(canvas, xs, ys, Rows::All, view, style);
}

/// Draws the points of `rows` only, in the order given (later on top); rows
/// past the end of the coordinates are skipped. The level-of-detail index
/// draws its representatives of the visible tiles this way.
pub fn draw_rows(
    canvas: &mut Canvas,
    xs: &[f32],
    ys: &[f32],
    rows: &[u32],
    view: &View,
    style: &Style,
) {
    draw_some(canvas, xs, ys, Rows::List(rows), view, style);
}

/// Draws one row in `every`, in row order and ending with the last row (the one on
/// top): a picture of bounded cost of millions of points, for a page that cannot yet draw
/// them through tiles. `every` 0 or 1 draws every row.
pub fn draw_sample(
    canvas: &mut Canvas,
    xs: &[f32],
    ys: &[f32],
    every: usize,
    view: &View,
    style: &Style,
) {
    let n = xs.len().min(ys.len());
    let every = every.max(1);
    let from = n.saturating_sub(1) % every;
    draw_some(canvas, xs, ys, Rows::Every(from, every), view, style);
}

/// Which rows a draw reads.
#[derive(Clone, Copy)]
enum Rows<'a> {
    All,
    List(&'a [u32]),
    /// Rows `from`, `from + step`, … .
    Every(usize, usize),
}

fn draw_some(
    canvas: &mut Canvas,
    xs: &[f32],
    ys: &[f32],
    rows: Rows<'_>,
    view: &View,
    style: &Style,
) {
    let n = xs.len().min(ys.len());
    let d = style.size.pixels(view).max(0.5);
    if let Some(o) = style.outline {
        let st = stamp(d + 2.0 * o.width_px.max(0.0));
        let color = |i: usize| {
            let k = *o.codes.get(i)? as usize;
            if o.hidden.and_then(|h| h.get(k)).copied().unwrap_or(false) {
                return None;
            }
            o.palette.get(k).map(|c| c.0)
        };
        draw_with(canvas, &xs[..n], &ys[..n], rows, view, &st, style, color);
    }
    let st = stamp(d);
    match style.color {
        ColorBy::Constant(c) => {
            draw_with(canvas, &xs[..n], &ys[..n], rows, view, &st, style, |_| {
                Some(c.0)
            })
        }
        ColorBy::Categorical {
            codes,
            palette,
            hidden,
        } => {
            let pal: Vec<u32> = palette.iter().map(|c| c.0).collect();
            let fallback = MISSING_GREY.0;
            match hidden {
                None => draw_with(canvas, &xs[..n], &ys[..n], rows, view, &st, style, |i| {
                    Some(
                        pal.get(*codes.get(i)? as usize)
                            .copied()
                            .unwrap_or(fallback),
                    )
                }),
                Some(h) => draw_with(canvas, &xs[..n], &ys[..n], rows, view, &st, style, |i| {
                    let k = *codes.get(i)? as usize;
                    if h.get(k).copied().unwrap_or(false) {
                        None
                    } else {
                        Some(pal.get(k).copied().unwrap_or(fallback))
                    }
                }),
            }
        }
        ColorBy::Numeric {
            values,
            min,
            max,
            log,
            map,
        } => {
            let lut = Lut::new(min, max, log, map);
            draw_with(canvas, &xs[..n], &ys[..n], rows, view, &st, style, |i| {
                Some(lut.color(*values.get(i)?))
            })
        }
    }
}

#[inline(always)]
#[allow(clippy::too_many_arguments)] // the one inner loop: buffer, coordinates, rows, view, stamp, style, colour
fn draw_with<F: Fn(usize) -> Option<u32>>(
    canvas: &mut Canvas,
    xs: &[f32],
    ys: &[f32],
    rows: Rows<'_>,
    view: &View,
    st: &Stamp,
    style: &Style,
    color: F,
) {
    let (ax, bx, ay, by) = view.coefficients();
    // Even stamps anchor on the nearest pixel corner: shifting by half a pixel turns that
    // rounding into the same floor used for odd stamps.
    let half = if st.even { 0.5 } else { 0.0 };
    let (ax, bx, ay, by) = (ax as f32, (bx + half) as f32, ay as f32, (by + half) as f32);
    let w = canvas.width as i32;
    let h = canvas.height as i32;
    let px = &mut canvas.pixels;
    let reach = st.reach;
    let (lo_x, hi_x) = (-(reach as f32) - 1.0, (w + reach) as f32 + 1.0);
    let (lo_y, hi_y) = (-(reach as f32) - 1.0, (h + reach) as f32 + 1.0);
    let single = st.spans.len() == 1 && st.spans[0] == (0, 0, 0);
    let square2 = st.even && st.spans == [(-1, -1, 0), (0, -1, 0)];
    let mut one = |i: usize, x: f32, y: f32| {
        if let Some(m) = style.row_mask {
            if !m.get(i).copied().unwrap_or(false) {
                return;
            }
        }
        let fx = x * ax + bx;
        let fy = y * ay + by;
        // Also false for NaN.
        if !(fx > lo_x && fx < hi_x && fy > lo_y && fy < hi_y) {
            return;
        }
        let Some(c) = color(i) else { return };
        let cx = fx.floor() as i32;
        let cy = fy.floor() as i32;
        let inside = cx - reach >= 0 && cx + reach < w && cy - reach >= 0 && cy + reach < h;
        if single {
            if inside || (cx >= 0 && cx < w && cy >= 0 && cy < h) {
                px[(cy * w + cx) as usize] = c;
            }
            return;
        }
        if square2 && inside {
            let a = ((cy - 1) * w + cx - 1) as usize;
            let b = a + w as usize;
            px[a] = c;
            px[a + 1] = c;
            px[b] = c;
            px[b + 1] = c;
            return;
        }
        for &(dy, x0, x1) in &st.spans {
            let y = cy + dy;
            if y < 0 || y >= h {
                continue;
            }
            let a = (cx + x0).max(0);
            let b = (cx + x1).min(w - 1);
            if a > b {
                continue;
            }
            let row = (y * w) as usize;
            px[row + a as usize..=row + b as usize].fill(c);
        }
    };
    match rows {
        Rows::All => {
            for (i, (&x, &y)) in xs.iter().zip(ys).enumerate() {
                one(i, x, y);
            }
        }
        Rows::Every(from, step) => {
            for (i, (&x, &y)) in xs.iter().zip(ys).enumerate().skip(from).step_by(step) {
                one(i, x, y);
            }
        }
        Rows::List(rows) => {
            for &r in rows {
                let r = r as usize;
                if let (Some(&x), Some(&y)) = (xs.get(r), ys.get(r)) {
                    one(r, x, y);
                }
            }
        }
    }
}

/// The canvas as rows of characters, one per pixel, by colour (`?` for any other):
/// the tests' way to state an expected picture.
#[cfg(test)]
pub(crate) fn ascii(c: &Canvas, legend: &[(Rgba, char)]) -> Vec<String> {
    (0..c.height)
        .map(|y| {
            (0..c.width)
                .map(|x| {
                    legend
                        .iter()
                        .find(|(col, _)| *col == c.get(x, y))
                        .map(|l| l.1)
                        .unwrap_or('?')
                })
                .collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::color::{BLACK, WHITE};

    fn identity_view(w: u32, h: u32) -> View {
        // Data unit = pixel, y down, origin at the top-left corner.
        View {
            width: w,
            height: h,
            center_x: w as f64 / 2.0,
            center_y: h as f64 / 2.0,
            scale: 1.0,
            y_down: true,
        }
    }

    const RED: Rgba = Rgba::new(255, 0, 0, 255);

    /// Points of one pixel in red.
    fn red_pixels() -> Style<'static> {
        Style {
            size: PointSize::Pixels(1.0),
            color: ColorBy::Constant(RED),
            outline: None,
            row_mask: None,
        }
    }

    #[test]
    fn single_pixels_land_where_expected() {
        let mut c = Canvas::new(4, 3, WHITE);
        let v = identity_view(4, 3);
        let (red, style) = (RED, red_pixels());
        draw_points(
            &mut c,
            &[0.5, 3.9, 10.0, -1.0],
            &[0.5, 2.2, 1.0, 1.0],
            &v,
            &style,
        );
        assert_eq!(
            ascii(&c, &[(WHITE, '.'), (red, 'r')]),
            ["r...", "....", "...r"]
        );
        assert_eq!(&c.rgba()[..4], &[255, 0, 0, 255]);
    }

    #[test]
    fn a_sample_draws_one_row_in_every_ending_with_the_last() {
        let (red, style) = (RED, red_pixels());
        let lit = |n: usize, every: usize| {
            let mut c = Canvas::new(n as u32, 1, WHITE);
            let xs: Vec<f32> = (0..n).map(|i| i as f32 + 0.5).collect();
            draw_sample(
                &mut c,
                &xs,
                &vec![0.5; n],
                every,
                &identity_view(n as u32, 1),
                &style,
            );
            ascii(&c, &[(WHITE, '.'), (red, 'r')]).concat()
        };
        assert_eq!(lit(7, 3), "r..r..r");
        assert_eq!(lit(6, 4), ".r...r");
        assert_eq!(lit(4, 1), "rrrr");
        assert_eq!(lit(4, 0), "rrrr");
        assert_eq!(lit(3, 10), "..r");
        assert_eq!(lit(0, 3), "");
    }

    #[test]
    fn a_sample_keeps_the_last_row_on_top() {
        let (a, b) = (RED, Rgba::new(0, 0, 255, 255));
        let palette = [a, b];
        let style = Style {
            size: PointSize::Pixels(1.0),
            color: ColorBy::Categorical {
                codes: &[0, 0, 1, 0, 1],
                palette: &palette,
                hidden: None,
            },
            outline: None,
            row_mask: None,
        };
        // every row on the same pixel: rows 0, 2 and 4 are drawn, row 4 (code 1) last
        let mut c = Canvas::new(1, 1, WHITE);
        draw_sample(
            &mut c,
            &[0.5; 5],
            &[0.5; 5],
            2,
            &identity_view(1, 1),
            &style,
        );
        assert_eq!(c.get(0, 0), b);
    }

    #[test]
    fn disc_of_diameter_5_is_a_plus_rounded_square() {
        let mut c = Canvas::new(7, 7, WHITE);
        let v = identity_view(7, 7);
        let style = Style {
            size: PointSize::Pixels(5.0),
            color: ColorBy::Constant(BLACK),
            outline: None,
            row_mask: None,
        };
        draw_points(&mut c, &[3.5], &[3.5], &v, &style);
        // r = 2.5: rows dy=-2..2 have half widths 1, 2, 2, 2, 1.
        assert_eq!(
            ascii(&c, &[(WHITE, '.'), (BLACK, '#')]),
            [".......", "..###..", ".#####.", ".#####.", ".#####.", "..###..", "......."]
        );
    }

    #[test]
    fn two_pixel_points_are_2x2_on_the_nearest_corner() {
        let mut c = Canvas::new(4, 4, WHITE);
        let v = identity_view(4, 4);
        let style = Style {
            size: PointSize::Pixels(2.0),
            color: ColorBy::Constant(BLACK),
            outline: None,
            row_mask: None,
        };
        // (2.1, 1.9) is nearest the corner between pixels (1..2, 1..2).
        draw_points(&mut c, &[2.1], &[1.9], &v, &style);
        assert_eq!(
            ascii(&c, &[(WHITE, '.'), (BLACK, '#')]),
            ["....", ".##.", ".##.", "...."]
        );
        assert_eq!(stamp(3.0).spans, vec![(-1, -1, 1), (0, -1, 1), (1, -1, 1)]);
        assert_eq!(
            stamp(4.0).spans,
            vec![(-2, -1, 0), (-1, -2, 1), (0, -2, 1), (1, -1, 0)]
        );
    }

    #[test]
    fn data_sized_points_scale_with_zoom() {
        let v = View {
            scale: 4.0,
            ..identity_view(8, 8)
        };
        assert_eq!(PointSize::Data(1.25).pixels(&v), 5.0);
    }

    #[test]
    fn categories_hidden_and_outline_ring() {
        let mut c = Canvas::new(5, 1, WHITE);
        let v = identity_view(5, 1);
        let (a, b) = (Rgba::new(1, 0, 0, 255), Rgba::new(0, 2, 0, 255));
        let pal = [a, b];
        let hidden = [false, true];
        let style = Style {
            size: PointSize::Pixels(1.0),
            color: ColorBy::Categorical {
                codes: &[0, 1],
                palette: &pal,
                hidden: Some(&hidden),
            },
            outline: None,
            row_mask: None,
        };
        draw_points(&mut c, &[0.5, 2.5], &[0.5, 0.5], &v, &style);
        assert_eq!(ascii(&c, &[(WHITE, '.'), (a, 'a'), (b, 'b')]), ["a...."]);

        // Outline: a 1-pixel point with a 1-pixel ring of the niche colour -> ring 3 wide, centre cell colour.
        let mut c = Canvas::new(5, 3, WHITE);
        let v = identity_view(5, 3);
        let niche = [Rgba::new(0, 0, 9, 255)];
        let style = Style {
            size: PointSize::Pixels(1.0),
            color: ColorBy::Categorical {
                codes: &[0],
                palette: &pal,
                hidden: None,
            },
            outline: Some(Outline {
                codes: &[0],
                palette: &niche,
                width_px: 1.0,
                hidden: None,
            }),
            row_mask: None,
        };
        draw_points(&mut c, &[2.5], &[1.5], &v, &style);
        assert_eq!(
            ascii(&c, &[(WHITE, '.'), (a, 'a'), (niche[0], 'n')]),
            [".nnn.", ".nan.", ".nnn."]
        );
    }

    #[test]
    fn numeric_colours_follow_min_max_and_log() {
        let mut c = Canvas::new(3, 1, WHITE);
        let v = identity_view(3, 1);
        let style = Style {
            size: PointSize::Pixels(1.0),
            color: ColorBy::Numeric {
                values: &[0.0, 10.0, f32::NAN],
                min: 0.0,
                max: 10.0,
                log: false,
                map: ColorMap::Viridis,
            },
            outline: None,
            row_mask: None,
        };
        draw_points(&mut c, &[0.5, 1.5, 2.5], &[0.5, 0.5, 0.5], &v, &style);
        assert_eq!(c.get(0, 0).to_hex(), "#440154");
        assert_eq!(c.get(1, 0).to_hex(), "#fde725");
        assert_eq!(c.get(2, 0), MISSING_GREY);
        // log1p: with max 99, value 9 sits at ln(10)/ln(100) = 0.5 of the scale.
        let lut = Lut::new(0.0, 99.0, true, ColorMap::Viridis);
        assert_eq!(lut.color(9.0), ColorMap::Viridis.lut()[127].0);
    }

    #[test]
    fn row_mask_limits_the_panel() {
        let mut c = Canvas::new(2, 1, WHITE);
        let v = identity_view(2, 1);
        let style = Style {
            size: PointSize::Pixels(1.0),
            color: ColorBy::Constant(BLACK),
            outline: None,
            row_mask: Some(&[false, true]),
        };
        draw_points(&mut c, &[0.5, 1.5], &[0.5, 0.5], &v, &style);
        assert_eq!(ascii(&c, &[(WHITE, '.'), (BLACK, '#')]), [".#"]);
    }
}
