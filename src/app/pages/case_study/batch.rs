//! Batch integration: clusters before and after integration across timepoints,
//! computed in the worker (`crate::worker::case`); this page shows them.

use super::common::{Num, VerdictBadge};
use super::plots::{Chart, ChartCanvas};
use super::side::{Side, SideBySide, Which};
use super::state::CaseState;
use super::{Timing, Tissue};
use crate::app::viewer::Viewer;
use crate::worker::client::case::{with_computed, Client, Got};
use crate::worker::protocol::{Analysis, BatchAnswer};
use leptos::prelude::*;
use leptos::task::spawn_local;
use sbx_kernels::sim::ScenarioKind;
use std::sync::Arc;

type State = CaseState<BatchAnswer>;

/// The pick is the integration.
fn ask(p: &[String]) -> Option<Analysis> {
    Some(Analysis::Batch {
        integration: p.first()?.clone(),
    })
}

fn answer(got: Got<BatchAnswer>) -> BatchAnswer {
    got.answer
}

fn max_fraction(d: &BatchAnswer) -> f64 {
    d.mean_max_fraction
}

/// What a side shows of its clustering: the fractions and the clusters by timepoint.
#[component]
fn Body(which: Which, sum: RwSignal<Option<Arc<BatchAnswer>>>) -> impl IntoView {
    let frac = State::num(sum, |d| Some(d.mean_max_fraction));
    let n = State::num(sum, |d| Some(d.n_clusters as f64));
    let purity = State::num(sum, |d| Some(d.mean_cell_type_purity));
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
    view! {
        <p class="big">"Mean max single-timepoint fraction: " <Num testid=which.testid("maxfrac") value=frac /></p>
        <p>"Clusters: " <Num testid=which.testid("nclusters") value=n /> " · mean cell-type purity: " <Num testid=which.testid("purity") value=purity /></p>
        <ChartCanvas chart=chart testid=which.testid("chart") />
    }
}

#[component]
pub fn Case(client: Client, tissue: Tissue) -> impl IntoView {
    let state = State::new(ScenarioKind::BatchIntegration, client, ask);
    // the headline sends the computed columns; they are added to this tissue
    let base = tissue.dataset.clone();
    let ds = RwSignal::new(tissue.dataset);
    let recompute = move || state.choose(answer);
    spawn_local(async move {
        let Some(headline) = state.wrong_right_headline(answer, answer).await else {
            return;
        };
        if let Some(d) =
            headline.and_then(|b| with_computed(base.as_ref(), b, "the clustered tissue"))
        {
            ds.set(Some(d));
        }
        recompute();
    });
    let mine_frac = State::num(state.mine, |d| Some(d.mean_max_fraction));
    let mine_rounds = State::num(state.mine, |d| {
        (d.harmony_rounds > 0).then_some(d.harmony_rounds as f64)
    });
    let choice = view! {
        <p class="big">"Mean max timepoint fraction: " <Num testid="mine-maxfrac" value=mine_frac /> " " <VerdictBadge testid="mine-verdict" verdict=state.verdict(state.mine, max_fraction) /></p>
        {move || mine_rounds.get().map(|r| view! { <p class="muted" data-testid="mine-harmony-rounds">"Harmony rounds run: " {r} " (harmonypy's rule stops once a round lowers its objective by less than 1e-4; the tuned run always does 10)"</p> })}
    };
    view! {
        <section class="case-tissue">
            <h2>"The tissue"</h2>
            <p class="muted">"One section per timepoint (small multiples). Once the clustering is computed, colour by “cluster (no integration)” or “cluster (integrated)”: unintegrated clusters follow the section."</p>
            {move || ds.get().map(|d| {
                let color = if d.categorical("cluster (no integration)").is_some() { "cluster (no integration)" } else { "cell_type" };
                view! { <Viewer dataset=d color=color facet="timepoint" /> }
            })}
        </section>
        <SideBySide>
            <Side which=Which::Wrong spec=state.spec verdict=state.verdict(state.wrong, max_fraction)><Body which=Which::Wrong sum=state.wrong /></Side>
            <Side which=Which::Right spec=state.spec verdict=state.verdict(state.right, max_fraction)><Body which=Which::Right sum=state.right /></Side>
        </SideBySide>
        <Timing testid="wrong-ms" label="PCA + kNN + Louvain (WASM, in the worker)" ms=state.wrong_ms />
        {state.choice_section(recompute, choice)}
        {state.eval_panel()}
    }
}
