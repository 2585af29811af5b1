use super::PageHeading;
use leptos::prelude::*;

#[component]
pub fn Compare() -> impl IntoView {
    view! { <PageHeading title="Compare" lede="Two models on the evals both ran." /> }
}
