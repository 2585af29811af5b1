use super::PageHeading;
use leptos::prelude::*;

#[component]
pub fn Tasks() -> impl IntoView {
    view! {
        <PageHeading title="Tasks" lede="Every eval in the loaded suites, with filters and search." />
        <p class="empty">"No suite is loaded yet."</p>
    }
}

#[component]
pub fn Task(id: String) -> impl IntoView {
    view! {
        <PageHeading title="Task" lede=format!("Eval {id}") />
        <p class="empty">"This eval is not in the loaded suites."</p>
    }
}
