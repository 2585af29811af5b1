use std::sync::Arc;

use super::PageHeading;
use crate::app::explorer::data::{eval_of, run_of, steps_of};
use crate::app::explorer::grading::{eval_value, grade_run, original_grader_text, LiveVerdict};
use crate::app::explorer::table::verdict_view;
use crate::app::explorer::{regrade_href, task_href};
use crate::app::findings::{FindingsPanel, Marked};
use crate::app::router::use_location;
use crate::app::state::AppState;
use crate::routes::StepTarget;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sbx_suite::{Run as RunData, Step};

/// Tool outputs longer than this are cut, with a button to show all.
const TRUNCATE_CHARS: usize = 2000;

fn truncated(text: &str) -> Option<String> {
    text.char_indices()
        .nth(TRUNCATE_CHARS)
        .map(|(i, _)| text[..i].to_string())
}

/// A long text shown cut, with a button to expand it.
#[component]
fn LongText(text: String) -> impl IntoView {
    let expanded = RwSignal::new(false);
    match truncated(&text) {
        None => view! { <pre class="out">{text}</pre> }.into_any(),
        Some(cut) => {
            let total = text.chars().count();
            view! {
                <pre class="out" class:truncated=move || !expanded.get()>
                    {move || if expanded.get() { text.clone() } else { format!("{cut}…") }}
                </pre>
                <button class="secondary expand" on:click=move |_| expanded.update(|e| *e = !*e)>
                    {move || if expanded.get() { "Show less".to_string() } else { format!("Show all {total} characters") }}
                </button>
            }
            .into_any()
        }
    }
}

/// A step opened from a finding or a search hit: its whole text (as the
/// finder and the search read it) with the span marked, and its output open.
fn target_view(i: usize, s: &Step, span: Option<(usize, usize)>) -> AnyView {
    let kind = s.kind();
    let text = sbx_findings::step_text(s).into_owned();
    let spans: Vec<(usize, usize)> = span.into_iter().collect();
    let head = match s {
        Step::Message { role, .. } => format!("{}. {role}", i + 1),
        Step::ToolCall { name, .. } => format!("{}. tool call: {name}", i + 1),
        Step::ToolOutput { is_error, .. } => {
            format!(
                "{}. tool output{}",
                i + 1,
                if *is_error { ", error" } else { "" }
            )
        }
        Step::FinalAnswer { .. } => format!("{}. final answer", i + 1),
        Step::Unknown { .. } => format!("{}. event of an unknown kind (kept raw)", i + 1),
    };
    view! {
        <li class=format!("step kind-{kind} targeted") data-kind=kind id=format!("step-{i}") data-testid="target-step">
            <div class="head">{head}</div>
            <div class="body"><pre class="out"><Marked text=text spans=spans /></pre></div>
        </li>
    }
    .into_any()
}

/// Scrolls the opened step's highlight (or the step) into view once drawn.
fn scroll_to_step(i: usize) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let el = doc
        .query_selector(&format!("#step-{i} mark"))
        .ok()
        .flatten()
        .or_else(|| doc.get_element_by_id(&format!("step-{i}")));
    if let Some(el) = el {
        el.scroll_into_view_with_bool(true);
    }
}

fn step_view(i: usize, s: Step) -> impl IntoView {
    let kind = s.kind();
    let class = format!("step kind-{kind}");
    let id = format!("step-{i}");
    match s {
        Step::Message { role, text } => view! {
            <li class=class id=id.clone() data-kind=kind>
                <div class="head">{format!("{}. {role}", i + 1)}</div>
                <div class="body"><LongText text=text /></div>
            </li>
        }
        .into_any(),
        Step::ToolCall { name, input, .. } => view! {
            <li class=class id=id.clone() data-kind=kind>
                <div class="head">{format!("{}. tool call: {name}", i + 1)}</div>
                <div class="body"><pre class="command">{input}</pre></div>
            </li>
        }
        .into_any(),
        Step::ToolOutput { text, is_error, .. } => {
            let n = text.chars().count();
            view! {
                <li class=class id=id.clone() data-kind=kind class:error=is_error>
                    <details class="tool-output">
                        <summary class="head">{format!("{}. tool output{} ({n} characters)", i + 1, if is_error { ", error" } else { "" })}</summary>
                        <div class="body"><LongText text=text /></div>
                    </details>
                </li>
            }
            .into_any()
        }
        Step::FinalAnswer { text } => view! {
            <li class=class id=id.clone() data-kind=kind>
                <div class="head">{format!("{}. final answer", i + 1)}</div>
                <div class="body"><pre class="answer">{text}</pre></div>
            </li>
        }
        .into_any(),
        Step::Unknown { raw } => view! {
            <li class=class id=id.clone() data-kind=kind>
                <details>
                    <summary class="head">{format!("{}. event of an unknown kind (kept raw)", i + 1)}</summary>
                    <div class="body"><LongText text=serde_json::to_string_pretty(&raw).unwrap_or_default() /></div>
                </details>
            </li>
        }
        .into_any(),
    }
}

