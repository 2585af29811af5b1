//! Spatial units: marker-positive beads vs the oocytes they belong to.

use super::common::*;
use super::plots::{Chart, ChartCanvas};
use super::ok;
use crate::app::viewer::Viewer;
use leptos::prelude::*;
use leptos::task::spawn_local;
use sbx_data::{CategoricalColumn, Dataset, Metadata, UnitKind};
use sbx_kernels::cases::spatial_units::{case_cumulus_count, case_oocyte_count, oocyte_radius_sweep, CountMethod, CumulusRule, StructureCount};
use sbx_kernels::cases::Headline;
use sbx_kernels::sim::Scenario;
use serde_json::Value;
use std::sync::Arc;

const KEY: &str = "oocyte_count_total";
const SHADES: [&str; 10] = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#2f4b7c"];

/// Counts over every timepoint: (total, true total, per-timepoint results).
fn count_all(s: &Scenario, m: CountMethod) -> Option<(f64, f64, Vec<StructureCount>)> {
    let tps = s.obs("timepoint")?.categories.clone();
    let mut per = Vec::new();
    for tp in &tps {
        per.push(ok(case_oocyte_count(s, tp, m), "oocyte count")?);
    }
    let total = per.iter().map(|c| c.count as f64).sum();
    let truth = per.iter().map(|c| c.true_count as f64).sum();
    Some((total, truth, per))
}

/// The first timepoint's beads, coloured by the structure each belongs to.
fn bead_map(s: &Scenario, c: &StructureCount) -> Option<Arc<Dataset>> {
    let tp = s.obs("timepoint")?;
    let code = tp.code_of(&c.timepoint)?;
    let rows: Vec<usize> = (0..s.n_units()).filter(|&u| tp.codes[u] == code).collect();
    let mut cats = vec!["no structure".to_string()];
    cats.extend((0..SHADES.len()).map(|k| format!("structure (colour {})", k + 1)));
    let codes: Vec<u32> = rows
        .iter()
        .enumerate()
        .map(|(i, _)| match c.labels.get(i) {
            Some(&l) if l >= 0 => 1 + (l as u32 % SHADES.len() as u32),
            _ => 0,
        })
        .collect();
    let mut colors = vec!["#e3e3e3".to_string()];
    colors.extend(SHADES.iter().map(|s| s.to_string()));
    let col = CategoricalColumn { name: "structure".into(), codes, categories: cats, colors: Some(colors) };
    Some(Arc::new(Dataset {
        x: rows.iter().map(|&u| s.x[u]).collect(),
        y: rows.iter().map(|&u| s.y[u]).collect(),
        categorical: vec![col],
        numeric: Vec::new(),
        meta: Metadata {
            name: format!("beads at {}", c.timepoint),
            platform: s.platform.clone(),
            unit_kind: UnitKind::Bead,
            unit_size: Some(10.0),
            coord_unit: "um".into(),
            simulated: true,
            ..Default::default()
        },
    }))
}

fn method(name: &str, r: f32) -> CountMethod {
    if name == "dbscan" {
        CountMethod::Dbscan { eps: r, min_samples: 3 }
    } else {
        CountMethod::Components { radius: r }
    }
}

#[component]
pub fn Case(s: Arc<Scenario>) -> impl IntoView {
    let wrong = RwSignal::new(None::<f64>);
    let right = RwSignal::new(None::<f64>);
    let truth = RwSignal::new(None::<f64>);
    let mine = RwSignal::new(None::<f64>);
    let eval = RwSignal::new(None::<Value>);
    let sweep = RwSignal::new(None::<Arc<Chart>>);
    let map = RwSignal::new(None::<Arc<Dataset>>);
    let pick = RwSignal::new("components".to_string());
    let radius = RwSignal::new(10.0f32);
    let sc = StoredValue::new(s.clone());
    // cumulus granulosa beads in the unstimulated sample: (any marker, coherent, truth)
    let cumulus = RwSignal::new(None::<(f64, f64, f64)>);

    let compute_mine = move || {
        let (p, r) = (pick.get_untracked(), radius.get_untracked());
        mine.set(None);
        spawn_local(async move {
            yield_now().await;
            let s = sc.get_value();
            if let Some((total, _, per)) = count_all(&s, method(&p, r)) {
                mine.set(Some(total));
                if let Some(first) = per.first() {
                    map.set(bead_map(&s, first));
                }
            }
        });
    };

    spawn_local(async move {
        yield_now().await;
        let s = sc.get_value();
        let w = count_all(&s, CountMethod::Components { radius: 10.0 });
        yield_now().await;
        let r = count_all(&s, CountMethod::Dbscan { eps: 15.0, min_samples: 3 });
        if let (Some(w), Some(r)) = (w, r) {
            wrong.set(Some(w.0));
            right.set(Some(r.0));
            truth.set(Some(r.1));
            let h = Headline {
                key: KEY.into(),
                question: "immature oocytes over all timepoints".into(),
                wrong: w.0,
                wrong_method: "connected components of marker-positive beads at 10 um".into(),
                right: r.0,
                right_method: "DBSCAN of marker-positive beads, eps 15 um, min_samples 3".into(),
                truth: r.1,
            };
            eval.set(Some(eval_json(&s, &h)));
            if let Some(first) = w.2.first() {
                map.set(bead_map(&s, first));
            }
            mine.set(Some(w.0));
            yield_now().await;
            let tp0 = first_tp(&s);
            let any = ok(case_cumulus_count(&s, &tp0, CumulusRule::AnyMarker), "cumulus count");
            let coh = ok(case_cumulus_count(&s, &tp0, CumulusRule::Coherent { min_distinct: 2, eps: 15.0, min_samples: 3 }), "cumulus count");
            if let (Some(a), Some(c)) = (any, coh) {
                cumulus.set(Some((a.beads as f64, c.beads as f64, a.true_beads as f64)));
            }
            yield_now().await;
            let tp = first_tp(&s);
            let radii = [5.0, 7.5, 10.0, 12.5, 15.0, 20.0, 25.0, 30.0, 40.0];
            if let Some(sw) = ok(oocyte_radius_sweep(&s, &tp, &radii, 3), "radius sweep") {
                let t0 = w.2.first().map(|c| c.true_count as f64).unwrap_or(f64::NAN);
                sweep.set(Some(Arc::new(Chart::Lines {
                    title: format!("Oocytes at {tp} as the radius changes"),
                    x_desc: "linking radius / eps (µm)".into(),
                    y_desc: "structures".into(),
                    series: vec![
                        ("connected components".into(), sw.iter().map(|p| (p.radius as f64, p.components as f64)).collect()),
                        ("DBSCAN (min 3)".into(), sw.iter().map(|p| (p.radius as f64, p.dbscan as f64)).collect()),
                    ],
                    reference: Some(("true oocytes".into(), t0)),
                })));
            }
        }
    });
    let verdict_of = move |v: RwSignal<Option<f64>>| Signal::derive(move || grade(&eval.get()?, KEY, v.get()?).ok());
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

fn first_tp(s: &Scenario) -> String {
    s.obs("timepoint").and_then(|c| c.categories.first().cloned()).unwrap_or_default()
}
