//! The side panel: the colour legend (categories, click to hide or isolate)
//! or the colour bar, and the niche legend. The entries come from
//! `crate::view::legend`, as the exports' do.

use super::state::ViewerState;
use crate::view::colors::{gradient_css, niche_palette};
use crate::view::legend::{legend_items, niche_legend_items, niche_title, LegendItem};
use crate::view::model::{legend_click, ColorChoice};
use leptos::prelude::*;

/// One clickable legend entry: a plain click hides or shows it, shift- or
/// alt-click shows only it. `hidden` is the list of hidden categories it toggles.
fn entry(item: LegendItem, hidden: RwSignal<Vec<bool>>, niche: bool) -> impl IntoView {
    let k = item.code;
    let is_hidden = move || hidden.with(|h| h.get(k).copied().unwrap_or(false));
    let title = if niche {
        "Click to hide or show this niche's regions; shift- or alt-click to show only this one"
    } else {
        "Click to hide or show; shift- or alt-click to show only this one"
    };
    let count = if niche {
        format!("{} regions", item.count)
    } else {
        item.count.to_string()
    };
    let (hex, label) = (item.hex, item.label);
    view! {
        <li class="legend-item" class:hidden=is_hidden data-category=label.clone() title=title
            on:click=move |ev: web_sys::MouseEvent| {
                let iso = ev.shift_key() || ev.alt_key();
                hidden.update(|h| legend_click(h, k, iso));
            }>
            <span class="swatch" class:niche-swatch=niche style:border-color=niche.then(|| hex.clone()) style:background-color=hex.clone()></span>
            <span class="legend-label">{label.clone()}</span>
            <span class="legend-count">{count}</span>
        </li>
    }
}

#[component]
pub fn Legend(state: ViewerState) -> impl IntoView {
    let s = state;
    // the counts follow the parts of a large file as they arrive (`row_count`)
    let legend = move || {
        s.row_count.track();
        match s.color() {
        ColorChoice::Categorical(i) => {
            // hidden entries are marked by their class, not by rebuilding the list
            let items = s.ds.with_value(|d| legend_items(d, &ColorChoice::Categorical(i), &[]));
            let items = items.into_iter().map(|it| entry(it, s.hidden, false)).collect::<Vec<_>>();
            view! { <ul class="legend viewer-legend" data-testid="viewer-legend">{items}</ul> }.into_any()
        }
        ColorChoice::Numeric(_) => view! {
            <div class="legend viewer-colorbar">
                <div class="colorbar" style:background-image=move || gradient_css(s.cmap.get())></div>
                <div class="colorbar-ends">
                    <span>{move || format!("{:.3}", s.vmin.get())}</span>
                    <span>{move || if s.log.get() { "log1p scale" } else { "linear" }}</span>
                    <span>{move || format!("{:.3}", s.vmax.get())}</span>
                </div>
            </div>
        }
        .into_any(),
        ColorChoice::None => ().into_any(),
    }
    };
    // the niche categories with their region colours, clickable like the main legend
    let niche_legend = move || {
        s.row_count.track();
        let l = s.layer.get()?;
        let cc = s.color().categorical();
        let (title, items) = s.ds.with_value(|d| {
            let pal = niche_palette(d, l.column, cc);
            (niche_title(d, &l), niche_legend_items(d, &l, &pal, &[]))
        });
        let items = items
            .into_iter()
            .map(|it| entry(it, s.niche_hidden, true))
            .collect::<Vec<_>>();
        Some(view! {
            <h4>{title}</h4>
            <ul class="legend viewer-legend niche-legend" data-testid="niche-legend">{items}</ul>
        })
    };
    view! {
        <div class="viewer-side">
            <h4>{move || s.color_col.get()}</h4>
            {legend}
            {niche_legend}
        </div>
    }
}
