//! One case study page: builds the simulated scenario in the page, then
//! shows the class's wrong and right analysis (one module per class).

pub mod common;
mod batch;
mod niches;
mod normalization;
mod plots;
mod pseudoreplication;
mod spatial_units;

use super::PageHeading;
use common::*;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sbx_kernels::sim::{build, Scenario, ScenarioKind};
use std::sync::Arc;

#[component]
pub fn CasePage(kind: ScenarioKind) -> impl IntoView {
    let scenario = RwSignal::new(None::<Arc<Scenario>>);
    let build_ms = RwSignal::new(None::<f64>);
    spawn_local(async move {
        yield_now().await;
        let t0 = now_ms();
        let s = build(kind, crate::demo::DEFAULT_SEED);
        build_ms.set(Some(now_ms() - t0));
        scenario.set(Some(Arc::new(s)));
    });
    view! {
        <PageHeading title="Case study" lede=title(kind) />
        <p class="case-back"><a href="#/case-studies">"← All case studies"</a></p>
        <div class="simulated-banner" data-testid="simulated-notice">
            <strong>"Simulated data. "</strong>
            "This tissue is generated in your browser by the project's seeded simulator (seed "
            {crate::demo::DEFAULT_SEED} "), with the published study's design; it is not the real data. "
            {move || scenario.get().map(|s| format!("What was built in: {}", s.description))}
        </div>
        <p class="lede">{summary(kind)}</p>
        <section class="card published" data-testid="published">
            <h2>"What the review published"</h2>
            <dl>
                {published(kind).into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect::<Vec<_>>()}
            </dl>
        </section>
        {move || match scenario.get() {
            None => view! { <p class="progress" data-testid="computing">"Computing… building the simulated tissue in WebAssembly."</p> }.into_any(),
            Some(s) => match kind {
                ScenarioKind::Pseudoreplication => view! { <pseudoreplication::Case s=s /> }.into_any(),
                ScenarioKind::Normalization => view! { <normalization::Case s=s /> }.into_any(),
                ScenarioKind::BatchIntegration => view! { <batch::Case s=s /> }.into_any(),
                ScenarioKind::SpatialUnits => view! { <spatial_units::Case s=s /> }.into_any(),
                ScenarioKind::NicheDiscovery => view! { <niches::Case s=s /> }.into_any(),
            },
        }}
        <details class="performance" data-testid="case-performance">
            <summary>"Performance"</summary>
            <p>"Simulating the scenario: " <span data-testid="build-ms" data-value=move || build_ms.get().map(|v| format!("{v:.1}")).unwrap_or_default()>
                {move || build_ms.get().map(|v| format!("{v:.0} ms")).unwrap_or_else(|| "…".into())}</span></p>
        </details>
    }
}

/// Reports an analysis error in the error panel and returns None.
pub fn ok<T>(r: Result<T, String>, what: &str) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(e) => {
            crate::app::state::AppState::get().report(format!("{what}: {e}"));
            None
        }
    }
}

/// A timing line, for the case's own analyses.
#[component]
pub fn Timing(#[prop(into)] testid: String, #[prop(into)] label: String, ms: RwSignal<Option<f64>>) -> impl IntoView {
    view! {
        <p class="muted timing">{label}": "
            <span data-testid=testid data-value=move || ms.get().map(|v| format!("{v:.1}")).unwrap_or_default()>
                {move || ms.get().map(|v| format!("{v:.0} ms")).unwrap_or_else(|| "computing…".into())}
            </span>
        </p>
    }
}
