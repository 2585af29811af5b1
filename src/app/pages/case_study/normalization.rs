//! Normalization on a targeted panel: Mbp–Plp1 correlation under each choice.

use super::common::*;
use super::plots::{Chart, ChartCanvas};
use super::ok;
use crate::app::viewer::Viewer;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sbx_kernels::cases::normalization::{case_normalization, CorrSummary};
use sbx_kernels::cases::Headline;
use sbx_kernels::norm::Normalization;
use sbx_kernels::sim::Scenario;
use serde_json::Value;
use std::sync::Arc;

const KEY: &str = "mbp_plp1_spearman";

fn choice(name: &str) -> Normalization {
    match name {
        "libsize" => Normalization::LibSizeLog1p { target_sum: 1e4 },
        "panel" => Normalization::PanelAware { n_dominant: 7 },
        "scale" => Normalization::PerGeneScale,
        _ => Normalization::Raw,
    }
}

fn run(s: &Scenario, n: &Normalization) -> Option<Arc<CorrSummary>> {
    ok(case_normalization(s, n, "Mbp", "Plp1", "Oligodendrocyte"), "normalization").map(Arc::new)
}

#[component]
fn Side(#[prop(into)] side: String, #[prop(into)] heading: String, #[prop(into)] method: String, sum: RwSignal<Option<Arc<CorrSummary>>>, verdict: Signal<Option<Verdict>>) -> impl IntoView {
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
               {move || sum.get().map(|d| format!(" (top 3 genes: {:.0}%; {} cells)", d.top_share[2] * 100.0, d.n_cells))}</p>
            <ChartCanvas chart=chart testid=format!("{s}-chart") />
        </div>
    }
}

#[component]
pub fn Case(s: Arc<Scenario>) -> impl IntoView {
    let wrong = RwSignal::new(None::<Arc<CorrSummary>>);
    let right = RwSignal::new(None::<Arc<CorrSummary>>);
    let mine = RwSignal::new(None::<Arc<CorrSummary>>);
    let eval = RwSignal::new(None::<Value>);
    let pick = RwSignal::new("panel".to_string());
    let sc = StoredValue::new(s.clone());

    spawn_local(async move {
        yield_now().await;
        let s = sc.get_value();
        let w = run(&s, &choice("libsize"));
        wrong.set(w.clone());
        yield_now().await;
        let r = run(&s, &choice("raw"));
        right.set(r.clone());
        if let (Some(w), Some(r)) = (w, r) {
            let truth = match &s.truth {
                sbx_kernels::sim::Truth::Normalization { true_rate_spearman, .. } => *true_rate_spearman,
                _ => f64::NAN,
            };
            let h = Headline {
                key: KEY.into(),
                question: "Spearman correlation of Mbp and Plp1 in oligodendrocytes".into(),
                wrong: w.spearman,
                wrong_method: "normalize_total(1e4) + log1p".into(),
                right: r.spearman,
                right_method: "raw counts (panel-aware gives the same sign)".into(),
                truth,
            };
            eval.set(Some(eval_json(&s, &h)));
        }
        yield_now().await;
        mine.set(run(&s, &choice("panel")));
    });
    let recompute = move || {
        let p = pick.get_untracked();
        mine.set(None);
        spawn_local(async move {
            yield_now().await;
            mine.set(run(&sc.get_value(), &choice(&p)));
        });
    };
    let verdict_of = move |sum: RwSignal<Option<Arc<CorrSummary>>>| {
        Signal::derive(move || grade(&eval.get()?, KEY, sum.get()?.spearman).ok())
    };
    let ds = Arc::new(crate::demo::scenario_dataset(&s));
    let mine_rho = Signal::derive(move || mine.get().map(|d| d.spearman));
    view! {
        <section class="case-tissue">
            <h2>"The tissue"</h2>
            <p class="muted">"Cells coloured by type; pick Mbp or Plp1 under “Color by” to see the myelin genes dominate oligodendrocytes."</p>
            <Viewer dataset=ds color="cell_type" />
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
