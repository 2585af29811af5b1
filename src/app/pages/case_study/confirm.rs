//! The notice over a case page's results: they were precomputed at build time by the
//! same kernels, and the worker is recomputing them live; then "identical", or, loudly,
//! which answers came out different.

use crate::worker::client::case::Client;
use leptos::prelude::*;

#[component]
pub fn Confirmation(client: Client) -> impl IntoView {
    let confirm = client.with_value(|c| c.confirm);
    move || {
        let c = confirm.get();
        if c.shown == 0 {
            return None;
        }
        let seed = crate::demo::DEFAULT_SEED;
        let (state, class, text) = if !c.different.is_empty() {
            (
                "different",
                "confirm confirm-different",
                format!(
                    "Recomputed in your browser: DIFFERENT from the precomputed answers ({}). The numbers shown are the build's; the same kernels on the same seed must give the same floats, so this is a bug.",
                    c.different.join("; ")
                ),
            )
        } else if c.done() {
            (
                "identical",
                "confirm confirm-identical",
                format!("Precomputed at build time (seed {seed}), then recomputed in your browser: identical ({} answers, every number and map byte).", c.shown),
            )
        } else {
            (
                "precomputed",
                "confirm",
                format!("Precomputed at build time by the same kernels (seed {seed}); recomputing in your browser… {} of {} confirmed.", c.identical, c.shown),
            )
        };
        Some(
            view! { <p class=class data-testid="case-confirm" data-state=state role="status">{text}</p> },
        )
    }
}
