//! Niche discovery: neighbourhood-composition niches vs pairwise proximity,
//! computed in the worker (`crate::worker::case`); this page shows them.

use super::common::{grade, Num, VerdictBadge};
use super::plots::{Chart, ChartCanvas};
use super::{Timing, Tissue};
use crate::app::viewer::Viewer;
use crate::worker::client::case::{always, dataset, Choice, Client};
use crate::worker::protocol::{Analysis, NicheAnswer};
use leptos::prelude::*;
use leptos::task::spawn_local;
use sbx_kernels::cases::niches::PairwiseSummary;
use serde_json::Value;
use std::sync::Arc;

const KEY: &str = "niche_fold";

/// The niches' share per timepoint, as the worker describes it.
type NicheSummary = NicheAnswer;

fn niches_of(v: NicheAnswer) -> Arc<NicheSummary> {
    Arc::new(v)
}

fn niches(n: usize) -> Analysis {
    Analysis::Niches { n, k: 15, seed: 1 }
}

#[component]
pub fn Case(client: Client, tissue: Tissue) -> impl IntoView {
    let wrong = RwSignal::new(None::<Arc<PairwiseSummary>>);
    let right = RwSignal::new(None::<Arc<NicheSummary>>);
    let mine = RwSignal::new(None::<Arc<NicheSummary>>);
    let eval = RwSignal::new(None::<Value>);
    let count = RwSignal::new(8usize);
    let ms = RwSignal::new(None::<f64>);
    let ds = RwSignal::new(tissue.dataset);
    let choice = Choice::new();

    let recompute = move || {
        let ask = move || niches(count.get_untracked());
        choice.fill(
            client,
            "finding your number of niches",
            ask,
            mine,
            niches_of,
        );
    };
    let c = client.get_value();
    spawn_local(async move {
        let step = "fibroblast–immune proximity (10 nearest neighbours)";
        let Some(w) = c
            .run::<PairwiseSummary>(step, Analysis::Proximity { k: 10 }, always)
            .await
        else {
            return;
        };
        wrong.set(Some(Arc::new(w.answer)));
        let step = "neighbourhood compositions (15-NN) and k-means niches";
        let Some(r) = c.run::<NicheAnswer>(step, niches(8), always).await else {
            return;
        };
        ms.set(Some(r.ms));
        right.set(Some(niches_of(r.answer)));
        let step = "grading, and colouring the tissue by niche";
        if let Some(bytes) = c.headline(step, eval).await {
            if let Some(d) = dataset(bytes, "the niche map") {
                ds.set(Some(d));
            }
        }
        recompute();
    });
    let eval_s = move || eval.get();
    let wrong_fold = Signal::derive(move || wrong.get().map(|w| w.fold));
    let wrong_first = Signal::derive(move || wrong.get().and_then(|w| w.score.first().copied()));
    let wrong_last = Signal::derive(move || wrong.get().and_then(|w| w.score.last().copied()));
    let right_fold = Signal::derive(move || right.get().map(|w| w.fold));
    let right_first =
        Signal::derive(move || right.get().and_then(|w| w.niche_fraction.first().copied()));
    let right_last =
        Signal::derive(move || right.get().and_then(|w| w.niche_fraction.last().copied()));
    let mine_fold = Signal::derive(move || mine.get().map(|w| w.fold));
    let v_wrong = Signal::derive(move || grade(&eval_s()?, KEY, wrong.get()?.fold).ok());
    let v_right = Signal::derive(move || grade(&eval_s()?, KEY, right.get()?.fold).ok());
    let v_mine = Signal::derive(move || grade(&eval_s()?, KEY, mine.get()?.fold).ok());
    let chart = Signal::derive(move || {
        let (w, r) = (wrong.get()?, right.get()?);
        let series = |v: &[f64]| {
            v.iter()
                .enumerate()
                .map(|(i, &y)| (i as f64, y))
                .collect::<Vec<_>>()
        };
        let mut ser = vec![
            ("fibroblast-immune proximity".to_string(), series(&w.score)),
            (
                "niche share (8 niches)".to_string(),
                series(&r.niche_fraction),
            ),
        ];
        if let Some(m) = mine.get() {
            if m.n_niches != 8 {
                ser.push((
                    format!("niche share ({} niches)", m.n_niches),
                    series(&m.niche_fraction),
                ));
            }
        }
        Some(Arc::new(Chart::Lines {
            title: format!("Per timepoint: {}", r.timepoints.join(", ")),
            x_desc: "timepoint (index)".into(),
            y_desc: "score".into(),
            series: ser,
            reference: None,
        }))
    });
    view! {
        <section class="case-tissue">
            <h2>"Niche map per timepoint"</h2>
            <p class="muted">"One panel per timepoint, cells coloured by cell type until the niches are computed, then by niche (pink: the fibro-inflammatory niche). Colour by cell_type with “niche” as the outline to see both channels."</p>
            {move || ds.get().map(|d| {
                let has = d.categorical("niche").is_some();
                if has {
                    view! { <Viewer dataset=d color="niche" facet="timepoint" /> }.into_any()
                } else {
                    view! { <Viewer dataset=d color="cell_type" facet="timepoint" /> }.into_any()
                }
            })}
        </section>
        <h2>"Wrong and right analysis, side by side"</h2>
        <div class="grid-2 case-sides">
            <div class="card case-side wrong">
                <h3>"Wrong: fibroblast–immune proximity" " " <VerdictBadge testid="wrong-verdict" verdict=v_wrong /></h3>
                <p class="muted">"mean share of immune cells among the 10 nearest neighbours of fibroblast-lineage cells, per timepoint"</p>
                <p class="big">"Fold sham → last: " <Num testid="wrong-fold" value=wrong_fold /></p>
                <p>"sham " <Num testid="wrong-first" value=wrong_first /> " → last " <Num testid="wrong-last" value=wrong_last /></p>
            </div>
            <div class="card case-side right">
                <h3>"Right: neighbourhood-composition niches" " " <VerdictBadge testid="right-verdict" verdict=v_right /></h3>
                <p class="muted">"k-means (8) on each cell's 15-NN cell-type composition; share of cells in the fibro-inflammatory niche"</p>
                <p class="big">"Fold sham → last: " <Num testid="right-fold" value=right_fold /></p>
                <p>"sham " <Num testid="right-first" value=right_first /> " → last " <Num testid="right-last" value=right_last /></p>
            </div>
        </div>
        <ChartCanvas chart=chart testid="niche-chart" />
        <Timing testid="right-ms" label="kNN + k-means niches (WASM, in the worker)" ms=ms />
        <section class="card case-try" data-testid="case-try">
            <h2>"Your choice: number of niches"</h2>
            <label>"niches " <strong>{move || count.get()}</strong>
                <input type="range" min="3" max="14" step="1" data-testid="choice-niches" prop:value=move || count.get().to_string()
                    on:change=move |ev| { if let Ok(v) = event_target_value(&ev).parse::<usize>() { count.set(v); recompute(); } } />
            </label>
            <p class="big">"Fold: " <Num testid="mine-fold" value=mine_fold /> " " <VerdictBadge testid="mine-verdict" verdict=v_mine /></p>
        </section>
        {move || eval.get().map(|e| view! { <super::common::EvalPanel eval=e key=KEY.to_string() /> })}
    }
}
