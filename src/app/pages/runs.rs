use super::PageHeading;
use leptos::prelude::*;

#[component]
pub fn Runs() -> impl IntoView {
    view! { <PageHeading title="Runs" lede="Agent runs: answers, verdicts and trajectories." /> }
}
