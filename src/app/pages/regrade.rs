use super::PageHeading;
use leptos::prelude::*;

#[component]
pub fn Regrade(id: String) -> impl IntoView {
    view! { <PageHeading title="Regrade" lede=format!("Regrade answers for eval {id}") /> }
}
