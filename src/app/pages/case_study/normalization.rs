//! Normalization on a targeted panel: Mbp–Plp1 correlation under each choice,
//! computed in the worker (`crate::worker::case`); this page shows them.

use super::common::{fmt, Num, VerdictBadge};
use super::plots::{Chart, ChartCanvas};
use super::side::{Side, SideBySide, Which};
use super::state::CaseState;
use super::Tissue;
use crate::app::viewer::Viewer;
use crate::worker::client::case::{Client, Got};
use crate::worker::protocol::Analysis;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sbx_kernels::cases::normalization::CorrSummary;
use sbx_kernels::sim::ScenarioKind;
use std::sync::Arc;

type State = CaseState<CorrSummary>;

/// The pick is the normalization.
fn ask(p: &[String]) -> Option<Analysis> {
    Some(Analysis::Corr {
        norm: p.first()?.clone(),
    })
}

fn answer(got: Got<CorrSummary>) -> CorrSummary {
    got.answer
}

fn rho(d: &CorrSummary) -> f64 {
    d.spearman
}

/// What a side shows of its correlation: ρ, the top genes' share, the scatter.
#[component]
fn Body(which: Which, sum: RwSignal<Option<Arc<CorrSummary>>>) -> impl IntoView {
    let rho = State::num(sum, |d| Some(d.spearman));
    let share = State::num(sum, |d| Some(d.top_share[0] * 100.0));
    let chart = Signal::derive(move || {
        sum.get().map(|d| {
            Arc::new(Chart::Scatter {
                title: format!("Mbp vs Plp1 ({})", d.normalization),
                x_desc: "Mbp".into(),
                y_desc: "Plp1".into(),
                x: d.a.clone(),
                y: d.b.clone(),
            })
        })
    });
    view! {
        <p class="big">"Spearman ρ(Mbp, Plp1): " <Num testid=which.testid("spearman") value=rho /></p>
        <p>"Share of oligodendrocyte counts in the top gene: " <Num testid=which.testid("topshare") value=share suffix="%" />
           {move || sum.get().map(|d| format!(" (top 3 genes: {:.0}%; {} cells)", d.top_share[2] * 100.0, fmt(d.n_cells as f64)))}</p>
        <ChartCanvas chart=chart testid=which.testid("chart") />
    }
}

#[component]
pub fn Case(client: Client, tissue: Tissue) -> impl IntoView {
    let state = State::new(ScenarioKind::Normalization, client, ask);
    let recompute = move || state.choose(answer);
    spawn_local(async move {
        if state.wrong_right_headline(answer, answer).await.is_some() {
            recompute();
        }
    });
    let mine_rho = State::num(state.mine, |d| Some(d.spearman));
    let choice = view! {
        <p class="big">"Spearman ρ: " <Num testid="mine-spearman" value=mine_rho /> " " <VerdictBadge testid="mine-verdict" verdict=state.verdict(state.mine, rho) /></p>
    };
    view! {
        <section class="case-tissue">
            <h2>"The tissue"</h2>
            <p class="muted">"Cells coloured by type; pick Mbp or Plp1 under “Color by” to see the myelin genes dominate oligodendrocytes."</p>
            {tissue.dataset.map(|ds| view! { <Viewer dataset=ds color="cell_type" /> })}
        </section>
        <SideBySide>
            <Side which=Which::Wrong spec=state.spec verdict=state.verdict(state.wrong, rho)><Body which=Which::Wrong sum=state.wrong /></Side>
            <Side which=Which::Right spec=state.spec verdict=state.verdict(state.right, rho)><Body which=Which::Right sum=state.right /></Side>
        </SideBySide>
        <crate::app::pages::real_panels::RealPanelsSection />
        {state.choice_section(recompute, choice)}
        {state.eval_panel()}
    }
}
