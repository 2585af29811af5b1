//! The reusable spatial viewer: a dataset drawn by the core rasterizer into
//! one canvas, with pan/zoom, colouring, legend, hover, box and lasso
//! selection, small multiples, niches (outline or regions) and PNG/SVG
//! export. `state` holds the signals and operations; each part of the page
//! is a small component reading it; what they show is computed by the pure
//! `crate::view`.

mod canvas;
mod controls;
mod export;
mod genes;
mod legend;
pub mod paint;
mod performance;
mod selection;
pub mod state;
pub mod webgl;

use leptos::prelude::*;
use sbx_data::Dataset;
use state::ViewerState;
use std::sync::Arc;

/// The spatial viewer. `color` and `facet` pick the initial colouring and
/// small-multiples column, `outline` a niche column drawn as outlines;
/// `decode_ms` is shown in the Performance details. `more` brings larger versions of the
/// same dataset while a large file decodes (drawn in place, see `ViewerState::more_rows`);
/// `rows_total` is then the file's rows.
#[component]
pub fn Viewer(
    dataset: Arc<Dataset>,
    #[prop(optional, into)] color: Option<String>,
    #[prop(optional, into)] facet: Option<String>,
    #[prop(optional, into)] outline: Option<String>,
    #[prop(optional, into)] decode_ms: MaybeProp<f64>,
    #[prop(optional, into)] more: Option<Signal<Option<Arc<Dataset>>>>,
    #[prop(optional)] rows_total: usize,
) -> impl IntoView {
    let mut s = ViewerState::new(dataset, color, facet, outline);
    s.rows_total = rows_total;
    if let Some(more) = more {
        Effect::new(move |_| {
            if let Some(ds) = more.get() {
                s.more_rows(ds);
            }
        });
    }
    s.compute_regions();
    s.redraw_on_change();
    view! {
        <div class="viewer" data-testid="viewer" data-rows=move || s.row_count.get().to_string()
            data-color=move || s.color_col.get() data-facet=move || s.facet_col.get()
            data-draws=move || s.redraw_ms.get().2.to_string()
            data-regions=move || s.layer.get().map(|l| s.niche_hidden.with(|h| l.shown(h))).unwrap_or(0).to_string()>
            <controls::Controls state=s />
            <genes::GenePicker state=s />
            <controls::Toolbar state=s />
            <div class="viewer-main">
                <canvas::ViewerCanvas state=s />
                <legend::Legend state=s />
            </div>
            <selection::Selection state=s />
            <performance::Performance state=s decode_ms=decode_ms />
        </div>
    }
}
