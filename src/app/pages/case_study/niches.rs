//! Niche discovery: neighbourhood-composition niches vs pairwise proximity,
//! computed in the worker (`crate::worker::case`); this page shows them.

use super::common::{Num, VerdictBadge};
use super::plots::{Chart, ChartCanvas};
use super::side::{Side, SideBySide, Which};
use super::state::CaseState;
use super::{Timing, Tissue};
use crate::app::viewer::Viewer;
use crate::worker::client::case::{with_computed, Client, Got};
use crate::worker::protocol::{Analysis, NicheAnswer};
use leptos::prelude::*;
use leptos::task::spawn_local;
use sbx_kernels::cases::niches::PairwiseSummary;
use sbx_kernels::cases::spec::{spec, CaseAnalysis};
use sbx_kernels::sim::ScenarioKind;
use std::sync::Arc;

type State = CaseState<PairwiseSummary, NicheAnswer>;

/// The pick is the number of niches; neighbours and seed are the right analysis's.
fn ask(p: &[String]) -> Option<Analysis> {
    let n = p.first()?.parse::<usize>().ok()?;
    match spec(ScenarioKind::NicheDiscovery).right.analysis {
        CaseAnalysis::Niches { k, seed, .. } => Some(Analysis::Niches { n, k, seed }),
        _ => None,
    }
}

fn answer<T>(got: Got<T>) -> T {
    got.answer
}

/// A side's fold and its first and last timepoint.
#[component]
fn Body(
    which: Which,
    fold: Signal<Option<f64>>,
    first: Signal<Option<f64>>,
    last: Signal<Option<f64>>,
) -> impl IntoView {
    view! {
        <p class="big">"Fold sham → last: " <Num testid=which.testid("fold") value=fold /></p>
        <p>"sham " <Num testid=which.testid("first") value=first /> " → last " <Num testid=which.testid("last") value=last /></p>
    }
}

/// The wrong and right scores per timepoint, and the reader's niches when their
/// number differs from the right analysis's.
fn chart(state: State) -> Signal<Option<Arc<Chart>>> {
    Signal::derive(move || {
        let (w, r) = (state.wrong.get()?, state.right.get()?);
        let series = |v: &[f64]| {
            v.iter()
                .enumerate()
                .map(|(i, &y)| (i as f64, y))
                .collect::<Vec<_>>()
        };
        let mut ser = vec![
            ("fibroblast-immune proximity".to_string(), series(&w.score)),
            (
                format!("niche share ({} niches)", r.n_niches),
                series(&r.niche_fraction),
            ),
        ];
        if let Some(m) = state.mine.get() {
            if m.n_niches != r.n_niches {
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
    })
}

#[component]
pub fn Case(client: Client, tissue: Tissue) -> impl IntoView {
    let state = State::new(ScenarioKind::NicheDiscovery, client, ask);
    // the headline sends the computed columns; they are added to this tissue
    let base = tissue.dataset.clone();
    let ds = RwSignal::new(tissue.dataset);
    let recompute = move || state.choose(answer);
    spawn_local(async move {
        let Some(headline) = state.wrong_right_headline(answer, answer).await else {
            return;
        };
        if let Some(d) = headline.and_then(|b| with_computed(base.as_ref(), b, "the niche map")) {
            ds.set(Some(d));
        }
        recompute();
    });
    let (wrong, right, mine) = (state.wrong, state.right, state.mine);
    let wrong_fold = State::num(wrong, |w| Some(w.fold));
    let wrong_first = State::num(wrong, |w| w.score.first().copied());
    let wrong_last = State::num(wrong, |w| w.score.last().copied());
    let right_fold = State::num(right, |r| Some(r.fold));
    let right_first = State::num(right, |r| r.niche_fraction.first().copied());
    let right_last = State::num(right, |r| r.niche_fraction.last().copied());
    let mine_fold = State::num(mine, |m| Some(m.fold));
    let choice = view! {
        <p class="big">"Fold: " <Num testid="mine-fold" value=mine_fold /> " " <VerdictBadge testid="mine-verdict" verdict=state.verdict(mine, |m| m.fold) /></p>
    };
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
        <SideBySide>
            <Side which=Which::Wrong spec=state.spec verdict=state.verdict(wrong, |w| w.fold)>
                <Body which=Which::Wrong fold=wrong_fold first=wrong_first last=wrong_last />
            </Side>
            <Side which=Which::Right spec=state.spec verdict=state.verdict(right, |r| r.fold)>
                <Body which=Which::Right fold=right_fold first=right_first last=right_last />
            </Side>
        </SideBySide>
        <ChartCanvas chart=chart(state) testid="niche-chart" />
        <Timing testid="right-ms" label="kNN + k-means niches (WASM, in the worker)" ms=state.right_ms />
        {state.choice_section(recompute, choice)}
        {state.eval_panel()}
    }
}
