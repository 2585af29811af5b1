//! One module per page. `page_for` maps a route to its page component.

use crate::routes::Route;
use leptos::prelude::*;

mod about;
mod case_studies;
mod case_study;
mod compare;
mod dataset_index;
mod datasets;
mod findings;
mod overview;
mod real_panels;
mod regrade;
mod results;
mod run;
mod runs;
mod search;
mod speed;
mod task;
mod tasks;

/// A case page's side by side and its verdicts, mounted alone by the component tests.
pub use case_study::{common as case_common, pseudoreplication as case_pseudoreplication};

pub fn page_for(route: Route) -> AnyView {
    match route {
        Route::Overview => view! { <overview::Overview /> }.into_any(),
        Route::Tasks => view! { <tasks::Tasks /> }.into_any(),
        Route::Task(id) => view! { <task::Task id=id /> }.into_any(),
        Route::Runs => view! { <runs::Runs /> }.into_any(),
        Route::Run(id) => view! { <run::Run id=id /> }.into_any(),
        Route::Results => view! { <results::Results /> }.into_any(),
        Route::Regrade(id) => view! { <regrade::Regrade id=id /> }.into_any(),
        Route::Compare => view! { <compare::Compare /> }.into_any(),
        Route::Datasets => view! { <datasets::Datasets /> }.into_any(),
        Route::CaseStudies => view! { <case_studies::CaseStudies /> }.into_any(),
        Route::CaseStudy(id) => view! { <case_studies::CaseStudy id=id /> }.into_any(),
        Route::Findings => view! { <findings::Findings /> }.into_any(),
        Route::Search => view! { <search::Search /> }.into_any(),
        Route::About => view! { <about::About /> }.into_any(),
        Route::NotFound(path) => view! {
            <section class="not-found">
                <h1>"Page not found"</h1>
                <p>"There is no page at " <code>{path}</code> ". "
                   <a href="#/">"Go to the overview."</a></p>
            </section>
        }
        .into_any(),
    }
}

/// The standard page heading with a one-line description.
#[component]
pub fn PageHeading(title: &'static str, #[prop(into)] lede: String) -> impl IntoView {
    view! {
        <div class="page-heading" data-page=title>
            <h1>{title}</h1>
            <p class="lede">{lede}</p>
        </div>
    }
}
