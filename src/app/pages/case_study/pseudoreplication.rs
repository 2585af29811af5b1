//! Pseudoreplication: per-barcode vs donor-level (pseudobulk) sex test, computed in
//! the worker (`crate::worker::case`); this page shows them.

use super::common::{grade, Num, Verdict, VerdictBadge};
use super::plots::{Chart, ChartCanvas};
use super::{Timing, Tissue};
use crate::app::viewer::Viewer;
use crate::worker::client::case::{always, Choice, Client};
use crate::worker::protocol::{Analysis, DeAnswer};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::Value;
use std::sync::Arc;

const KEY: &str = "pct_genes_sex_de";

/// One test over all genes as the worker describes it.
type DeSummary = DeAnswer;

fn summary_of(v: DeAnswer) -> Arc<DeSummary> {
    Arc::new(v)
}

fn de(level: &str, test: &str) -> Analysis {
    Analysis::De {
        level: level.to_string(),
        test: test.to_string(),
    }
}

fn hist(title: &str, d: &DeSummary) -> Arc<Chart> {
    Arc::new(Chart::Histogram {
        title: title.into(),
        x_desc: "p-value".into(),
        values: d.p.clone(),
        bins: 20,
    })
}

#[component]
fn Side(
    #[prop(into)] side: String,
    #[prop(into)] heading: String,
    #[prop(into)] method: String,
    sum: RwSignal<Option<Arc<DeSummary>>>,
    verdict: Signal<Option<Verdict>>,
) -> impl IntoView {
    let pct = Signal::derive(move || sum.get().map(|d| d.pct_genes_significant));
    let nsig = Signal::derive(move || sum.get().map(|d| d.n_significant as f64));
    let hk = Signal::derive(move || sum.get().map(|d| d.housekeeping_called.len() as f64));
    let chart =
        Signal::derive(move || sum.get().map(|d| hist(&format!("{} p-values", d.test), &d)));
    let s = side.clone();
    view! {
        <div class=format!("card case-side {side}")>
            <h3>{heading} " " <VerdictBadge testid=format!("{s}-verdict") verdict=verdict /></h3>
            <p class="muted">{method}</p>
            <p class="big">"Genes called sex-different: " <Num testid=format!("{s}-pct") value=pct suffix="%" /></p>
            <p>"Significant genes (BH 5%): " <Num testid=format!("{s}-nsig") value=nsig />
               " · housekeeping genes called: " <Num testid=format!("{s}-hk") value=hk /> " of 10"</p>
            <p class="muted">{move || sum.get().map(|d| if d.housekeeping_called.is_empty() { "none of ACTB, GAPDH, … called".to_string() } else { format!("called: {}", d.housekeeping_called.join(", ")) })}</p>
            <ChartCanvas chart=chart testid=format!("{s}-chart") />
        </div>
    }
}

#[component]
pub fn Case(client: Client, tissue: Tissue) -> impl IntoView {
    let wrong = RwSignal::new(None::<Arc<DeSummary>>);
    let right = RwSignal::new(None::<Arc<DeSummary>>);
    let mine = RwSignal::new(None::<Arc<DeSummary>>);
    let eval = RwSignal::new(None::<Value>);
    let ms = RwSignal::new(None::<f64>);
    let level = RwSignal::new("unit".to_string());
    let test = RwSignal::new("wilcoxon".to_string());
    let choice = Choice::new();

    let recompute = move || {
        let ask = move || de(&level.get_untracked(), &test.get_untracked());
        choice.fill(client, "testing with your choice", ask, mine, summary_of);
    };
    let c = client.get_value();
    spawn_local(async move {
        let step = "testing every gene with every barcode as a sample (Wilcoxon)";
        let Some(w) = c
            .run::<DeAnswer>(step, de("unit", "wilcoxon"), always)
            .await
        else {
            return;
        };
        ms.set(Some(w.ms));
        wrong.set(Some(summary_of(w.answer)));
        let step = "testing every gene with donors as the samples (pseudobulk t-test)";
        let Some(r) = c
            .run::<DeAnswer>(step, de("donor", "student"), always)
            .await
        else {
            return;
        };
        right.set(Some(summary_of(r.answer)));
        c.headline("grading", eval).await;
        recompute();
    });

    let verdict_of = move |sum: RwSignal<Option<Arc<DeSummary>>>| {
        Signal::derive(move || {
            let e = eval.get()?;
            let d = sum.get()?;
            grade(&e, KEY, (d.pct_genes_significant * 1e4).round() / 1e4).ok()
        })
    };
    let mine_pct = Signal::derive(move || mine.get().map(|d| d.pct_genes_significant));
    view! {
        <section class="case-tissue">
            <h2>"The tissue"</h2>
            <p class="muted">"Barcodes coloured by donor (choose “sex” as the outline to see the design). Every barcode of a donor shares that donor's expression shifts, so barcodes are not independent samples."</p>
            {tissue.dataset.map(|ds| view! { <Viewer dataset=ds color="donor" /> })}
        </section>
        <h2>"Wrong and right analysis, side by side"</h2>
        <div class="grid-2 case-sides">
            <Side side="wrong" heading="Wrong: every barcode is a sample" method="library size (1e4) + log1p per barcode, Wilcoxon rank-sum, BH 5%" sum=wrong verdict=verdict_of(wrong) />
            <Side side="right" heading="Right: donors are the samples" method="pseudobulk counts per donor, log-CPM, Student t-test (3 vs 5 donors), BH 5%" sum=right verdict=verdict_of(right) />
        </div>
        <Timing testid="wrong-ms" label="Per-barcode test over all genes (WASM, in the worker)" ms=ms />
        <section class="card case-try" data-testid="case-try">
            <h2>"Your choice"</h2>
            <div class="filters">
                <label>"Test level "
                    <select data-testid="choice-level" prop:value=move || level.get() on:change=move |ev| { level.set(event_target_value(&ev)); recompute(); }>
                        <option value="unit">"barcode (unit)"</option>
                        <option value="donor">"donor (pseudobulk)"</option>
                    </select>
                </label>
                <label>"Test "
                    <select data-testid="choice-test" prop:value=move || test.get() on:change=move |ev| { test.set(event_target_value(&ev)); recompute(); }>
                        <option value="wilcoxon">"Wilcoxon rank-sum"</option>
                        <option value="welch">"Welch t-test"</option>
                        <option value="student">"Student t-test"</option>
                    </select>
                </label>
            </div>
            <p class="big">"% genes called: " <Num testid="mine-pct" value=mine_pct suffix="%" /> " "
                <VerdictBadge testid="mine-verdict" verdict=verdict_of(mine) /></p>
        </section>
        {move || eval.get().map(|e| view! { <super::common::EvalPanel eval=e key=KEY.to_string() /> })}
    }
}
