//! The viewer's state: its signals (colouring, small multiples, niches, view,
//! selection, timings) and the operations on them. Components read and
//! change the viewer only through this; what it shows is computed by the
//! pure `crate::view`.

use super::paint;
use crate::view::colors::niche_palette;
use crate::view::facets::{fit_view, locate, make_grid, Grid, Spot};
use crate::view::model::{
    categorical_index, category_count, color_choice, initial_color, initial_size_px, limit_zoom,
    numeric_range, row_shown, ColorChoice, Settings, H, W,
};
use crate::view::niches::{NicheLayer, NicheMode};
use crate::view::render::{render_lod, Detail, Drew, RegionParts, BACKGROUND, LOD_ROWS};
use leptos::prelude::*;
use sbx_data::Dataset;
use sbx_render::{Canvas, ColorMap, Lod, LodBuilder, View};
use std::sync::Arc;

/// A pointer drag in progress: where it started, the view then, and what it does.
#[derive(Clone, Copy)]
pub struct Drag {
    pub x: f64,
    pub y: f64,
    pub view: View,
    pub select: bool,
    pub lasso: bool,
    pub moved: bool,
}

/// A build of the tiles under way, on the dataset it started with.
struct LodBuild {
    builder: LodBuilder,
    /// The steps' time so far (ms).
    busy: f64,
    ds: Arc<Dataset>,
}

#[derive(Clone, Copy)]
pub struct ViewerState {
    pub ds: StoredValue<Arc<Dataset>>,
    /// Tiles for hover and selection, and the level of detail of large
    /// datasets: built after the first picture (a sample of millions of points
    /// until then), or at the first hover or selection before that.
    pub lod: StoredValue<Option<Lod>>,
    /// The tiles being built a step per task after the first picture (see `build_lod`).
    lod_build: StoredValue<Option<LodBuild>, LocalStorage>,
    /// Milliseconds the tiles took to build (the steps' own time, without the pauses).
    pub lod_ms: RwSignal<Option<f64>>,
    /// When the viewer opened; the first redraw reports the time from then to the first picture.
    pub opened: f64,
    /// The file's rows while it arrives in parts (0 when whole): the tiles wait for all of them.
    pub rows_total: usize,
    pub first_frame_ms: RwSignal<Option<f64>>,
    /// What the last redraw drew (every point, the level of detail, or a sample).
    pub drawn: RwSignal<Option<Drew>>,
    /// The colour column ("" = none) and its hidden categories.
    pub color_col: RwSignal<String>,
    pub hidden: RwSignal<Vec<bool>>,
    /// The numeric colour scale.
    pub vmin: RwSignal<f32>,
    pub vmax: RwSignal<f32>,
    pub log: RwSignal<bool>,
    pub cmap: RwSignal<ColorMap>,
    /// Points sized by the file's unit size (data units) rather than `size_px`.
    pub data_units: RwSignal<bool>,
    pub size_px: RwSignal<f32>,
    /// Small multiples: the column ("" = one panel) and its grid.
    pub facet_col: RwSignal<String>,
    pub grid: RwSignal<Option<Arc<Grid>>>,
    pub niche_mode: RwSignal<NicheMode>,
    pub outline_col: RwSignal<String>,
    pub niche_hidden: RwSignal<Vec<bool>>,
    /// Regions are computed when the column, mode or panels change, never on pan/zoom.
    pub layer: RwSignal<Option<Arc<NicheLayer>>>,
    /// (last computation in ms, computations so far): shows the cache works.
    pub regions_ms: RwSignal<(f64, u32)>,
    /// The view of the canvas, or of one panel with small multiples.
    pub view: RwSignal<View>,
    /// The first fitted scale, which bounds zooming.
    pub base_scale: f64,
    pub selection: RwSignal<Vec<u32>>,
    /// Milliseconds the last box or lasso selection took.
    pub select_ms: RwSignal<Option<f64>>,
    pub select_mode: RwSignal<bool>,
    pub lasso_mode: RwSignal<bool>,
    /// The selection rectangle and lasso path in canvas pixels while dragging.
    pub sel_rect: RwSignal<Option<[f64; 4]>>,
    pub lasso: RwSignal<Vec<(f64, f64)>>,
    /// The unit under the pointer: (offset x, offset y, row).
    pub hover: RwSignal<Option<(f64, f64, usize)>>,
    pub drag: StoredValue<Option<Drag>>,
    /// (rasterize ms, putImageData ms, redraws so far).
    pub redraw_ms: RwSignal<(f64, f64, u32)>,
    /// Mean ms per frame of the last "Measure 30 redraws".
    pub bench: RwSignal<Option<f64>>,
    pub canvas_ref: NodeRef<leptos::html::Canvas>,
    pub buffer: StoredValue<Canvas>,
    pub frame: StoredValue<Option<AnimationFrameRequestHandle>>,
    /// Rows in the dataset drawn, which grows while a large file decodes (tracked copy of `ds.len()`).
    pub row_count: RwSignal<usize>,
}

