//! Pseudoreplication: per-barcode vs donor-level (pseudobulk) sex test, computed in
//! the worker (`crate::worker::case`); this page shows them.

use super::common::{Num, Verdict, VerdictBadge};
use super::plots::{Chart, ChartCanvas};
use super::side::{Side, SideBySide, Which};
use super::state::CaseState;
use super::{Timing, Tissue};
use crate::app::viewer::Viewer;
use crate::worker::client::case::{Client, Got};
use crate::worker::protocol::{Analysis, DeAnswer};
use leptos::prelude::*;
use leptos::task::spawn_local;
use sbx_kernels::cases::spec::spec;
use sbx_kernels::sim::ScenarioKind;
use std::sync::Arc;

type State = CaseState<DeAnswer>;

/// The picks are (test level, test).
fn ask(p: &[String]) -> Option<Analysis> {
    Some(Analysis::De {
        level: p.first()?.clone(),
        test: p.get(1)?.clone(),
    })
}

fn answer(got: Got<DeAnswer>) -> DeAnswer {
    got.answer
}

/// The graded number: the percentage, rounded as the eval's answer is.
fn pct(d: &DeAnswer) -> f64 {
    (d.pct_genes_significant * 1e4).round() / 1e4
}

/// What a side shows of its test: the numbers and the p-value histogram.
#[component]
fn Body(which: Which, sum: RwSignal<Option<Arc<DeAnswer>>>) -> impl IntoView {
    let pct = State::num(sum, |d| Some(d.pct_genes_significant));
    let nsig = State::num(sum, |d| Some(d.n_significant as f64));
    let hk = State::num(sum, |d| Some(d.housekeeping_called.len() as f64));
    let chart = Signal::derive(move || {
        sum.get().map(|d| {
            Arc::new(Chart::Histogram {
                title: format!("{} p-values", d.test),
                x_desc: "p-value".into(),
                values: d.p.clone(),
                bins: 20,
            })
        })
    });
    view! {
        <p class="big">"Genes called sex-different: " <Num testid=which.testid("pct") value=pct suffix="%" /></p>
        <p>"Significant genes (BH 5%): " <Num testid=which.testid("nsig") value=nsig />
           " · housekeeping genes called: " <Num testid=which.testid("hk") value=hk /> " of 10"</p>
        <p class="muted">{move || sum.get().map(|d| if d.housekeeping_called.is_empty() { "none of ACTB, GAPDH, … called".to_string() } else { format!("called: {}", d.housekeeping_called.join(", ")) })}</p>
        <ChartCanvas chart=chart testid=which.testid("chart") />
    }
}

/// The wrong and right test side by side, with their verdicts (wrong, right).
#[component]
pub fn Sides(
    wrong: RwSignal<Option<Arc<DeAnswer>>>,
    right: RwSignal<Option<Arc<DeAnswer>>>,
    verdicts: [Signal<Option<Verdict>>; 2],
) -> impl IntoView {
    let spec = spec(ScenarioKind::Pseudoreplication);
    view! {
        <SideBySide>
            <Side which=Which::Wrong spec=spec verdict=verdicts[0]><Body which=Which::Wrong sum=wrong /></Side>
            <Side which=Which::Right spec=spec verdict=verdicts[1]><Body which=Which::Right sum=right /></Side>
        </SideBySide>
    }
}

#[component]
pub fn Case(client: Client, tissue: Tissue) -> impl IntoView {
    let state = State::new(ScenarioKind::Pseudoreplication, client, ask);
    let recompute = move || state.choose(answer);
    spawn_local(async move {
        if state.wrong_right_headline(answer, answer).await.is_some() {
            recompute();
        }
    });
    let mine_pct = State::num(state.mine, |d| Some(d.pct_genes_significant));
    let choice = view! {
        <p class="big">"% genes called: " <Num testid="mine-pct" value=mine_pct suffix="%" /> " "
            <VerdictBadge testid="mine-verdict" verdict=state.verdict(state.mine, pct) /></p>
    };
    view! {
        <section class="case-tissue">
            <h2>"The tissue"</h2>
            <p class="muted">"Barcodes coloured by donor (choose “sex” as the outline to see the design). Every barcode of a donor shares that donor's expression shifts, so barcodes are not independent samples."</p>
            {tissue.dataset.map(|ds| view! { <Viewer dataset=ds color="donor" /> })}
        </section>
        <Sides wrong=state.wrong right=state.right verdicts=[state.verdict(state.wrong, pct), state.verdict(state.right, pct)] />
        <Timing testid="wrong-ms" label="Per-barcode test over all genes (WASM, in the worker)" ms=state.wrong_ms />
        {state.choice_section(recompute, choice)}
        {state.eval_panel()}
    }
}
