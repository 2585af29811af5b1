//! Normalization on a targeted panel: Mbp–Plp1 correlation under each choice,
//! computed in the worker (`crate::worker::case`); this page shows them.

use super::common::{fmt, grade, Num, Verdict, VerdictBadge};
use super::plots::{Chart, ChartCanvas};
use super::Tissue;
use crate::app::viewer::Viewer;
use crate::worker::client::case::{always, Choice, Client};
use crate::worker::protocol::Analysis;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sbx_kernels::cases::normalization::CorrSummary;
use serde_json::Value;
use std::sync::Arc;

const KEY: &str = "mbp_plp1_spearman";

/// One normalization's correlation, as the kernels summarise it.
fn summary_of(v: CorrSummary) -> Arc<CorrSummary> {
    Arc::new(v)
}

fn corr(norm: &str) -> Analysis {
    Analysis::Corr {
        norm: norm.to_string(),
    }
}

#[component]
fn Side(
    #[prop(into)] side: String,
    #[prop(into)] heading: String,
    #[prop(into)] method: String,
    sum: RwSignal<Option<Arc<CorrSummary>>>,
    verdict: Signal<Option<Verdict>>,
) -> impl IntoView {
    let rho = Signal::derive(move || sum.get().map(|d| d.spearman));
    let share = Signal::derive(move || sum.get().map(|d| d.top_share[0] * 100.0));
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
    let s = side.clone();
    view! {
        <div class=format!("card case-side {side}")>
            <h3>{heading} " " <VerdictBadge testid=format!("{s}-verdict") verdict=verdict /></h3>
            <p class="muted">{method}</p>
            <p class="big">"Spearman ρ(Mbp, Plp1): " <Num testid=format!("{s}-spearman") value=rho /></p>
            <p>"Share of oligodendrocyte counts in the top gene: " <Num testid=format!("{s}-topshare") value=share suffix="%" />
               {move || sum.get().map(|d| format!(" (top 3 genes: {:.0}%; {} cells)", d.top_share[2] * 100.0, fmt(d.n_cells as f64)))}</p>
            <ChartCanvas chart=chart testid=format!("{s}-chart") />
        </div>
    }
}

#[component]
pub fn Case(client: Client, tissue: Tissue) -> impl IntoView {
    let wrong = RwSignal::new(None::<Arc<CorrSummary>>);
    let right = RwSignal::new(None::<Arc<CorrSummary>>);
    let mine = RwSignal::new(None::<Arc<CorrSummary>>);
    let eval = RwSignal::new(None::<Value>);
    let pick = RwSignal::new("panel".to_string());
    let choice = Choice::new();

    let recompute = move || {
        let ask = move || corr(&pick.get_untracked());
        choice.fill(
            client,
            "correlating with your choice",
            ask,
            mine,
            summary_of,
        );
    };
    let c = client.get_value();
    spawn_local(async move {
        let step = "library-size normalization, then Spearman in oligodendrocytes";
        let Some(w) = c.run::<CorrSummary>(step, corr("libsize"), always).await else {
            return;
        };
        wrong.set(Some(summary_of(w.answer)));
        let Some(r) = c
            .run::<CorrSummary>("Spearman on raw counts", corr("raw"), always)
            .await
        else {
            return;
        };
        right.set(Some(summary_of(r.answer)));
        c.headline("grading", eval).await;
        recompute();
    });
    let verdict_of = move |sum: RwSignal<Option<Arc<CorrSummary>>>| {
        Signal::derive(move || grade(&eval.get()?, KEY, sum.get()?.spearman).ok())
    };
    let mine_rho = Signal::derive(move || mine.get().map(|d| d.spearman));
    view! {
        <section class="case-tissue">
            <h2>"The tissue"</h2>
            <p class="muted">"Cells coloured by type; pick Mbp or Plp1 under “Color by” to see the myelin genes dominate oligodendrocytes."</p>
            {tissue.dataset.map(|ds| view! { <Viewer dataset=ds color="cell_type" /> })}
        </section>
        <h2>"Wrong and right analysis, side by side"</h2>
        <div class="grid-2 case-sides">
            <Side side="wrong" heading="Wrong: library-size normalization + log1p" method="normalize_total(target_sum=1e4) + log1p: on a targeted panel the dominant myelin genes compete for a fixed total" sum=wrong verdict=verdict_of(wrong) />
            <Side side="right" heading="Right: raw counts" method="raw counts (Spearman is rank-based; a panel-aware size factor keeps the same sign)" sum=right verdict=verdict_of(right) />
        </div>
        <section class="card case-try" data-testid="case-try">
            <h2>"Your choice"</h2>
            <label>"Normalization "
                <select data-testid="choice-norm" prop:value=move || pick.get() on:change=move |ev| { pick.set(event_target_value(&ev)); recompute(); }>
                    <option value="raw">"raw counts"</option>
                    <option value="libsize">"library size (1e4) + log1p"</option>
                    <option value="panel">"panel-aware size factors (without the 7 myelin genes) + log1p"</option>
                    <option value="scale">"per-gene scaling (z-score)"</option>
                </select>
            </label>
            <p class="big">"Spearman ρ: " <Num testid="mine-spearman" value=mine_rho /> " " <VerdictBadge testid="mine-verdict" verdict=verdict_of(mine) /></p>
        </section>
        {move || eval.get().map(|e| view! { <super::common::EvalPanel eval=e key=KEY.to_string() /> })}
    }
}
