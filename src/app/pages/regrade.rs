use std::sync::Arc;

use super::PageHeading;
use crate::app::explorer::data::{eval_of, runs_of};
use crate::app::explorer::grading::{
    eval_value, grade_answer, grade_run, numeric_settings, original_grader_text,
    parse_pasted_answer, set_numeric, Held,
};
use crate::app::explorer::table::{verdict_view, Cell, Column, SortableTable, TableData};
use crate::app::explorer::{pct, run_href, task_href};
use crate::app::router::use_location;
use crate::app::state::AppState;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sbx_grade::Value;
use sbx_suite::{Eval, Run};

/// The edited grader's verdict on the pasted answer, or why there is none.
fn pasted_verdict(pasted: Option<Pasted>, edited: Option<Edited>) -> AnyView {
    match pasted {
        None => view! { <p class="empty">"Paste an answer to grade it."</p> }.into_any(),
        Some(Err(msg)) => view! { <p class="notice answer-error">{msg}</p> }.into_any(),
        Some(Ok(a)) => match edited {
            Some(Ok((ev, _))) => {
                let v = grade_answer(&ev.0, Some(&a.0));
                view! {
                    <div class="pasted-verdict" data-live=if v.passed { "pass" } else { "fail" }>
                        <p>"Verdict (edited grader): " {verdict_view(Some(v.passed), false)} {format!(" score {:.4}", v.score)}</p>
                        {v.reasoning.iter().map(|r| view! { <pre class="reasoning">{r.clone()}</pre> }).collect_view()}
                    </div>
                }.into_any()
            }
            _ => view! { <p class="notice">"Fix the grader config to grade."</p> }.into_any(),
        },
    }
}

/// Runs, and the recorded, original-grader and edited-grader pass rates (percent).
fn pass_rates(
    rows: &[(Run, bool, Option<bool>)],
) -> (usize, Option<f64>, Option<f64>, Option<f64>) {
    let n = rows.len();
    let rate = |k: usize| (n > 0).then(|| 100.0 * k as f64 / n as f64);
    let rec = rows
        .iter()
        .filter(|(r, _, _)| r.passed() == Some(true))
        .count();
    let orig = rows.iter().filter(|(_, o, _)| *o).count();
    let ed = rows.iter().filter(|(_, _, e)| *e == Some(true)).count();
    (n, rate(rec), rate(orig), rate(ed))
}

/// The pass rates of every run: recorded, by the original grader, by the edited one.
fn rates_view(rows: &[(Run, bool, Option<bool>)]) -> impl IntoView {
    let (n, rec, orig, ed) = pass_rates(rows);
    view! {
        <p class="rates" data-runs=n.to_string() data-edited=pct(ed)>
            {format!("{n} runs · recorded pass rate {} · original grader {} · ", pct(rec), pct(orig))}
            <strong class="edited-rate">{format!("edited grader {}", pct(ed))}</strong>
        </p>
    }
}

/// Whether the edited grader config is valid, and its lint findings.
fn config_status(edited: Option<Edited>) -> AnyView {
    match edited {
        Some(Err(msg)) => view! { <p class="notice config-error">{msg}</p> }.into_any(),
        Some(Ok((_, lint))) if !lint.is_empty() => view! {
            <ul class="lint-list">{lint.into_iter().map(|l| view! { <li class="lint warning">{l}</li> }).collect_view()}</ul>
        }.into_any(),
        Some(Ok(_)) => view! { <p class="config-ok">"Config is valid; no lint findings."</p> }.into_any(),
        None => ().into_any(),
    }
}

/// A pasted answer, or why it could not be read.
type Pasted = Result<Held<Value>, String>;
/// The eval with the edited grader and its lint findings, or what is wrong with the edit.
type Edited = Result<(Held<Value>, Vec<String>), String>;

