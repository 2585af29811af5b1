//! Niche discovery: neighbourhood-composition niches vs pairwise proximity.

use super::common::*;
use super::plots::{Chart, ChartCanvas};
use super::{ok, Timing};
use crate::app::viewer::Viewer;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sbx_data::{CategoricalColumn, Dataset};
use sbx_kernels::cases::niches::{case_fibro_immune_proximity, case_niches, NicheSummary, PairwiseSummary};
use sbx_kernels::cases::Headline;
use sbx_kernels::sim::Scenario;
use serde_json::Value;
use std::sync::Arc;

const KEY: &str = "niche_fold";

fn niche_column(n: &NicheSummary) -> CategoricalColumn {
    let labels: Vec<String> = n
        .labels
        .iter()
        .map(|&l| if n.niches.contains(&l) { "fibro-inflammatory niche".to_string() } else { format!("niche {l}") })
        .collect();
    CategoricalColumn::from_labels("niche", &labels)
}

#[component]
pub fn Case(s: Arc<Scenario>) -> impl IntoView {
    let wrong = RwSignal::new(None::<Arc<PairwiseSummary>>);
    let right = RwSignal::new(None::<Arc<NicheSummary>>);
    let mine = RwSignal::new(None::<Arc<NicheSummary>>);
    let eval = RwSignal::new(None::<Value>);
    let count = RwSignal::new(8usize);
    let ms = RwSignal::new(None::<f64>);
    let base = Arc::new(crate::demo::scenario_dataset(&s));
    let ds = RwSignal::new(base.clone());
    let sc = StoredValue::new(s.clone());

    spawn_local(async move {
        yield_now().await;
        let s = sc.get_value();
        let w = ok(case_fibro_immune_proximity(&s, 10), "proximity");
        wrong.set(w.clone().map(Arc::new));
        yield_now().await;
        let t0 = now_ms();
        let r = ok(case_niches(&s, 8, 15, 1), "niches");
        ms.set(Some(now_ms() - t0));
        right.set(r.clone().map(Arc::new));
        mine.set(r.clone().map(Arc::new));
        if let (Some(w), Some(r)) = (w, r) {
            let truth = match &s.truth {
                sbx_kernels::sim::Truth::NicheDiscovery { niche_fraction, .. } => {
                    niche_fraction.last().copied().unwrap_or(f64::NAN) / niche_fraction.first().copied().unwrap_or(f64::NAN)
                }
                _ => f64::NAN,
            };
            let h = Headline {
                key: KEY.into(),
                question: "fold increase sham -> day 14".into(),
                wrong: w.fold,
                wrong_method: "fibroblast-immune proximity".into(),
                right: r.fold,
                right_method: "k-means niches (8)".into(),
                truth,
            };
            eval.set(Some(eval_json(&s, &h)));
            let mut d: Dataset = (*base).clone();
            d.categorical.push(niche_column(&r));
            ds.set(Arc::new(d));
        }
    });
    let recompute = move || {
        let n = count.get_untracked();
        mine.set(None);
        spawn_local(async move {
            yield_now().await;
            mine.set(ok(case_niches(&sc.get_value(), n, 15, 1), "niches").map(Arc::new));
        });
    };
    let eval_s = move || eval.get();
    let wrong_fold = Signal::derive(move || wrong.get().map(|w| w.fold));
    let wrong_first = Signal::derive(move || wrong.get().and_then(|w| w.score.first().copied()));
    let wrong_last = Signal::derive(move || wrong.get().and_then(|w| w.score.last().copied()));
    let right_fold = Signal::derive(move || right.get().map(|w| w.fold));
    let right_first = Signal::derive(move || right.get().and_then(|w| w.niche_fraction.first().copied()));
    let right_last = Signal::derive(move || right.get().and_then(|w| w.niche_fraction.last().copied()));
    let mine_fold = Signal::derive(move || mine.get().map(|w| w.fold));
    let v_wrong = Signal::derive(move || grade(&eval_s()?, KEY, wrong.get()?.fold).ok());
    let v_right = Signal::derive(move || grade(&eval_s()?, KEY, right.get()?.fold).ok());
    let v_mine = Signal::derive(move || grade(&eval_s()?, KEY, mine.get()?.fold).ok());
    let chart = Signal::derive(move || {
        let (w, r) = (wrong.get()?, right.get()?);
        let series = |v: &[f64]| v.iter().enumerate().map(|(i, &y)| (i as f64, y)).collect::<Vec<_>>();
        let mut ser = vec![
            ("fibroblast-immune proximity".to_string(), series(&w.score)),
            ("niche share (8 niches)".to_string(), series(&r.niche_fraction)),
        ];
        if let Some(m) = mine.get() {
            if m.n_niches != 8 {
                ser.push((format!("niche share ({} niches)", m.n_niches), series(&m.niche_fraction)));
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
            {move || {
                let d = ds.get();
                let has = d.categorical("niche").is_some();
                if has {
                    view! { <Viewer dataset=d color="niche" facet="timepoint" /> }.into_any()
                } else {
                    view! { <Viewer dataset=d color="cell_type" facet="timepoint" /> }.into_any()
                }
            }}
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
        <Timing testid="right-ms" label="kNN + k-means niches (WASM)" ms=ms />
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
