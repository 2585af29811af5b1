use super::PageHeading;
use leptos::prelude::*;

#[component]
pub fn Runs() -> impl IntoView {
    view! { <PageHeading title="Runs" lede="Agent runs: answers, verdicts and trajectories." /> }
}

#[component]
pub fn Run(id: String) -> impl IntoView {
    view! { <PageHeading title="Run" lede=format!("Run {id}") /> }
}

#[component]
pub fn Results() -> impl IntoView {
    view! { <PageHeading title="Results" lede="Accuracy per model with 95% confidence intervals." /> }
}

#[component]
pub fn Regrade(id: String) -> impl IntoView {
    view! { <PageHeading title="Regrade" lede=format!("Regrade answers for eval {id}") /> }
}

#[component]
pub fn Compare() -> impl IntoView {
    view! { <PageHeading title="Compare" lede="Two models on the evals both ran." /> }
}
