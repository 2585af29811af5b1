//! The view as SVG: points as vector circles when there are few enough in
//! view, otherwise the 2x raster embedded as an image; legend and scale bar
//! are always vector.

use super::model::{format_length, palette_for, scale_bar, ColorChoice};
use super::paint::Settings;
use sbx_data::Dataset;
use sbx_render::{PointSize, View};
use std::fmt::Write;

/// At most this many circles are written; beyond it the raster is embedded.
pub const MAX_VECTOR_POINTS: usize = 50_000;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Rows drawn in `view` (inside it, and not hidden), if at most `max`.
pub fn visible_rows(ds: &Dataset, s: &Settings, view: &View, max: usize) -> Option<Vec<usize>> {
    let [x0, y0, x1, y1] = view.visible_bounds();
    let mut rows = Vec::new();
    for i in 0..ds.len() {
        let (x, y) = (ds.x[i] as f64, ds.y[i] as f64);
        if x < x0 || x > x1 || y < y0 || y > y1 {
            continue;
        }
        if let ColorChoice::Categorical(c) = s.color {
            let k = ds.categorical[c].codes[i] as usize;
            if s.hidden.get(k).copied().unwrap_or(false) {
                continue;
            }
        }
        rows.push(i);
        if rows.len() > max {
            return None;
        }
    }
    Some(rows)
}

/// Niche regions for the SVG: their `<path>` elements (already in the
/// document's pixel space) and the legend (title, then name and colour).
#[derive(Default)]
pub struct SvgNiches {
    pub paths: String,
    pub title: String,
    pub legend: Vec<(String, String)>,
}

/// Builds the SVG document. `raster_png` (a data URL) is used when `rows` is None.
pub fn view_svg(
    ds: &Dataset,
    s: &Settings,
    view: &View,
    title: &str,
    rows: Option<&[usize]>,
    raster_png: Option<&str>,
    niches: &SvgNiches,
) -> String {
    let (w, h) = (view.width as f64, view.height as f64);
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}"><rect width="100%" height="100%" fill="white"/>"#
    );
    match (rows, raster_png) {
        (Some(rows), _) => {
            let d = match s.data_size {
                Some(d) => PointSize::Data(d),
                None => PointSize::Pixels(s.size_px),
            }
            .pixels(view)
            .max(0.5) as f64;
            let pal = match s.color {
                ColorChoice::Categorical(c) => palette_for(ds, c),
                _ => Vec::new(),
            };
            let lut = |v: f32| {
                let f = |v: f32| if s.log { v.max(0.0).ln_1p() } else { v };
                let (lo, hi) = (f(s.min), f(s.max));
                let t = if (hi - lo).abs() > f32::EPSILON {
                    (f(v) - lo) / (hi - lo)
                } else {
                    0.0
                };
                s.map.at(t as f64).to_hex()
            };
            out.push_str("<g stroke=\"none\">");
            for &i in rows {
                let (px, py) = view.to_pixel(ds.x[i] as f64, ds.y[i] as f64);
                let fill = match s.color {
                    ColorChoice::Categorical(c) => pal
                        .get(ds.categorical[c].codes[i] as usize)
                        .map(|c| c.to_hex())
                        .unwrap_or_else(|| "#c8c8c8".into()),
                    ColorChoice::Numeric(c) => {
                        let v = ds.numeric[c].values[i];
                        if v.is_finite() {
                            lut(v)
                        } else {
                            "#c8c8c8".into()
                        }
                    }
                    ColorChoice::None => "#465a78".into(),
                };
                let _ = write!(
                    out,
                    r#"<circle cx="{px:.1}" cy="{py:.1}" r="{:.2}" fill="{fill}"/>"#,
                    d / 2.0
                );
            }
            out.push_str("</g>");
        }
        (None, Some(png)) => {
            let _ = write!(
                out,
                r#"<image href="{png}" x="0" y="0" width="{w}" height="{h}"/>"#
            );
        }
        _ => {}
    }
    // regions over the points, as in the canvas
    if !niches.paths.is_empty() {
        let _ = write!(out, r#"<g class="niche-regions">{}</g>"#, niches.paths);
    }
    let _ = write!(
        out,
        r##"<g font-family="sans-serif" font-size="12" fill="#222">"##
    );
    if !niches.legend.is_empty() {
        // top right, so it never meets the colour legend on the left
        let chars = niches
            .legend
            .iter()
            .take(40)
            .map(|(n, _)| n.chars().count())
            .chain(std::iter::once(niches.title.chars().count()))
            .max()
            .unwrap_or(0);
        let lw = chars as f64 * 7.0 + 30.0;
        let x0 = w - lw - 5.0;
        let _ = write!(
            out,
            r#"<rect x="{x0:.1}" y="5" width="{lw:.1}" height="{}" fill="white" fill-opacity="0.85"/>"#,
            30.0 + niches.legend.len().min(40) as f64 * 15.0
        );
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="18" font-weight="bold">{}</text>"#,
            x0 + 5.0,
            esc(&niches.title)
        );
        for (k, (name, hex)) in niches.legend.iter().take(40).enumerate() {
            let y = 30.0 + k as f64 * 15.0;
            let _ = write!(
                out,
                r#"<rect x="{:.1}" y="{y}" width="10" height="10" fill="{hex}" fill-opacity="0.4" stroke="{hex}" stroke-width="2"/><text x="{:.1}" y="{}">{}</text>"#,
                x0 + 5.0,
                x0 + 19.0,
                y + 9.0,
                esc(name)
            );
        }
    }
    if let ColorChoice::Categorical(c) = s.color {
        let cats = &ds.categorical[c].categories;
        let chars = cats
            .iter()
            .take(40)
            .map(|n| n.chars().count())
            .chain(std::iter::once(title.chars().count()))
            .max()
            .unwrap_or(0);
        let _ = write!(
            out,
            r#"<rect x="5" y="5" width="{}" height="{}" fill="white" fill-opacity="0.85"/>"#,
            chars as f64 * 7.0 + 30.0,
            30.0 + cats.len().min(40) as f64 * 15.0
        );
        let pal = palette_for(ds, c);
        for (k, name) in ds.categorical[c].categories.iter().enumerate().take(40) {
            if s.hidden.get(k).copied().unwrap_or(false) {
                continue;
            }
            let y = 30.0 + k as f64 * 15.0;
            let hex = pal.get(k).map(|c| c.to_hex()).unwrap_or_default();
            let _ = write!(
                out,
                r#"<rect x="10" y="{y}" width="10" height="10" fill="{hex}"/><text x="24" y="{}">{}</text>"#,
                y + 9.0,
                esc(name)
            );
        }
    }
    if let ColorChoice::Numeric(_) = s.color {
        let _ = write!(
            out,
            r#"<text x="10" y="36">{} – {}{}</text>"#,
            s.min,
            s.max,
            if s.log { " (log1p)" } else { "" }
        );
    }
    if let Some((len, px)) = scale_bar(view.scale, 160.0) {
        let (x0, y0) = (w - px - 20.0, h - 20.0);
        let _ = write!(
            out,
            r#"<rect x="{x0:.1}" y="{y0:.1}" width="{px:.1}" height="4"/><text x="{x0:.1}" y="{:.1}">{}</text>"#,
            y0 - 5.0,
            esc(&format_length(len, &ds.meta.coord_unit))
        );
    }
    // the title last, over the legend panel
    let _ = write!(
        out,
        r#"<text x="10" y="18" font-weight="bold">{}</text>"#,
        esc(title)
    );
    out.push_str("</g></svg>");
    out
}
