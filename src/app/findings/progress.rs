//! How far the failure finder has got through the loaded trajectories.

use leptos::prelude::*;

use super::client::status;

/// A progress bar while trajectories are being checked, then a one-line
/// summary (runs checked, the finder's time per trajectory in the worker).
#[component]
pub fn CorpusProgress() -> impl IntoView {
    let st = status();
    move || {
        st.with(|s| {
            if !s.started {
                return None;
            }
            let (done, total) = (s.done, s.total);
            let failed = s.failed.len();
            Some(if s.finished {
                let per = s.detect_ms_per_run();
                view! {
                    <p class="corpus-status muted" data-testid="corpus-done" data-runs=done.to_string()
                       data-detect-ms=per.map(|v| format!("{v:.3}")).unwrap_or_default()>
                        {format!("{done} trajectories checked in a background worker")}
                        {per.map(|v| format!(" (failure finder: {v:.1} ms per trajectory)"))}
                        {(failed > 0).then(|| format!("; {failed} could not be read (see the error panel)"))}
                    </p>
                }
                .into_any()
            } else {
                view! {
                    <div class="disk-progress corpus-progress" data-testid="corpus-progress" role="status">
                        <progress max=total.max(1).to_string() value=done.to_string()></progress>
                        <span class="status">{format!("Checking trajectories in a background worker: {done} of {total}")}</span>
                    </div>
                }
                .into_any()
            })
        })
    }
}
