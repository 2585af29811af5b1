//! The view as SVG: points as vector circles when there are few enough in
//! view, otherwise the 2x raster embedded as an image; niche regions, the
//! legends and the scale bar are always vector.

use super::colors::{numeric_hex, palette_for, MISSING_HEX};
use super::format::{format_length, scale_bar};
use super::legend::{widest, LegendItem, MAX_EXPORT_ENTRIES};
use super::model::{ColorChoice, Settings};
use super::render::point_size;
use sbx_data::Dataset;
use sbx_render::View;
use std::fmt::Write;

/// At most this many circles are written; beyond it the raster is embedded.
pub const MAX_VECTOR_POINTS: usize = 50_000;

/// Text escaped for SVG content and attribute values.
pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Rows drawn in `view` (inside it, and not hidden), if at most `max`.
pub fn visible_rows(ds: &Dataset, s: &Settings, view: &View, max: usize) -> Option<Vec<usize>> {
    let [x0, y0, x1, y1] = view.visible_bounds();
    let codes = s.color.categorical().map(|c| &ds.categorical[c].codes);
    let mut rows = Vec::new();
    for i in 0..ds.len() {
        let (x, y) = (ds.x[i] as f64, ds.y[i] as f64);
        if x < x0 || x > x1 || y < y0 || y > y1 {
            continue;
        }
        if codes.is_some_and(|c| c.get(i).is_some_and(|&k| s.is_hidden(k as usize))) {
            continue;
        }
        rows.push(i);
        if rows.len() > max {
            return None;
        }
    }
    Some(rows)
}

/// What the SVG shows besides the points: the colour legend's title and
/// entries, and the niche regions (`<path>` elements already in the
/// document's pixel space) with their legend.
#[derive(Default)]
pub struct SvgOverlay {
    pub title: String,
    pub legend: Vec<LegendItem>,
    pub niche_paths: String,
    pub niche_title: String,
    pub niche_legend: Vec<LegendItem>,
}

/// Builds the SVG document. `raster_png` (a data URL) is used when `rows` is None.
pub fn view_svg(
    ds: &Dataset,
    s: &Settings,
    view: &View,
    rows: Option<&[usize]>,
    raster_png: Option<&str>,
    overlay: &SvgOverlay,
) -> String {
    let (w, h) = (view.width as f64, view.height as f64);
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}"><rect width="100%" height="100%" fill="white"/>"#
    );
    match (rows, raster_png) {
        (Some(rows), _) => circles(&mut out, ds, s, view, rows),
        (None, Some(png)) => {
            let _ = write!(
                out,
                r#"<image href="{png}" x="0" y="0" width="{w}" height="{h}"/>"#
            );
        }
        _ => {}
    }
    // regions over the points, as in the canvas
    if !overlay.niche_paths.is_empty() {
        let _ = write!(
            out,
            r#"<g class="niche-regions">{}</g>"#,
            overlay.niche_paths
        );
    }
    out.push_str(r##"<g font-family="sans-serif" font-size="12" fill="#222">"##);
    niche_legend(&mut out, overlay, w);
    color_legend(&mut out, s, overlay);
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
        esc(&overlay.title)
    );
    out.push_str("</g></svg>");
    out
}

