//! The reusable spatial viewer: a dataset drawn by the core rasterizer into
//! one canvas, with pan/zoom, colouring, legend, hover, box selection,
//! small multiples, niches (outline or regions) and PNG/SVG export.

pub mod model;
pub mod niches;
pub mod paint;
pub mod svg;

use leptos::prelude::*;
use model::*;
use niches::{niche_palette, NicheLayer, NicheMode};
use paint::{now_ms, Settings};
use sbx_data::Dataset;
use sbx_render::{hit_test, select_box, select_lasso, Canvas, ColorMap, PointIndex, View};
use std::sync::Arc;

const W: u32 = 880;
const H: u32 = 560;

#[derive(Clone, Copy)]
struct Drag {
    x: f64,
    y: f64,
    view: View,
    select: bool,
    lasso: bool,
    moved: bool,
}

/// Facets with their grid: (facets, columns, rows).
type Grid = Arc<(Facets, usize, usize)>;

fn make_grid(ds: &Dataset, name: &str) -> Option<Grid> {
    let col = ds.categorical.iter().position(|c| c.name == name)?;
    let f = facets(ds, col);
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
    Some(Arc::new((f, cols, rows)))
}

/// The spatial viewer. `color` and `facet` pick the initial colouring and
/// small-multiples column; `decode_ms` is shown in the Performance details.
#[component]
pub fn Viewer(
    dataset: Arc<Dataset>,
    #[prop(optional, into)] color: Option<String>,
    #[prop(optional, into)] facet: Option<String>,
    #[prop(optional, into)] outline: Option<String>,
    #[prop(optional)] decode_ms: Option<f64>,
) -> impl IntoView {
    let ds = StoredValue::new(dataset.clone());
    let y_down = true;
    let unit = dataset.meta.coord_unit.clone();
    let index = StoredValue::new(PointIndex::new(&dataset.x, &dataset.y));

    let initial_color = color
        .or_else(|| main_category(&dataset))
        .or_else(|| dataset.numeric.first().map(|c| c.name.clone()))
        .unwrap_or_default();
    let color_col = RwSignal::new(String::new());
    let hidden = RwSignal::new(Vec::<bool>::new());
    let vmin = RwSignal::new(0.0f32);
    let vmax = RwSignal::new(1.0f32);
    let log = RwSignal::new(false);
    let cmap = RwSignal::new(ColorMap::Viridis);
    let has_unit_size = dataset.meta.unit_size.is_some();
    let data_units = RwSignal::new(has_unit_size);
    // about half the mean spacing of the units on screen, 1 to 8 pixels
    let size_px = RwSignal::new(
        ((W as f32 * H as f32 / dataset.len().max(1) as f32).sqrt() * 0.5)
            .clamp(1.0, 8.0)
            .round(),
    );
    let facet_col = RwSignal::new(String::new());
    let grid_sig = RwSignal::new(None::<Grid>);
    let niche_mode = RwSignal::new(if outline.is_some() {
        NicheMode::Outline
    } else {
        NicheMode::None
    });
    let outline_col = RwSignal::new(outline.unwrap_or_default());
    let niche_hidden = RwSignal::new(
        dataset
            .categorical
            .iter()
            .find(|c| c.name == outline_col.get_untracked())
            .map(|c| vec![false; c.categories.len()])
            .unwrap_or_default(),
    );
    // regions are computed when the column, mode or panels change, never on pan/zoom
    let layer = RwSignal::new(None::<Arc<NicheLayer>>);
    // (last computation in ms, computations so far): shows the cache works
    let regions_ms = RwSignal::new((0.0f64, 0u32));
    let view = RwSignal::new(View::fit(
        dataset.bounds().unwrap_or([0.0, 0.0, 1.0, 1.0]),
        W,
        H,
        12.0,
        y_down,
    ));
    let selection = RwSignal::new(Vec::<u32>::new());
    let select_mode = RwSignal::new(false);
    let sel_rect = RwSignal::new(None::<[f64; 4]>);
    let lasso_mode = RwSignal::new(false);
    // the lasso path in canvas pixels while dragging
    let lasso = RwSignal::new(Vec::<(f64, f64)>::new());
    let hover = RwSignal::new(None::<(f64, f64, usize)>);
    let drag = StoredValue::new(None::<Drag>);
    let redraw_ms = RwSignal::new((0.0f64, 0.0f64, 0u32));
    let canvas_ref = NodeRef::<leptos::html::Canvas>::new();
    let buffer = StoredValue::new(Canvas::new(W, H, paint::BACKGROUND));

    let set_color = move |name: String| {
        ds.with_value(|d| match color_choice(d, &name) {
            ColorChoice::Categorical(i) => {
                hidden.set(vec![false; d.categorical[i].categories.len()])
            }
            ColorChoice::Numeric(i) => {
                let (lo, hi) = numeric_range(&d.numeric[i].values);
                vmin.set(lo);
                vmax.set(hi);
            }
            ColorChoice::None => {}
        });
        color_col.set(name);
    };
    let fit = move || {
        let v = match grid_sig.get_untracked() {
            Some(g) => fit_panels(&g.0.bounds, W / g.1 as u32, H / g.2 as u32, y_down),
            None => None,
        };
        let v = v.unwrap_or_else(|| {
            ds.with_value(|d| {
                View::fit(
                    d.bounds().unwrap_or([0.0, 0.0, 1.0, 1.0]),
                    W,
                    H,
                    12.0,
                    y_down,
                )
            })
        });
        view.set(v);
    };
    let set_niche_col = move |name: String| {
        let n = ds.with_value(|d| {
            d.categorical
                .iter()
                .find(|c| c.name == name)
                .map(|c| c.categories.len())
                .unwrap_or(0)
        });
        niche_hidden.set(vec![false; n]);
        // picking a column with niches off shows it the way it always did: as the outline
        if !name.is_empty() && niche_mode.get_untracked() == NicheMode::None {
            niche_mode.set(NicheMode::Outline);
        }
        outline_col.set(name);
    };
    let set_facet = move |name: String| {
        let g = if name.is_empty() {
            None
        } else {
            ds.with_value(|d| make_grid(d, &name))
        };
        grid_sig.set(g);
        facet_col.set(name);
        fit();
    };
    set_color(initial_color);
    if let Some(f) = facet {
        set_facet(f);
    }

    let settings = move || -> Settings {
        let color = ds.with_value(|d| color_choice(d, &color_col.get()));
        let data_size = if data_units.get() {
            ds.with_value(|d| d.meta.unit_size)
        } else {
            None
        };
        Settings {
            color,
            hidden: hidden.get(),
            min: vmin.get(),
            max: vmax.get(),
            log: log.get(),
            map: cmap.get(),
            data_size,
            size_px: size_px.get(),
            outline: match niche_mode.get() {
                NicheMode::Outline => ds.with_value(|d| {
                    d.categorical
                        .iter()
                        .position(|c| c.name == outline_col.get())
                }),
                _ => None,
            },
        }
    };
    let niche_col = move || {
        ds.with_value(|d| {
            d.categorical
                .iter()
                .position(|c| c.name == outline_col.get())
        })
    };
    Effect::new(move |_| {
        let (mode, col, g) = (niche_mode.get(), niche_col(), grid_sig.get());
        let l = match (mode, col) {
            (NicheMode::Regions, Some(c)) => {
                let t0 = now_ms();
                let l = ds
                    .with_value(|d| NicheLayer::compute(d, c, g.as_deref().map(|g| &g.0)))
                    .map(Arc::new);
                let ms = now_ms() - t0;
                regions_ms.update(|m| *m = (ms, m.1 + 1));
                l
            }
            _ => None,
        };
        layer.set(l);
    });
    // what a render needs to draw regions: the layer, its colours, the hidden niches
    let region_parts = move || -> Option<paint::RegionParts> {
        let l = layer.get()?;
        let cc = match ds.with_value(|d| color_choice(d, &color_col.get())) {
            ColorChoice::Categorical(i) => Some(i),
            _ => None,
        };
        let pal = ds.with_value(|d| niche_palette(d, l.column, cc));
        Some((l, pal, niche_hidden.get()))
    };

    // Redraw on every change of view or settings, at most once per animation
    // frame: a drag or a wheel spin sends several events per frame, and
    // drawing each one would queue input behind rasterization. The frame
    // draws whatever the latest view and settings are.
    let state = crate::app::state::AppState::get();
    let frame = StoredValue::new(None::<AnimationFrameRequestHandle>);
    let draw = move || {
        frame.set_value(None);
        let Some(el) = canvas_ref.get_untracked() else {
            return;
        };
        let (s, v, g, rp) = untrack(|| (settings(), view.get(), grid_sig.get(), region_parts()));
        let t0 = now_ms();
        let regs = paint::regions_of(&rp);
        buffer.update_value(|buf| {
            ds.with_value(|d| paint::render(d, &s, g.as_deref(), &v, buf, regs.as_ref()))
        });
        let t1 = now_ms();
        let r = buffer.with_value(|buf| paint::put(&el, buf));
        let t2 = now_ms();
        if let Err(e) = r {
            state.report(format!("Viewer: {e}"));
        }
        redraw_ms.update(|m| *m = (t1 - t0, t2 - t1, m.2 + 1));
    };
    Effect::new(move |_| {
        // subscribe to everything the picture depends on
        let _ = settings();
        let _ = region_parts();
        view.track();
        grid_sig.track();
        if canvas_ref.get().is_none() || frame.get_value().is_some() {
            return;
        }
        match request_animation_frame_with_handle(draw) {
            Ok(h) => frame.set_value(Some(h)),
            Err(_) => draw(),
        }
    });
    on_cleanup(move || {
        if let Some(h) = frame.try_get_value().flatten() {
            h.cancel();
        }
    });

    // Pointer position in canvas pixels, and in the panel under it.
    let canvas_xy = move |ev: &web_sys::MouseEvent| -> (f64, f64) {
        let (mut x, mut y) = (ev.offset_x() as f64, ev.offset_y() as f64);
        if let Some(el) = canvas_ref.get_untracked() {
            let (cw, ch) = (
                el.client_width().max(1) as f64,
                el.client_height().max(1) as f64,
            );
            x *= el.width() as f64 / cw;
            y *= el.height() as f64 / ch;
        }
        (x, y)
    };
    // (panel index, local x, local y, panel view)
    let locate = move |x: f64, y: f64| -> Option<(Option<usize>, f64, f64, View)> {
        let v = view.get_untracked();
        match grid_sig.get_untracked() {
            None => Some((None, x, y, v)),
            Some(g) => {
                let (pw, ph) = (v.width as f64, v.height as f64);
                let (c, r) = ((x / pw).floor() as usize, (y / ph).floor() as usize);
                let i = r * g.1 + c;
                if c >= g.1 || i >= g.0.labels.len() {
                    return None;
                }
                Some((
                    Some(i),
                    x - c as f64 * pw,
                    y - r as f64 * ph,
                    panel_view(&v, &g.0.bounds, i),
                ))
            }
        }
    };
    let visible = move |panel: Option<usize>| {
        let g = grid_sig.get_untracked();
        let h = hidden.get_untracked();
        let cat = ds.with_value(|d| match color_choice(d, &color_col.get_untracked()) {
            ColorChoice::Categorical(i) => Some(i),
            _ => None,
        });
        let ds = ds.get_value();
        move |r: usize| {
            let shown = match cat {
                Some(i) => ds.categorical[i]
                    .codes
                    .get(r)
                    .map(|&k| !h.get(k as usize).copied().unwrap_or(false))
                    .unwrap_or(true),
                None => true,
            };
            let in_panel = match (&g, panel) {
                (Some(g), Some(p)) => g.0.masks[p].get(r).copied().unwrap_or(false),
                _ => true,
            };
            shown && in_panel
        }
    };

    let on_down = move |ev: web_sys::MouseEvent| {
        if ev.button() != 0 {
            return;
        }
        let (x, y) = canvas_xy(&ev);
        let is_lasso = lasso_mode.get_untracked() || ev.alt_key();
        let select = !is_lasso && (select_mode.get_untracked() || ev.shift_key());
        drag.set_value(Some(Drag {
            x,
            y,
            view: view.get_untracked(),
            select,
            lasso: is_lasso,
            moved: false,
        }));
        if is_lasso {
            ev.prevent_default();
            lasso.set(vec![(x, y)]);
        }
        hover.set(None);
    };
    let on_move = move |ev: web_sys::MouseEvent| {
        let (x, y) = canvas_xy(&ev);
        match drag.get_value() {
            Some(mut d) => {
                d.moved |= (x - d.x).abs() + (y - d.y).abs() > 2.0;
                drag.set_value(Some(d));
                if d.lasso {
                    lasso.update(|p| p.push((x, y)));
                } else if d.select {
                    sel_rect.set(Some([d.x, d.y, x, y]));
                } else {
                    let mut v = d.view;
                    v.pan(x - d.x, y - d.y);
                    view.set(v);
                }
            }
            None => {
                let hit = locate(x, y).and_then(|(p, lx, ly, pv)| {
                    let vis = visible(p);
                    ds.with_value(|d| {
                        index.with_value(|idx| hit_test(idx, &d.x, &d.y, &pv, lx, ly, 6.0, vis))
                    })
                });
                hover.set(hit.map(|r| (ev.offset_x() as f64, ev.offset_y() as f64, r)));
            }
        }
    };
    let on_up = move |ev: web_sys::MouseEvent| {
        let Some(d) = drag.get_value() else { return };
        drag.set_value(None);
        if d.select && d.moved {
            let (x, y) = canvas_xy(&ev);
            if let Some((p, lx, ly, pv)) = locate(d.x, d.y) {
                // the end point in the same panel's local pixels
                let (ex, ey) = (lx + (x - d.x), ly + (y - d.y));
                let (ax, ay) = pv.to_data(lx, ly);
                let (bx, by) = pv.to_data(ex, ey);
                let vis = visible(p);
                let rows = ds.with_value(|d| {
                    select_box(
                        &d.x,
                        &d.y,
                        [ax as f32, ay as f32, bx as f32, by as f32],
                        vis,
                    )
                });
                selection.set(rows);
            }
        }
        if d.lasso && d.moved {
            let path = lasso.get_untracked();
            if let Some((p, lx, ly, pv)) = locate(d.x, d.y) {
                // the path in the start panel's local pixels, then data units
                let poly: Vec<(f32, f32)> = path
                    .iter()
                    .map(|&(x, y)| {
                        let (dx, dy) = pv.to_data(lx + (x - d.x), ly + (y - d.y));
                        (dx as f32, dy as f32)
                    })
                    .collect();
                let vis = visible(p);
                let rows = ds.with_value(|d| select_lasso(&d.x, &d.y, &poly, vis));
                selection.set(rows);
            }
        }
        lasso.set(Vec::new());
        sel_rect.set(None);
    };
    let on_leave = move |_: web_sys::MouseEvent| {
        drag.set_value(None);
        sel_rect.set(None);
        lasso.set(Vec::new());
        hover.set(None);
    };
    // Zoom stays within 1/50 to 2000 times the fitted scale, so data-sized
    // discs never grow to absurd pixel sizes.
    let base_scale = view.get_untracked().scale;
    let limit = move |v: &View, f: f64| {
        let next = v.scale * f;
        next.clamp(base_scale / 50.0, base_scale * 2000.0) / v.scale
    };
    let zoom = move |x: f64, y: f64, f: f64| {
        let mut v = view.get_untracked();
        let f = limit(&v, f);
        // in small multiples zoom about the point inside its panel
        let (lx, ly) = match locate(x, y) {
            Some((_, lx, ly, _)) => (lx, ly),
            None => (v.width as f64 / 2.0, v.height as f64 / 2.0),
        };
        v.zoom_at(lx, ly, f);
        view.set(v);
    };
    let on_wheel = move |ev: web_sys::WheelEvent| {
        ev.prevent_default();
        let (x, y) = canvas_xy(&ev);
        zoom(x, y, (-ev.delta_y() * 0.0015).exp().clamp(0.5, 2.0));
    };
    let zoom_center = move |f: f64| {
        let v = view.get_untracked();
        let mut nv = v;
        nv.zoom_at(v.width as f64 / 2.0, v.height as f64 / 2.0, limit(&v, f));
        view.set(nv);
    };

    let export_png = move |_| {
        let s = settings();
        let g = grid_sig.get_untracked();
        let mut v = view.get_untracked();
        v.width *= 2;
        v.height *= 2;
        v.scale *= 2.0;
        let mut buf = Canvas::new(1, 1, paint::BACKGROUND);
        let rp = region_parts();
        let regs = paint::regions_of(&rp);
        ds.with_value(|d| {
            paint::render(
                d,
                &Settings {
                    size_px: s.size_px * 2.0,
                    ..s.clone()
                },
                g.as_deref(),
                &v,
                &mut buf,
                regs.as_ref(),
            )
        });
        let title = color_col.get_untracked();
        let legend = ds.with_value(|d| match color_choice(d, &title) {
            ColorChoice::Categorical(i) => {
                let pal = palette_for(d, i);
                d.categorical[i]
                    .categories
                    .iter()
                    .cloned()
                    .zip(pal.iter().map(|c| c.to_hex()))
                    .collect::<Vec<_>>()
            }
            _ => Vec::new(),
        });
        let (niche_title, niche_legend) = match &rp {
            Some((l, pal, hidden)) => ds.with_value(|d| {
                let c = &d.categorical[l.column];
                let items: Vec<(String, String)> = (0..c.categories.len())
                    .filter(|&k| {
                        !hidden.get(k).copied().unwrap_or(false)
                            && l.panels.iter().flatten().any(|r| r.category as usize == k)
                    })
                    .take(40)
                    .map(|k| {
                        (
                            c.categories[k].clone(),
                            pal.get(k).map(|c| c.to_hex()).unwrap_or_default(),
                        )
                    })
                    .collect();
                (format!("Niches: {}", c.name), items)
            }),
            None => (String::new(), Vec::new()),
        };
        let bar = scale_bar(v.scale, 240.0);
        let unit = ds.with_value(|d| d.meta.coord_unit.clone());
        let r = (|| -> Result<(), String> {
            let el = paint::offscreen(buf.width, buf.height)?;
            paint::put(&el, &buf)?;
            let ctx = paint::context(&el)?;
            ctx.set_font("24px sans-serif");
            // a light panel under the title and legend so they read over the points
            let chars = legend
                .iter()
                .take(40)
                .map(|(n, _)| n.chars().count())
                .chain(std::iter::once(title.chars().count()))
                .max()
                .unwrap_or(0);
            ctx.set_fill_style_str("rgba(255,255,255,0.85)");
            ctx.fill_rect(
                10.0,
                10.0,
                chars as f64 * 13.0 + 50.0,
                40.0 + legend.len().min(40) as f64 * 30.0,
            );
            ctx.set_fill_style_str("#222");
            let _ = ctx.fill_text(&title, 20.0, 36.0);
            for (k, (name, hex)) in legend.iter().take(40).enumerate() {
                let y = 60.0 + k as f64 * 30.0;
                ctx.set_fill_style_str(hex);
                ctx.fill_rect(20.0, y, 20.0, 20.0);
                ctx.set_fill_style_str("#222");
                let _ = ctx.fill_text(name, 48.0, y + 18.0);
            }
            if !niche_legend.is_empty() {
                // the niche legend top right, as in the SVG
                let chars = niche_legend
                    .iter()
                    .map(|(n, _)| n.chars().count())
                    .chain(std::iter::once(niche_title.chars().count()))
                    .max()
                    .unwrap_or(0);
                let lw = chars as f64 * 13.0 + 50.0;
                let x0 = buf.width as f64 - lw - 10.0;
                ctx.set_fill_style_str("rgba(255,255,255,0.85)");
                ctx.fill_rect(x0, 10.0, lw, 40.0 + niche_legend.len() as f64 * 30.0);
                ctx.set_fill_style_str("#222");
                let _ = ctx.fill_text(&niche_title, x0 + 10.0, 36.0);
                ctx.set_line_width(3.0);
                for (k, (name, hex)) in niche_legend.iter().enumerate() {
                    let y = 60.0 + k as f64 * 30.0;
                    ctx.set_stroke_style_str(hex);
                    ctx.stroke_rect(x0 + 10.0, y, 20.0, 20.0);
                    ctx.set_fill_style_str("#222");
                    let _ = ctx.fill_text(name, x0 + 38.0, y + 18.0);
                }
            }
            if let Some((len, px)) = bar {
                let (x0, y0) = (buf.width as f64 - px - 30.0, buf.height as f64 - 40.0);
                ctx.fill_rect(x0, y0, px, 6.0);
                let _ = ctx.fill_text(&format_length(len, &unit), x0, y0 - 10.0);
            }
            let url = el
                .to_data_url_with_type("image/png")
                .map_err(|e| format!("{e:?}"))?;
            paint::download(&url, "spatial-view@2x.png")
        })();
        if let Err(e) = r {
            crate::app::state::AppState::get().report(format!("PNG export failed: {e}"));
        }
    };
    let export_svg = move |_| {
        let s = settings();
        let v = view.get_untracked();
        let g = grid_sig.get_untracked();
        let title = color_col.get_untracked();
        // vector circles for a single panel with few points in view, else the 2x raster inside
        let rows = if g.is_none() {
            ds.with_value(|d| svg::visible_rows(d, &s, &v, svg::MAX_VECTOR_POINTS))
        } else {
            None
        };
        let rp = region_parts();
        let png = match (&rows, &rp, canvas_ref.get_untracked()) {
            // regions go in as vector paths, so the raster under them is drawn without
            (None, Some(_), _) => {
                let mut buf = Canvas::new(1, 1, paint::BACKGROUND);
                ds.with_value(|d| paint::render(d, &s, g.as_deref(), &v, &mut buf, None));
                paint::offscreen(buf.width, buf.height)
                    .and_then(|el| paint::put(&el, &buf).map(|_| el))
                    .ok()
                    .and_then(|el| el.to_data_url_with_type("image/png").ok())
            }
            (None, None, Some(el)) => el.to_data_url_with_type("image/png").ok(),
            _ => None,
        };
        let niches = match &rp {
            Some((l, pal, hidden)) => ds.with_value(|d| {
                let mut paths = String::new();
                for (i, regions) in l.panels.iter().enumerate() {
                    let (pv, ox, oy) = match &g {
                        Some(g) => (
                            panel_view(&v, &g.0.bounds, i),
                            (i % g.1) as u32 * v.width,
                            (i / g.1) as u32 * v.height,
                        ),
                        None => (v, 0, 0),
                    };
                    // a nested <svg> clips each panel's regions to the panel
                    paths.push_str(&format!(
                        r#"<svg x="{ox}" y="{oy}" width="{}" height="{}">"#,
                        v.width, v.height
                    ));
                    niches::regions_svg(&mut paths, regions, &pv, pal, hidden);
                    paths.push_str("</svg>");
                }
                let c = &d.categorical[l.column];
                let drawn: Vec<bool> = (0..c.categories.len())
                    .map(|k| l.panels.iter().flatten().any(|r| r.category as usize == k))
                    .collect();
                let legend = c
                    .categories
                    .iter()
                    .enumerate()
                    .filter(|&(k, _)| drawn[k] && !hidden.get(k).copied().unwrap_or(false))
                    .map(|(k, n)| {
                        (
                            n.clone(),
                            pal.get(k).map(|c| c.to_hex()).unwrap_or_default(),
                        )
                    })
                    .collect();
                svg::SvgNiches {
                    paths,
                    title: format!("Niches: {}", c.name),
                    legend,
                }
            }),
            None => svg::SvgNiches::default(),
        };
        let doc = ds.with_value(|d| {
            let mut v2 = v;
            if let Some(g) = &g {
                v2.width *= g.1 as u32;
                v2.height *= g.2 as u32;
            }
            svg::view_svg(d, &s, &v2, &title, rows.as_deref(), png.as_deref(), &niches)
        });
        if let Err(e) = paint::download_text(&doc, "spatial-view.svg", "image/svg+xml") {
            crate::app::state::AppState::get().report(format!("SVG export failed: {e}"));
        }
    };
    let export_csv = move |_| {
        let csv = ds.with_value(|d| selection.with_untracked(|s| selection_csv(d, s)));
        if let Err(e) = paint::download_text(&csv, "selection.csv", "text/csv") {
            crate::app::state::AppState::get().report(format!("CSV export failed: {e}"));
        }
    };

    // Redraws 30 panned frames back to back (rasterize + putImageData) and
    // reports the mean time per frame.
    let bench = RwSignal::new(None::<f64>);
    let run_bench = move |_| {
        let Some(el) = canvas_ref.get_untracked() else {
            return;
        };
        let s = settings();
        let g = grid_sig.get_untracked();
        let v0 = view.get_untracked();
        let t0 = now_ms();
        for i in 0..30 {
            let mut v = v0;
            v.pan((i as f64 * 0.7).sin() * 40.0, (i as f64 * 0.5).cos() * 30.0);
            let rp = region_parts();
            let regs = paint::regions_of(&rp);
            buffer.update_value(|buf| {
                ds.with_value(|d| paint::render(d, &s, g.as_deref(), &v, buf, regs.as_ref()))
            });
            let _ = buffer.with_value(|buf| paint::put(&el, buf));
        }
        bench.set(Some((now_ms() - t0) / 30.0));
        view.set(v0);
    };
    let cat_names: Vec<String> = dataset.categorical.iter().map(|c| c.name.clone()).collect();
    let num_names: Vec<(String, bool)> = dataset
        .numeric
        .iter()
        .map(|c| (c.name.clone(), c.kind == sbx_data::NumericKind::Gene))
        .collect();
    let facet_names: Vec<String> = dataset
        .categorical
        .iter()
        .filter(|c| c.categories.len() > 1 && c.categories.len() <= 24)
        .map(|c| c.name.clone())
        .collect();
    let cat_opts = cat_names.clone();

    let legend = move || {
        let name = color_col.get();
        ds.with_value(|d| match color_choice(d, &name) {
            ColorChoice::Categorical(i) => {
                let pal = palette_for(d, i);
                let counts = d.categorical[i].counts();
                let items = d.categorical[i]
                    .categories
                    .iter()
                    .enumerate()
                    .map(|(k, cat)| {
                        let hex = pal.get(k).map(|c| c.to_hex()).unwrap_or_default();
                        let n = counts.get(k).copied().unwrap_or(0);
                        let is_hidden = move || hidden.with(|h| h.get(k).copied().unwrap_or(false));
                        view! {
                            <li class="legend-item" class:hidden=is_hidden data-category=cat.clone()
                                title="Click to hide or show; shift- or alt-click to show only this one"
                                on:click=move |ev: web_sys::MouseEvent| {
                                    let iso = ev.shift_key() || ev.alt_key();
                                    hidden.update(|h| legend_click(h, k, iso));
                                }>
                                <span class="swatch" style:background-color=hex></span>
                                <span class="legend-label">{cat.clone()}</span>
                                <span class="legend-count">{n}</span>
                            </li>
                        }
                    })
                    .collect::<Vec<_>>();
                view! { <ul class="legend viewer-legend" data-testid="viewer-legend">{items}</ul> }.into_any()
            }
            ColorChoice::Numeric(_) => view! {
                <div class="legend viewer-colorbar">
                    <div class="colorbar" style:background-image=move || gradient_css(cmap.get())></div>
                    <div class="colorbar-ends">
                        <span>{move || format!("{:.3}", vmin.get())}</span>
                        <span>{move || if log.get() { "log1p scale" } else { "linear" }}</span>
                        <span>{move || format!("{:.3}", vmax.get())}</span>
                    </div>
                </div>
            }
            .into_any(),
            ColorChoice::None => ().into_any(),
        })
    };

    // the niche categories with their region colours, clickable like the main legend
    let niche_legend = move || {
        let l = layer.get()?;
        let cc = match ds.with_value(|d| color_choice(d, &color_col.get())) {
            ColorChoice::Categorical(i) => Some(i),
            _ => None,
        };
        let (pal, cats, name) = ds.with_value(|d| {
            (
                niche_palette(d, l.column, cc),
                d.categorical[l.column].categories.clone(),
                d.categorical[l.column].name.clone(),
            )
        });
        let mut counts = vec![0usize; cats.len()];
        for r in l.panels.iter().flatten() {
            if let Some(c) = counts.get_mut(r.category as usize) {
                *c += 1;
            }
        }
        let items = cats
            .into_iter()
            .enumerate()
            .filter(|&(k, _)| counts[k] > 0)
            .map(|(k, cat)| {
                let hex = pal.get(k).map(|c| c.to_hex()).unwrap_or_default();
                let is_hidden = move || niche_hidden.with(|h| h.get(k).copied().unwrap_or(false));
                view! {
                    <li class="legend-item" class:hidden=is_hidden data-category=cat.clone()
                        title="Click to hide or show this niche's regions; shift- or alt-click to show only this one"
                        on:click=move |ev: web_sys::MouseEvent| {
                            let iso = ev.shift_key() || ev.alt_key();
                            niche_hidden.update(|h| legend_click(h, k, iso));
                        }>
                        <span class="swatch niche-swatch" style:border-color=hex.clone() style:background-color=hex></span>
                        <span class="legend-label">{cat.clone()}</span>
                        <span class="legend-count">{format!("{} regions", counts[k])}</span>
                    </li>
                }
            })
            .collect::<Vec<_>>();
        Some(view! {
            <h4>{format!("Niches: {name}")}</h4>
            <ul class="legend viewer-legend niche-legend" data-testid="niche-legend">{items}</ul>
        })
    };

    let panel_labels = move || {
        grid_sig.get().map(|g| {
            let (pw, ph) = (W as f64 / g.1 as f64, H as f64 / g.2 as f64);
            g.0.labels
                .iter()
                .enumerate()
                .map(|(i, l)| {
                    let (left, top) = ((i % g.1) as f64 * pw, (i / g.1) as f64 * ph);
                    // positions as a share of the canvas so they follow CSS scaling
                    view! {
                        <span class="panel-label" style:left=format!("{:.3}%", left / W as f64 * 100.0)
                            style:top=format!("{:.3}%", top / H as f64 * 100.0)>{l.clone()}</span>
                    }
                })
                .collect::<Vec<_>>()
        })
    };
    let scale = move || {
        let v = view.get();
        scale_bar(v.scale, 160.0).map(|(len, px)| {
            view! {
                <div class="scale-bar" data-testid="scale-bar">
                    <div class="scale-bar-line" style:width=format!("{:.3}%", px / W as f64 * 100.0)></div>
                    <span>{format_length(len, &unit)}</span>
                </div>
            }
        })
    };
    let tooltip = move || {
        hover.get().map(|(x, y, r)| {
            let rows = ds.with_value(|d| unit_values(d, r));
            view! {
                <div class="tooltip viewer-tooltip" data-testid="viewer-tooltip" style:left=format!("{}px", x + 14.0) style:top=format!("{}px", y + 14.0)>
                    <table>{rows.into_iter().map(|(k, v)| view! { <tr><th>{k}</th><td>{v}</td></tr> }).collect::<Vec<_>>()}</table>
                </div>
            }
        })
    };
    let rect = move || {
        sel_rect.get().map(|[x0, y0, x1, y1]| {
            let pct = |v: f64, t: u32| format!("{:.3}%", v / t as f64 * 100.0);
            view! {
                <div class="select-rect" style:left=pct(x0.min(x1), W) style:top=pct(y0.min(y1), H)
                    style:width=pct((x1 - x0).abs(), W) style:height=pct((y1 - y0).abs(), H)></div>
            }
        })
    };
    let lasso_path =
        move || {
            let p = lasso.get();
            (p.len() > 1).then(|| {
            let pts = p.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect::<Vec<_>>().join(" ");
            view! {
                <svg class="lasso-path" viewBox=format!("0 0 {W} {H}") preserveAspectRatio="none">
                    <polygon points=pts />
                </svg>
            }
        })
        };
    let selection_table = move || {
        let rows = selection.get();
        if rows.is_empty() {
            return None;
        }
        let (head, body) = ds.with_value(|d| {
            let nums: Vec<usize> = (0..d.numeric.len().min(4)).collect();
            let mut head = vec!["row".to_string(), "x".into(), "y".into()];
            head.extend(d.categorical.iter().map(|c| c.name.clone()));
            head.extend(nums.iter().map(|&i| d.numeric[i].name.clone()));
            let body: Vec<Vec<String>> = rows
                .iter()
                .take(100)
                .map(|&r| {
                    let r = r as usize;
                    let mut v = vec![
                        r.to_string(),
                        format!("{:.1}", d.x[r]),
                        format!("{:.1}", d.y[r]),
                    ];
                    v.extend(
                        d.categorical
                            .iter()
                            .map(|c| c.label(r).unwrap_or("").to_string()),
                    );
                    v.extend(
                        nums.iter()
                            .map(|&i| format!("{:.2}", d.numeric[i].values[r])),
                    );
                    v
                })
                .collect();
            (head, body)
        });
        let n = rows.len();
        Some(view! {
            <div class="viewer-selection card">
                <p>
                    <strong data-testid="selection-count" data-value=n.to_string()>{n}</strong>
                    " units selected"
                    {(n > 100).then_some(" (first 100 shown)")}" "
                    <button on:click=export_csv>"Export CSV"</button>" "
                    <button on:click=move |_| selection.set(Vec::new())>"Clear"</button>
                </p>
                <div class="table-scroll">
                    <table class="data">
                        <thead><tr>{head.into_iter().map(|h| view! { <th>{h}</th> }).collect::<Vec<_>>()}</tr></thead>
                        <tbody>{body.into_iter().map(|r| view! { <tr>{r.into_iter().map(|c| view! { <td>{c}</td> }).collect::<Vec<_>>()}</tr> }).collect::<Vec<_>>()}</tbody>
                    </table>
                </div>
            </div>
        })
    };

    let n_points = dataset.len();
    view! {
        <div class="viewer" data-testid="viewer" data-rows=n_points.to_string()
            data-color=move || color_col.get() data-facet=move || facet_col.get()
            data-draws=move || redraw_ms.get().2.to_string()
            data-regions=move || layer.get().map(|l| niche_hidden.with(|h| l.shown(h))).unwrap_or(0).to_string()>
            <div class="viewer-controls filters">
                <label>"Color by "
                    <select data-testid="color-by" on:change=move |ev| set_color(event_target_value(&ev)) prop:value=move || color_col.get()>
                        <option value="">"(none)"</option>
                        <optgroup label="Categories">
                            {cat_opts.iter().map(|c| view! { <option value=c.clone()>{c.clone()}</option> }).collect::<Vec<_>>()}
                        </optgroup>
                        <optgroup label="Values and genes">
                            {num_names.iter().map(|(c, g)| view! { <option value=c.clone()>{c.clone()}{if *g { " (gene)" } else { "" }}</option> }).collect::<Vec<_>>()}
                        </optgroup>
                    </select>
                </label>
                <Show when=move || matches!(ds.with_value(|d| color_choice(d, &color_col.get())), ColorChoice::Numeric(_))>
                    <label>"min " <input type="number" step="any" class="num" prop:value=move || vmin.get().to_string()
                        on:change=move |ev| { if let Ok(v) = event_target_value(&ev).parse::<f32>() { vmin.set(v) } } /></label>
                    <label>"max " <input type="number" step="any" class="num" prop:value=move || vmax.get().to_string()
                        on:change=move |ev| { if let Ok(v) = event_target_value(&ev).parse::<f32>() { vmax.set(v) } } /></label>
                    <label><input type="checkbox" prop:checked=move || log.get() on:change=move |ev| log.set(event_target_checked(&ev)) />" log"</label>
                    <label>"map "
                        <select on:change=move |ev| {
                            let v = event_target_value(&ev);
                            if let Some(m) = ColorMap::ALL.iter().find(|m| m.name() == v) { cmap.set(*m) }
                        }>
                            {ColorMap::ALL.iter().map(|m| view! { <option value=m.name()>{m.name()}</option> }).collect::<Vec<_>>()}
                        </select>
                    </label>
                </Show>
                <label>"Small multiples "
                    <select data-testid="facet-by" prop:value=move || facet_col.get() on:change=move |ev| set_facet(event_target_value(&ev))>
                        <option value="">"(one panel)"</option>
                        {facet_names.iter().map(|c| view! { <option value=c.clone()>{c.clone()}</option> }).collect::<Vec<_>>()}
                    </select>
                </label>
                <label>"Niche column "
                    <select data-testid="outline-by" prop:value=move || outline_col.get() on:change=move |ev| set_niche_col(event_target_value(&ev))>
                        <option value="">"(none)"</option>
                        {cat_names.iter().map(|c| view! { <option value=c.clone()>{c.clone()}</option> }).collect::<Vec<_>>()}
                    </select>
                </label>
                <label title="Niches as a ring around each point (outline) or as translucent regions over connected groups of a niche">"Niches "
                    <select data-testid="niche-mode" prop:value=move || niche_mode.get().name()
                        on:change=move |ev| niche_mode.set(NicheMode::parse(&event_target_value(&ev)))>
                        {NicheMode::ALL.iter().map(|m| view! { <option value=m.name()>{m.name()}</option> }).collect::<Vec<_>>()}
                    </select>
                </label>
                <label title="Spot or bead diameter from the file's metadata">
                    <input type="checkbox" prop:disabled=!has_unit_size prop:checked=move || data_units.get()
                        on:change=move |ev| data_units.set(event_target_checked(&ev)) />
                    {format!(" size in data units ({})", dataset.meta.unit_size.map(|s| format!("{s} {}", dataset.meta.coord_unit)).unwrap_or_else(|| "no unit size in metadata".into()))}
                </label>
                <label>"point px "
                    <input type="range" min="1" max="12" step="1" prop:value=move || size_px.get().to_string()
                        on:input=move |ev| { if let Ok(v) = event_target_value(&ev).parse::<f32>() { size_px.set(v) } } />
                </label>
            </div>
            <div class="viewer-toolbar">
                <button on:click=move |_| zoom_center(1.5) title="Zoom in">"+"</button>
                <button on:click=move |_| zoom_center(1.0 / 1.5) title="Zoom out">"−"</button>
                <button data-testid="fit" on:click=move |_| fit()>"Fit to data"</button>
                <button class:active=move || select_mode.get() data-testid="box-select" on:click=move |_| select_mode.update(|m| *m = !*m)>
                    {move || if select_mode.get() { "Box select: on" } else { "Box select (or shift-drag)" }}
                </button>
                <button class:active=move || lasso_mode.get() data-testid="lasso-select" on:click=move |_| lasso_mode.update(|m| *m = !*m)>
                    {move || if lasso_mode.get() { "Lasso: on" } else { "Lasso (or alt-drag)" }}
                </button>
                <button data-testid="export-png" on:click=export_png>"Export PNG (2x)"</button>
                <button data-testid="export-svg" on:click=export_svg>"Export SVG"</button>
                <span class="muted">{format!("{n_points} units")}</span>
            </div>
            <div class="viewer-main">
                <div class="canvas-wrap viewer-canvas">
                    <canvas node_ref=canvas_ref width=W height=H data-testid="viewer-canvas"
                        on:mousedown=on_down on:mousemove=on_move on:mouseup=on_up on:mouseleave=on_leave on:wheel=on_wheel></canvas>
                    {panel_labels}
                    {rect}
                    {lasso_path}
                    {scale}
                    {tooltip}
                </div>
                <div class="viewer-side">
                    <h4>{move || color_col.get()}</h4>
                    {legend}
                    {niche_legend}
                </div>
            </div>
            {selection_table}
            <details class="performance" data-testid="performance">
                <summary>"Performance"</summary>
                <dl>
                    {decode_ms.map(|ms| view! { <dt>"decode (Arrow IPC → dataset)"</dt><dd data-testid="decode-ms" data-value=format!("{ms:.2}")>{format!("{ms:.1} ms")}</dd> })}
                    <dt>"rasterize"</dt>
                    <dd data-testid="raster-ms" data-value=move || format!("{:.2}", redraw_ms.get().0)>{move || format!("{:.1} ms", redraw_ms.get().0)}</dd>
                    <dt>"putImageData"</dt>
                    <dd data-testid="put-ms" data-value=move || format!("{:.2}", redraw_ms.get().1)>{move || format!("{:.1} ms", redraw_ms.get().1)}</dd>
                    <dt>"redraws"</dt><dd>{move || redraw_ms.get().2}</dd>
                    <dt>"niche regions"</dt>
                    <dd data-testid="regions-ms" data-value=move || format!("{:.2}", regions_ms.get().0) data-computed=move || regions_ms.get().1.to_string()>
                        {move || match regions_ms.get() {
                            (_, 0) => "not computed".to_string(),
                            (ms, n) => format!("{ms:.1} ms (computed {n}×, on column or panel changes only)"),
                        }}
                    </dd>
                    <dt>"WebAssembly memory"</dt>
                    <dd data-testid="wasm-mb" data-value=move || { redraw_ms.track(); paint::wasm_memory_mb().map(|m| format!("{m:.1}")).unwrap_or_default() }>
                        {move || { redraw_ms.track(); paint::wasm_memory_mb().map(|m| format!("{m:.0} MB (all loaded data)")).unwrap_or_default() }}
                    </dd>
                    <dt>"points"</dt><dd>{n_points}</dd>
                    <dt><button data-testid="bench-redraw" on:click=run_bench>"Measure 30 redraws"</button></dt>
                    <dd data-testid="bench-ms" data-value=move || bench.get().map(|b| format!("{b:.2}")).unwrap_or_default()>
                        {move || bench.get().map(|b| format!("{b:.1} ms per frame ({:.0} frames per second)", 1000.0 / b.max(1e-3))).unwrap_or_default()}
                    </dd>
                </dl>
            </details>
        </div>
    }
}
