use std::collections::HashMap;

use super::PageHeading;
use crate::app::explorer::data::evals_of;
use crate::app::explorer::loader::{DiskLoader, IssueList};
use crate::app::explorer::table::{Cell, Column, SortableTable, TableData};
use crate::app::explorer::{pct, task_href};
use crate::app::router::{replace_query, use_location};
use crate::app::state::AppState;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sbx_suite::EvalSummary;

/// The filters of the tasks table; each is a query parameter of the page.
#[derive(Clone, Debug, Default, PartialEq)]
struct Filters {
    suite: String,
    platform: String,
    category: String,
    grader: String,
    horizon: String,
    min: String,
    max: String,
    q: String,
}

const KEYS: [&str; 8] = [
    "suite", "platform", "category", "grader", "horizon", "min", "max", "q",
];

impl Filters {
    fn from_query(q: &[(String, String)]) -> Filters {
        let get = |k: &str| {
            q.iter()
                .find(|(x, _)| x == k)
                .map(|(_, v)| v.clone())
                .unwrap_or_default()
        };
        Filters {
            suite: get("suite"),
            platform: get("platform"),
            category: get("category"),
            grader: get("grader"),
            horizon: get("horizon"),
            min: get("min"),
            max: get("max"),
            q: get("q"),
        }
    }
    fn field(&mut self, k: &str) -> &mut String {
        match k {
            "suite" => &mut self.suite,
            "platform" => &mut self.platform,
            "category" => &mut self.category,
            "grader" => &mut self.grader,
            "horizon" => &mut self.horizon,
            "min" => &mut self.min,
            "max" => &mut self.max,
            _ => &mut self.q,
        }
    }
    fn to_query(&self) -> Vec<(String, String)> {
        let mut me = self.clone();
        KEYS.iter()
            .map(|k| (k.to_string(), me.field(k).clone()))
            .filter(|(_, v)| !v.is_empty())
            .collect()
    }
    /// Whether an eval passes every filter. `text` is the full prompt and
    /// notes when loaded (else the prompt preview is searched).
    fn matches(&self, e: &EvalSummary, text: Option<&String>) -> bool {
        let opt = |want: &str, have: &Option<String>| {
            want.is_empty() || have.as_deref().unwrap_or(sbx_suite::stats::UNSPECIFIED) == want
        };
        if !(self.suite.is_empty() || e.suite == self.suite)
            || !opt(&self.platform, &e.platform)
            || !opt(&self.category, &e.category)
            || !opt(&self.horizon, &e.time_horizon)
        {
            return false;
        }
        if !self.grader.is_empty() && !e.grader_types.contains(&self.grader) {
            return false;
        }
        let rate = (e.n_graded > 0).then(|| 100.0 * e.n_passed as f64 / e.n_graded as f64);
        if let Ok(min) = self.min.trim().parse::<f64>() {
            if rate.is_none_or(|r| r < min) {
                return false;
            }
        }
        if let Ok(max) = self.max.trim().parse::<f64>() {
            if rate.is_none_or(|r| r > max) {
                return false;
            }
        }
        let q = self.q.trim().to_lowercase();
        if !q.is_empty() {
            let hay = format!(
                "{}\n{}\n{}",
                e.id,
                e.prompt_preview,
                text.map_or("", |s| s.as_str())
            )
            .to_lowercase();
            if !q.split_whitespace().all(|w| hay.contains(w)) {
                return false;
            }
        }
        true
    }
}

fn distinct(evals: &[EvalSummary], f: impl Fn(&EvalSummary) -> Vec<String>) -> Vec<String> {
    let mut v: Vec<String> = evals.iter().flat_map(f).collect();
    v.sort();
    v.dedup();
    v
}

fn opt_or_unspecified(v: &Option<String>) -> String {
    v.clone()
        .unwrap_or_else(|| sbx_suite::stats::UNSPECIFIED.into())
}

