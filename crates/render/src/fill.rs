//! Polygons into the RGBA canvas: translucent even-odd fill and a solid
//! border, used for niche regions drawn under or over the points.

use crate::color::Rgba;
use crate::hull::Region;
use crate::raster::Canvas;
use crate::view::View;

/// `src` over `dst` with opacity `alpha` (0..=255); the result is opaque.
#[inline]
pub fn blend(dst: Rgba, src: Rgba, alpha: u8) -> Rgba {
    let (d, s, a) = (dst.bytes(), src.bytes(), alpha as u32);
    let mix = |k: usize| ((s[k] as u32 * a + d[k] as u32 * (255 - a) + 127) / 255) as u8;
    Rgba::new(mix(0), mix(1), mix(2), 255)
}

/// Fills the rings (pixel coordinates) with the even-odd rule: a pixel is
/// inside when its centre is. Blends `color` at opacity `alpha`.
pub fn fill_rings(canvas: &mut Canvas, rings: &[Vec<(f64, f64)>], color: Rgba, alpha: u8) {
    let (w, h) = (canvas.width as i64, canvas.height as i64);
    // edges as (y_top, y_bottom, x at y_top, dx/dy), horizontal ones dropped
    let mut edges: Vec<(f64, f64, f64, f64)> = Vec::new();
    for r in rings {
        for k in 0..r.len() {
            let (a, b) = (r[k], r[(k + 1) % r.len()]);
            if !(a.0.is_finite() && a.1.is_finite() && b.0.is_finite() && b.1.is_finite())
                || a.1 == b.1
            {
                continue;
            }
            let (t, u) = if a.1 < b.1 { (a, b) } else { (b, a) };
            edges.push((t.1, u.1, t.0, (u.0 - t.0) / (u.1 - t.1)));
        }
    }
    if edges.is_empty() {
        return;
    }
    edges.sort_by(|a, b| a.0.total_cmp(&b.0));
    let y_lo = (edges[0].0 - 0.5).ceil().max(0.0) as i64;
    let y_hi = edges.iter().map(|e| e.1).fold(f64::MIN, f64::max);
    let y_hi = ((y_hi - 0.5).ceil() as i64).min(h);
    let mut next = 0;
    let mut active: Vec<usize> = Vec::new();
    let mut xs: Vec<f64> = Vec::new();
    for py in y_lo..y_hi {
        let yc = py as f64 + 0.5;
        while next < edges.len() && edges[next].0 <= yc {
            active.push(next);
            next += 1;
        }
        // half-open in y: an edge covers yc in [top, bottom)
        active.retain(|&e| edges[e].1 > yc);
        xs.clear();
        xs.extend(
            active
                .iter()
                .filter(|&&e| edges[e].0 <= yc)
                .map(|&e| edges[e].2 + (yc - edges[e].0) * edges[e].3),
        );
        xs.sort_by(f64::total_cmp);
        let row = (py * w) as usize;
        for pair in xs.chunks_exact(2) {
            // pixels whose centre x + 0.5 lies in [pair[0], pair[1])
            let a = ((pair[0] - 0.5).ceil() as i64).max(0);
            let b = ((pair[1] - 0.5).ceil() as i64).min(w);
            for px in a..b {
                let p = &mut canvas.pixels[row + px as usize];
                *p = blend(Rgba(*p), color, alpha).0;
            }
        }
    }
}

