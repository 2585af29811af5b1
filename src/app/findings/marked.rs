//! Text with character spans shown as `<mark>`: a finding's excerpt in its
//! step, a search match in its snippet.

use leptos::prelude::*;

use crate::corpus::highlight::split_marked;

/// `text` with `spans` (character offsets, end exclusive) marked.
#[component]
pub fn Marked(#[prop(into)] text: String, spans: Vec<(usize, usize)>) -> impl IntoView {
    split_marked(&text, &spans)
        .into_iter()
        .map(|p| {
            if p.marked {
                view! { <mark>{p.text}</mark> }.into_any()
            } else {
                p.text.into_any()
            }
        })
        .collect_view()
}
