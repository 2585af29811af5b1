//! Spatial units: marker-positive beads vs the oocytes they belong to, counted in
//! the worker (`crate::worker::case`); this page shows the counts and bead maps.

use super::common::{grade, Num, VerdictBadge};
use super::plots::{Chart, ChartCanvas};
use crate::app::viewer::Viewer;
use crate::worker::client::case::{always, dataset, is_open, Choice, Client, Got};
use crate::worker::protocol::{Analysis, CumulusAnswer, OocyteAnswer, SweepAnswer};
use leptos::prelude::*;
use leptos::task::spawn_local;
use sbx_data::Dataset;
use sbx_kernels::cases::spatial_units::SweepPoint;
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
fn sweep_chart(v: &SweepAnswer) -> Arc<Chart> {
    let line = |count: fn(&SweepPoint) -> usize| {
        v.points
            .iter()
            .map(|p| (f64::from(p.radius), count(p) as f64))
            .collect::<Vec<_>>()
    };
    Arc::new(Chart::Lines {
        title: format!("Oocytes at {} as the radius changes", v.timepoint),
        x_desc: "linking radius / eps (µm)".into(),
        y_desc: "structures".into(),
        series: vec![
            ("connected components".into(), line(|p| p.components)),
            ("DBSCAN (min 3)".into(), line(|p| p.dbscan)),
        ],
        reference: Some(("true oocytes".into(), v.true_count as f64)),
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
            move |got: Got<OocyteAnswer>| {
                mine.set(Some(got.answer.total as f64));
                map.set(dataset(got.bytes, "the bead map"));
            },
        );
    };

    let c = client.get_value();
    spawn_local(async move {
        let step = "connected components of marker-positive beads, every timepoint";
        let Some(w) = c
            .run::<OocyteAnswer>(step, oocytes("components", 10.0), always)
            .await
        else {
            return;
        };
        wrong.set(Some(w.answer.total as f64));
        let step = "DBSCAN of marker-positive beads, every timepoint";
        let Some(r) = c
            .run::<OocyteAnswer>(step, oocytes("dbscan", 15.0), always)
            .await
        else {
            return;
        };
        right.set(Some(r.answer.total as f64));
        truth.set(Some(r.answer.true_total as f64));
        c.headline("grading", eval).await;
        compute_mine();
        if let Some(cu) = c
            .run::<CumulusAnswer>(
                "cumulus beads in the unstimulated sample",
                Analysis::Cumulus,
                always,
            )
            .await
        {
            let cu = cu.answer;
            cumulus.set(Some((
                cu.any_marker as f64,
                cu.coherent as f64,
                cu.true_beads as f64,
            )));
        }
        if let Some(sw) = c
            .run::<SweepAnswer>(
                "oocyte counts as the radius changes",
                Analysis::Sweep,
                always,
            )
            .await
        {
            sweep.set(Some(sweep_chart(&sw.answer)));
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
