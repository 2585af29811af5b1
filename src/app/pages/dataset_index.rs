//! The site's dataset list (bundle/datasets/index.json, written by `sbx demo`
//! and `sbx datasets`) and the true-scale panel it describes.

use crate::app::fetch::fetch_bytes;
use leptos::prelude::*;

/// One dataset of the list. Real datasets carry what their SOURCE.txt says.
#[derive(Clone, Debug, Default, PartialEq, serde::Deserialize)]
#[serde(default)]
pub struct Entry {
    pub id: String,
    pub file: String,
    pub title: String,
    pub platform: String,
    pub unit_kind: String,
    pub unit_size_um: Option<f64>,
    pub rows: u64,
    pub bytes: u64,
    pub simulated: bool,
    pub description: String,
    pub origin: String,
    pub licence: String,
    pub citation: String,
    pub scale: String,
    /// The column the viewer opens coloured by.
    pub color: String,
}

/// One panel of the true-scale picture.
#[derive(Clone, Debug, Default, PartialEq, serde::Deserialize)]
#[serde(default)]
pub struct ScalePanel {
    pub id: String,
    pub title: String,
    pub unit_kind: String,
    pub diameter_um: f64,
    pub diameter_estimated: bool,
    pub units: u64,
}

#[derive(Clone, Debug, Default, PartialEq, serde::Deserialize)]
#[serde(default)]
pub struct TrueScale {
    pub svg: String,
    pub simulated: bool,
    pub window_um: f64,
    pub panels: Vec<ScalePanel>,
}

#[derive(Clone, Debug, Default, PartialEq, serde::Deserialize)]
#[serde(default)]
pub struct Index {
    pub datasets: Vec<Entry>,
    pub true_scale: Option<TrueScale>,
    /// Dataset folders the build could not prepare, with the reason.
    pub not_prepared: Vec<String>,
}

pub fn parse_index(bytes: &[u8]) -> Result<Index, String> {
    serde_json::from_slice::<Index>(bytes).map_err(|e| {
        format!(
            "bundle/datasets/index.json: expected {{\"datasets\": [{{\"id\", \"file\", …}}]}}: {e}"
        )
    })
}

pub async fn load_index() -> Result<Index, String> {
    fetch_bytes("bundle/datasets/index.json")
        .await
        .and_then(|b| parse_index(&b))
}

/// A unit and its physical size: "spot, 55 µm".
pub fn unit_text(e: &Entry) -> String {
    match e.unit_size_um {
        Some(s) => format!("{}, {s} µm", e.unit_kind),
        None => e.unit_kind.clone(),
    }
}

/// Spot, bead and cell drawn at one scale (the picture is written at build time).
#[component]
pub fn TrueScalePanel(info: TrueScale) -> impl IntoView {
    let parts: Vec<String> = info
        .panels
        .iter()
        .map(|p| {
            let how = if p.diameter_estimated {
                "discs of the area per cell, no segmentation in the file"
            } else {
                "at its physical diameter"
            };
            format!(
                "{} ({}): {} {}s, {} µm ({how})",
                p.title, p.id, p.units, p.unit_kind, p.diameter_um
            )
        })
        .collect();
    let src = format!("bundle/{}", info.svg);
    view! {
        <figure class="card true-scale" data-testid="true-scale" data-simulated=info.simulated.to_string()
            data-panels=info.panels.len().to_string()>
            <h2>"Spot, bead and cell at true scale"</h2>
            {info.simulated.then(|| view! { <p class="simulated-banner" data-testid="true-scale-simulated">
                "Simulated datasets: no real datasets were bundled with this site." </p> })}
            <img src=src alt="One window of each dataset at the same scale, every unit drawn at its physical size" />
            <figcaption class="muted">{format!(
                "A {} µm square of each dataset, all at one scale bar. {}. A Visium spot covers many cells; a Slide-seq bead about one.",
                info.window_um, parts.join("; "))}</figcaption>
        </figure>
    }
}
