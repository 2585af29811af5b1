//! Page chrome: the header with navigation, the error panel and the footer.

use super::state::AppState;
use crate::routes::{Location, Route};
use leptos::prelude::*;

const NAV: &[(&str, &str, Route)] = &[
    ("overview", "Overview", Route::Overview),
    ("tasks", "Tasks", Route::Tasks),
    ("results", "Results", Route::Results),
    ("runs", "Runs", Route::Runs),
    ("datasets", "Datasets", Route::Datasets),
    ("case-studies", "Case studies", Route::CaseStudies),
    ("findings", "Findings", Route::Findings),
    ("search", "Search", Route::Search),
    ("about", "About", Route::About),
];

#[component]
pub fn Header(location: ReadSignal<Location>) -> impl IntoView {
    view! {
        <header class="site-header">
            <a class="brand" href="#/">
                <img src="favicon.svg" alt="" width="24" height="24" />
                <span>"SpatialBench Explorer"</span>
            </a>
            <nav aria-label="Main">
                <ul>
                    {NAV
                        .iter()
                        .map(|(section, label, route)| {
                            let section = *section;
                            let active = move || location.get().route.section() == section;
                            view! {
                                <li>
                                    <a
                                        href=route.href()
                                        class:active=active
                                        aria-current=move || if active() { Some("page") } else { None }
                                        data-nav=section
                                    >
                                        {*label}
                                    </a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </nav>
        </header>
    }
}

/// Non-fatal errors (a file that did not load, a bad config) stay visible
/// until dismissed; the rest of the page keeps working.
#[component]
pub fn ErrorPanel() -> impl IntoView {
    let state = AppState::get();
    view! {
        <Show when=move || !state.errors.get().is_empty()>
            <section class="error-panel" role="alert" aria-live="polite">
                <button class="dismiss" on:click=move |_| state.errors.set(Vec::new())>"Dismiss"</button>
                <ul>
                    {move || {
                        state.errors.get().into_iter().map(|e| view! { <li>{e}</li> }).collect_view()
                    }}
                </ul>
            </section>
        </Show>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <span>"SpatialBench Explorer v" {crate::VERSION}</span>
            <span>" · runs entirely in your browser; nothing is uploaded."</span>
        </footer>
    }
}
