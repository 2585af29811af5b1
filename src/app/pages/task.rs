use super::PageHeading;
use leptos::prelude::*;

#[component]
pub fn Task(id: String) -> impl IntoView {
    view! {
        <PageHeading title="Task" lede=format!("Eval {id}") />
        <p class="empty">"This eval is not in the loaded suites."</p>
    }
}
