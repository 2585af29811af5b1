//! The gene picker: every gene of a dataset's sparse expression, searched by name;
//! picking one decodes it (pure `crate::view::genes`) and colours the points by it.

use super::state::ViewerState;
use crate::view::genes::{gene_matches, gene_names, SHOWN};
use leptos::prelude::*;
use std::sync::Arc;

#[component]
pub fn GenePicker(state: ViewerState) -> impl IntoView {
    let s = state;
    let genes: Arc<Vec<String>> = Arc::new(s.ds.with_value(|d| gene_names(d)));
    let all = genes.len();
    if all == 0 {
        return ().into_any();
    }
    let query = RwSignal::new(String::new());
    let decoded = RwSignal::new(None::<f64>);
    let list = genes.clone();
    let matches = Memo::new(move |_| query.with(|q| gene_matches(&list, q, SHOWN)));
    let pick = move |ev: web_sys::Event| {
        let name = event_target_value(&ev);
        if !name.is_empty() {
            decoded.set(Some(s.show_gene(name)));
        }
    };
    let head = move || {
        matches.with(|(_, n)| {
            if *n > SHOWN {
                format!("{n} match; first {SHOWN} listed")
            } else {
                format!("{n} match")
            }
        })
    };
    let options = move || {
        matches.with(|(rows, _)| {
            rows.iter()
                .map(|&i| {
                    let (value, label) = (genes[i].clone(), genes[i].clone());
                    view! { <option value=value>{label}</option> }
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div class="viewer-controls filters gene-picker" data-testid="gene-picker">
            <label>{format!("Gene ({all}) ")}
                <input type="search" data-testid="gene-search" placeholder="search genes"
                    on:input=move |ev| query.set(event_target_value(&ev)) />
            </label>
            <select data-testid="gene-list" prop:value=move || s.color_col.get() on:change=pick>
                <option value="">{head}</option>
                {options}
            </select>
            <span class="muted" data-testid="gene-decode">{move || decoded.get().map(|ms| format!("decoded in {ms:.1} ms"))}</span>
        </div>
    }
    .into_any()
}
