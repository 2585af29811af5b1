//! Batch integration: clusters before and after integration across timepoints.

use super::common::*;
use super::plots::{Chart, ChartCanvas};
use super::{ok, Timing};
use crate::app::viewer::Viewer;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sbx_data::{CategoricalColumn, Dataset};
use sbx_kernels::cases::batch::{case_batch_integration, BatchSummary, ClusterOptions, Integration};
use sbx_kernels::cases::Headline;
use sbx_kernels::sim::Scenario;
use serde_json::Value;
use std::sync::Arc;

const KEY: &str = "mean_max_timepoint_fraction";

fn integration(name: &str) -> Integration {
    match name {
        "harmony" => Integration::Harmony,
        "scaling" => Integration::PerBatchScaling,
        _ => Integration::None,
    }
}

/// Per cluster, the share of its units from each timepoint (largest clusters first, at most 20).
fn timepoint_shares(s: &Scenario, b: &BatchSummary) -> (Vec<Vec<f64>>, Vec<String>) {
    let Some(tp) = s.obs("timepoint") else { return (Vec::new(), Vec::new()) };
    let k = tp.categories.len();
    let mut counts = vec![vec![0usize; k]; b.n_clusters];
    for (u, &c) in b.clusters.iter().enumerate() {
        if let (Some(row), Some(&t)) = (counts.get_mut(c as usize), tp.codes.get(u)) {
            if let Some(slot) = row.get_mut(t as usize) {
                *slot += 1;
            }
        }
    }
    let mut order: Vec<usize> = (0..counts.len()).collect();
    order.sort_by_key(|&c| std::cmp::Reverse(counts[c].iter().sum::<usize>()));
    let parts = order
        .into_iter()
        .take(20)
        .map(|c| {
            let n = counts[c].iter().sum::<usize>().max(1) as f64;
            counts[c].iter().map(|&x| x as f64 / n).collect()
        })
        .collect();
    (parts, tp.categories.clone())
}

fn run(s: &Scenario, name: &str) -> Option<Arc<BatchSummary>> {
    ok(case_batch_integration(s, integration(name), &ClusterOptions::default()), "clustering").map(Arc::new)
}

fn with_clusters(base: &Dataset, name: &str, b: &BatchSummary) -> CategoricalColumn {
    let labels: Vec<String> = b.clusters.iter().map(|c| format!("c{c}")).collect();
    let _ = base;
    CategoricalColumn::from_labels(name, &labels)
}

#[component]
fn Side(#[prop(into)] side: String, #[prop(into)] heading: String, #[prop(into)] method: String, sum: RwSignal<Option<Arc<BatchSummary>>>, verdict: Signal<Option<Verdict>>, s: Arc<Scenario>) -> impl IntoView {
    let frac = Signal::derive(move || sum.get().map(|d| d.mean_max_fraction));
    let n = Signal::derive(move || sum.get().map(|d| d.n_clusters as f64));
    let purity = Signal::derive(move || sum.get().map(|d| d.mean_cell_type_purity));
    let sc = StoredValue::new(s);
    let chart = Signal::derive(move || {
        sum.get().map(|d| {
            let (parts, names) = timepoint_shares(&sc.get_value(), &d);
            Arc::new(Chart::Stacked { title: "Clusters by timepoint".into(), x_desc: "cluster (largest first)".into(), parts, part_names: names })
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
pub fn Case(s: Arc<Scenario>) -> impl IntoView {
    let wrong = RwSignal::new(None::<Arc<BatchSummary>>);
    let right = RwSignal::new(None::<Arc<BatchSummary>>);
    let mine = RwSignal::new(None::<Arc<BatchSummary>>);
    let eval = RwSignal::new(None::<Value>);
    let pick = RwSignal::new("scaling".to_string());
    let ms = RwSignal::new(None::<f64>);
    let base = Arc::new(crate::demo::scenario_dataset(&s));
    let ds = RwSignal::new(base.clone());
    let sc = StoredValue::new(s.clone());

    spawn_local(async move {
        yield_now().await;
        let s = sc.get_value();
        let t0 = now_ms();
        let w = run(&s, "none");
        ms.set(Some(now_ms() - t0));
        wrong.set(w.clone());
        yield_now().await;
        let r = run(&s, "harmony");
        right.set(r.clone());
        if let (Some(w), Some(r)) = (w, r) {
            let truth = match &s.truth {
                sbx_kernels::sim::Truth::BatchIntegration { balanced_max_fraction, .. } => *balanced_max_fraction,
                _ => f64::NAN,
            };
            let h = Headline {
                key: KEY.into(),
                question: "mean over clusters of the largest single-timepoint fraction".into(),
                wrong: w.mean_max_fraction,
                wrong_method: "PCA + Louvain on pooled timepoints".into(),
                right: r.mean_max_fraction,
                right_method: "Harmony-style integration, then PCA + Louvain".into(),
                truth,
            };
            eval.set(Some(eval_json(&s, &h)));
            let mut d = (*base).clone();
            d.categorical.push(with_clusters(&base, "cluster (no integration)", &w));
            d.categorical.push(with_clusters(&base, "cluster (integrated)", &r));
            ds.set(Arc::new(d));
        }
        yield_now().await;
        mine.set(run(&s, "scaling"));
    });
    let recompute = move || {
        let p = pick.get_untracked();
        mine.set(None);
        spawn_local(async move {
            yield_now().await;
            mine.set(run(&sc.get_value(), &p));
        });
    };
    let verdict_of = move |sum: RwSignal<Option<Arc<BatchSummary>>>| {
        Signal::derive(move || grade(&eval.get()?, KEY, sum.get()?.mean_max_fraction).ok())
    };
    let mine_frac = Signal::derive(move || mine.get().map(|d| d.mean_max_fraction));
    view! {
        <section class="case-tissue">
            <h2>"The tissue"</h2>
            <p class="muted">"One section per timepoint (small multiples). Once the clustering is computed, colour by “cluster (no integration)” or “cluster (integrated)”: unintegrated clusters follow the section."</p>
            {move || {
                let d = ds.get();
                let color = if d.categorical("cluster (no integration)").is_some() { "cluster (no integration)" } else { "cell_type" };
                view! { <Viewer dataset=d color=color facet="timepoint" /> }
            }}
        </section>
        <h2>"Wrong and right analysis, side by side"</h2>
        <div class="grid-2 case-sides">
            <Side side="wrong" heading="Wrong: pool the timepoints and cluster" method="log-normalize, PCA (20), 15-NN graph, Louvain — timepoints as given" sum=wrong verdict=verdict_of(wrong) s=s.clone() />
            <Side side="right" heading="Right: integrate across timepoints first" method="Harmony-style correction of the PCA embedding per timepoint, then the same clustering" sum=right verdict=verdict_of(right) s=s.clone() />
        </div>
        <Timing testid="wrong-ms" label="PCA + kNN + Louvain (WASM)" ms=ms />
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
