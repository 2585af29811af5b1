//! The canvas and what lies over it: pan, zoom, hover, box and lasso
//! selection by pointer, panel labels, the selection shapes, the scale bar
//! and the hover tooltip.

use super::paint;
use super::state::{Drag, ViewerState};
use crate::view::format::{format_length, scale_bar, unit_values};
use crate::view::model::{wheel_factor, H, W};
use leptos::prelude::*;

/// Pointer position in canvas pixels (the canvas may be scaled by CSS).
fn canvas_xy(s: &ViewerState, ev: &web_sys::MouseEvent) -> (f64, f64) {
    let (mut x, mut y) = (ev.offset_x() as f64, ev.offset_y() as f64);
    if let Some(el) = s.canvas_ref.get_untracked() {
        let (cw, ch) = (
            el.client_width().max(1) as f64,
            el.client_height().max(1) as f64,
        );
        x *= el.width() as f64 / cw;
        y *= el.height() as f64 / ch;
    }
    (x, y)
}

fn on_down(s: ViewerState, ev: web_sys::MouseEvent) {
    if ev.button() != 0 {
        return;
    }
    let (x, y) = canvas_xy(&s, &ev);
    let lasso = s.lasso_mode.get_untracked() || ev.alt_key();
    let select = !lasso && (s.select_mode.get_untracked() || ev.shift_key());
    s.drag.set_value(Some(Drag {
        x,
        y,
        view: s.view.get_untracked(),
        select,
        lasso,
        moved: false,
    }));
    if lasso {
        ev.prevent_default();
        s.lasso.set(vec![(x, y)]);
    }
    s.hover.set(None);
}

fn on_move(s: ViewerState, ev: web_sys::MouseEvent) {
    let (x, y) = canvas_xy(&s, &ev);
    let Some(mut d) = s.drag.get_value() else {
        let hit = s.locate(x, y).and_then(|spot| {
            let vis = s.visible(spot.panel);
            let (x, y) = spot.view.to_data(spot.x, spot.y);
            let r = (6.0 / spot.view.scale) as f32;
            // no hover while the tiles are being built (finishing them here would hold
            // the page for the rest of the build)
            s.ds.with_value(|ds| {
                s.with_built_lod(|l| l.nearest(&ds.x, &ds.y, x as f32, y as f32, r, vis))
                    .flatten()
            })
        });
        s.hover
            .set(hit.map(|r| (ev.offset_x() as f64, ev.offset_y() as f64, r)));
        return;
    };
    d.moved |= (x - d.x).abs() + (y - d.y).abs() > 2.0;
    s.drag.set_value(Some(d));
    if d.lasso {
        s.lasso.update(|p| p.push((x, y)));
    } else if d.select {
        s.sel_rect.set(Some([d.x, d.y, x, y]));
    } else {
        let mut v = d.view;
        v.pan(x - d.x, y - d.y);
        s.view.set(v);
    }
}

fn on_up(s: ViewerState, ev: web_sys::MouseEvent) {
    let Some(d) = s.drag.get_value() else { return };
    s.drag.set_value(None);
    if (d.select || d.lasso) && d.moved {
        let (x, y) = canvas_xy(&s, &ev);
        if let Some(spot) = s.locate(d.x, d.y) {
            // the shape in the start panel's local pixels, then data units
            let to_data = |px: f64, py: f64| {
                let (dx, dy) = spot.view.to_data(spot.x + (px - d.x), spot.y + (py - d.y));
                (dx as f32, dy as f32)
            };
            let vis = s.visible(spot.panel);
            let t0 = paint::now_ms();
            let rows = if d.lasso {
                let poly: Vec<(f32, f32)> = s
                    .lasso
                    .get_untracked()
                    .iter()
                    .map(|&(px, py)| to_data(px, py))
                    .collect();
                s.ds.with_value(|ds| s.with_lod(|l| l.select_lasso(&ds.x, &ds.y, &poly, vis)))
            } else {
                let ((ax, ay), (bx, by)) = (to_data(d.x, d.y), to_data(x, y));
                let rect = [ax, ay, bx, by];
                s.ds.with_value(|ds| s.with_lod(|l| l.select_box(&ds.x, &ds.y, rect, vis)))
            };
            s.select_ms.set(Some(paint::now_ms() - t0));
            s.selection.set(rows.unwrap_or_default());
        }
    }
    s.lasso.set(Vec::new());
    s.sel_rect.set(None);
}

