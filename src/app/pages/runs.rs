use super::PageHeading;
use crate::app::explorer::table::{Cell, Column, SortableTable, TableData};
use crate::app::explorer::{run_href, task_href};
use crate::app::findings::client::{ensure_loaded, status};
use crate::app::findings::CorpusProgress;
use crate::app::router::{replace_query, use_location};
use crate::app::state::AppState;
use leptos::prelude::*;
use sbx_findings::{FailureClass, Verdict};
use sbx_suite::RunSummary;

const KEYS: [&str; 7] = [
    "suite", "model", "harness", "verdict", "format", "class", "finding",
];

/// Whether a run's findings pass the class and finding-verdict filters
/// (both empty: every run; a class alone: runs it applied to; a verdict
/// alone: runs with any class of that verdict).
fn findings_match(r: &RunSummary, class: &str, finding: &str) -> bool {
    if class.is_empty() && finding.is_empty() {
        return true;
    }
    let class = FailureClass::from_id(class);
    let verdict = Verdict::from_id(finding);
    status().with(|s| {
        s.find(&r.suite, &r.id).is_some_and(|rf| {
            rf.findings.iter().any(|f| {
                class.is_none_or(|c| f.class == c) && verdict.is_none_or(|v| f.verdict == v)
            })
        })
    })
}

/// What the findings column shows for a run: the verdict on the chosen
/// class, else the classes it committed.
fn findings_text(r: &RunSummary, class: &str) -> String {
    status().with(|s| {
        let Some(rf) = s.find(&r.suite, &r.id) else {
            return String::new();
        };
        match FailureClass::from_id(class) {
            Some(c) => rf.verdict(c).map_or("", |v| v.id()).to_string(),
            None => rf
                .findings
                .iter()
                .filter(|f| f.verdict == Verdict::Committed)
                .map(|f| f.class.id())
                .collect::<Vec<_>>()
                .join(" "),
        }
    })
}

/// The runs table; with a findings column when the list is filtered by finding.
fn runs_table(shown: Vec<RunSummary>, class: &str, with_findings: bool) -> TableData {
    let mut t = TableData {
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
            .iter()
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
    };
    if with_findings {
        t.columns.push(Column::text("findings", "Findings"));
        for (row, r) in t.rows.iter_mut().zip(&shown) {
            row.push(Cell::Text(findings_text(r, class)));
        }
    }
    t
}

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
    // Follow the address when it changes under the page (a link to other filters, back).
    let location = use_location();
    Effect::new(move |_| {
        let loc = location.get();
        let f = KEYS.map(|k| loc.param(k).unwrap_or_default().to_string());
        if filters.with_untracked(|cur| *cur != f) {
            filters.set(f);
        }
    });
    let by_findings = Memo::new(move |_| filters.with(|f| !f[5].is_empty() || !f[6].is_empty()));
    // Filtering by finding needs every trajectory checked: only then load them.
    Effect::new(move |_| {
        state.bundles.track();
        state.manifest.track();
        if by_findings.get() {
            ensure_loaded();
        }
    });
    let all = Memo::new(move |_| state.runs());
    let shown = Memo::new(move |_| {
        let [suite, model, harness, verdict, format, class, finding] = filters.get();
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
                    && findings_match(r, &class, &finding)
            })
            .collect::<Vec<_>>()
    });
    let table = Signal::derive(move || {
        let class = filters.with(|f| f[5].clone());
        runs_table(shown.get(), &class, by_findings.get())
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
        match i {
            3 => v = vec!["pass".into(), "fail".into(), "none".into()],
            5 => {
                return FailureClass::ALL
                    .iter()
                    .map(|c| (c.id().to_string(), c.label().to_string()))
                    .collect()
            }
            6 => {
                return Verdict::ALL
                    .iter()
                    .map(|c| (c.id().to_string(), c.id().to_string()))
                    .collect()
            }
            _ => {}
        }
        v.sort();
        v.dedup();
        v.into_iter().map(|o| (o.clone(), o)).collect::<Vec<_>>()
    };
    let labels = [
        "Suite",
        "Model",
        "Harness",
        "Verdict",
        "Trajectory format",
        "Finding class",
        "Finding",
    ];
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
                                options(i).into_iter().map(|(o, label)| {
                                    let sel = o == cur;
                                    view! { <option value=o.clone() selected=sel>{label}</option> }
                                }).collect_view()
                            }}
                        </select>
                    </label>
                }
            }).collect_view()}
        </div>
        {move || by_findings.get().then(|| view! { <CorpusProgress /> })}
        <p class="count" data-count=move || shown.with(Vec::len).to_string()>
            {move || format!("{} of {} runs", shown.with(Vec::len), all.with(Vec::len))}
        </p>
        <p><a href="#/compare">"Compare two models →"</a></p>
        <SortableTable data=table name="runs" />
    }
}