/// Strokes the closed rings (pixel coordinates) with a square pen
/// `width` pixels wide, in solid `color`.
pub fn stroke_rings(canvas: &mut Canvas, rings: &[Vec<(f64, f64)>], color: Rgba, width: u32) {
    let (w, h) = (canvas.width as i64, canvas.height as i64);
    let pen = width.max(1) as i64;
    let off = (pen - 1) / 2;
    let mut dot = |x: i64, y: i64| {
        for yy in (y - off).max(0)..(y - off + pen).min(h) {
            for xx in (x - off).max(0)..(x - off + pen).min(w) {
                canvas.pixels[(yy * w + xx) as usize] = color.0;
            }
        }
    };
    for r in rings {
        for k in 0..r.len() {
            let (a, b) = (r[k], r[(k + 1) % r.len()]);
            if !(a.0.is_finite() && a.1.is_finite() && b.0.is_finite() && b.1.is_finite()) {
                continue;
            }
            // only the part inside the canvas (plus the pen) is stepped, so a
            // segment thousands of pixels long when zoomed in costs no more
            let m = pen as f64 + 1.0;
            let Some((a, b)) = clip(a, b, [-m, -m, w as f64 + m, h as f64 + m]) else {
                continue;
            };
            let steps = (b.0 - a.0).abs().max((b.1 - a.1).abs()).ceil().max(1.0) as i64;
            for s in 0..=steps {
                let t = s as f64 / steps as f64;
                dot(
                    (a.0 + (b.0 - a.0) * t).floor() as i64,
                    (a.1 + (b.1 - a.1) * t).floor() as i64,
                );
            }
        }
    }
}

