use super::speed::SpeedAccuracy;
use super::PageHeading;
use crate::app::explorer::charts::{chart_view, forest_legend, heat_legend, Heat, FOREST, HEAT};
use crate::app::explorer::table::{Cell, Column, SortableTable, TableData};
use crate::app::explorer::task_href;
use crate::app::router::{replace_query, use_location};
use crate::app::state::AppState;
use leptos::prelude::*;
use sbx_suite::stats::forest::{forest, IntervalKind};
use sbx_suite::stats::{
    accuracy_by_model, pass_matrix, published_accuracy, AccuracyRow, Grouping, PassMatrix,
};
use sbx_suite::ResultsTable;

fn grouping_of(s: &str) -> Grouping {
    match s {
        "platform" => Grouping::Platform,
        "category" => Grouping::Category,
        "time_horizon" => Grouping::TimeHorizon,
        _ => Grouping::Overall,
    }
}

/// `[lo, hi]` with a `‹` or `›` where the bound was clipped to [0, 100].
fn t_text(r: &AccuracyRow) -> String {
    match r.clipped_t() {
        Some((lo, hi, _)) => {
            let (l, h) = (r.accuracy.ci_lower, r.accuracy.ci_upper);
            let mark = |v: Option<f64>, c: &'static str| {
                if v.is_some_and(|v| !(0.0..=100.0).contains(&v)) {
                    c
                } else {
                    ""
                }
            };
            format!("[{}{lo:.1}, {hi:.1}{}]", mark(l, "‹"), mark(h, "›"))
        }
        None => "no interval (one eval)".into(),
    }
}

/// One row per (group, model): accuracy, the published t interval (clipped
/// for display, and as computed) and the bootstrap interval over evals.
fn accuracy_table(acc: &[AccuracyRow]) -> TableData {
    TableData {
        columns: vec![
            Column::text("group", "Group"),
            Column::text("model", "Model"),
            Column::text("harness", "Harness"),
            Column::num("accuracy", "Accuracy (%)"),
            Column::text("t_ci", "95% t CI, shown in [0, 100]"),
            Column::num("ci_lower", "t CI low, as computed"),
            Column::num("ci_upper", "t CI high, as computed"),
            Column::num("boot_lower", "95% bootstrap low"),
            Column::num("boot_upper", "95% bootstrap high"),
            Column::num("n_evals", "Evals"),
            Column::num("n_runs", "Runs"),
        ],
        rows: acc
            .iter()
            .map(|r| {
                vec![
                    Cell::Text(r.group.clone().unwrap_or_else(|| "overall".into())),
                    Cell::Text(r.key.model.clone()),
                    Cell::Text(r.key.harness.clone()),
                    Cell::num(Some(r.accuracy.mean), 1),
                    Cell::Text(t_text(r)),
                    Cell::num(r.accuracy.ci_lower, 1),
                    Cell::num(r.accuracy.ci_upper, 1),
                    Cell::num(r.bootstrap.map(|b| b.0), 1),
                    Cell::num(r.bootstrap.map(|b| b.1), 1),
                    Cell::int(r.n_evals),
                    Cell::int(r.n_runs),
                ]
            })
            .collect(),
    }
}

/// One row per eval column of the heatmap: how many models and runs passed it.
fn eval_pass_table(m: &PassMatrix) -> TableData {
    TableData {
        columns: vec![
            Column::num("column", "Column"),
            Column::text("eval", "Eval"),
            Column::num("models", "Models"),
            Column::num("passed", "Runs passed"),
            Column::num("graded", "Runs graded"),
            Column::num("pass_rate", "Pass rate (%)"),
        ],
        rows: m
            .evals
            .iter()
            .enumerate()
            .map(|(j, (s, e))| {
                let cells: Vec<_> = m.cells.iter().filter_map(|r| r[j]).collect();
                let passed: usize = cells.iter().map(|c| c.passed).sum();
                let graded: usize = cells.iter().map(|c| c.graded).sum();
                let rate = (graded > 0).then(|| 100.0 * passed as f64 / graded as f64);
                vec![
                    Cell::int(j + 1),
                    Cell::Link(e.clone(), task_href(s, e)),
                    Cell::int(cells.len()),
                    Cell::int(passed),
                    Cell::int(graded),
                    Cell::num(rate, 1),
                ]
            })
            .collect(),
    }
}