fn live_view(recorded: Option<bool>, live: &LiveVerdict) -> impl IntoView {
    let differs = recorded.is_some_and(|r| r != live.passed);
    view! {
        <div class="live-verdict" data-live=if live.passed { "pass" } else { "fail" } data-differs=differs.to_string()>
            <p>
                "Live verdict: " {verdict_view(Some(live.passed), differs)} {format!(" score {:.4}", live.score)}
                {differs.then(|| view! { <strong class="differs-note">" — differs from the recorded verdict"</strong> })}
                {(!differs && recorded.is_some()).then(|| view! { <span class="agrees">" — agrees with the recorded verdict"</span> })}
            </p>
            {live.note.clone().map(|n| view! { <p class="notice">{n}</p> })}
            {live.reasoning.iter().map(|r| view! { <pre class="reasoning live">{r.clone()}</pre> }).collect_view()}
        </div>
    }
}

#[component]
pub fn Run(id: String) -> impl IntoView {
    let state = AppState::get();
    let suite_param = use_location()
        .get_untracked()
        .param("suite")
        .map(str::to_string);
    let entry = {
        let (id, sp) = (id.clone(), suite_param);
        Memo::new(move |_| state.find_run(&id, sp.as_deref()))
    };
    let run = RwSignal::new(None::<Result<RunData, String>>);
    let steps = RwSignal::new(None::<Result<Option<Arc<Vec<Step>>>, String>>);
    let live = RwSignal::new(None::<Result<Option<LiveVerdict>, String>>);
    // The step to open (from a finding's evidence or a search hit); follows the
    // address, since following such a link keeps the same page mounted.
    let location = use_location();
    let target = Memo::new(move |_| StepTarget::from_location(&location.get()));
    Effect::new(move |_| {
        let t = target.get();
        let loaded = steps.with(|s| matches!(s, Some(Ok(Some(_)))));
        if let (Some(t), true) = (t, loaded) {
            // After this update is drawn.
            leptos::prelude::set_timeout(
                move || scroll_to_step(t.step),
                std::time::Duration::from_millis(30),
            );
        }
    });
    Effect::new(move |_| {
        let Some(m) = entry.get() else { return };
        let s = m.summary;
        spawn_local(async move {
            let r = run_of(&s.suite, &s.eval_id, &s.id).await;
            if let Ok(r) = &r {
                let verdict = match eval_of(&s.suite, &s.eval_id).await {
                    Err(e) => Err(e),
                    Ok(e) => match original_grader_text(&e) {
                        None => Ok(None),
                        Some(g) => eval_value(&e, &g).map(|ev| Some(grade_run(&ev, r))),
                    },
                };
                live.set(Some(verdict));
            }
            run.set(Some(r));
            steps.set(Some(steps_of(&s.suite, &s.id).await));
        });
    });
    view! {
        <PageHeading title="Run" lede=format!("Run {id}") />
        {move || match entry.get() {
            None => if state.bundles.with(Vec::is_empty) {
                view! { <p class="loading">"Loading…"</p> }.into_any()
            } else {
                view! { <p class="empty">"This run is not in the loaded suites."</p> }.into_any()
            },
            Some(m) => {
                let s = m.summary.clone();
                view! {
                    <dl class="facts">
                        <dt>"Eval"</dt><dd><a href=task_href(&s.suite, &s.eval_id)>{s.eval_id.clone()}</a></dd>
                        <dt>"Suite"</dt><dd>{s.suite.clone()}</dd>
                        <dt>"Model"</dt><dd>{format!("{} / {}", s.provider, s.model)}</dd>
                        <dt>"Harness"</dt><dd class="harness">{s.harness.clone()}</dd>
                        <dt>"Run"</dt><dd>{format!("r{}", s.run_index)}</dd>
                        <dt>"Duration"</dt><dd>{s.duration_s.map_or("–".into(), |d| format!("{d:.0} s"))}</dd>
                        <dt>"Cost"</dt><dd>{s.cost_usd.map_or("–".into(), |c| format!("${c:.2}"))}</dd>
                        <dt>"Trajectory"</dt><dd class="trajectory-format">{m.trajectory.as_ref().map_or("none".to_string(), |t| format!("{} ({} steps)", t.format.as_str(), t.n_steps))}</dd>
                    </dl>
                    <p><a href=regrade_href(&s.suite, &s.eval_id)>"Regrade answers of this eval →"</a></p>
                    <FindingsPanel entry=m.clone() />
                }.into_any()
            }
        }}
        {move || match run.get() {
            None => Some(view! { <p class="loading">"Loading the run…"</p> }.into_any()),
            Some(Err(e)) => Some(view! { <p class="notice">{e}</p> }.into_any()),
            Some(Ok(r)) => {
                let rec = r.recorded.clone().unwrap_or_default();
                Some(view! {
                    <div class="grid-2">
                        <section class="card answer">
                            <h2>"Final answer"</h2>
                            {match r.answer_text.clone() {
                                Some(a) => view! { <pre class="answer-text">{a}</pre> }.into_any(),
                                None => view! { <p class="empty">"No eval_answer.json."</p> }.into_any(),
                            }}
                        </section>
                        <section class="card recorded">
                            <h2>"Recorded result"</h2>
                            <p data-recorded=match rec.passed { Some(true) => "pass", Some(false) => "fail", None => "none" }>
                                "Recorded verdict: " {verdict_view(rec.passed, false)}
                                {rec.score.map(|s| format!(" score {s:.4}"))}
                                {rec.grader_version.clone().map(|v| format!(" (grader {v})"))}
                            </p>
                            {rec.reasoning.clone().map(|t| view! { <pre class="reasoning recorded">{t}</pre> })}
                        </section>
                    </div>
                    <section class="card regraded">
                        <h2>"Regraded live in this page"</h2>
                        {move || match live.get() {
                            None => view! { <p class="loading">"Grading…"</p> }.into_any(),
                            Some(Err(e)) => view! { <p class="notice">{format!("Could not regrade: {e}")}</p> }.into_any(),
                            Some(Ok(None)) => view! { <p class="empty">"The grader of this eval is not published, so the answer cannot be regraded."</p> }.into_any(),
                            Some(Ok(Some(v))) => live_view(rec.passed, &v).into_any(),
                        }}
                    </section>
                }.into_any())
            }
        }}
        <section class="trajectory">
            <h2>"Trajectory"</h2>
            {move || match steps.get() {
                None => view! { <p class="loading">"Loading the trajectory…"</p> }.into_any(),
                Some(Err(e)) => view! { <p class="notice">{e}</p> }.into_any(),
                Some(Ok(None)) => view! { <p class="empty">"This run has no trajectory."</p> }.into_any(),
                Some(Ok(Some(st))) => {
                    let n = st.len();
                    view! {
                        <p class="step-count" data-steps=n.to_string()>{format!("{n} steps")}</p>
                        <ol class="steps">{st.iter().cloned().enumerate().map(|(i, s)| {
                            let mine = Memo::new(move |_| target.get().filter(|t| t.step == i).map(|t| t.span));
                            move || match mine.get() {
                                Some(span) => target_view(i, &s, span),
                                None => step_view(i, s.clone()).into_any(),
                            }
                        }).collect_view()}</ol>
                    }.into_any()
                }
            }}
        </section>
    }
}
