//! The run page's findings panel: each failure class that applied to the
//! run, its verdict, the rule and reason, a link to the class's case study,
//! and each piece of evidence as a link that opens its step with the
//! excerpt highlighted.

use leptos::prelude::*;
use leptos::task::spawn_local;
use sbx_findings::{Finding, Verdict};
use sbx_suite::bundle::ManifestRun;

use super::client::run_findings;
use crate::corpus::highlight::snippet;
use crate::routes::{run_step_href, Route, StepTarget};

/// The badge of a verdict.
pub fn verdict_badge(v: Verdict) -> impl IntoView {
    view! { <span class=format!("fverdict {}", v.id())>{v.id()}</span> }
}

/// The link to the case study of a class, when it has one.
pub fn case_link(f: &Finding) -> Option<impl IntoView> {
    f.class.case_study().map(|id| {
        let href = Route::CaseStudy(id.to_string()).href();
        view! { <a class="case-link" href=href>"case study →"</a> }
    })
}

fn finding_view(suite: &str, run: &str, f: Finding) -> impl IntoView {
    let evidence = f
        .evidence
        .iter()
        .map(|e| {
            let href = run_step_href(
                suite,
                run,
                StepTarget {
                    step: e.step,
                    span: Some((e.start, e.end)),
                },
            );
            let (short, _) = snippet(&e.excerpt, 0, 0, 160);
            view! {
                <li>
                    <a class="evidence" href=href data-step=e.step.to_string()>
                        {format!("step {}", e.step + 1)}
                    </a>
                    " " <code>{short}</code>
                </li>
            }
        })
        .collect_view();
    view! {
        <li class="finding" data-class=f.class.id() data-verdict=f.verdict.id()>
            <div class="finding-head">
                {verdict_badge(f.verdict)} " " <strong>{f.class.label()}</strong>
                <span class="muted rule">{format!(" rule {}", f.rule)}</span>
                " " {case_link(&f)}
            </div>
            <p class="reason">{f.reason.clone()}</p>
            <ul class="evidence-list">{evidence}</ul>
        </li>
    }
}

#[component]
pub fn FindingsPanel(entry: ManifestRun) -> impl IntoView {
    let found = RwSignal::new(None::<Result<Vec<Finding>, String>>);
    let has_trajectory = entry.trajectory.is_some();
    if has_trajectory {
        let m = entry.clone();
        spawn_local(async move {
            let r = run_findings(&m).await.map(|r| r.findings);
            let _ = found.try_set(Some(r));
        });
    }
    let (suite, run) = (entry.summary.suite.clone(), entry.summary.id.clone());
    view! {
        <section class="card findings-panel" data-testid="findings-panel">
            <h2>"Findings"</h2>
            {move || {
                if !has_trajectory {
                    return view! { <p class="empty">"No trajectory, so nothing to check."</p> }.into_any();
                }
                match found.get() {
                    None => view! { <p class="loading">"Running the failure finder in a background worker…"</p> }.into_any(),
                    Some(Err(e)) => view! { <p class="notice error">{format!("The failure finder could not check this run: {e}")}</p> }.into_any(),
                    Some(Ok(f)) if f.is_empty() => view! {
                        <p class="empty" data-testid="no-findings">"None of the failure classes applies to this run's task and code."</p>
                    }.into_any(),
                    Some(Ok(f)) => {
                        let (s, r) = (suite.clone(), run.clone());
                        view! {
                            <ul class="findings">{f.into_iter().map(|f| finding_view(&s, &r, f)).collect_view()}</ul>
                            <p class="muted"><a href=Route::Findings.href()>"Counts per model →"</a></p>
                        }.into_any()
                    }
                }
            }}
        </section>
    }
}
