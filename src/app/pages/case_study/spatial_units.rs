//! Spatial units: marker-positive beads vs the oocytes they belong to, counted in
//! the worker (`crate::case_job`); this page shows the counts and bead maps.

use super::client::{always, dataset, is_open, num, text, Choice, Client};
use super::common::{grade, Num, VerdictBadge};
use super::plots::{Chart, ChartCanvas};
use crate::app::viewer::Viewer;
use crate::case_job::Analysis;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sbx_data::Dataset;
use serde_json::Value;
use std::sync::Arc;

const KEY: &str = "oocyte_count_total";

fn oocytes(method: &str, radius: f32) -> Analysis {
    Analysis::Oocytes {
        method: method.to_string(),
        radius,
    }
}

/// The sweep's counts per radius as chart lines, with the true count as reference.
fn sweep_chart(v: &Value) -> Arc<Chart> {
    let points = v
        .get("points")
        .and_then(|p| p.as_array())
        .cloned()
        .unwrap_or_default();
    let line = |k: &str| {
        points
            .iter()
            .map(|p| (num(p, "radius"), num(p, k)))
            .collect::<Vec<_>>()
    };
    Arc::new(Chart::Lines {
        title: format!("Oocytes at {} as the radius changes", text(v, "timepoint")),
        x_desc: "linking radius / eps (µm)".into(),
        y_desc: "structures".into(),
        series: vec![
            ("connected components".into(), line("components")),
            ("DBSCAN (min 3)".into(), line("dbscan")),
        ],
        reference: Some(("true oocytes".into(), num(v, "true_count"))),
    })
}

