//! One case study page: the simulated scenario is built and analysed in the data
//! worker (`crate::worker::case`), so the page stays responsive; the page shows what is
//! being computed, then the class's wrong and right analysis (one module per class).

mod batch;
pub mod common;
mod confirm;
mod niches;
mod normalization;
mod plots;
pub mod pseudoreplication;
pub mod side;
mod spatial_units;
mod state;

use super::PageHeading;
use crate::worker::client::case::{always, dataset_in_steps, CaseClient, Client};
use crate::worker::protocol::{Analysis, TissueInfo};
use common::{published, summary, title};
use leptos::prelude::*;
use leptos::task::spawn_local;
use sbx_data::Dataset;
use sbx_kernels::sim::ScenarioKind;
use std::rc::Rc;
use std::sync::Arc;

/// What the worker said about the simulated scenario.
#[derive(Clone)]
pub struct Tissue {
    pub description: String,
    pub build_ms: f64,
    /// Shown from the answers kept since an earlier visit (nothing simulated now).
    pub kept: bool,
    /// The tissue for the Viewer (not fetched by the spatial-units page, which
    /// shows bead maps instead).
    pub dataset: Option<Arc<Dataset>>,
}

#[component]
pub fn CasePage(kind: ScenarioKind) -> impl IntoView {
    let progress = RwSignal::new(None::<String>);
    let client: Client = StoredValue::new_local(Rc::new(CaseClient::new(
        kind,
        crate::demo::DEFAULT_SEED,
        progress,
    )));
    // Cleanups run before the page's values are dropped, so the client is still there.
    on_cleanup(move || {
        let _ = client.try_with_value(|c| c.shutdown());
    });
    let tissue = RwSignal::new(None::<Tissue>);
    let c = client.get_value();
    spawn_local(async move {
        c.load_precomputed().await;
        let with_dataset = kind != ScenarioKind::SpatialUnits;
        let step = "simulating the tissue (in a background worker)";
        if let Some(got) = c
            .run::<TissueInfo>(
                step,
                Analysis::Tissue {
                    dataset: with_dataset,
                },
                always,
                None,
            )
            .await
        {
            let dataset = if with_dataset {
                dataset_in_steps(got.bytes, "the tissue").await
            } else {
                None
            };
            tissue.set(Some(Tissue {
                description: got.answer.description,
                // A precomputed tissue (ms NaN) was not simulated in this browser yet.
                build_ms: if got.ms.is_nan() {
                    f64::NAN
                } else {
                    got.answer.build_ms
                },
                kept: got.kept,
                dataset,
            }));
        }
    });
    let build_ms = Signal::derive(move || tissue.with(|t| t.as_ref().map(|t| t.build_ms)));
    let kept = Signal::derive(move || tissue.with(|t| t.as_ref().is_some_and(|t| t.kept)));
    view! {
        <PageHeading title="Case study" lede=title(kind) />
        <p class="case-back"><a href="#/case-studies">"← All case studies"</a></p>
        <div class="simulated-banner" data-testid="simulated-notice">
            <strong>"Simulated data. "</strong>
            "This tissue is generated in your browser by the project's seeded simulator (seed "
            {crate::demo::DEFAULT_SEED} "), with the published study's design; it is not the real data. "
            {move || tissue.with(|t| t.as_ref().map(|t| format!("What was built in: {}", t.description)))}
        </div>
        <p class="lede">{summary(kind)}</p>
        <section class="card published" data-testid="published">
            <h2>"What the review published"</h2>
            <dl>
                {published(kind).into_iter().map(|(k, v)| view! { <dt>{k}</dt><dd>{v}</dd> }).collect::<Vec<_>>()}
            </dl>
        </section>
        <confirm::Confirmation client=client />
        {move || progress.get().map(|p| view! {
            <p class="case-computing" data-testid="computing" role="status">"Computing… " {p}</p>
        })}
        {move || tissue.get().map(|t| match kind {
            ScenarioKind::Pseudoreplication => view! { <pseudoreplication::Case client=client tissue=t /> }.into_any(),
            ScenarioKind::Normalization => view! { <normalization::Case client=client tissue=t /> }.into_any(),
            ScenarioKind::BatchIntegration => view! { <batch::Case client=client tissue=t /> }.into_any(),
            ScenarioKind::SpatialUnits => view! { <spatial_units::Case client=client /> }.into_any(),
            ScenarioKind::NicheDiscovery => view! { <niches::Case client=client tissue=t /> }.into_any(),
        })}
        <details class="performance" data-testid="case-performance">
            <summary>"Performance"</summary>
            <p>"Simulating the scenario (in the worker): " <span data-testid="build-ms" data-value=move || build_ms.get().map(|v| format!("{v:.1}")).unwrap_or_default()>
                {move || build_ms.get().filter(|v| v.is_finite()).map(|v| format!("{v:.0} ms")).unwrap_or_else(|| "precomputed".into())}</span>
                {move || kept.get().then_some(view! { <span data-testid="kept">" (on an earlier visit: the answers were kept, nothing was computed again)"</span> })}</p>
        </details>
    }
}

/// A timing line, for the case's own analyses (measured in the worker).
#[component]
pub fn Timing(
    #[prop(into)] testid: String,
    #[prop(into)] label: String,
    ms: RwSignal<Option<f64>>,
) -> impl IntoView {
    view! {
        <p class="muted timing">{label}": "
            <span data-testid=testid data-value=move || ms.get().map(|v| format!("{v:.1}")).unwrap_or_default()>
                {move || ms.get().map(|v| format!("{v:.0} ms")).unwrap_or_else(|| "computing…".into())}
            </span>
        </p>
    }
}
