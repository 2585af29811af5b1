//! The viewer's controls: colouring (column, range, log, colour map), small
//! multiples, niches, point size; and the toolbar (zoom, fit, box and lasso
//! selection, exports).

use super::export::ExportButtons;
use super::state::ViewerState;
use crate::view::model::{facet_columns, ColorChoice};
use crate::view::niches::NicheMode;
use crate::view::render::Drew;
use leptos::prelude::*;
use sbx_render::ColorMap;

fn options(names: Vec<String>) -> impl IntoView {
    names
        .into_iter()
        .map(|c| view! { <option value=c.clone()>{c.clone()}</option> })
        .collect::<Vec<_>>()
}

/// Sets `signal` from a number input's value when it parses.
fn set_number(signal: RwSignal<f32>) -> impl Fn(web_sys::Event) {
    move |ev| {
        if let Ok(v) = event_target_value(&ev).parse::<f32>() {
            signal.set(v)
        }
    }
}

/// The range, log switch and colour map of a numeric colouring.
#[component]
fn NumericScale(state: ViewerState) -> impl IntoView {
    let s = state;
    view! {
        <Show when=move || matches!(s.color(), ColorChoice::Numeric(_))>
            <label>"min " <input type="number" step="any" class="num" prop:value=move || s.vmin.get().to_string()
                on:change=set_number(s.vmin) /></label>
            <label>"max " <input type="number" step="any" class="num" prop:value=move || s.vmax.get().to_string()
                on:change=set_number(s.vmax) /></label>
            <label><input type="checkbox" prop:checked=move || s.log.get() on:change=move |ev| s.log.set(event_target_checked(&ev)) />" log"</label>
            <label>"map "
                <select on:change=move |ev| {
                    let v = event_target_value(&ev);
                    if let Some(m) = ColorMap::ALL.iter().find(|m| m.name() == v) { s.cmap.set(*m) }
                }>
                    {ColorMap::ALL.iter().map(|m| view! { <option value=m.name()>{m.name()}</option> }).collect::<Vec<_>>()}
                </select>
            </label>
        </Show>
    }
}

#[component]
pub fn Controls(state: ViewerState) -> impl IntoView {
    let s = state;
    let (cat_names, num_names, facet_names, meta) = s.ds.with_value(|d| {
        let cats: Vec<String> = d.categorical.iter().map(|c| c.name.clone()).collect();
        let nums: Vec<(String, bool)> = d
            .numeric
            .iter()
            .map(|c| (c.name.clone(), c.kind == sbx_data::NumericKind::Gene))
            .collect();
        (cats, nums, facet_columns(d), d.meta.clone())
    });
    let has_unit_size = meta.unit_size.is_some();
    let size_label = format!(
        " size in data units ({})",
        meta.unit_size
            .map(|u| format!("{u} {}", meta.coord_unit))
            .unwrap_or_else(|| "no unit size in metadata".into())
    );
    view! {
        <div class="viewer-controls filters">
            <label>"Color by "
                <select data-testid="color-by" on:change=move |ev| s.set_color(event_target_value(&ev)) prop:value=move || s.color_col.get()>
                    <option value="">"(none)"</option>
                    <optgroup label="Categories">{options(cat_names.clone())}</optgroup>
                    <optgroup label="Values and genes">
                        {num_names.into_iter().map(|(c, g)| view! { <option value=c.clone()>{c.clone()}{if g { " (gene)" } else { "" }}</option> }).collect::<Vec<_>>()}
                    </optgroup>
                </select>
            </label>
            <NumericScale state=s />
            <label>"Small multiples "
                <select data-testid="facet-by" prop:value=move || s.facet_col.get() on:change=move |ev| s.set_facet(event_target_value(&ev))>
                    <option value="">"(one panel)"</option>
                    {options(facet_names)}
                </select>
            </label>
            <label>"Niche column "
                <select data-testid="outline-by" prop:value=move || s.outline_col.get() on:change=move |ev| s.set_niche_col(event_target_value(&ev))>
                    <option value="">"(none)"</option>
                    {options(cat_names)}
                </select>
            </label>
            <label title="Niches as a ring around each point (outline) or as translucent regions over connected groups of a niche">"Niches "
                <select data-testid="niche-mode" prop:value=move || s.niche_mode.get().name()
                    on:change=move |ev| s.niche_mode.set(NicheMode::parse(&event_target_value(&ev)))>
                    {NicheMode::ALL.iter().map(|m| view! { <option value=m.name()>{m.name()}</option> }).collect::<Vec<_>>()}
                </select>
            </label>
            <label title="Spot or bead diameter from the file's metadata">
                <input type="checkbox" prop:disabled=!has_unit_size prop:checked=move || s.data_units.get()
                    on:change=move |ev| s.data_units.set(event_target_checked(&ev)) />
                {size_label}
            </label>
            <label>"point px "
                <input type="range" min="1" max="12" step="1" prop:value=move || s.size_px.get().to_string()
                    on:input=set_number(s.size_px) />
            </label>
        </div>
    }
}

#[component]
pub fn Toolbar(state: ViewerState) -> impl IntoView {
    let s = state;
    view! {
        <div class="viewer-toolbar">
            <button on:click=move |_| s.zoom_center(1.5) title="Zoom in">"+"</button>
            <button on:click=move |_| s.zoom_center(1.0 / 1.5) title="Zoom out">"−"</button>
            <button data-testid="fit" on:click=move |_| s.fit()>"Fit to data"</button>
            <button class:active=move || s.select_mode.get() data-testid="box-select" on:click=move |_| s.select_mode.update(|m| *m = !*m)>
                {move || if s.select_mode.get() { "Box select: on" } else { "Box select (or shift-drag)" }}
            </button>
            <button class:active=move || s.lasso_mode.get() data-testid="lasso-select" on:click=move |_| s.lasso_mode.update(|m| *m = !*m)>
                {move || if s.lasso_mode.get() { "Lasso: on" } else { "Lasso (or alt-drag)" }}
            </button>
            <ExportButtons state=s />
            // follows the parts of a large file as they arrive
            <span class="muted" data-testid="viewer-units">{move || units_text(s.row_count.get(), s.rows_total)}</span>
            // a picture of part of the points says so
            {move || match s.drawn.get() {
                Some(Drew::Sample { every, .. }) => Some(view! {
                    <span class="sample-note" data-testid="viewer-sample" data-every=every
                        title="Millions of points are drawn through tiles built after the file is read, or a sample of them in small multiples">
                        {format!("drawing one point in {every}")}
                    </span>
                }),
                _ => None,
            }}
        </div>
    }
}

/// The toolbar's count: "N units", or "N of M units" while a large file arrives in parts.
fn units_text(n: usize, total: usize) -> String {
    use sbx_data::synthetic::thousands;
    if n < total {
        format!("{} of {} units", thousands(n), thousands(total))
    } else {
        format!("{} units", thousands(n))
    }
}
