//! PNG (2x raster) and SVG export of the view. Both take their legend
//! entries from `crate::view::legend`, as the side panel does.

use super::paint;
use super::state::{report, ViewerState};
use crate::app::download::{download_text, download_url};
use crate::view::format::{format_length, scale_bar};
use crate::view::legend::{
    legend_items, niche_legend_items, niche_title, widest, LegendItem, MAX_EXPORT_ENTRIES,
};
use crate::view::model::Settings;
use crate::view::niches::layer_svg;
use crate::view::render::{render, RegionParts, BACKGROUND};
use crate::view::svg::{view_svg, visible_rows, SvgOverlay, MAX_VECTOR_POINTS};
use leptos::prelude::*;
use sbx_render::Canvas;

/// The colour legend, and the niche legend with its title (empty without regions).
fn legends(
    s: &ViewerState,
    set: &Settings,
    rp: &Option<RegionParts>,
) -> (Vec<LegendItem>, String, Vec<LegendItem>) {
    s.ds.with_value(|d| {
        let legend = legend_items(d, &set.color, &set.hidden);
        let (title, niches) = match rp {
            Some(p) => (
                niche_title(d, &p.layer),
                niche_legend_items(d, &p.layer, &p.palette, &p.hidden),
            ),
            None => (String::new(), Vec::new()),
        };
        (legend, title, niches)
    })
}

/// Draws the title, legends and scale bar of the PNG over its points.
fn png_overlay(
    ctx: &web_sys::CanvasRenderingContext2d,
    (w, h): (f64, f64),
    title: &str,
    legend: &[LegendItem],
    niche_title: &str,
    niches: &[&LegendItem],
    bar: Option<(f64, String)>,
) {
    ctx.set_font("24px sans-serif");
    // a light panel under the title and legend so they read over the points
    ctx.set_fill_style_str("rgba(255,255,255,0.85)");
    ctx.fill_rect(
        10.0,
        10.0,
        widest(legend, title) as f64 * 13.0 + 50.0,
        40.0 + legend.len().min(MAX_EXPORT_ENTRIES) as f64 * 30.0,
    );
    ctx.set_fill_style_str("#222");
    let _ = ctx.fill_text(title, 20.0, 36.0);
    for (k, item) in legend.iter().take(MAX_EXPORT_ENTRIES).enumerate() {
        let y = 60.0 + k as f64 * 30.0;
        ctx.set_fill_style_str(&item.hex);
        ctx.fill_rect(20.0, y, 20.0, 20.0);
        ctx.set_fill_style_str("#222");
        let _ = ctx.fill_text(&item.label, 48.0, y + 18.0);
    }
    if !niches.is_empty() {
        // the niche legend top right, as in the SVG
        let chars = niches
            .iter()
            .map(|i| i.label.chars().count())
            .chain(std::iter::once(niche_title.chars().count()))
            .max()
            .unwrap_or(0);
        let lw = chars as f64 * 13.0 + 50.0;
        let x0 = w - lw - 10.0;
        ctx.set_fill_style_str("rgba(255,255,255,0.85)");
        ctx.fill_rect(x0, 10.0, lw, 40.0 + niches.len() as f64 * 30.0);
        ctx.set_fill_style_str("#222");
        let _ = ctx.fill_text(niche_title, x0 + 10.0, 36.0);
        ctx.set_line_width(3.0);
        for (k, item) in niches.iter().enumerate() {
            let y = 60.0 + k as f64 * 30.0;
            ctx.set_stroke_style_str(&item.hex);
            ctx.stroke_rect(x0 + 10.0, y, 20.0, 20.0);
            ctx.set_fill_style_str("#222");
            let _ = ctx.fill_text(&item.label, x0 + 38.0, y + 18.0);
        }
    }
    if let Some((px, text)) = bar {
        let (x0, y0) = (w - px - 30.0, h - 40.0);
        ctx.fill_rect(x0, y0, px, 6.0);
        let _ = ctx.fill_text(&text, x0, y0 - 10.0);
    }
}

