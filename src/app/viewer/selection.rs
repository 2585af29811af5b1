//! The selected units: their count, the first rows as a table, CSV export
//! and clearing.

use super::state::{report, ViewerState};
use crate::app::download::download_text;
use crate::view::csv::selection_csv;
use crate::view::format::{selection_table, SELECTION_ROWS_SHOWN};
use leptos::prelude::*;

fn export_csv(s: ViewerState) {
    let csv =
        s.ds.with_value(|d| s.selection.with_untracked(|rows| selection_csv(d, rows)));
    if let Err(e) = download_text("selection.csv", "text/csv", &csv) {
        report(format!("CSV export failed: {e}"));
    }
}

#[component]
pub fn Selection(state: ViewerState) -> impl IntoView {
    let s = state;
    move || {
        let rows = s.selection.get();
        if rows.is_empty() {
            return None;
        }
        let (head, body) = s.ds.with_value(|d| selection_table(d, &rows));
        let n = rows.len();
        Some(view! {
            <div class="viewer-selection card">
                <p>
                    <strong data-testid="selection-count" data-value=n.to_string()>{n}</strong>
                    " units selected"
                    {(n > SELECTION_ROWS_SHOWN).then_some(" (first 100 shown)")}" "
                    <button on:click=move |_| export_csv(s)>"Export CSV"</button>" "
                    <button on:click=move |_| s.selection.set(Vec::new())>"Clear"</button>
                </p>
                <div class="table-scroll">
                    <table class="data">
                        <thead><tr>{head.into_iter().map(|h| view! { <th>{h}</th> }).collect::<Vec<_>>()}</tr></thead>
                        <tbody>{body.into_iter().map(|r| view! { <tr>{r.into_iter().map(|c| view! { <td>{c}</td> }).collect::<Vec<_>>()}</tr> }).collect::<Vec<_>>()}</tbody>
                    </table>
                </div>
            </div>
        })
    }
}