/// The part of segment a-b inside `[x0, y0, x1, y1]` (Liang-Barsky), if any.
fn clip(a: (f64, f64), b: (f64, f64), r: [f64; 4]) -> Option<((f64, f64), (f64, f64))> {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (p, q) in [
        (-dx, a.0 - r[0]),
        (dx, r[2] - a.0),
        (-dy, a.1 - r[1]),
        (dy, r[3] - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    (t0 <= t1).then_some({
        (
            (a.0 + t0 * dx, a.1 + t0 * dy),
            (a.0 + t1 * dx, a.1 + t1 * dy),
        )
    })
}

/// What of a region to draw.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RegionPaint {
    /// Translucent fill at this opacity (0..=255).
    Fill(u8),
    /// Solid border this many pixels wide.
    Border(u32),
}

/// Draws regions in `palette[category]`; `hidden[category]` ones are skipped,
/// and regions wholly outside the view cost only a bounds check.
pub fn draw_regions(
    canvas: &mut Canvas,
    regions: &[Region],
    view: &View,
    palette: &[Rgba],
    hidden: Option<&[bool]>,
    paint: RegionPaint,
) {
    let [vx0, vy0, vx1, vy1] = view.visible_bounds();
    for r in regions {
        let k = r.category as usize;
        if hidden.and_then(|h| h.get(k)).copied().unwrap_or(false) {
            continue;
        }
        let Some(&color) = palette.get(k) else {
            continue;
        };
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for &(x, y) in r.outline.iter().flatten() {
            (x0, y0, x1, y1) = (
                x0.min(x as f64),
                y0.min(y as f64),
                x1.max(x as f64),
                y1.max(y as f64),
            );
        }
        if x1 < vx0 || x0 > vx1 || y1 < vy0 || y0 > vy1 {
            continue;
        }
        let rings: Vec<Vec<(f64, f64)>> = r
            .outline
            .iter()
            .map(|ring| {
                ring.iter()
                    .map(|&(x, y)| view.to_pixel(x as f64, y as f64))
                    .collect()
            })
            .collect();
        match paint {
            RegionPaint::Fill(alpha) => fill_rings(canvas, &rings, color, alpha),
            RegionPaint::Border(width) => stroke_rings(canvas, &rings, color, width),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::color::WHITE;

    use crate::raster::ascii;

    const RED: Rgba = Rgba::new(255, 0, 0, 255);

    #[test]
    fn fill_covers_pixels_whose_centres_are_inside() {
        let mut c = Canvas::new(7, 5, WHITE);
        // a rectangle from (1, 1) to (4, 3): pixel centres 1.5..3.5 x 1.5..2.5
        fill_rings(
            &mut c,
            &[vec![(1.0, 1.0), (4.0, 1.0), (4.0, 3.0), (1.0, 3.0)]],
            RED,
            255,
        );
        // a triangle (5,0)-(7,4)-(5,4): at row 1 (y=1.5) it spans x 5..5.75, centre 5.5 in
        fill_rings(
            &mut c,
            &[vec![(5.0, 0.0), (7.0, 4.0), (5.0, 4.0)]],
            RED,
            255,
        );
        assert_eq!(
            ascii(&c, &[(WHITE, '.'), (RED, 'r')]),
            [".......", ".rrr.r.", ".rrr.r.", ".....rr", "......."]
        );
    }

    #[test]
    fn even_odd_leaves_holes_and_alpha_blends() {
        let mut c = Canvas::new(6, 6, WHITE);
        let outer = vec![(0.0, 0.0), (6.0, 0.0), (6.0, 6.0), (0.0, 6.0)];
        let hole = vec![(2.0, 2.0), (2.0, 4.0), (4.0, 4.0), (4.0, 2.0)];
        fill_rings(&mut c, &[outer, hole], RED, 128);
        // 255*128/255 + 255*127/255 = 255 for red; green and blue: (255*127 + 127) / 255 = 127
        let pink = Rgba::new(255, 127, 127, 255);
        assert_eq!(blend(WHITE, RED, 128), pink);
        assert_eq!(
            ascii(&c, &[(WHITE, '.'), (pink, 'p')]),
            ["pppppp", "pppppp", "pp..pp", "pp..pp", "pppppp", "pppppp"]
        );
    }

    #[test]
    fn stroke_draws_the_border_only() {
        let mut c = Canvas::new(6, 5, WHITE);
        stroke_rings(
            &mut c,
            &[vec![(1.0, 1.0), (4.0, 1.0), (4.0, 3.0), (1.0, 3.0)]],
            RED,
            1,
        );
        assert_eq!(
            ascii(&c, &[(WHITE, '.'), (RED, 'r')]),
            ["......", ".rrrr.", ".r..r.", ".rrrr.", "......"]
        );
    }

    #[test]
    fn long_segments_are_clipped_to_the_canvas() {
        assert_eq!(
            clip((-10.0, 1.0), (10.0, 1.0), [0.0, 0.0, 4.0, 4.0]),
            Some(((0.0, 1.0), (4.0, 1.0)))
        );
        assert_eq!(clip((-10.0, 9.0), (10.0, 9.0), [0.0, 0.0, 4.0, 4.0]), None);
        // a diagonal through a corner region: from (-2, 2) to (2, -2) meets the box only at (0, 0)
        assert_eq!(
            clip((-2.0, 2.0), (2.0, -2.0), [0.0, 0.0, 4.0, 4.0]),
            Some(((0.0, 0.0), (0.0, 0.0)))
        );
        // a ring a million pixels wide still draws its visible edge
        let mut c = Canvas::new(4, 3, WHITE);
        stroke_rings(
            &mut c,
            &[vec![(-1e6, 1.0), (1e6, 1.0), (1e6, 1e6), (-1e6, 1e6)]],
            RED,
            1,
        );
        assert_eq!(
            ascii(&c, &[(WHITE, '.'), (RED, 'r')]),
            ["....", "rrrr", "...."]
        );
    }

    #[test]
    fn regions_map_through_the_view_and_respect_hidden() {
        // data x 0..4 to pixels 0..8 (scale 2), y up: data y 0..2 to pixel rows 4..0
        let view = View {
            width: 8,
            height: 4,
            center_x: 2.0,
            center_y: 1.0,
            scale: 2.0,
            y_down: false,
        };
        let square = Region {
            category: 1,
            points: 4,
            hull: vec![],
            outline: vec![vec![(1.0, 0.0), (2.0, 0.0), (2.0, 1.0), (1.0, 1.0)]],
        };
        let pal = [WHITE, RED];
        let mut c = Canvas::new(8, 4, WHITE);
        draw_regions(
            &mut c,
            std::slice::from_ref(&square),
            &view,
            &pal,
            Some(&[false, true]),
            RegionPaint::Fill(255),
        );
        assert!(
            c.pixels.iter().all(|&p| p == WHITE.0),
            "hidden category is not drawn"
        );
        draw_regions(&mut c, &[square], &view, &pal, None, RegionPaint::Fill(255));
        assert_eq!(
            ascii(&c, &[(WHITE, '.'), (RED, 'r')]),
            ["........", "........", "..rr....", "..rr...."]
        );
    }
}
