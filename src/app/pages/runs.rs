use super::PageHeading;
use crate::app::explorer::table::{Cell, Column, SortableTable, TableData};
use crate::app::explorer::{run_href, task_href};
use crate::app::router::{replace_query, use_location};
use crate::app::state::AppState;
use leptos::prelude::*;

const KEYS: [&str; 5] = ["suite", "model", "harness", "verdict", "format"];

#[component]
pub fn Runs() -> impl IntoView {
    let state = AppState::get();
    let query = use_location().get_untracked().query;
    let get = |k: &str| {
        query
            .iter()
            .find(|(x, _)| x == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let filters = RwSignal::new(KEYS.map(get));
    let all = Memo::new(move |_| state.runs());
    let shown = Memo::new(move |_| {
        let [suite, model, harness, verdict, format] = filters.get();
        all.get()
            .into_iter()
            .filter(|r| {
                (suite.is_empty() || r.suite == suite)
                    && (model.is_empty() || r.model == model)
                    && (harness.is_empty() || r.harness == harness)
                    && (format.is_empty()
                        || r.trajectory_format.as_deref() == Some(format.as_str()))
                    && match verdict.as_str() {
                        "pass" => r.passed == Some(true),
                        "fail" => r.passed == Some(false),
                        "none" => r.passed.is_none(),
                        _ => true,
                    }
            })
            .collect::<Vec<_>>()
    });
    let table = Signal::derive(move || TableData {
        columns: vec![
            Column::text("run", "Run"),
            Column::text("suite", "Suite"),
            Column::text("eval", "Eval"),
            Column::text("model", "Model"),
            Column::text("harness", "Harness"),
            Column::num("r", "r"),
            Column::text("verdict", "Verdict"),
            Column::num("score", "Score"),
            Column::num("duration_s", "Duration (s)"),
            Column::num("cost_usd", "Cost ($)"),
            Column::text("trajectory", "Trajectory"),
            Column::num("steps", "Steps"),
        ],
        rows: shown
            .get()
            .into_iter()
            .map(|r| {
                vec![
                    Cell::Link(
                        format!("{}/{}/r{}", r.model, r.harness, r.run_index),
                        run_href(&r.suite, &r.id),
                    ),
                    Cell::Text(r.suite.clone()),
                    Cell::Link(r.eval_id.clone(), task_href(&r.suite, &r.eval_id)),
                    Cell::Text(r.model.clone()),
                    Cell::Text(r.harness.clone()),
                    Cell::int(r.run_index as usize),
                    Cell::Verdict(r.passed, false),
                    Cell::num(r.score, 3),
                    Cell::num(r.duration_s, 0),
                    Cell::num(r.cost_usd, 2),
                    Cell::Text(r.trajectory_format.clone().unwrap_or_default()),
                    Cell::num(r.n_steps.map(|n| n as f64), 0),
                ]
            })
            .collect(),
    });
    let options = move |i: usize| {
        let mut v: Vec<String> = all
            .get()
            .into_iter()
            .filter_map(|r| match i {
                0 => Some(r.suite),
                1 => Some(r.model),
                2 => Some(r.harness),
                4 => r.trajectory_format,
                _ => None,
            })
            .collect();
        if i == 3 {
            v = vec!["pass".into(), "fail".into(), "none".into()];
        }
        v.sort();
        v.dedup();
        v
    };
    let labels = ["Suite", "Model", "Harness", "Verdict", "Trajectory format"];
    view! {
        <PageHeading title="Runs" lede="Every graded run: one agent's attempt at one eval." />
        <div class="filters">
            {(0..KEYS.len()).map(|i| {
                let key = KEYS[i];
                view! {
                    <label>
                        {labels[i]}
                        <select data-filter=key on:change=move |ev| {
                            let v = event_target_value(&ev);
                            let mut f = filters.get_untracked();
                            f[i] = v;
                            filters.set(f.clone());
                            replace_query(KEYS.iter().zip(f).filter(|(_, v)| !v.is_empty()).map(|(k, v)| (k.to_string(), v)).collect());
                        }>
                            <option value="">"(all)"</option>
                            {move || {
                                let cur = filters.with(|f| f[i].clone());
                                options(i).into_iter().map(|o| {
                                    let sel = o == cur;
                                    view! { <option value=o.clone() selected=sel>{o.clone()}</option> }
                                }).collect_view()
                            }}
                        </select>
                    </label>
                }
            }).collect_view()}
        </div>
        <p class="count" data-count=move || shown.with(Vec::len).to_string()>
            {move || format!("{} of {} runs", shown.with(Vec::len), all.with(Vec::len))}
        </p>
        <p><a href="#/compare">"Compare two models →"</a></p>
        <SortableTable data=table name="runs" />
    }
}