fn on_leave(s: ViewerState) {
    s.drag.set_value(None);
    s.sel_rect.set(None);
    s.lasso.set(Vec::new());
    s.hover.set(None);
}

/// A length in canvas pixels as a share of the canvas, so overlays follow CSS scaling.
fn pct(v: f64, total: u32) -> String {
    format!("{:.3}%", v / total as f64 * 100.0)
}

#[component]
pub fn ViewerCanvas(state: ViewerState) -> impl IntoView {
    let s = state;
    let unit = s.ds.with_value(|d| d.meta.coord_unit.clone());
    let panel_labels = move || {
        s.grid.get().map(|g| {
            let (pw, ph) = (W as f64 / g.cols as f64, H as f64 / g.rows as f64);
            g.facets
                .labels
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    let (c, r) = g.cell(i);
                    view! {
                        <span class="panel-label" style:left=pct(c as f64 * pw, W)
                            style:top=pct(r as f64 * ph, H)>{l.clone()}</span>
                    }
                })
                .collect::<Vec<_>>()
        })
    };
    let scale = move || {
        scale_bar(s.view.get().scale, 160.0).map(|(len, px)| {
            view! {
                <div class="scale-bar" data-testid="scale-bar">
                    <div class="scale-bar-line" style:width=pct(px, W)></div>
                    <span>{format_length(len, &unit)}</span>
                </div>
            }
        })
    };
    let tooltip = move || {
        s.hover.get().map(|(x, y, r)| {
            let rows = s.ds.with_value(|d| unit_values(d, r));
            view! {
                <div class="tooltip viewer-tooltip" data-testid="viewer-tooltip" style:left=format!("{}px", x + 14.0) style:top=format!("{}px", y + 14.0)>
                    <table>{rows.into_iter().map(|(k, v)| view! { <tr><th>{k}</th><td>{v}</td></tr> }).collect::<Vec<_>>()}</table>
                </div>
            }
        })
    };
    let rect = move || {
        s.sel_rect.get().map(|[x0, y0, x1, y1]| {
            view! {
                <div class="select-rect" style:left=pct(x0.min(x1), W) style:top=pct(y0.min(y1), H)
                    style:width=pct((x1 - x0).abs(), W) style:height=pct((y1 - y0).abs(), H)></div>
            }
        })
    };
    let lasso_path =
        move || {
            let p = s.lasso.get();
            (p.len() > 1).then(|| {
            let pts = p.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect::<Vec<_>>().join(" ");
            view! {
                <svg class="lasso-path" viewBox=format!("0 0 {W} {H}") preserveAspectRatio="none">
                    <polygon points=pts />
                </svg>
            }
        })
        };
    let on_wheel = move |ev: web_sys::WheelEvent| {
        ev.prevent_default();
        let (x, y) = canvas_xy(&s, &ev);
        s.zoom_at(x, y, wheel_factor(ev.delta_y()));
    };
    view! {
        <div class="canvas-wrap viewer-canvas">
            <canvas node_ref=s.canvas_ref width=W height=H data-testid="viewer-canvas"
                on:mousedown=move |ev| on_down(s, ev) on:mousemove=move |ev| on_move(s, ev)
                on:mouseup=move |ev| on_up(s, ev) on:mouseleave=move |_| on_leave(s) on:wheel=on_wheel></canvas>
            {panel_labels}
            {rect}
            {lasso_path}
            {scale}
            {tooltip}
        </div>
    }
}
