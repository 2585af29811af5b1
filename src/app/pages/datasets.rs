use super::PageHeading;
use leptos::prelude::*;

#[component]
pub fn Datasets() -> impl IntoView {
    view! {
        <PageHeading title="Datasets" lede="Downsampled spatial datasets: cells, spots, beads and niches." />
        <p class="empty">"No dataset is loaded yet."</p>
    }
}
