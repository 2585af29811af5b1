//! Routing on the URL fragment (see `crate::routes` for why). The current
//! location is a signal that follows `hashchange`.

use crate::routes::Location;
use leptos::prelude::*;

fn current() -> Location {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    Location::parse(&hash)
}

/// Puts the location signal in context and keeps it in step with the URL.
pub fn provide_location() -> ReadSignal<Location> {
    let (location, set_location) = signal(current());
    let handle = window_event_listener(leptos::ev::hashchange, move |_| {
        let next = current();
        let new_page = location.get_untracked().route != next.route;
        set_location.set(next);
        if new_page {
            if let Some(w) = web_sys::window() {
                w.scroll_to_with_x_and_y(0.0, 0.0);
            }
        }
    });
    on_cleanup(move || handle.remove());
    provide_context(location);
    location
}

/// The current location, for any component under `App`.
pub fn use_location() -> ReadSignal<Location> {
    expect_context::<ReadSignal<Location>>()
}

/// Replaces the query of the current page without adding a history entry, so
/// filter changes are shareable links but do not flood the back button.
pub fn replace_query(query: Vec<(String, String)>) {
    let loc = Location {
        route: use_location().get_untracked().route,
        query,
    };
    if let Some(w) = web_sys::window() {
        if let Ok(history) = w.history() {
            let _ =
                history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&loc.href()));
            let _ = w.dispatch_event(&web_sys::Event::new("hashchange").expect("event"));
        }
    }
}