/// The view at twice the resolution, with title, legends and scale bar.
fn export_png(s: ViewerState) -> Result<(), String> {
    let set = untrack(|| s.settings());
    let rp = untrack(|| s.region_parts());
    let g = s.grid.get_untracked();
    let mut v = s.view.get_untracked();
    v.width *= 2;
    v.height *= 2;
    v.scale *= 2.0;
    let mut buf = Canvas::new(1, 1, BACKGROUND);
    let double = Settings {
        size_px: set.size_px * 2.0,
        ..set.clone()
    };
    s.ds.with_value(|d| render(d, &double, g.as_deref(), &v, &mut buf, rp.as_ref()));
    let title = s.color_col.get_untracked();
    let (legend, niche_title, niches) = legends(&s, &set, &rp);
    let niches: Vec<&LegendItem> = niches
        .iter()
        .filter(|i| !i.hidden)
        .take(MAX_EXPORT_ENTRIES)
        .collect();
    let unit = s.ds.with_value(|d| d.meta.coord_unit.clone());
    let bar = scale_bar(v.scale, 240.0).map(|(len, px)| (px, format_length(len, &unit)));
    let el = paint::offscreen(buf.width, buf.height)?;
    paint::put(&el, &buf)?;
    let ctx = paint::context(&el)?;
    let size = (buf.width as f64, buf.height as f64);
    png_overlay(&ctx, size, &title, &legend, &niche_title, &niches, bar);
    let url = el
        .to_data_url_with_type("image/png")
        .map_err(|e| format!("{e:?}"))?;
    download_url("spatial-view@2x.png", &url)
}

/// The view as SVG: vector circles for a single panel with few points in
/// view, else the 2x raster inside; niche regions as vector paths.
fn export_svg(s: ViewerState) -> Result<(), String> {
    let set = untrack(|| s.settings());
    let rp = untrack(|| s.region_parts());
    let v = s.view.get_untracked();
    let g = s.grid.get_untracked();
    let rows = if g.is_none() {
        s.ds.with_value(|d| visible_rows(d, &set, &v, MAX_VECTOR_POINTS))
    } else {
        None
    };
    let png = match (&rows, &rp, s.canvas_ref.get_untracked()) {
        // regions go in as vector paths, so the raster under them is drawn without
        (None, Some(_), _) => {
            let mut buf = Canvas::new(1, 1, BACKGROUND);
            s.ds.with_value(|d| render(d, &set, g.as_deref(), &v, &mut buf, None));
            paint::png_url(&buf).ok()
        }
        (None, None, Some(el)) => el.to_data_url_with_type("image/png").ok(),
        _ => None,
    };
    let (legend, niche_title, niche_legend) = legends(&s, &set, &rp);
    let overlay = SvgOverlay {
        title: s.color_col.get_untracked(),
        legend,
        niche_paths: rp
            .as_ref()
            .map(|p| layer_svg(&p.layer, &p.palette, &p.hidden, &v, g.as_deref()))
            .unwrap_or_default(),
        niche_title,
        niche_legend,
    };
    let mut whole = v;
    if let Some(g) = &g {
        whole.width *= g.cols as u32;
        whole.height *= g.rows as u32;
    }
    let doc =
        s.ds.with_value(|d| view_svg(d, &set, &whole, rows.as_deref(), png.as_deref(), &overlay));
    download_text("spatial-view.svg", "image/svg+xml", &doc)
}

#[component]
pub fn ExportButtons(state: ViewerState) -> impl IntoView {
    let s = state;
    let png = move |_| {
        if let Err(e) = export_png(s) {
            report(format!("PNG export failed: {e}"));
        }
    };
    let svg = move |_| {
        if let Err(e) = export_svg(s) {
            report(format!("SVG export failed: {e}"));
        }
    };
    view! {
        <button data-testid="export-png" on:click=png>"Export PNG (2x)"</button>
        <button data-testid="export-svg" on:click=svg>"Export SVG"</button>
    }
}
