//! Case studies: the index, and one page per failure class
//! (#/case-studies/<scenario id>), computed live in the browser.

use super::case_study;
use super::PageHeading;
use crate::app::findings::RealRuns;
use leptos::prelude::*;
use sbx_kernels::sim::ScenarioKind;

#[component]
pub fn CaseStudies() -> impl IntoView {
    view! {
        <PageHeading title="Case studies" lede="Five recurring failure classes, reproduced live on simulated data." />
        <p class="notice">"Every case study runs on simulated data of the published design, generated in this page by the project's \
            seeded simulator and analysed by its kernels compiled to WebAssembly. The published tasks' real data are withheld upstream."</p>
        <div class="case-index">
            {ScenarioKind::ALL.iter().map(|k| view! {
                <a class="card case-card" href=format!("#/case-studies/{}", k.id()) data-testid=format!("case-{}", k.id())>
                    <h3>{case_study::common::title(*k)}</h3>
                    <p>{case_study::common::summary(*k)}</p>
                    <p class="muted">{case_study::common::published(*k).into_iter().find(|p| p.0 == "Published right answer").map(|p| format!("Published right answer: {}", p.1))}</p>
                </a>
            }).collect::<Vec<_>>()}
        </div>
    }
}

#[component]
pub fn CaseStudy(id: String) -> impl IntoView {
    match ScenarioKind::ALL.iter().copied().find(|k| k.id() == id) {
        Some(kind) => view! {
            <case_study::CasePage kind=kind />
            <RealRuns case_id=id.clone() />
        }
        .into_any(),
        None => view! {
            <PageHeading title="Case study" lede="Unknown case study" />
            <p class="notice">"There is no case study " <code>{id}</code> ". " <a href="#/case-studies">"See all case studies."</a></p>
        }
        .into_any(),
    }
}
