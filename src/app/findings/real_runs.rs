//! A case study's real runs: the loaded runs whose trajectory committed the
//! case's failure class, each opening the step of its first evidence.

use leptos::prelude::*;
use sbx_findings::{FailureClass, Verdict};

use super::client::{ensure_loaded, status};
use super::{runs_filter_href, CorpusProgress};
use crate::app::explorer::table::verdict_view;
use crate::app::state::AppState;
use crate::routes::{run_step_href, StepTarget};

#[component]
pub fn RealRuns(case_id: String) -> impl IntoView {
    let classes: Vec<FailureClass> = FailureClass::ALL
        .into_iter()
        .filter(|c| c.case_study() == Some(case_id.as_str()))
        .collect();
    let Some(&class) = classes.first() else {
        return ().into_any();
    };
    let state = AppState::get();
    Effect::new(move |_| {
        state.bundles.track();
        state.manifest.track();
        ensure_loaded();
    });
    let st = status();
    let rows = move || {
        st.with(|s| {
            s.runs
                .iter()
                .filter_map(|r| {
                    let f = r
                        .findings
                        .iter()
                        .find(|f| f.class == class && f.verdict == Verdict::Committed)?;
                    Some((r.run.clone(), f.clone()))
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <section class="card real-runs" data-testid="real-runs" data-class=class.id()>
            <h2>"Real runs that made this mistake"</h2>
            <p class="muted">{format!("Agent trajectories of the loaded suites in which the failure finder found “{}” committed. ", class.label())}
                <a href=runs_filter_href(&[("class", class.id()), ("finding", "committed")])>"All of them in the runs list →"</a></p>
            <CorpusProgress />
            {move || {
                let rows = rows();
                let done = st.with(|s| s.finished);
                if rows.is_empty() {
                    return view! { <p class="empty">{if done { "No loaded run committed it." } else { "None found yet…" }}</p> }.into_any();
                }
                view! {
                    <ul class="real-run-list">
                        {rows.into_iter().map(|(r, f)| {
                            let target = StepTarget {
                                step: f.evidence.first().map_or(0, |e| e.step),
                                span: f.evidence.first().map(|e| (e.start, e.end)),
                            };
                            let href = run_step_href(&r.suite, &r.id, target);
                            view! {
                                <li class="real-run" data-run=r.id.clone()>
                                    <a class="real-run-link" href=href>{format!("{} · {} / {} r{}", r.eval_id, r.model, r.harness, r.run_index)}</a>
                                    " " {verdict_view(r.passed, false)}
                                    <p class="reason">{f.reason.clone()}</p>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
    .into_any()
}
