use super::PageHeading;
use crate::app::explorer::data::eval_of;
use crate::app::explorer::grading::original_grader_text;
use crate::app::explorer::table::{Cell, Column, SortableTable, TableData};
use crate::app::explorer::{regrade_href, run_href};
use crate::app::router::use_location;
use crate::app::state::AppState;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sbx_suite::Eval;

/// A JSON value as nested lists: keys in bold, leaves as text.
pub fn json_tree(v: &serde_json::Value) -> AnyView {
    match v {
        serde_json::Value::Object(m) => view! {
            <ul class="json-tree">
                {m.iter().map(|(k, x)| {
                    let leaf = !matches!(x, serde_json::Value::Object(_) | serde_json::Value::Array(_));
                    view! { <li><span class="key">{k.clone()}</span>{if leaf { ": " } else { "" }}{json_tree(x)}</li> }
                }).collect_view()}
            </ul>
        }.into_any(),
        serde_json::Value::Array(a) if a.iter().all(|x| !matches!(x, serde_json::Value::Object(_) | serde_json::Value::Array(_))) => {
            let items: Vec<String> = a.iter().map(leaf_text).collect();
            view! { <span class="leaf list">{format!("[{}]", items.join(", "))}</span> }.into_any()
        }
        serde_json::Value::Array(a) => view! {
            <ol class="json-tree" start="0">{a.iter().map(|x| view! { <li>{json_tree(x)}</li> }).collect_view()}</ol>
        }.into_any(),
        leaf => view! { <span class="leaf">{leaf_text(leaf)}</span> }.into_any(),
    }
}

fn leaf_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// What passes, in words, for the grader types with a simple rule.
fn grader_summary(g: &serde_json::Value) -> Vec<String> {
    let mut out = Vec::new();
    let specs: Vec<&serde_json::Value> = match g {
        serde_json::Value::Array(a) => a.iter().collect(),
        other => vec![other],
    };
    for spec in specs {
        let t = spec.get("type").and_then(|t| t.as_str()).unwrap_or("?");
        let cfg = spec.get("config");
        let gt = cfg
            .and_then(|c| c.get("ground_truth"))
            .and_then(|x| x.as_object());
        let tol = cfg
            .and_then(|c| c.get("tolerances"))
            .and_then(|x| x.as_object());
        match (t, gt) {
            ("numeric_tolerance", Some(gt)) => {
                for (field, expected) in gt {
                    let tl = tol.and_then(|t| t.get(field));
                    let kind = tl
                        .and_then(|t| t.get("type"))
                        .and_then(|x| x.as_str())
                        .unwrap_or("absolute");
                    let val = tl
                        .and_then(|t| t.get("value"))
                        .map(leaf_text)
                        .unwrap_or_else(|| "(default)".into());
                    out.push(format!(
                        "{t}: field `{field}` must be {expected} ± {val} ({kind})"
                    ));
                }
            }
            _ => {
                if let Some(c) = cfg.and_then(|c| c.get("correct_answer")) {
                    out.push(format!("{t}: the answer must be {}", leaf_text(c)));
                } else {
                    out.push(format!("{t}: see the settings below"));
                }
            }
        }
    }
    out
}

