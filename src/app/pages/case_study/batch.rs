//! Batch integration: clusters before and after integration across timepoints,
//! computed in the worker (`crate::worker::case`); this page shows them.

use super::common::{grade, Num, Verdict, VerdictBadge};
use super::plots::{Chart, ChartCanvas};
use super::{Timing, Tissue};
use crate::app::viewer::Viewer;
use crate::worker::client::case::{always, dataset, Choice, Client};
use crate::worker::protocol::{Analysis, BatchAnswer};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;
use std::sync::Arc;

const KEY: &str = "mean_max_timepoint_fraction";

/// One clustering as the worker describes it.
type BatchSummary = BatchAnswer;

fn summary_of(v: BatchAnswer) -> Arc<BatchSummary> {
    Arc::new(v)
}

fn batch(integration: &str) -> Analysis {
    Analysis::Batch {
        integration: integration.to_string(),
    }
}

#[component]
fn Side(
    #[prop(into)] side: String,
    #[prop(into)] heading: String,
    #[prop(into)] method: String,
    sum: RwSignal<Option<Arc<BatchSummary>>>,
    verdict: Signal<Option<Verdict>>,
) -> impl IntoView {
    let frac = Signal::derive(move || sum.get().map(|d| d.mean_max_fraction));
    let n = Signal::derive(move || sum.get().map(|d| d.n_clusters as f64));
    let purity = Signal::derive(move || sum.get().map(|d| d.mean_cell_type_purity));
    let chart = Signal::derive(move || {
        sum.get().map(|d| {
            Arc::new(Chart::Stacked {
                title: "Clusters by timepoint".into(),
                x_desc: "cluster (largest first)".into(),
                parts: d.shares.clone(),
                part_names: d.timepoints.clone(),
            })
        })
    });
    let sd = side.clone();
    view! {
        <div class=format!("card case-side {side}")>
            <h3>{heading} " " <VerdictBadge testid=format!("{sd}-verdict") verdict=verdict /></h3>
            <p class="muted">{method}</p>
            <p class="big">"Mean max single-timepoint fraction: " <Num testid=format!("{sd}-maxfrac") value=frac /></p>
            <p>"Clusters: " <Num testid=format!("{sd}-nclusters") value=n /> " · mean cell-type purity: " <Num testid=format!("{sd}-purity") value=purity /></p>
            <ChartCanvas chart=chart testid=format!("{sd}-chart") />
        </div>
    }
}

#[component]
pub fn Case(client: Client, tissue: Tissue) -> impl IntoView {
    let wrong = RwSignal::new(None::<Arc<BatchSummary>>);
    let right = RwSignal::new(None::<Arc<BatchSummary>>);
    let mine = RwSignal::new(None::<Arc<BatchSummary>>);
    let eval = RwSignal::new(None::<Value>);
    let pick = RwSignal::new("scaling".to_string());
    let ms = RwSignal::new(None::<f64>);
    let ds = RwSignal::new(tissue.dataset);
    let choice = Choice::new();

    let recompute = move || {
        let ask = move || batch(&pick.get_untracked());
        choice.fill(client, "clustering with your choice", ask, mine, summary_of);
    };
    let c = client.get_value();
    spawn_local(async move {
        let step = "clustering the pooled timepoints (PCA, 15-NN graph, Louvain)";
        let Some(w) = c.run::<BatchAnswer>(step, batch("none"), always).await else {
            return;
        };
        ms.set(Some(w.ms));
        wrong.set(Some(summary_of(w.answer)));
        let step = "integrating the timepoints (Harmony-style), then clustering";
        let Some(r) = c.run::<BatchAnswer>(step, batch("harmony"), always).await else {
            return;
        };
        right.set(Some(summary_of(r.answer)));
        let step = "grading, and colouring the tissue by cluster";
        if let Some(bytes) = c.headline(step, eval).await {
            if let Some(d) = dataset(bytes, "the clustered tissue") {
                ds.set(Some(d));
            }
        }
        recompute();
    });
    let verdict_of = move |sum: RwSignal<Option<Arc<BatchSummary>>>| {
        Signal::derive(move || grade(&eval.get()?, KEY, sum.get()?.mean_max_fraction).ok())
    };
    let mine_frac = Signal::derive(move || mine.get().map(|d| d.mean_max_fraction));
    view! {
        <section class="case-tissue">
            <h2>"The tissue"</h2>
            <p class="muted">"One section per timepoint (small multiples). Once the clustering is computed, colour by “cluster (no integration)” or “cluster (integrated)”: unintegrated clusters follow the section."</p>
            {move || ds.get().map(|d| {
                let color = if d.categorical("cluster (no integration)").is_some() { "cluster (no integration)" } else { "cell_type" };
                view! { <Viewer dataset=d color=color facet="timepoint" /> }
            })}
        </section>
        <h2>"Wrong and right analysis, side by side"</h2>
        <div class="grid-2 case-sides">
            <Side side="wrong" heading="Wrong: pool the timepoints and cluster" method="log-normalize, PCA (20), 15-NN graph, Louvain — timepoints as given" sum=wrong verdict=verdict_of(wrong) />
            <Side side="right" heading="Right: integrate across timepoints first" method="Harmony-style correction of the PCA embedding per timepoint, then the same clustering" sum=right verdict=verdict_of(right) />
        </div>
        <Timing testid="wrong-ms" label="PCA + kNN + Louvain (WASM, in the worker)" ms=ms />
        <section class="card case-try" data-testid="case-try">
            <h2>"Your choice"</h2>
            <label>"Integration "
                <select data-testid="choice-integration" prop:value=move || pick.get() on:change=move |ev| { pick.set(event_target_value(&ev)); recompute(); }>
                    <option value="none">"off (pooled)"</option>
                    <option value="scaling">"per-timepoint centering and scaling"</option>
                    <option value="harmony">"Harmony-style"</option>
                </select>
            </label>
            <p class="big">"Mean max timepoint fraction: " <Num testid="mine-maxfrac" value=mine_frac /> " " <VerdictBadge testid="mine-verdict" verdict=verdict_of(mine) /></p>
        </section>
        {move || eval.get().map(|e| view! { <super::common::EvalPanel eval=e key=KEY.to_string() /> })}
    }
}