impl ViewerState {
    /// The state of a viewer opened on `dataset`, coloured by `color` (else
    /// its main category), with small multiples by `facet` and niches of
    /// `outline` drawn as outlines.
    pub fn new(
        dataset: Arc<Dataset>,
        color: Option<String>,
        facet: Option<String>,
        outline: Option<String>,
    ) -> ViewerState {
        let niche_mode = if outline.is_some() {
            NicheMode::Outline
        } else {
            NicheMode::None
        };
        let outline = outline.unwrap_or_default();
        let mut s = ViewerState {
            lod: StoredValue::new(None),
            lod_build: StoredValue::new_local(None),
            lod_ms: RwSignal::new(None),
            opened: paint::now_ms(),
            rows_total: 0,
            first_frame_ms: RwSignal::new(None),
            drawn: RwSignal::new(None),
            color_col: RwSignal::new(String::new()),
            hidden: RwSignal::new(Vec::new()),
            vmin: RwSignal::new(0.0),
            vmax: RwSignal::new(1.0),
            log: RwSignal::new(false),
            cmap: RwSignal::new(ColorMap::Viridis),
            data_units: RwSignal::new(dataset.meta.unit_size.is_some()),
            size_px: RwSignal::new(initial_size_px(dataset.len())),
            facet_col: RwSignal::new(String::new()),
            grid: RwSignal::new(None),
            niche_mode: RwSignal::new(niche_mode),
            niche_hidden: RwSignal::new(vec![false; category_count(&dataset, &outline)]),
            outline_col: RwSignal::new(outline),
            layer: RwSignal::new(None),
            regions_ms: RwSignal::new((0.0, 0)),
            view: RwSignal::new(fit_view(&dataset, None)),
            base_scale: 1.0,
            selection: RwSignal::new(Vec::new()),
            select_ms: RwSignal::new(None),
            select_mode: RwSignal::new(false),
            lasso_mode: RwSignal::new(false),
            sel_rect: RwSignal::new(None),
            lasso: RwSignal::new(Vec::new()),
            hover: RwSignal::new(None),
            drag: StoredValue::new(None),
            redraw_ms: RwSignal::new((0.0, 0.0, 0)),
            bench: RwSignal::new(None),
            canvas_ref: NodeRef::new(),
            buffer: StoredValue::new(Canvas::new(W, H, BACKGROUND)),
            frame: StoredValue::new(None),
            row_count: RwSignal::new(dataset.len()),
            ds: StoredValue::new(dataset.clone()),
        };
        s.set_color(initial_color(&dataset, color));
        if let Some(f) = facet {
            s.set_facet(f);
        }
        s.base_scale = s.view.get_untracked().scale;
        s
    }

    /// Colours by column `name`: all its categories shown, or the colour
    /// scale over its finite range.
    pub fn set_color(&self, name: String) {
        self.ds.with_value(|d| match color_choice(d, &name) {
            ColorChoice::Categorical(i) => self
                .hidden
                .set(vec![false; d.categorical[i].categories.len()]),
            ColorChoice::Numeric(i) => {
                let (lo, hi) = numeric_range(&d.numeric[i].values);
                self.vmin.set(lo);
                self.vmax.set(hi);
            }
            ColorChoice::None => {}
        });
        self.color_col.set(name);
    }

    /// Colours by gene `name`, decoding it from the sparse expression first when it is
    /// not a column yet (one pass over the entries, in the page). Returns the decode time
    /// in ms (0 when nothing was decoded).
    pub fn show_gene(&self, name: String) -> f64 {
        let t0 = super::paint::now_ms();
        let added = self
            .ds
            .with_value(|d| crate::view::genes::with_gene(d, &name));
        let ms = match added {
            Some(d) => {
                self.ds.set_value(Arc::new(d));
                super::paint::now_ms() - t0
            }
            None => 0.0,
        };
        self.set_color(name);
        ms
    }