fn published_table(t: &ResultsTable) -> TableData {
    let metrics = t.metric_names();
    let mut columns = vec![
        Column::text("model", "Model"),
        Column::text("harness", "Harness"),
    ];
    let grouped = t.rows.iter().any(|r| r.group.is_some());
    let per_eval = t.rows.iter().any(|r| r.eval_id.is_some());
    if grouped {
        columns.push(Column::text("group", "Group"));
    }
    if per_eval {
        columns.push(Column::text("eval", "Eval"));
    }
    for m in &metrics {
        columns.push(Column::num(m, m));
        columns.push(Column::text(&format!("{m}_ci"), &format!("{m} 95% CI")));
    }
    columns.push(Column::num("n", "N"));
    let rows = t
        .rows
        .iter()
        .map(|r| {
            let mut row = vec![
                Cell::Text(r.display_name.clone().unwrap_or_else(|| r.model.clone())),
                Cell::Text(r.harness.clone().unwrap_or_default()),
            ];
            if grouped {
                row.push(Cell::Text(r.group.clone().unwrap_or_default()));
            }
            if per_eval {
                row.push(Cell::Text(r.eval_id.clone().unwrap_or_default()));
            }
            for m in &metrics {
                match r.metrics.get(m) {
                    Some(e) => {
                        row.push(Cell::num(Some(e.mean), 2));
                        row.push(Cell::Text(match (e.ci_lower, e.ci_upper) {
                            (Some(l), Some(h)) => format!("[{l:.2}, {h:.2}]"),
                            _ => String::new(),
                        }));
                    }
                    None => {
                        row.push(Cell::num(None, 2));
                        row.push(Cell::Text(String::new()));
                    }
                }
            }
            row.push(Cell::num(r.n, 0));
            row
        })
        .collect();
    TableData { columns, rows }
}