#[component]
pub fn Regrade(id: String) -> impl IntoView {
    let state = AppState::get();
    let suite_param = use_location()
        .get_untracked()
        .param("suite")
        .map(str::to_string);
    let summary = {
        let (id, sp) = (id.clone(), suite_param);
        Memo::new(move |_| state.find_eval(&id, sp.as_deref()))
    };
    let eval = RwSignal::new(None::<Result<Eval, String>>);
    let runs = RwSignal::new(None::<Result<Arc<Vec<Run>>, String>>);
    let original = RwSignal::new(String::new());
    let config = RwSignal::new(String::new());
    let answer = RwSignal::new(String::new());
    Effect::new(move |_| {
        let Some(s) = summary.get() else { return };
        spawn_local(async move {
            let e = eval_of(&s.suite, &s.id).await;
            if let Ok(e) = &e {
                let g = original_grader_text(e).unwrap_or_default();
                original.set(g.clone());
                config.set(g);
            }
            eval.set(Some(e));
            runs.set(Some(runs_of(&s.suite, &s.id).await));
        });
    });
    // The eval with the edited grader, or what is wrong with the edit.
    let edited = Memo::new(move |_| {
        let Some(Ok(e)) = eval.get() else { return None };
        let text = config.get();
        Some(eval_value(&e, &text).map(|v| {
            let lint = sbx_grade::lint_eval("edited grader", &v);
            (
                Held(v),
                lint.into_iter().map(|f| f.to_string()).collect::<Vec<_>>(),
            )
        }))
    });
    let original_value = Memo::new(move |_| {
        let Some(Ok(e)) = eval.get() else { return None };
        eval_value(&e, &original.get()).ok().map(Held)
    });
    let pasted = Memo::new(move |_| {
        let t = answer.get();
        (!t.trim().is_empty()).then(|| parse_pasted_answer(&t).map(Held))
    });
    let settings = Memo::new(move |_| {
        serde_json::from_str::<serde_json::Value>(&config.get())
            .map(|v| numeric_settings(&v))
            .unwrap_or_default()
    });
    let edit_setting = move |i: usize, value: String| {
        let Ok(x) = value.trim().parse::<f64>() else {
            return;
        };
        let Some(s) = settings.get_untracked().get(i).cloned() else {
            return;
        };
        let Ok(mut v) = serde_json::from_str::<serde_json::Value>(&config.get_untracked()) else {
            return;
        };
        match set_numeric(&mut v, &s.path, x) {
            Ok(()) => config.set(serde_json::to_string_pretty(&v).unwrap_or_default()),
            Err(e) => state.report(e),
        }
    };
    // Every run of the eval, graded with the original and the edited grader.
    let recomputed = Memo::new(move |_| {
        let (Some(Ok(runs)), Some(orig)) = (runs.get(), original_value.get()) else {
            return None;
        };
        let edited = match edited.get() {
            Some(Ok((v, _))) => Some(v.0),
            _ => None,
        };
        let rows: Vec<(Run, bool, Option<bool>)> = runs
            .iter()
            .map(|r| {
                let o = grade_run(&orig.0, r).passed;
                let ed = edited.as_ref().map(|e| grade_run(e, r).passed);
                (r.clone(), o, ed)
            })
            .collect();
        Some(rows)
    });
    let run_table = Signal::derive(move || {
        let rows = recomputed.get().unwrap_or_default();
        TableData {
            columns: vec![
                Column::text("run", "Run"),
                Column::text("recorded", "Recorded"),
                Column::text("original", "Original grader"),
                Column::text("edited", "Edited grader"),
            ],
            rows: rows
                .into_iter()
                .map(|(r, o, ed)| {
                    let rec = r.passed();
                    vec![
                        Cell::Link(
                            r.id.clone(),
                            run_href(
                                &summary.get_untracked().map(|s| s.suite).unwrap_or_default(),
                                &r.id,
                            ),
                        ),
                        Cell::Verdict(rec, false),
                        Cell::Verdict(Some(o), rec.is_some_and(|x| x != o)),
                        Cell::Verdict(ed, ed.is_some_and(|x| x != o)),
                    ]
                })
                .collect(),
        }
    });
    let title = id.clone();
    view! {
        <PageHeading title="Regrade" lede=format!("Grade any answer to {title}, and see what an edited grader does to every recorded run.") />
        {move || summary.get().map(|s| view! { <p><a href=task_href(&s.suite, &s.id)>"← the task page"</a></p> })}
        {move || match eval.get() {
            None => view! { <p class="loading">"Loading the eval…"</p> }.into_any(),
            Some(Err(e)) => view! { <p class="notice">{e}</p> }.into_any(),
            Some(Ok(e)) if !e.has_grader() => view! { <p class="empty">"This suite does not publish the grader of this eval, so it cannot be regraded."</p> }.into_any(),
            Some(Ok(_)) => view! {
                <div class="grid-2">
                    <section class="card paste">
                        <h2>"Answer"</h2>
                        <p class="lede">"Raw JSON (as in eval_answer.json), or agent text containing <EVAL_ANSWER>{…}</EVAL_ANSWER>."</p>
                        <textarea class="answer-input" rows="10" prop:value=move || answer.get()
                            on:input=move |ev| answer.set(event_target_value(&ev))></textarea>
                        {move || pasted_verdict(pasted.get(), edited.get())}
                    </section>
                    <section class="card config">
                        <h2>"Grader config"</h2>
                        <div class="settings">
                            {move || settings.get().into_iter().enumerate().map(|(i, s)| view! {
                                <label class="setting">
                                    <code>{s.label.clone()}</code>
                                    <input type="number" step="any" data-setting=s.label.clone() prop:value=s.value.to_string()
                                        on:change=move |ev| edit_setting(i, event_target_value(&ev)) />
                                </label>
                            }).collect_view()}
                        </div>
                        <textarea class="config-input" rows="16" spellcheck="false" prop:value=move || config.get()
                            on:input=move |ev| config.set(event_target_value(&ev))></textarea>
                        {move || config_status(edited.get())}
                        <button class="secondary reset" on:click=move |_| config.set(original.get_untracked())
                            disabled=move || config.get() == original.get()>"Reset to original"</button>
                    </section>
                </div>
            }.into_any(),
        }}
        <section class="card recompute">
            <h2>"Every run of this eval"</h2>
            {move || recomputed.get().map(|rows| rates_view(&rows))}
            <SortableTable data=run_table name=format!("regrade-{id}") />
        </section>
    }
}