#[component]
pub fn Tasks() -> impl IntoView {
    let state = AppState::get();
    let location = use_location();
    let filters = RwSignal::new(Filters::from_query(&location.get_untracked().query));
    // Full prompt and notes of every eval, for the search (fetched once per suite).
    let texts = RwSignal::new(HashMap::<(String, String), String>::new());
    Effect::new(move |_| {
        for suite in state.suite_names() {
            spawn_local(async move {
                match evals_of(&suite).await {
                    Ok(evals) => texts.update(|t| {
                        for e in evals.iter() {
                            let text =
                                format!("{}\n{}", e.task, e.notes.clone().unwrap_or_default());
                            t.insert((suite.clone(), e.id.clone()), text);
                        }
                    }),
                    Err(e) => AppState::get().report(e),
                }
            });
        }
    });
    let all = Memo::new(move |_| state.evals());
    let shown = Memo::new(move |_| {
        let f = filters.get();
        texts.with(|t| {
            all.get()
                .into_iter()
                .filter(|e| f.matches(e, t.get(&(e.suite.clone(), e.id.clone()))))
                .collect::<Vec<_>>()
        })
    });
    let table = Signal::derive(move || TableData {
        columns: vec![
            Column::text("id", "Eval"),
            Column::text("suite", "Suite"),
            Column::text("platform", "Platform"),
            Column::text("category", "Category"),
            Column::text("graders", "Grader types"),
            Column::text("time_horizon", "Time horizon"),
            Column::num("runs", "Runs"),
            Column::num("pass_rate", "Pass rate"),
        ],
        rows: shown
            .get()
            .into_iter()
            .map(|e| {
                let rate = (e.n_graded > 0).then(|| 100.0 * e.n_passed as f64 / e.n_graded as f64);
                vec![
                    Cell::Link(e.id.clone(), task_href(&e.suite, &e.id)),
                    Cell::Text(e.suite.clone()),
                    Cell::Text(opt_or_unspecified(&e.platform)),
                    Cell::Text(opt_or_unspecified(&e.category)),
                    Cell::Text(if e.has_grader {
                        e.grader_types.join(", ")
                    } else {
                        "(withheld)".into()
                    }),
                    Cell::Text(opt_or_unspecified(&e.time_horizon)),
                    Cell::int(e.n_runs),
                    Cell::Num(rate, pct(rate)),
                ]
            })
            .collect(),
    });
    // Changing a filter rewrites the address (shareable); the page then
    // re-reads its filters from it, so the URL is the single source of truth.
    let commit = move |key: &'static str, value: String| {
        let mut f = filters.get_untracked();
        *f.field(key) = value;
        filters.set(f.clone());
        replace_query(f.to_query());
    };
    let select = move |key: &'static str, label: &'static str, options: Signal<Vec<String>>| {
        view! {
            <label>
                {label}
                <select
                    name=key
                    data-filter=key
                    on:change=move |ev| commit(key, event_target_value(&ev))
                    prop:value=move || filters.with(|f| f.clone().field(key).clone())
                >
                    <option value="">"(all)"</option>
                    {move || {
                        let cur = filters.with(|f| f.clone().field(key).clone());
                        options
                            .get()
                            .into_iter()
                            .map(|o| {
                                let sel = o == cur;
                                view! { <option value=o.clone() selected=sel>{o.clone()}</option> }
                            })
                            .collect_view()
                    }}
                </select>
            </label>
        }
    };
    let suites = Signal::derive(move || distinct(&all.get(), |e| vec![e.suite.clone()]));
    let platforms =
        Signal::derive(move || distinct(&all.get(), |e| vec![opt_or_unspecified(&e.platform)]));
    let categories =
        Signal::derive(move || distinct(&all.get(), |e| vec![opt_or_unspecified(&e.category)]));
    let graders = Signal::derive(move || distinct(&all.get(), |e| e.grader_types.clone()));
    let horizons =
        Signal::derive(move || distinct(&all.get(), |e| vec![opt_or_unspecified(&e.time_horizon)]));
    let number = move |key: &'static str, label: &'static str| {
        view! {
            <label>
                {label}
                <input
                    type="number"
                    min="0"
                    max="100"
                    step="1"
                    data-filter=key
                    prop:value=move || filters.with(|f| f.clone().field(key).clone())
                    on:change=move |ev| commit(key, event_target_value(&ev))
                />
            </label>
        }
    };
    view! {
        <PageHeading title="Tasks" lede="Every eval in the loaded suites, with filters and search." />
        <div class="filters">
            <label>
                "Search id, prompt, notes"
                <input
                    type="search"
                    data-filter="q"
                    placeholder="e.g. xenium niche"
                    prop:value=move || filters.with(|f| f.q.clone())
                    on:input=move |ev| filters.update(|f| f.q = event_target_value(&ev))
                    on:change=move |ev| commit("q", event_target_value(&ev))
                />
            </label>
            {select("suite", "Suite", suites)}
            {select("platform", "Platform", platforms)}
            {select("category", "Category", categories)}
            {select("grader", "Grader type", graders)}
            {select("horizon", "Time horizon", horizons)}
            {number("min", "Pass rate ≥ %")}
            {number("max", "Pass rate ≤ %")}
            <button class="secondary clear-filters" on:click=move |_| {
                filters.set(Filters::default());
                replace_query(Vec::new());
            }>"Clear"</button>
        </div>
        <p class="count" data-count=move || shown.with(Vec::len).to_string()>
            {move || format!("{} of {} evals", shown.with(Vec::len), all.with(Vec::len))}
        </p>
        <SortableTable data=table name="tasks" />
        <IssueList />
        <DiskLoader />
    }
}