#[component]
pub fn Results() -> impl IntoView {
    let state = AppState::get();
    let loc = use_location().get_untracked();
    let suite_q = RwSignal::new(loc.param("suite").unwrap_or("").to_string());
    let group_q = RwSignal::new(loc.param("by").unwrap_or("overall").to_string());
    let suites_with_runs = Memo::new(move |_| {
        state.bundles.with(|bs| {
            bs.iter()
                .flat_map(|b| b.manifest.suites.iter())
                .filter(|s| s.n_runs > 0 || s.n_results_tables > 0)
                .map(|s| s.name.clone())
                .collect::<Vec<_>>()
        })
    });
    let suite = Memo::new(move |_| {
        let q = suite_q.get();
        let all = suites_with_runs.get();
        if all.contains(&q) {
            q
        } else {
            all.first().cloned().unwrap_or_default()
        }
    });
    let runs = Memo::new(move |_| {
        let s = suite.get();
        state
            .runs()
            .into_iter()
            .filter(|r| r.suite == s)
            .collect::<Vec<_>>()
    });
    let evals = Memo::new(move |_| {
        let s = suite.get();
        state
            .evals()
            .into_iter()
            .filter(|e| e.suite == s)
            .collect::<Vec<_>>()
    });
    let acc = Memo::new(move |_| {
        accuracy_by_model(&evals.get(), &runs.get(), grouping_of(&group_q.get()))
    });
    let interval_q = RwSignal::new(loc.param("ci").unwrap_or("t").to_string());
    let kind = move || match interval_q.get().as_str() {
        "bootstrap" => IntervalKind::Bootstrap,
        _ => IntervalKind::T,
    };
    let panels = Signal::derive(move || forest(&acc.get(), kind()));
    let acc_table = Signal::derive(move || accuracy_table(&acc.get()));
    let matrix = Memo::new(move |_| pass_matrix(&runs.get()));
    let heat = Signal::derive(move || {
        let m = matrix.get();
        Heat {
            rows: m.models.iter().map(|k| k.label()).collect(),
            n_cols: m.evals.len(),
            cells: m
                .cells
                .iter()
                .map(|r| r.iter().map(|c| c.and_then(|c| c.rate())).collect())
                .collect(),
        }
    });
    let heat_table = Signal::derive(move || eval_pass_table(&matrix.get()));
    let published = Memo::new(move |_| {
        let s = suite.get();
        state.bundles.with(|bs| {
            bs.iter()
                .flat_map(|b| b.manifest.results.iter())
                .filter(|t| t.suite == s)
                .map(|t| t.table.clone())
                .collect::<Vec<_>>()
        })
    });
    let set_query = move || {
        replace_query(vec![
            ("suite".into(), suite_q.get_untracked()),
            ("by".into(), group_q.get_untracked()),
            ("ci".into(), interval_q.get_untracked()),
        ]);
    };
    view! {
        <PageHeading title="Results" lede="Accuracy per model with 95% confidence intervals over evals, one panel per group; the model × eval heatmap; speed against accuracy; and the published tables, drawn the same way." />
        <div class="filters">
            <label>"Suite"
                <select data-filter="suite" on:change=move |ev| { suite_q.set(event_target_value(&ev)); set_query(); }>
                    {move || {
                        let cur = suite.get();
                        suites_with_runs.get().into_iter().map(|s| {
                            let sel = s == cur;
                            view! { <option value=s.clone() selected=sel>{s.clone()}</option> }
                        }).collect_view()
                    }}
                </select>
            </label>
            <label>"Accuracy by"
                <select data-filter="by" on:change=move |ev| { group_q.set(event_target_value(&ev)); set_query(); }>
                    {[("overall", "overall"), ("platform", "platform"), ("category", "task category"), ("time_horizon", "time horizon")].into_iter().map(|(v, l)| {
                        let sel = group_q.get_untracked() == v;
                        view! { <option value=v selected=sel>{l}</option> }
                    }).collect_view()}
                </select>
            </label>
            <label>"Interval drawn"
                <select data-filter="ci" on:change=move |ev| { interval_q.set(event_target_value(&ev)); set_query(); }>
                    {[("t", "t over evals (published method, clipped to [0, 100])"), ("bootstrap", "bootstrap over evals")].into_iter().map(|(v, l)| {
                        let sel = interval_q.get_untracked() == v;
                        view! { <option value=v selected=sel>{l}</option> }
                    }).collect_view()}
                </select>
            </label>
        </div>
        {move || (!runs.with(Vec::is_empty)).then(|| view! {
            <section class="card accuracy">
                <h2>"Accuracy per model"</h2>
                <p class="lede">"The t interval is the benchmarks' published method; over few evals it can pass 0% or 100%, so it is drawn and listed clipped to [0, 100], with ‹ or › where a bound was outside (the table keeps the computed bounds). The bootstrap interval resamples evals (10,000 resamples, fixed seed) and stays inside [0, 100]."</p>
                {chart_view(FOREST, panels, format!("accuracy-{}-{}", suite.get_untracked(), group_q.get_untracked()), forest_legend())}
                <SortableTable data=acc_table name=format!("accuracy-{}-{}", suite.get_untracked(), group_q.get_untracked()) />
            </section>
            <section class="card heatmap">
                <h2>"Pass rate, model × eval"</h2>
                {chart_view(HEAT, heat, format!("heatmap-{}", suite.get_untracked()), heat_legend())}
                <SortableTable data=heat_table name=format!("heatmap-evals-{}", suite.get_untracked()) />
            </section>
        })}
        {move || runs.with(Vec::is_empty).then(|| view! { <p class="empty">"No graded runs in this suite; its published tables are below."</p> })}
        <SpeedAccuracy suite=suite runs=runs />
        <h2>"Published results tables"</h2>
        {move || {
            let tables = published.get();
            if tables.is_empty() {
                view! { <p class="empty">"This suite has no published results tables."</p> }.into_any()
            } else {
                tables.into_iter().map(|t| {
                    let data = published_table(&t);
                    let title = format!("{} ({})", t.name, t.path);
                    let rows = published_accuracy(&t);
                    let chart = (!rows.is_empty() && t.rows.iter().all(|r| r.eval_id.is_none())).then(|| {
                        let f = forest(&rows, IntervalKind::T);
                        chart_view(FOREST, Signal::derive(move || f.clone()), format!("published-{}", t.name), forest_legend())
                    });
                    view! {
                        <section class="card published" data-table-path=t.path.clone()>
                            <h3>{title}</h3>
                            {chart}
                            <SortableTable data=Signal::derive(move || data.clone()) name=format!("published-{}", t.name) />
                        </section>
                    }
                }).collect_view().into_any()
            }
        }}
    }
}
