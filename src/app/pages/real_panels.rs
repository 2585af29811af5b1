//! Real data on the case pages: the true-scale panel (spatial units) and the
//! panel composition of the real targeted datasets (normalisation), both
//! computed at build time by `sbx datasets`; these components only show them.

use super::dataset_index::{load_index, TrueScalePanel};
use crate::app::fetch::fetch_bytes;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The true-scale panel of the site's dataset list, when the build wrote one.
#[component]
pub fn TrueScaleSection() -> impl IntoView {
    let info = RwSignal::new(None);
    spawn_local(async move {
        if let Ok(i) = load_index().await {
            info.set(i.true_scale);
        }
    });
    move || info.get().map(|i| view! { <TrueScalePanel info=i /> })
}

#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
struct Group {
    group: String,
    n_cells: u64,
    top_genes: Vec<String>,
    pooled_top1: f64,
    pooled_top3: f64,
    median_cell_top1: f64,
    median_cell_top3: f64,
}

#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
struct Coexpression {
    group: String,
    gene_a: String,
    gene_b: String,
    n_cells: u64,
    spearman_raw: f64,
    spearman_libsize: f64,
}

#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
struct Composition {
    n_genes: u64,
    n_cells: u64,
    grouped_by: String,
    groups: Vec<Group>,
    coexpression: Option<Coexpression>,
}

#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
struct RealPanel {
    id: String,
    platform: String,
    file: String,
    composition: Composition,
}

#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
struct RealPanels {
    datasets: Vec<RealPanel>,
    method: String,
}

fn pct(v: f64) -> String {
    format!("{:.0}%", v * 100.0)
}

fn panel_view(p: RealPanel) -> impl IntoView {
    let c = p.composition;
    let by = if c.grouped_by.is_empty() {
        "no cell-type labels in this file: all cells together".to_string()
    } else {
        format!("per {}", c.grouped_by)
    };
    view! {
        <section class="card" data-testid="real-panel" data-dataset=p.id.clone()>
            <h3>{format!("{} · {}", p.platform, p.id)}</h3>
            <p class="muted">{format!("{} cells × {} genes from {}; {by}.", c.n_cells, c.n_genes, p.file)}</p>
            <table class="data">
                <thead><tr><th>"Group"</th><th>"Cells"</th><th>"Top genes"</th><th>"Top gene's share (pooled)"</th>
                    <th>"Top 3 (pooled)"</th><th>"Cell's own top gene (median)"</th><th>"Own top 3 (median)"</th></tr></thead>
                <tbody>{c.groups.into_iter().map(|g| view! {
                    <tr><td>{g.group}</td><td class="num">{g.n_cells}</td><td>{g.top_genes.join(", ")}</td>
                        <td class="num">{pct(g.pooled_top1)}</td><td class="num">{pct(g.pooled_top3)}</td>
                        <td class="num">{pct(g.median_cell_top1)}</td><td class="num">{pct(g.median_cell_top3)}</td></tr>
                }).collect::<Vec<_>>()}</tbody>
            </table>
            {c.coexpression.map(|x| view! {
                <p data-testid="real-coexpression">{format!(
                    "{} – {} in {} ({} cells): Spearman ρ {:.3} on raw counts, {:.3} after library-size normalisation.",
                    x.gene_a, x.gene_b, x.group, x.n_cells, x.spearman_raw, x.spearman_libsize)}</p>
            })}
        </section>
    }
}

/// The panel composition of the real targeted datasets (Xenium, MERSCOPE,
/// academic MERFISH), beside the simulated one.
#[component]
pub fn RealPanelsSection() -> impl IntoView {
    let data = RwSignal::new(None::<RealPanels>);
    spawn_local(async move {
        if let Ok(p) = fetch_bytes("bundle/datasets/panel-composition.json")
            .await
            .and_then(|b| serde_json::from_slice::<RealPanels>(&b).map_err(|e| e.to_string()))
        {
            data.set(Some(p));
        }
    });
    move || {
        data.get().filter(|d| !d.datasets.is_empty()).map(|d| view! {
            <section class="case-real-panels" data-testid="real-panels">
                <h2>"Panel composition on real panels"</h2>
                <p>"On a targeted panel a few genes take a large share of every cell's counts, so dividing by the library couples them. The same numbers on the real imaging datasets bundled with this site:"</p>
                {d.datasets.into_iter().map(panel_view).collect::<Vec<_>>()}
                <p class="muted">{format!("Method: {}. Recomputed in Python by bench/real/panel_composition.py.", d.method)}</p>
            </section>
        })
    }
}
