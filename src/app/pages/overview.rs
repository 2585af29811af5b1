use super::PageHeading;
use crate::app::explorer::loader::{DiskLoader, IssueList};
use crate::app::explorer::pct;
use crate::app::explorer::table::{Cell, Column, SortableTable, TableData};
use crate::app::state::{AppState, LoadState};
use leptos::prelude::*;
use sbx_suite::stats::{accuracy_by_model, Grouping};

/// Headline leaderboard of one suite: accuracy per (model, harness), 95% t interval.
fn leaderboard(state: AppState, suite: String) -> TableData {
    let evals: Vec<_> = state
        .evals()
        .into_iter()
        .filter(|e| e.suite == suite)
        .collect();
    let runs: Vec<_> = state
        .runs()
        .into_iter()
        .filter(|r| r.suite == suite)
        .collect();
    let rows = accuracy_by_model(&evals, &runs, Grouping::Overall);
    TableData {
        columns: vec![
            Column::num("rank", "#"),
            Column::text("model", "Model"),
            Column::text("harness", "Harness"),
            Column::num("accuracy", "Accuracy"),
            Column::num("ci_lower", "95% CI low"),
            Column::num("ci_upper", "95% CI high"),
            Column::num("n_evals", "Evals"),
            Column::num("n_runs", "Runs"),
        ],
        rows: rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                vec![
                    Cell::int(i + 1),
                    Cell::Text(r.key.model.clone()),
                    Cell::Text(r.key.harness.clone()),
                    Cell::Num(Some(r.accuracy.mean), pct(Some(r.accuracy.mean))),
                    Cell::Num(r.accuracy.ci_lower, pct(r.accuracy.ci_lower)),
                    Cell::Num(r.accuracy.ci_upper, pct(r.accuracy.ci_upper)),
                    Cell::int(r.n_evals),
                    Cell::int(r.n_runs),
                ]
            })
            .collect(),
    }
}

#[component]
pub fn Overview() -> impl IntoView {
    let state = AppState::get();
    view! {
        <PageHeading title="Overview" lede="SpatialBench tasks, graded runs, datasets and failure case studies, explored and regraded in your browser." />
        {move || match state.manifest.get() {
            LoadState::Loading => view! { <p class="loading">"Loading the built-in bundle…"</p> }.into_any(),
            LoadState::Failed(e) => view! {
                <p class="empty">"No bundle is loaded (" {e} "). Open a benchmark folder below."</p>
            }.into_any(),
            LoadState::Ready(m) => {
                let bundles = state.bundles.get();
                let n_tables: usize = bundles.iter().map(|b| b.manifest.results.len()).sum();
                let n_traj: usize = bundles.iter().flat_map(|b| b.manifest.runs.iter()).filter(|r| r.trajectory.is_some()).count();
                let suites: Vec<_> = bundles.iter().flat_map(|b| b.manifest.suites.iter().map(|s| (b.name.clone(), s.clone()))).collect();
                view! {
                    <div class="stat-cards">
                        <div class="stat-card" data-stat="suites"><span class="n">{m.suites.len()}</span><span>"suites"</span></div>
                        <div class="stat-card" data-stat="evals"><span class="n">{m.evals}</span><span>"evals"</span></div>
                        <div class="stat-card" data-stat="runs"><span class="n">{m.runs}</span><span>"runs"</span></div>
                        <div class="stat-card" data-stat="trajectories"><span class="n">{n_traj}</span><span>"trajectories"</span></div>
                        <div class="stat-card" data-stat="results"><span class="n">{n_tables}</span><span>"published results tables"</span></div>
                    </div>
                    <table class="data suite-table">
                        <thead><tr><th>"Suite"</th><th class="num">"Evals"</th><th class="num">"Runs"</th><th class="num">"Trajectories"</th><th class="num">"Results tables"</th><th>"Bundle"</th></tr></thead>
                        <tbody>
                            {suites.iter().map(|(b, s)| view! {
                                <tr data-suite=s.name.clone()>
                                    <td><a href=format!("#/tasks?suite={}", crate::routes::percent_encode(&s.name))>{s.name.clone()}</a></td>
                                    <td class="num">{s.n_evals}</td>
                                    <td class="num">{s.n_runs}</td>
                                    <td class="num">{s.n_trajectories}</td>
                                    <td class="num">{s.n_results_tables}</td>
                                    <td>{b.clone()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    <h2>"Leaderboard"</h2>
                    <p class="lede">"Accuracy per model and harness: the mean over evals of each eval's pass rate, with a 95% t-interval over evals (as the benchmarks publish it). "
                        <a href="#/results">"More on the Results page."</a></p>
                    {suites.iter().filter(|(_, s)| s.n_runs > 0).map(|(_, s)| {
                        let name = s.name.clone();
                        let data = leaderboard(state, name.clone());
                        view! {
                            <section class="card leaderboard" data-suite=name.clone()>
                                <h3>{name.clone()}</h3>
                                <SortableTable data=Signal::derive(move || data.clone()) name=format!("leaderboard-{name}") />
                            </section>
                        }
                    }).collect_view()}
                }.into_any()
            }
        }}
        <IssueList />
        <DiskLoader />
    }
}
