//! Pseudoreplication: per-barcode vs donor-level (pseudobulk) sex test.

use super::common::*;
use super::plots::{Chart, ChartCanvas};
use super::{ok, Timing};
use crate::app::viewer::Viewer;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sbx_kernels::cases::pseudoreplication::{case_pseudoreplication, DeSummary, TestLevel};
use sbx_kernels::cases::Headline;
use sbx_kernels::de::TestKind;
use sbx_kernels::sim::Scenario;
use serde_json::Value;
use std::sync::Arc;

const KEY: &str = "pct_genes_sex_de";

fn hist(title: &str, d: &DeSummary) -> Arc<Chart> {
    Arc::new(Chart::Histogram { title: title.into(), x_desc: "p-value".into(), values: d.p.clone(), bins: 20 })
}

fn test_kind(name: &str) -> TestKind {
    match name {
        "welch" => TestKind::Welch,
        "wilcoxon" => TestKind::Wilcoxon,
        _ => TestKind::Student,
    }
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
    let chart = Signal::derive(move || sum.get().map(|d| hist(&format!("{} p-values", d.test), &d)));
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
pub fn Case(s: Arc<Scenario>) -> impl IntoView {
    let wrong = RwSignal::new(None::<Arc<DeSummary>>);
    let right = RwSignal::new(None::<Arc<DeSummary>>);
    let mine = RwSignal::new(None::<Arc<DeSummary>>);
    let eval = RwSignal::new(None::<Value>);
    let ms = RwSignal::new(None::<f64>);
    let level = RwSignal::new("unit".to_string());
    let test = RwSignal::new("wilcoxon".to_string());
    let sc = StoredValue::new(s.clone());

    spawn_local(async move {
        yield_now().await;
        let s = sc.get_value();
        let t0 = now_ms();
        let w = ok(case_pseudoreplication(&s, TestLevel::Unit, TestKind::Wilcoxon, 0.05), "per-barcode test");
        let t1 = now_ms();
        ms.set(Some(t1 - t0));
        wrong.set(w.clone().map(Arc::new));
        yield_now().await;
        let r = ok(case_pseudoreplication(&s, TestLevel::Replicate, TestKind::Student, 0.05), "donor-level test");
        right.set(r.clone().map(Arc::new));
        if let (Some(w), Some(r)) = (w, r) {
            let h = Headline {
                key: KEY.into(),
                question: "% of genes with a sex difference (BH 5%)".into(),
                wrong: w.pct_genes_significant,
                wrong_method: "per-barcode Wilcoxon on library-size + log1p".into(),
                right: r.pct_genes_significant,
                right_method: "donor pseudobulk, log-CPM, t-test".into(),
                truth: match &s.truth {
                    sbx_kernels::sim::Truth::Pseudoreplication { pct_true_sex_genes, .. } => *pct_true_sex_genes,
                    _ => f64::NAN,
                },
            };
            eval.set(Some(eval_json(&s, &h)));
            mine.set(Some(Arc::new(w)));
        }
    });

    let recompute = move || {
        let (lv, tk) = (level.get_untracked(), test.get_untracked());
        mine.set(None);
        spawn_local(async move {
            yield_now().await;
            let lvl = if lv == "donor" { TestLevel::Replicate } else { TestLevel::Unit };
            let r = ok(case_pseudoreplication(&sc.get_value(), lvl, test_kind(&tk), 0.05), "your test");
            mine.set(r.map(Arc::new));
        });
    };
    let verdict_of = move |sum: RwSignal<Option<Arc<DeSummary>>>| {
        Signal::derive(move || {
            let e = eval.get()?;
            let d = sum.get()?;
            grade(&e, KEY, (d.pct_genes_significant * 1e4).round() / 1e4).ok()
        })
    };
    let ds = Arc::new(crate::demo::scenario_dataset(&s));
    let mine_pct = Signal::derive(move || mine.get().map(|d| d.pct_genes_significant));
    view! {
        <section class="case-tissue">
            <h2>"The tissue"</h2>
            <p class="muted">"Barcodes coloured by donor (choose “sex” as the outline to see the design). Every barcode of a donor shares that donor's expression shifts, so barcodes are not independent samples."</p>
            <Viewer dataset=ds color="donor" />
        </section>
        <h2>"Wrong and right analysis, side by side"</h2>
        <div class="grid-2 case-sides">
            <Side side="wrong" heading="Wrong: every barcode is a sample" method="library size (1e4) + log1p per barcode, Wilcoxon rank-sum, BH 5%" sum=wrong verdict=verdict_of(wrong) />
            <Side side="right" heading="Right: donors are the samples" method="pseudobulk counts per donor, log-CPM, Student t-test (3 vs 5 donors), BH 5%" sum=right verdict=verdict_of(right) />
        </div>
        <Timing testid="wrong-ms" label="Per-barcode test over all genes (WASM)" ms=ms />
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