fn circles(out: &mut String, ds: &Dataset, s: &Settings, view: &View, rows: &[usize]) {
    let d = point_size(s).pixels(view).max(0.5) as f64;
    let pal = match s.color {
        ColorChoice::Categorical(c) => palette_for(ds, c),
        _ => Vec::new(),
    };
    out.push_str("<g stroke=\"none\">");
    for &i in rows {
        let (px, py) = view.to_pixel(ds.x[i] as f64, ds.y[i] as f64);
        let fill = match s.color {
            ColorChoice::Categorical(c) => pal
                .get(ds.categorical[c].codes[i] as usize)
                .map(|c| c.to_hex())
                .unwrap_or_else(|| MISSING_HEX.into()),
            ColorChoice::Numeric(c) => {
                let v = ds.numeric[c].values[i];
                if v.is_finite() {
                    numeric_hex(s, v)
                } else {
                    MISSING_HEX.into()
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

/// The niche legend, top right so it never meets the colour legend on the
/// left; hidden niches are left out.
fn niche_legend(out: &mut String, o: &SvgOverlay, w: f64) {
    let items: Vec<&LegendItem> = o.niche_legend.iter().filter(|i| !i.hidden).collect();
    if items.is_empty() {
        return;
    }
    let chars = items
        .iter()
        .take(MAX_EXPORT_ENTRIES)
        .map(|i| i.label.chars().count())
        .chain(std::iter::once(o.niche_title.chars().count()))
        .max()
        .unwrap_or(0);
    let lw = chars as f64 * 7.0 + 30.0;
    let x0 = w - lw - 5.0;
    let _ = write!(
        out,
        r#"<rect x="{x0:.1}" y="5" width="{lw:.1}" height="{}" fill="white" fill-opacity="0.85"/>"#,
        30.0 + items.len().min(MAX_EXPORT_ENTRIES) as f64 * 15.0
    );
    let _ = write!(
        out,
        r#"<text x="{:.1}" y="18" font-weight="bold">{}</text>"#,
        x0 + 5.0,
        esc(&o.niche_title)
    );
    for (k, item) in items.iter().take(MAX_EXPORT_ENTRIES).enumerate() {
        let (y, hex) = (30.0 + k as f64 * 15.0, &item.hex);
        let _ = write!(
            out,
            r#"<rect x="{:.1}" y="{y}" width="10" height="10" fill="{hex}" fill-opacity="0.4" stroke="{hex}" stroke-width="2"/><text x="{:.1}" y="{}">{}</text>"#,
            x0 + 5.0,
            x0 + 19.0,
            y + 9.0,
            esc(&item.label)
        );
    }
}

/// The colour legend top left: categories (a hidden one leaves its line
/// empty) or the numeric range.
fn color_legend(out: &mut String, s: &Settings, o: &SvgOverlay) {
    match s.color {
        ColorChoice::Categorical(_) => {
            let _ = write!(
                out,
                r#"<rect x="5" y="5" width="{}" height="{}" fill="white" fill-opacity="0.85"/>"#,
                widest(&o.legend, &o.title) as f64 * 7.0 + 30.0,
                30.0 + o.legend.len().min(MAX_EXPORT_ENTRIES) as f64 * 15.0
            );
            for (k, item) in o.legend.iter().enumerate().take(MAX_EXPORT_ENTRIES) {
                if item.hidden {
                    continue;
                }
                let y = 30.0 + k as f64 * 15.0;
                let _ = write!(
                    out,
                    r#"<rect x="10" y="{y}" width="10" height="10" fill="{}"/><text x="24" y="{}">{}</text>"#,
                    item.hex,
                    y + 9.0,
                    esc(&item.label)
                );
            }
        }
        ColorChoice::Numeric(_) => {
            let _ = write!(
                out,
                r#"<text x="10" y="36">{} – {}{}</text>"#,
                s.min,
                s.max,
                if s.log { " (log1p)" } else { "" }
            );
        }
        ColorChoice::None => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::facets::fit_view;
    use crate::view::fixture::small;
    use crate::view::legend::legend_items;
    use crate::view::model::color_choice;
    use sbx_render::ColorMap;

    fn settings(ds: &Dataset, color: &str, hidden: Vec<bool>) -> Settings {
        Settings {
            color: color_choice(ds, color),
            hidden,
            min: 1.0,
            max: 6.0,
            log: true,
            map: ColorMap::Viridis,
            data_size: None,
            size_px: 4.0,
            outline: None,
        }
    }

    fn overlay(ds: &Dataset, s: &Settings, title: &str) -> SvgOverlay {
        SvgOverlay {
            title: title.into(),
            legend: legend_items(ds, &s.color, &s.hidden),
            ..Default::default()
        }
    }

    #[test]
    fn few_points_become_circles_with_a_legend() {
        let ds = small();
        let s = settings(&ds, "cell_type", vec![false, true]);
        let v = fit_view(&ds, None);
        let rows = visible_rows(&ds, &s, &v, MAX_VECTOR_POINTS).expect("few rows");
        assert_eq!(rows, [0, 2, 3, 4], "the hidden category b is left out");
        let doc = view_svg(
            &ds,
            &s,
            &v,
            Some(&rows),
            None,
            &overlay(&ds, &s, "cell_type"),
        );
        assert_eq!(doc.matches("<circle").count(), 4);
        assert!(
            doc.contains(">c, &quot;q&quot;</text>"),
            "labels are escaped"
        );
        assert!(
            !doc.contains(">b</text>"),
            "hidden categories are not in the legend"
        );
        assert!(doc.contains("µm</text>"), "a scale bar in the data unit");
        assert!(doc.ends_with("</g></svg>"));
        assert!(
            visible_rows(&ds, &s, &v, 2).is_none(),
            "too many for vectors"
        );
    }

    #[test]
    fn many_points_embed_the_raster_and_numbers_show_their_range() {
        let ds = small();
        let s = settings(&ds, "total", vec![]);
        let v = fit_view(&ds, None);
        let doc = view_svg(
            &ds,
            &s,
            &v,
            None,
            Some("data:image/png;base64,AA"),
            &overlay(&ds, &s, "total"),
        );
        assert!(doc.contains(r#"<image href="data:image/png;base64,AA""#));
        assert!(doc.contains("1 – 6 (log1p)"));
        assert_eq!(doc.matches("<circle").count(), 0);
        let rows = visible_rows(&ds, &s, &v, 10).unwrap();
        let doc = view_svg(&ds, &s, &v, Some(&rows), None, &overlay(&ds, &s, "total"));
        assert!(
            doc.contains(&format!("fill=\"{MISSING_HEX}\"")),
            "NaN is grey"
        );
        assert!(doc.contains(&format!("fill=\"{}\"", numeric_hex(&s, 6.0))));
    }

    #[test]
    fn the_niche_legend_leaves_hidden_niches_out() {
        let ds = small();
        let s = settings(&ds, "", vec![]);
        let v = fit_view(&ds, None);
        let item = |label: &str, hidden| LegendItem {
            code: 0,
            label: label.into(),
            hex: "#123456".into(),
            count: 1,
            hidden,
        };
        let o = SvgOverlay {
            niche_paths: "<path/>".into(),
            niche_title: "Niches: n".into(),
            niche_legend: vec![item("shown", false), item("gone", true)],
            ..Default::default()
        };
        let doc = view_svg(&ds, &s, &v, Some(&[]), None, &o);
        assert!(doc.contains(r#"<g class="niche-regions"><path/></g>"#));
        assert!(doc.contains(">shown</text>") && !doc.contains(">gone</text>"));
        assert!(doc.contains(">Niches: n</text>"));
    }
}
