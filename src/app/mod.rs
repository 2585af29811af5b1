//! The browser UI (wasm32 only): a Leptos client-side app. It reads state from
//! the core crates and draws it; it owns no analysis or grading logic.

use leptos::prelude::*;

pub(crate) mod decode;
mod download;
pub mod explorer;
pub(crate) mod fetch;
mod findings;
mod layout;
mod pages;
mod panic;
mod router;
pub(crate) mod state;
pub mod viewer;

pub use pages::{case_common, case_pseudoreplication};

pub use router::use_location;
pub use state::{AppState, LoadState};

/// Mounts the app on `<body>`. Called by `main` in the browser.
pub fn mount() {
    panic::install();
    leptos::mount::mount_to_body(App);
}

/// The whole app: shared state, the page chrome and the page for the current
/// address.
#[component]
pub fn App() -> impl IntoView {
    let location = router::provide_location();
    let state = AppState::provide();
    state.load_default_bundle();
    // Pages re-mount only when the page changes, not when its query (filters) does.
    let route = Memo::new(move |_| location.get().route);
    view! {
        <layout::Header location=location />
        <layout::ErrorPanel />
        <main id="page" class="page">
            {move || pages::page_for(route.get())}
        </main>
        <layout::Footer />
    }
}
