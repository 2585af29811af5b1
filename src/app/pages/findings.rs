//! The Findings page: for each failure class and model, the runs the class
//! applied to and how many committed, avoided or were unclear, with 95%
//! Wilson intervals, and the pass rate of the runs that committed against
//! those that avoided. Every count opens the runs list filtered to its runs.

use leptos::prelude::*;
use sbx_findings::FailureClass;

use super::PageHeading;
use crate::app::download::download_text;
use crate::app::explorer::table::{Cell, Column, SortableTable, TableData};
use crate::app::findings::client::{ensure_loaded, status};
use crate::app::findings::{runs_filter_href, CorpusProgress};
use crate::app::state::AppState;
use crate::corpus::export::{runs_document, table_csv, table_json, ALL_MODELS};
use crate::corpus::summary::{summarize, ClassModelRow, PassRate, Share};
use crate::routes::Route;

fn pct(x: f64) -> String {
    format!("{:.0}", 100.0 * x)
}

/// "40% [22–61]", sorted by the share.
fn share_cell(s: &Share) -> Cell {
    match s.rate {
        None => Cell::Num(None, "–".into()),
        Some(r) => Cell::Num(
            Some(r),
            format!("{}% [{}–{}]", pct(r), pct(s.lo), pct(s.hi)),
        ),
    }
}

/// "1/2 · 50% [9–91]", linking to the runs that passed.
fn pass_cell(p: &PassRate, href: String) -> Cell {
    match p.rate {
        None => Cell::Num(None, "–".into()),
        Some(r) => Cell::NumLink(
            r,
            format!(
                "{}/{} · {}% [{}–{}]",
                p.passed,
                p.graded,
                pct(r),
                pct(p.lo),
                pct(p.hi)
            ),
            href,
        ),
    }
}

fn table(rows: &[ClassModelRow]) -> TableData {
    let columns = vec![
        Column::text("class", "Class"),
        Column::text("model", "Model"),
        Column::text("harness", "Harness"),
        Column::num("checked", "Checked"),
        Column::num("committed", "Committed"),
        Column::num("committed_share", "Committed share [95% CI]"),
        Column::num("avoided", "Avoided"),
        Column::num("avoided_share", "Avoided share [95% CI]"),
        Column::num("unclear", "Unclear"),
        Column::num("pass_committed", "Pass rate when committed"),
        Column::num("pass_avoided", "Pass rate when avoided"),
    ];
    let rows = rows
        .iter()
        .map(|r| {
            let class = r.class.id();
            let model = r.model.clone().unwrap_or_default();
            let harness = r.harness.clone().unwrap_or_default();
            let link = |finding: &str, verdict: &str| {
                runs_filter_href(&[
                    ("class", class),
                    ("finding", finding),
                    ("verdict", verdict),
                    ("model", &model),
                    ("harness", &harness),
                ])
            };
            let count =
                |n: usize, finding: &str| Cell::NumLink(n as f64, n.to_string(), link(finding, ""));
            let class_cell = match r.class.case_study() {
                Some(id) => Cell::Link(r.class.label().into(), Route::CaseStudy(id.into()).href()),
                None => Cell::Text(r.class.label().into()),
            };
            vec![
                class_cell,
                Cell::Text(r.model.clone().unwrap_or_else(|| ALL_MODELS.into())),
                Cell::Text(harness.clone()),
                count(r.checked, ""),
                count(r.committed.count, "committed"),
                share_cell(&r.committed),
                count(r.avoided.count, "avoided"),
                share_cell(&r.avoided),
                count(r.unclear.count, "unclear"),
                pass_cell(&r.pass_committed, link("committed", "pass")),
                pass_cell(&r.pass_avoided, link("avoided", "pass")),
            ]
        })
        .collect();
    TableData { columns, rows }
}

#[component]
pub fn Findings() -> impl IntoView {
    let state = AppState::get();
    Effect::new(move |_| {
        state.bundles.track();
        state.manifest.track();
        ensure_loaded();
    });
    let st = status();
    let class = RwSignal::new(String::new());
    // Models a class never applied to clutter the table; their rows stay in the exports.
    let all_rows = RwSignal::new(false);
    let rows = Memo::new(move |_| st.with(|s| summarize(&s.runs)));
    let shown = Memo::new(move |_| {
        let c = class.get();
        rows.get()
            .into_iter()
            .filter(|r| c.is_empty() || r.class.id() == c)
            .collect::<Vec<_>>()
    });
    let data = Signal::derive(move || {
        let all = all_rows.get();
        shown.with(|rows| {
            let kept: Vec<ClassModelRow> = rows
                .iter()
                .filter(|r| all || r.checked > 0 || r.model.is_none())
                .cloned()
                .collect();
            table(&kept)
        })
    });
    let download = move |what: &str| {
        let r = match what {
            "runs" => {
                let doc = st.with_untracked(|s| runs_document(&s.runs));
                let text = serde_json::to_string_pretty(&doc).unwrap_or_default();
                download_text("findings-runs.json", "application/json", &text)
            }
            "csv" => download_text(
                "findings-intervals.csv",
                "text/csv",
                &table_csv(&shown.get_untracked()),
            ),
            _ => {
                let text = serde_json::to_string_pretty(&table_json(&shown.get_untracked()))
                    .unwrap_or_default();
                download_text("findings-intervals.json", "application/json", &text)
            }
        };
        if let Err(e) = r {
            state.report(format!("Export failed: {e}"));
        }
    };
    view! {
        <PageHeading title="Findings" lede="The failure classes of the case studies, found in the real agent trajectories of the loaded suites, counted per model." />
        <p class="muted prose">"Each trajectory is read by a deterministic failure finder (rules over the code, no language model) in a background worker. \
            A class is checked only where the task and code make it apply; shares are of the checked runs, with 95% Wilson intervals. \
            Every count opens the runs it counts."</p>
        <CorpusProgress />
        <div class="filters">
            <label>"Class"
                <select data-filter="class" on:change=move |ev| class.set(event_target_value(&ev))>
                    <option value="">"(all)"</option>
                    {FailureClass::ALL.iter().map(|c| view! { <option value=c.id()>{c.label()}</option> }).collect_view()}
                </select>
            </label>
            <label class="check"><input type="checkbox" data-filter="all-rows" on:change=move |ev| all_rows.set(event_target_checked(&ev)) />
                " models the class never applied to"</label>
            <div class="table-tools">
                <button class="secondary" data-testid="export-runs" on:click=move |_| download("runs")>"Findings of every run (JSON)"</button>
                <button class="secondary" data-testid="export-intervals-csv" on:click=move |_| download("csv")>"Counts with intervals (CSV)"</button>
                <button class="secondary" data-testid="export-intervals-json" on:click=move |_| download("json")>"(JSON)"</button>
            </div>
        </div>
        <SortableTable data=data name="findings" />
    }
}
