use super::PageHeading;
use leptos::prelude::*;

#[component]
pub fn Tasks() -> impl IntoView {
    view! {
        <PageHeading title="Tasks" lede="Every eval in the loaded suites, with filters and search." />
        <p class="empty">"No suite is loaded yet."</p>
    }
}
