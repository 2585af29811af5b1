use super::PageHeading;
use crate::app::explorer::table::{Cell, Column, SortableTable, TableData};
use crate::app::explorer::task_href;
use crate::app::router::{replace_query, use_location};
use crate::app::state::AppState;
use leptos::prelude::*;
use sbx_suite::stats::{compare, ModelKey};

/// `model|harness` in the address.
fn key_of(s: &str) -> Option<ModelKey> {
    s.split_once('|').map(|(m, h)| ModelKey::new(m, h))
}

fn param_of(k: &ModelKey) -> String {
    format!("{}|{}", k.model, k.harness)
}

#[component]
pub fn Compare() -> impl IntoView {
    let state = AppState::get();
    let loc = use_location().get_untracked();
    let a_q = RwSignal::new(loc.param("a").unwrap_or("").to_string());
    let b_q = RwSignal::new(loc.param("b").unwrap_or("").to_string());
    let runs = Memo::new(move |_| state.runs());
    // Models by number of graded runs, most first (the default pair is the top two).
    let models = Memo::new(move |_| {
        let mut counts: std::collections::BTreeMap<ModelKey, usize> = Default::default();
        for r in runs.get().iter().filter(|r| r.passed.is_some()) {
            *counts.entry(ModelKey::of(r)).or_default() += 1;
        }
        let mut v: Vec<(ModelKey, usize)> = counts.into_iter().collect();
        v.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
        v.into_iter().map(|(k, _)| k).collect::<Vec<_>>()
    });
    let pick = move |q: RwSignal<String>, nth: usize| {
        Memo::new(move |_| {
            let ms = models.get();
            key_of(&q.get())
                .filter(|k| ms.contains(k))
                .or_else(|| ms.get(nth).cloned())
        })
    };
    let a = pick(a_q, 0);
    let b = pick(b_q, 1);
    let cmp = Memo::new(move |_| match (a.get(), b.get()) {
        (Some(a), Some(b)) => Some(compare(&runs.get(), &a, &b)),
        _ => None,
    });
    let table = Signal::derive(move || {
        let Some(c) = cmp.get() else {
            return TableData::default();
        };
        TableData {
            columns: vec![
                Column::text("suite", "Suite"),
                Column::text("eval", "Eval"),
                Column::text("a", "A passed / graded"),
                Column::text("b", "B passed / graded"),
                Column::num("a_rate", "A pass rate (%)"),
                Column::num("b_rate", "B pass rate (%)"),
                Column::num("difference", "A − B (points)"),
            ],
            rows: c
                .evals
                .iter()
                .map(|e| {
                    vec![
                        Cell::Text(e.suite.clone()),
                        Cell::Link(e.eval_id.clone(), task_href(&e.suite, &e.eval_id)),
                        Cell::Text(format!("{} / {}", e.a.passed, e.a.graded)),
                        Cell::Text(format!("{} / {}", e.b.passed, e.b.graded)),
                        Cell::num(e.a.rate().map(|r| 100.0 * r), 1),
                        Cell::num(e.b.rate().map(|r| 100.0 * r), 1),
                        Cell::num(Some(e.difference), 1),
                    ]
                })
                .collect(),
        }
    });
    let set_query = move || {
        let mut q = Vec::new();
        if let Some(k) = a.get_untracked() {
            q.push(("a".to_string(), param_of(&k)));
        }
        if let Some(k) = b.get_untracked() {
            q.push(("b".to_string(), param_of(&k)));
        }
        replace_query(q);
    };
    let select = move |name: &'static str, q: RwSignal<String>, cur: Memo<Option<ModelKey>>| {
        view! {
            <label>{if name == "a" { "Model A" } else { "Model B" }}
                <select data-filter=name on:change=move |ev| { q.set(event_target_value(&ev)); set_query(); }>
                    {move || {
                        let c = cur.get();
                        models.get().into_iter().map(|k| {
                            let sel = Some(&k) == c.as_ref();
                            view! { <option value=param_of(&k) selected=sel>{k.label()}</option> }
                        }).collect_view()
                    }}
                </select>
            </label>
        }
    };
    view! {
        <PageHeading title="Compare" lede="Two models (or one model under two harnesses) on the evals both ran. Runs are nested in evals, so the comparison is eval by eval: each shared eval gives one difference of pass rates." />
        <div class="filters">{select("a", a_q, a)}{select("b", b_q, b)}</div>
        {move || cmp.get().map(|c| {
            let p = c.p_value().map_or("no test".into(), |p| format!("p = {p:.4}"));
            let interval = c.interval.map_or("no interval".into(), |(lo, hi)| format!("95% bootstrap interval {lo:+.1} to {hi:+.1} points"));
            view! {
                <section class="card eval-level" data-test=format!("{:?}", c.test)>
                    <h2>"Difference over evals"</h2>
                    <p class="verdict">{c.verdict()}</p>
                    <p class="summary">{format!(
                        "A − B = {:+.1} points, the mean over {} shared evals of the per-eval pass-rate difference ({interval}, 10,000 resamples of evals, fixed seed).",
                        c.mean_difference, c.evals.len())}</p>
                    <p class="test-used" data-p=c.p_value().map(|p| format!("{p:.6}"))>{format!("{} {p}.", c.test.explain())}</p>
                    <p class="sign-test">{format!(
                        "Sign test over evals: A higher on {}, B higher on {}, tied on {}; two-sided p = {:.4}.",
                        c.a_higher, c.b_higher, c.evals.len() as u64 - c.a_higher - c.b_higher, c.sign_p)}</p>
                    <p class="lede">"Runs are not paired by run index: run r1 of one model has nothing in common with run r1 of another beyond the eval, and treating repeated runs as paired observations would overstate the evidence (pseudoreplication). McNemar's test on pass/fail pairs is used only when every shared eval has exactly one graded run per model."</p>
                </section>
            }
        })}
        {move || models.with(|m| m.len() < 2).then(|| view! { <p class="empty">"Two models with graded runs are needed."</p> })}
        <SortableTable data=table name="compare" />
    }
}