    /// Small multiples by column `name` ("" = one panel), fitted.
    pub fn set_facet(&self, name: String) {
        let g = if name.is_empty() {
            None
        } else {
            self.ds.with_value(|d| make_grid(d, &name))
        };
        self.grid.set(g);
        self.facet_col.set(name);
        self.fit();
    }

    /// Niches of column `name`, all shown. Picking a column with niches off
    /// shows it the way it always did: as the outline.
    pub fn set_niche_col(&self, name: String) {
        let n = self.ds.with_value(|d| category_count(d, &name));
        self.niche_hidden.set(vec![false; n]);
        if !name.is_empty() && self.niche_mode.get_untracked() == NicheMode::None {
            self.niche_mode.set(NicheMode::Outline);
        }
        self.outline_col.set(name);
    }

    /// Fits the data (or the widest panel) to the canvas.
    pub fn fit(&self) {
        let g = self.grid.get_untracked();
        let v = self.ds.with_value(|d| fit_view(d, g.as_deref()));
        self.view.set(v);
    }

    /// Zooms by `factor` about canvas pixel (x, y), within the zoom limits;
    /// with small multiples about the point inside its panel.
    pub fn zoom_at(&self, x: f64, y: f64, factor: f64) {
        let mut v = self.view.get_untracked();
        let f = limit_zoom(&v, self.base_scale, factor);
        let (lx, ly) = match self.locate(x, y) {
            Some(s) => (s.x, s.y),
            None => (v.width as f64 / 2.0, v.height as f64 / 2.0),
        };
        v.zoom_at(lx, ly, f);
        self.view.set(v);
    }

    /// Zooms by `factor` about the centre of the view.
    pub fn zoom_center(&self, factor: f64) {
        let mut v = self.view.get_untracked();
        let f = limit_zoom(&v, self.base_scale, factor);
        v.zoom_at(v.width as f64 / 2.0, v.height as f64 / 2.0, f);
        self.view.set(v);
    }

    /// The panel, panel pixel and panel view under canvas pixel (x, y).
    pub fn locate(&self, x: f64, y: f64) -> Option<Spot> {
        let g = self.grid.get_untracked();
        locate(&self.view.get_untracked(), g.as_deref(), x, y)
    }

    /// What the points are coloured by (tracked).
    pub fn color(&self) -> ColorChoice {
        self.ds
            .with_value(|d| color_choice(d, &self.color_col.get()))
    }

    /// Everything that decides the look of the points (tracked).
    pub fn settings(&self) -> Settings {
        let data_size = if self.data_units.get() {
            self.ds.with_value(|d| d.meta.unit_size)
        } else {
            None
        };
        let outline = match self.niche_mode.get() {
            NicheMode::Outline => self.niche_col(),
            _ => None,
        };
        Settings {
            color: self.color(),
            hidden: self.hidden.get(),
            min: self.vmin.get(),
            max: self.vmax.get(),
            log: self.log.get(),
            map: self.cmap.get(),
            data_size,
            size_px: self.size_px.get(),
            outline,
        }
    }

    /// The niche column's position (tracked).
    pub fn niche_col(&self) -> Option<usize> {
        self.ds
            .with_value(|d| categorical_index(d, &self.outline_col.get()))
    }

    /// What a render needs to draw regions: the layer, its colours, the hidden niches (tracked).
    pub fn region_parts(&self) -> Option<RegionParts> {
        let layer = self.layer.get()?;
        let cc = self.color().categorical();
        let palette = self.ds.with_value(|d| niche_palette(d, layer.column, cc));
        Some(RegionParts {
            layer,
            palette,
            hidden: self.niche_hidden.get(),
        })
    }

