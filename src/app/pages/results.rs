use super::PageHeading;
use leptos::prelude::*;

#[component]
pub fn Results() -> impl IntoView {
    view! { <PageHeading title="Results" lede="Accuracy per model with 95% confidence intervals." /> }
}
