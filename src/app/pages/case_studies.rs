use super::PageHeading;
use leptos::prelude::*;

#[component]
pub fn CaseStudies() -> impl IntoView {
    view! {
        <PageHeading title="Case studies" lede="Five recurring failure classes, reproduced live on simulated data." />
        <p class="empty">"Case studies are being prepared."</p>
    }
}

#[component]
pub fn CaseStudy(id: String) -> impl IntoView {
    view! {
        <PageHeading title="Case study" lede=format!("Case study {id}") />
    }
}
