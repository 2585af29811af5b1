use super::PageHeading;
use crate::app::state::{AppState, LoadState};
use leptos::prelude::*;

#[component]
pub fn Overview() -> impl IntoView {
    let state = AppState::get();
    view! {
        <PageHeading title="Overview" lede="SpatialBench tasks, graded runs, datasets and failure case studies, explored and regraded in your browser." />
        {move || match state.manifest.get() {
            LoadState::Loading => view! { <p class="loading">"Loading the built-in bundle…"</p> }.into_any(),
            LoadState::Failed(e) => view! {
                <p class="empty">"No bundle is loaded (" {e} "). Open a benchmark folder on the Tasks page."</p>
            }.into_any(),
            LoadState::Ready(m) => view! {
                <div class="stat-cards">
                    <div class="stat-card" data-stat="suites"><span class="n">{m.suites.len()}</span><span>"suites"</span></div>
                    <div class="stat-card" data-stat="evals"><span class="n">{m.evals}</span><span>"evals"</span></div>
                    <div class="stat-card" data-stat="runs"><span class="n">{m.runs}</span><span>"runs"</span></div>
                    <div class="stat-card" data-stat="datasets"><span class="n">{m.datasets}</span><span>"datasets"</span></div>
                </div>
                <ul class="suite-list">
                    {m.suites.into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}
                </ul>
            }.into_any(),
        }}
    }
}