#[component]
pub fn Case(client: Client) -> impl IntoView {
    let wrong = RwSignal::new(None::<f64>);
    let right = RwSignal::new(None::<f64>);
    let truth = RwSignal::new(None::<f64>);
    let mine = RwSignal::new(None::<f64>);
    let eval = RwSignal::new(None::<Value>);
    let sweep = RwSignal::new(None::<Arc<Chart>>);
    let map = RwSignal::new(None::<Arc<Dataset>>);
    let pick = RwSignal::new("components".to_string());
    let radius = RwSignal::new(10.0f32);
    // cumulus granulosa beads in the unstimulated sample: (any marker, coherent, truth)
    let cumulus = RwSignal::new(None::<(f64, f64, f64)>);
    let choice = Choice::new();

    let compute_mine = move || {
        if !is_open(client) {
            return;
        }
        mine.set(None);
        let (p, r) = (pick.get_untracked(), radius.get_untracked());
        choice.run(
            client,
            "counting with your method and radius",
            oocytes(&p, r),
            move |v, bytes| {
                mine.set(Some(num(&v, "total")));
                map.set(dataset(bytes, "the bead map"));
            },
        );
    };

    let c = client.get_value();
    spawn_local(async move {
        let step = "connected components of marker-positive beads, every timepoint";
        let Some((w, _)) = c.run(step, oocytes("components", 10.0), always).await else {
            return;
        };
        wrong.set(Some(num(&w, "total")));
        let step = "DBSCAN of marker-positive beads, every timepoint";
        let Some((r, _)) = c.run(step, oocytes("dbscan", 15.0), always).await else {
            return;
        };
        right.set(Some(num(&r, "total")));
        truth.set(Some(num(&r, "true_total")));
        c.headline("grading", eval).await;
        compute_mine();
        if let Some((cu, _)) = c
            .run(
                "cumulus beads in the unstimulated sample",
                Analysis::Cumulus,
                always,
            )
            .await
        {
            cumulus.set(Some((
                num(&cu, "any_marker"),
                num(&cu, "coherent"),
                num(&cu, "true_beads"),
            )));
        }
        if let Some((sw, _)) = c
            .run(
                "oocyte counts as the radius changes",
                Analysis::Sweep,
                always,
            )
            .await
        {
            sweep.set(Some(sweep_chart(&sw)));
        }
    });
    let verdict_of = move |v: RwSignal<Option<f64>>| {
        Signal::derive(move || grade(&eval.get()?, KEY, v.get()?).ok())
    };
    let w_s = Signal::derive(move || wrong.get());
    let r_s = Signal::derive(move || right.get());
    let t_s = Signal::derive(move || truth.get());
    let m_s = Signal::derive(move || mine.get());
    view! {
        <h2>"Wrong and right analysis, side by side"</h2>
        <div class="grid-2 case-sides">
            <div class="card case-side wrong">
                <h3>"Wrong: connected components of positive beads" " " <VerdictBadge testid="wrong-verdict" verdict=verdict_of(wrong) /></h3>
                <p class="muted">"beads with any oocyte-marker count (Zp3, Gdf9, Figla, Bmp15), linked within 10 µm; ambient RNA makes isolated positive beads into extra “oocytes”"</p>
                <p class="big">"Oocytes, all timepoints: " <Num testid="wrong-count" value=w_s /></p>
            </div>
            <div class="card case-side right">
                <h3>"Right: density clusters of positive beads" " " <VerdictBadge testid="right-verdict" verdict=verdict_of(right) /></h3>
                <p class="muted">"DBSCAN, eps 15 µm, at least 3 beads: one oocyte spans many 10 µm beads, isolated ambient beads are noise"</p>
                <p class="big">"Oocytes, all timepoints: " <Num testid="right-count" value=r_s /></p>
            </div>
        </div>
        <p>"True oocytes built into the simulation: " <Num testid="true-count" value=t_s /></p>
        <section class="card case-cumulus">
            <h3>"Cumulus granulosa beads in the unstimulated sample (published right answer: 0)"</h3>
            <p>"Any cumulus-marker count (Ptx3, Has2, Tnfaip6) on a bead — ambient RNA is everywhere: "
                <Num testid="wrong-cumulus" value=Signal::derive(move || cumulus.get().map(|c| c.0)) />
                " beads · at least 2 distinct markers in a coherent DBSCAN cluster: "
                <Num testid="right-cumulus" value=Signal::derive(move || cumulus.get().map(|c| c.1)) />
                " beads · built into the simulation: "
                <Num testid="true-cumulus" value=Signal::derive(move || cumulus.get().map(|c| c.2)) /></p>
        </section>
        <section class="card case-try" data-testid="case-try">
            <h2>"Your choice: method and radius"</h2>
            <div class="filters">
                <label>"Method "
                    <select data-testid="choice-method" prop:value=move || pick.get() on:change=move |ev| { pick.set(event_target_value(&ev)); compute_mine(); }>
                        <option value="components">"connected components"</option>
                        <option value="dbscan">"DBSCAN (min 3 beads)"</option>
                    </select>
                </label>
                <label>"radius / eps " <strong>{move || format!("{} µm", radius.get())}</strong>
                    <input type="range" min="5" max="40" step="2.5" data-testid="choice-radius" prop:value=move || radius.get().to_string()
                        on:change=move |ev| { if let Ok(v) = event_target_value(&ev).parse::<f32>() { radius.set(v); compute_mine(); } } />
                </label>
            </div>
            <p class="big">"Oocytes: " <Num testid="mine-count" value=m_s /> " " <VerdictBadge testid="mine-verdict" verdict=verdict_of(mine) /></p>
            <div class="grid-2">
                <ChartCanvas chart=Signal::derive(move || sweep.get()) testid="sweep-chart" />
                <p class="muted">"Bead map of the first timepoint below: each colour is one structure found with your method and radius (colours repeat); grey beads belong to none."</p>
            </div>
            {move || map.get().map(|d| view! { <Viewer dataset=d color="structure" /> })}
        </section>
        {move || eval.get().map(|e| view! { <super::common::EvalPanel eval=e key=KEY.to_string() /> })}
    }
}