    /// Recomputes the niche regions when the mode, column or panels change.
    pub fn compute_regions(&self) {
        let s = *self;
        Effect::new(move |_| {
            let (mode, col, g) = (s.niche_mode.get(), s.niche_col(), s.grid.get());
            let l = match (mode, col) {
                (NicheMode::Regions, Some(c)) => {
                    let t0 = paint::now_ms();
                    let l =
                        s.ds.with_value(|d| NicheLayer::compute(d, c, g.as_deref()))
                            .map(Arc::new);
                    let ms = paint::now_ms() - t0;
                    s.regions_ms.update(|m| *m = (ms, m.1 + 1));
                    l
                }
                _ => None,
            };
            s.layer.set(l);
        });
    }

    /// Which rows of `panel` hover and selection can find: shown
    /// categories, and the panel's own rows.
    pub fn visible(&self, panel: Option<usize>) -> impl Fn(usize) -> bool + 'static {
        let g = self.grid.get_untracked();
        let hidden = self.hidden.get_untracked();
        // With no category hidden every row's code would pass: leave the codes out,
        // and with them a read per row scattered over the dataset.
        let cat = untrack(|| self.color().categorical()).filter(|_| hidden.contains(&true));
        let ds = self.ds.get_value();
        move |r: usize| {
            let codes = cat.map(|i| &ds.categorical[i].codes[..]);
            let mask = match (&g, panel) {
                (Some(g), Some(p)) => g.facets.masks.get(p).map(|m| &m[..]),
                _ => None,
            };
            row_shown(codes, &hidden, mask, r)
        }
    }

    /// Rasterizes the current picture (untracked) under `view` into the
    /// viewer's buffer and puts it on the canvas: (rasterize ms, put ms, result).
    pub fn paint(
        &self,
        el: &web_sys::HtmlCanvasElement,
        view: &View,
    ) -> (f64, f64, Result<(), String>) {
        let (s, g, rp) = untrack(|| (self.settings(), self.grid.get(), self.region_parts()));
        let t0 = paint::now_ms();
        let drawn = self.buffer.try_update_value(|buf| {
            self.ds.with_value(|d| {
                self.lod.with_value(|l| {
                    // millions of points without their tiles yet: a sample, so that
                    // a redraw never holds the page for long
                    let detail = match l {
                        _ if d.len() < LOD_ROWS => Detail::Every,
                        Some(l) => Detail::Tiles(l),
                        None => Detail::AtMost(LOD_ROWS),
                    };
                    render_lod(d, &s, g.as_deref(), view, buf, rp.as_ref(), detail)
                })
            })
        });
        let t1 = paint::now_ms();
        let r = self.buffer.with_value(|buf| paint::put(el, buf));
        let t2 = paint::now_ms();
        if drawn != self.drawn.get_untracked() {
            self.drawn.set(drawn);
        }
        (t1 - t0, t2 - t1, r)
    }

    /// Redraws on every change of view or settings, at most once per
    /// animation frame: a drag or a wheel spin sends several events per
    /// frame, and drawing each one would queue input behind rasterization.
    /// The frame draws whatever the latest view and settings are.
    pub fn redraw_on_change(&self) {
        let s = *self;
        let draw = move || {
            s.frame.set_value(None);
            let Some(el) = s.canvas_ref.get_untracked() else {
                return;
            };
            let (raster, put, r) = s.paint(&el, &s.view.get_untracked());
            if let Err(e) = r {
                report(format!("Viewer: {e}"));
            }
            s.redraw_ms.update(|m| *m = (raster, put, m.2 + 1));
            let first = s.first_frame_ms.get_untracked().is_none();
            if first {
                s.first_frame_ms.set(Some(paint::now_ms() - s.opened));
            }
            // the tiles after the first picture, once the page has shown it, and again
            // once every row of a large file arriving in parts is there (they cover every
            // row; building them for each part would hold the thread for nothing)
            let n = s.rows();
            if first || (n >= LOD_ROWS.max(s.rows_total) && s.lod.with_value(Option::is_none)) {
                set_timeout(move || s.build_lod(), std::time::Duration::ZERO);
            }
        };
        Effect::new(move |_| {
            // subscribe to everything the picture depends on
            let _ = s.settings();
            let _ = s.region_parts();
            s.view.track();
            s.grid.track();
            if s.canvas_ref.get().is_none() || s.frame.get_value().is_some() {
                return;
            }
            match request_animation_frame_with_handle(draw) {
                Ok(h) => s.frame.set_value(Some(h)),
                Err(_) => draw(),
            }
        });
        on_cleanup(move || {
            if let Some(h) = s.frame.try_get_value().flatten() {
                h.cancel();
            }
        });
    }

    /// More rows of the same file arrived (a large file is drawn while it decodes): the
    /// view, colouring and panels stay; the new rows are indexed and drawn in the next frame.
    pub fn more_rows(&self, dataset: Arc<Dataset>) {
        // the tiles cover every row, so they are built again for the longer file when next needed
        self.lod.set_value(None);
        self.lod_build.set_value(None);
        self.lod_ms.set(None);
        let n = dataset.len();
        let col = self.color_col.get_untracked();
        // a text column's categories can grow with its rows: new ones are shown
        if let ColorChoice::Categorical(i) = color_choice(&dataset, &col) {
            let k = dataset.categorical[i].categories.len();
            self.hidden.update(|h| h.resize(k.max(h.len()), false));
        }
        self.ds.set_value(dataset);
        if let Some(f) = Some(self.facet_col.get_untracked()).filter(|f| !f.is_empty()) {
            self.grid.set(self.ds.with_value(|d| make_grid(d, &f)));
        }
        self.row_count.set(n);
        self.view.notify();
    }

    /// Runs `f` on the tiles, building them first if needed.
    pub fn with_lod<R>(&self, f: impl FnOnce(&Lod) -> R) -> Option<R> {
        if self.lod.with_value(Option::is_none) {
            // a build under way is finished now (a hover or selection cannot wait)
            let t0 = paint::now_ms();
            let mut b = self
                .lod_build
                .try_update_value(Option::take)
                .flatten()
                .unwrap_or_else(|| self.new_lod_build());
            while !b.builder.step(&b.ds.x, &b.ds.y) {}
            self.lod_ms.set(Some(b.busy + paint::now_ms() - t0));
            self.set_lod(b.builder.finish());
        }
        self.lod.with_value(|l| l.as_ref().map(f))
    }

    /// Keeps the built tiles, and redraws through them when the picture was a sample
    /// drawn while they were built.
    fn set_lod(&self, lod: Lod) {
        self.lod.set_value(Some(lod));
        if matches!(self.drawn.get_untracked(), Some(Drew::Sample { .. })) {
            self.view.notify();
        }
    }

    /// As [`Self::with_lod`] once the tiles are there; None while they are being built.
    pub fn with_built_lod<R>(&self, f: impl FnOnce(&Lod) -> R) -> Option<R> {
        if self.lod_build.with_value(Option::is_some) {
            return None;
        }
        self.with_lod(f)
    }

    /// Builds the tiles a step per task (each reads at most about 1M rows), so that the
    /// page answers input while the tiles of millions of points are built (in one go they
    /// held its thread for 0.6 s at 10M). Does nothing once the viewer is closed (a case
    /// page swaps in the clustered tissue as soon as it arrives) or the tiles are there.
    fn build_lod(self) {
        if self.lod.is_disposed() || self.lod.with_value(Option::is_some) {
            return;
        }
        if self.lod_build.with_value(Option::is_none) {
            self.lod_build.set_value(Some(self.new_lod_build()));
        }
        self.lod_step();
    }

    /// A build of the tiles of the current rows, not started.
    fn new_lod_build(&self) -> LodBuild {
        LodBuild {
            builder: LodBuilder::default(),
            busy: 0.0,
            ds: self.ds.get_value(),
        }
    }

    fn lod_step(self) {
        let t0 = paint::now_ms();
        // None: closed, or the build was dropped (more rows arrived) or finished by a hover
        let done = self.lod_build.try_update_value(|b| {
            b.as_mut().map(|b| {
                let done = b.builder.step(&b.ds.x, &b.ds.y);
                b.busy += paint::now_ms() - t0;
                done
            })
        });
        match done.flatten() {
            Some(false) => set_timeout(move || self.lod_step(), std::time::Duration::ZERO),
            Some(true) => {
                if let Some(b) = self.lod_build.try_update_value(Option::take).flatten() {
                    self.lod_ms.set(Some(b.busy));
                    self.set_lod(b.builder.finish());
                }
            }
            None => {}
        }
    }

    /// Number of units in the dataset.
    pub fn rows(&self) -> usize {
        self.ds.with_value(|d| d.len())
    }
}

/// Shows a non-fatal error in the app's error panel.
pub fn report(message: String) {
    crate::app::AppState::get().report(message);
}