/// The eval's grader, readable and raw, with the engine's lint findings.
fn grader_section(e: &Eval) -> impl IntoView {
    let Some(g) = crate::app::explorer::grading::grader_json(e) else {
        return view! { <section class="card grader"><h2>"Grader"</h2><p class="empty">"This suite does not publish the grader config of this eval."</p></section> }.into_any();
    };
    let raw = original_grader_text(e).unwrap_or_default();
    let lint = match crate::app::explorer::grading::eval_value(e, &raw) {
        Ok(v) => sbx_grade::lint_eval(&e.source_path, &v),
        Err(msg) => vec![sbx_grade::LintFinding {
            file: e.source_path.clone(),
            json_path: "$".into(),
            severity: sbx_grade::Severity::Error,
            code: "unreadable",
            message: msg,
        }],
    };
    view! {
        <section class="card grader">
            <h2>"Grader"</h2>
            <ul class="grader-summary">{grader_summary(&g).into_iter().map(|s| view! { <li>{s}</li> }).collect_view()}</ul>
            <div class="grader-readable">{json_tree(&g)}</div>
            <details class="raw"><summary>"Raw grader JSON"</summary><pre class="raw-json">{raw}</pre></details>
            <h3>"Lint"</h3>
            {if lint.is_empty() {
                view! { <p class="lint-none">"No lint findings."</p> }.into_any()
            } else {
                view! {
                    <ul class="lint-list">
                        {lint.into_iter().map(|f| {
                            let sev = f.severity.to_string();
                            view! { <li class=format!("lint {sev}")><strong>{sev.clone()}</strong>" [" {f.code} "] " <code>{f.json_path}</code> ": " {f.message}</li> }
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }.into_any()
}

#[component]
pub fn Task(id: String) -> impl IntoView {
    let state = AppState::get();
    let suite_param = use_location()
        .get_untracked()
        .param("suite")
        .map(str::to_string);
    let summary = {
        let (id, sp) = (id.clone(), suite_param.clone());
        Memo::new(move |_| state.find_eval(&id, sp.as_deref()))
    };
    let eval = RwSignal::new(None::<Result<Eval, String>>);
    Effect::new(move |_| {
        if let Some(s) = summary.get() {
            spawn_local(async move { eval.set(Some(eval_of(&s.suite, &s.id).await)) });
        }
    });
    let runs = {
        let id = id.clone();
        Signal::derive(move || {
            let Some(s) = summary.get() else {
                return TableData::default();
            };
            let mut rows: Vec<_> = state
                .runs()
                .into_iter()
                .filter(|r| r.suite == s.suite && r.eval_id == id)
                .collect();
            rows.sort_by(|a, b| {
                (&a.model, &a.harness, a.run_index).cmp(&(&b.model, &b.harness, b.run_index))
            });
            TableData {
                columns: vec![
                    Column::text("run", "Run"),
                    Column::text("model", "Model"),
                    Column::text("harness", "Harness"),
                    Column::num("r", "r"),
                    Column::text("verdict", "Recorded verdict"),
                    Column::num("score", "Score"),
                    Column::text("trajectory", "Trajectory"),
                ],
                rows: rows
                    .into_iter()
                    .map(|r| {
                        vec![
                            Cell::Link(r.id.clone(), run_href(&r.suite, &r.id)),
                            Cell::Text(r.model.clone()),
                            Cell::Text(r.harness.clone()),
                            Cell::int(r.run_index as usize),
                            Cell::Verdict(r.passed, false),
                            Cell::num(r.score, 3),
                            Cell::Text(r.trajectory_format.clone().unwrap_or_default()),
                        ]
                    })
                    .collect(),
            }
        })
    };
    let title_id = id.clone();
    view! {
        <PageHeading title="Task" lede=format!("Eval {title_id}") />
        {move || match summary.get() {
            None => {
                if state.bundles.with(Vec::is_empty) {
                    view! { <p class="loading">"Loading…"</p> }.into_any()
                } else {
                    view! { <p class="empty">"This eval is not in the loaded suites."</p> }.into_any()
                }
            }
            Some(s) => {
                let rate = (s.n_graded > 0).then(|| 100.0 * s.n_passed as f64 / s.n_graded as f64);
                view! {
                    <dl class="facts">
                        <dt>"Suite"</dt><dd class="suite">{s.suite.clone()}</dd>
                        <dt>"Platform"</dt><dd>{s.platform.clone().unwrap_or_else(|| "(unspecified)".into())}</dd>
                        <dt>"Category"</dt><dd>{s.category.clone().unwrap_or_else(|| "(unspecified)".into())}</dd>
                        <dt>"Time horizon"</dt><dd>{s.time_horizon.clone().unwrap_or_else(|| "(unspecified)".into())}</dd>
                        <dt>"Runs"</dt><dd>{format!("{} ({} passed of {} graded, {})", s.n_runs, s.n_passed, s.n_graded, crate::app::explorer::pct(rate))}</dd>
                        <dt>"File"</dt><dd><code>{s.source_path.clone()}</code></dd>
                    </dl>
                    <p><a class="regrade-link" href=regrade_href(&s.suite, &s.id)>"Regrade an answer or edit this grader →"</a></p>
                }.into_any()
            }
        }}
        {move || match eval.get() {
            None => None,
            Some(Err(e)) => Some(view! { <p class="notice">{e}</p> }.into_any()),
            Some(Ok(e)) => Some(view! {
                <section class="card prompt">
                    <h2>"Prompt"</h2>
                    <pre class="prompt-text">{e.task.clone()}</pre>
                </section>
                {grader_section(&e)}
                <div class="grid-2">
                    <section class="card notes">
                        <h2>"Notes"</h2>
                        {match e.notes.clone() {
                            Some(n) => view! { <pre class="notes-text">{n}</pre> }.into_any(),
                            None => view! { <p class="empty">"No notes."</p> }.into_any(),
                        }}
                    </section>
                    <section class="card data-nodes">
                        <h2>"Data nodes"</h2>
                        {if e.data_nodes.is_empty() {
                            view! { <p class="empty">"None listed."</p> }.into_any()
                        } else {
                            view! { <ul>{e.data_nodes.iter().map(|d| view! { <li><code>{d.clone()}</code></li> }).collect_view()}</ul> }.into_any()
                        }}
                        <h3>"Metadata"</h3>
                        {json_tree(&serde_json::Value::Object(e.metadata.clone().into_iter().collect()))}
                    </section>
                </div>
            }.into_any()),
        }}
        <h2>"Runs of this eval"</h2>
        <SortableTable data=runs name=format!("runs-of-{id}") />
    }
}
