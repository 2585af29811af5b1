//! Spatial units: marker-positive beads vs the oocytes they belong to, counted in
//! the worker (`crate::worker::case`); this page shows the counts and bead maps.

use super::common::{Num, VerdictBadge};
use super::plots::{Chart, ChartCanvas};
use super::side::{Side, SideBySide, Which};
use super::state::CaseState;
use crate::app::viewer::Viewer;
use crate::worker::client::case::{always, dataset, Client, Got};
use crate::worker::protocol::{Analysis, CumulusAnswer, OocyteAnswer, SweepAnswer};
use leptos::prelude::*;
use leptos::task::spawn_local;
use sbx_data::Dataset;
use sbx_kernels::cases::spatial_units::SweepPoint;
use sbx_kernels::sim::ScenarioKind;
use std::sync::Arc;

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

type State = CaseState<OocyteAnswer>;

/// The picks are (method, radius in µm).
fn ask(p: &[String]) -> Option<Analysis> {
    Some(Analysis::Oocytes {
        method: p.first()?.clone(),
        radius: p.get(1)?.parse().ok()?,
    })
}

fn answer(got: Got<OocyteAnswer>) -> OocyteAnswer {
    got.answer
}

fn total(o: &OocyteAnswer) -> f64 {
    o.total as f64
}

#[component]
pub fn Case(client: Client) -> impl IntoView {
    let state = State::new(ScenarioKind::SpatialUnits, client, ask);
    let sweep = RwSignal::new(None::<Arc<Chart>>);
    let map = RwSignal::new(None::<Arc<Dataset>>);
    // cumulus granulosa beads in the unstimulated sample: (any marker, coherent, truth)
    let cumulus = RwSignal::new(None::<(f64, f64, f64)>);
    let compute_mine = move || {
        state.choose(move |got: Got<OocyteAnswer>| {
            map.set(dataset(got.bytes, "the bead map"));
            got.answer
        })
    };

    let c = client.get_value();
    spawn_local(async move {
        if state.wrong_right_headline(answer, answer).await.is_none() {
            return;
        }
        compute_mine();
        if let Some(cu) = c
            .run::<CumulusAnswer>(
                "cumulus beads in the unstimulated sample",
                Analysis::Cumulus,
                always,
                None,
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
                None,
            )
            .await
        {
            sweep.set(Some(sweep_chart(&sw.answer)));
        }
    });
    let count = |r| State::num(r, |o| Some(total(o)));
    let truth = State::num(state.right, |o| Some(o.true_total as f64));
    let choice = view! {
        <p class="big">"Oocytes: " <Num testid="mine-count" value=count(state.mine) /> " " <VerdictBadge testid="mine-verdict" verdict=state.verdict(state.mine, total) /></p>
        <div class="grid-2">
            <ChartCanvas chart=Signal::derive(move || sweep.get()) testid="sweep-chart" />
            <p class="muted">"Bead map of the first timepoint below: each colour is one structure found with your method and radius (colours repeat); grey beads belong to none."</p>
        </div>
        {move || map.get().map(|d| view! { <Viewer dataset=d color="structure" /> })}
    };
    view! {
        <SideBySide>
            <Side which=Which::Wrong spec=state.spec verdict=state.verdict(state.wrong, total)>
                <p class="big">"Oocytes, all timepoints: " <Num testid="wrong-count" value=count(state.wrong) /></p>
            </Side>
            <Side which=Which::Right spec=state.spec verdict=state.verdict(state.right, total)>
                <p class="big">"Oocytes, all timepoints: " <Num testid="right-count" value=count(state.right) /></p>
            </Side>
        </SideBySide>
        <p>"True oocytes built into the simulation: " <Num testid="true-count" value=truth /></p>
        <crate::app::pages::real_panels::TrueScaleSection />
        <section class="card case-cumulus">
            <h3>"Cumulus granulosa beads in the unstimulated sample (published right answer: 0)"</h3>
            <p>"Any cumulus-marker count (Ptx3, Has2, Tnfaip6) on a bead — ambient RNA is everywhere: "
                <Num testid="wrong-cumulus" value=Signal::derive(move || cumulus.get().map(|c| c.0)) />
                " beads · at least 2 distinct markers in a coherent DBSCAN cluster: "
                <Num testid="right-cumulus" value=Signal::derive(move || cumulus.get().map(|c| c.1)) />
                " beads · built into the simulation: "
                <Num testid="true-cumulus" value=Signal::derive(move || cumulus.get().map(|c| c.2)) /></p>
        </section>
        {state.choice_section(compute_mine, choice)}
        {state.eval_panel()}
    }
}
