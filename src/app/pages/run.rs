use super::PageHeading;
use leptos::prelude::*;

#[component]
pub fn Run(id: String) -> impl IntoView {
    view! { <PageHeading title="Run" lede=format!("Run {id}") /> }
}
