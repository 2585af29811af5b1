//! Datasets: the built-in datasets (bundle/datasets/index.json) and local
//! `.arrow` files, shown in the spatial viewer.

use super::dataset_index::{load_index, unit_text, Entry, Index, TrueScalePanel};
use super::PageHeading;
use crate::app::decode::{decode_in_parts, warm_up, DecodeProgress, Progress, Sink};
use crate::app::fetch::fetch_bytes;
use crate::app::state::AppState;
use crate::app::viewer::paint::now_ms;
use crate::app::viewer::Viewer;
use crate::worker::client::Connection;
use crate::worker::protocol::{ObsInfo, Request, Response};
use leptos::prelude::*;
use leptos::task::spawn_local;
use sbx_data::Dataset;
use std::rc::Rc;
use std::sync::Arc;

/// A dataset on screen: where it came from. A large file is shown while it decodes:
/// `ds` is then its first rows, and the rest reaches the viewer through [`Shown`].
#[derive(Clone)]
struct Loaded {
    label: String,
    ds: Arc<Dataset>,
    /// Rows in the file.
    rows: usize,
    /// Counts loads in this page (`data-load`): the same file opened again is a new load.
    seq: u32,
    /// The list's entry of a built-in dataset (source, licence, first colouring).
    entry: Option<Entry>,
}

/// The page's loads: the dataset shown, the rows that arrive while it decodes, the
/// decoding time when it is done, and the progress bar. The signals belong to the page,
/// and each load replaces the previous one's values, so an old dataset is never kept.
#[derive(Clone, Copy)]
struct Shown {
    loaded: RwSignal<Option<Loaded>>,
    more: RwSignal<Option<(u32, Arc<Dataset>)>>,
    decoded: RwSignal<Option<(u32, f64)>>,
    progress: RwSignal<Option<Progress>>,
}

impl Shown {
    fn new() -> Shown {
        Shown {
            loaded: RwSignal::new(None),
            more: RwSignal::new(None),
            decoded: RwSignal::new(None),
            progress: RwSignal::new(None),
        }
    }

    /// Decodes `bytes` and shows them (in parts when large); the decoding time in ms.
    async fn decode(&self, label: &str, bytes: Vec<u8>) -> Result<f64, String> {
        self.decode_entry(label, bytes, None).await
    }

    /// As `decode`, for a dataset of the built-in list (its entry is shown with it).
    async fn decode_entry(
        &self,
        label: &str,
        bytes: Vec<u8>,
        entry: Option<Entry>,
    ) -> Result<f64, String> {
        static LOADS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let seq = LOADS.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        let sink = ShownLoad {
            shown: *self,
            label: label.to_string(),
            seq,
            entry,
        };
        let r = decode_in_parts(label, bytes, &sink).await;
        self.progress.set(None);
        let (ms, _) = r?;
        self.decoded.set(Some((seq, ms)));
        Ok(ms)
    }
}

/// One load of [`Shown`].
struct ShownLoad {
    shown: Shown,
    label: String,
    seq: u32,
    entry: Option<Entry>,
}

impl Sink for ShownLoad {
    fn first(&self, ds: Arc<Dataset>, rows: usize) {
        self.shown.more.set(None);
        self.shown.loaded.set(Some(Loaded {
            label: self.label.clone(),
            ds,
            rows,
            seq: self.seq,
            entry: self.entry.clone(),
        }));
    }
    fn progress(&self, p: Option<Progress>) {
        self.shown.progress.set(p);
    }
    fn more(&self, ds: Arc<Dataset>) {
        self.shown.more.set(Some((self.seq, ds)));
    }
}

/// The simulated-data notice, without repeating "Simulated" when the
/// description already starts with it.
fn simulated_text(description: &str) -> String {
    if description
        .trim_start()
        .to_ascii_lowercase()
        .starts_with("simulated")
    {
        description.to_string()
    } else {
        format!("Simulated data, not a real tissue. {description}")
    }
}

/// The built-in datasets, each with a button that opens it: the real ones
/// (with their source, licence and citation) apart from the simulated ones.
fn dataset_table(entries: Vec<Entry>, open: impl Fn(Entry) + Copy + 'static) -> AnyView {
    let (sim, real): (Vec<Entry>, Vec<Entry>) = entries.into_iter().partition(|e| e.simulated);
    let row = move |e: Entry| {
        let e2 = e.clone();
        let id = e.id.clone();
        let about = if e.simulated {
            view! { <div class="simulated-banner">{simulated_text(&e.description)}</div> }
                .into_any()
        } else {
            view! { <div class="muted source" data-testid="dataset-source">
                {format!("Licence: {}. ", e.licence)}
                {(!e.citation.is_empty()).then(|| format!("Data: {}. ", e.citation))}
                {format!("From {}.", e.origin)}
                {(!e.scale.is_empty()).then(|| format!(" Coordinates: {}.", e.scale))}
            </div> }
            .into_any()
        };
        view! {
            <tr data-dataset=id.clone() data-real=(!e.simulated).to_string()>
                <td><strong>{e.title.clone()}</strong><br/><code>{e.id.clone()}</code>{about}</td>
                <td>{e.platform.clone()}</td>
                <td data-testid="dataset-unit">{unit_text(&e)}</td>
                <td class="num">{e.rows}</td>
                <td class="num">{format!("{:.1} MB", e.bytes as f64 / 1e6)}</td>
                <td><button data-testid=format!("open-{id}") on:click=move |_| open(e2.clone())>"View"</button></td>
            </tr>
        }
    };
    let table = move |rows: Vec<Entry>, testid: &'static str| {
        view! {
            <table class="data datasets-table" data-testid=testid>
                <thead><tr><th>"Dataset"</th><th>"Platform"</th><th>"Unit"</th><th>"Rows"</th><th>"Size"</th><th></th></tr></thead>
                <tbody>{rows.into_iter().map(row).collect::<Vec<_>>()}</tbody>
            </table>
        }
    };
    view! {
        {(!real.is_empty()).then(|| view! { <h2>"Real datasets"</h2> {table(real, "datasets-real")} })}
        <h2>"Simulated datasets"</h2>
        {table(sim, "datasets-table")}
    }
    .into_any()
}

/// An opened dataset: what it is, where it came from, and the viewer.
fn loaded_view(l: &Loaded, shown: Shown) -> impl IntoView {
    let seq = l.seq;
    let more = Signal::derive(move || shown.more.get().filter(|m| m.0 == seq).map(|m| m.1));
    let decode_ms = Signal::derive(move || shown.decoded.get().filter(|d| d.0 == seq).map(|d| d.1));
    let m = &l.ds.meta;
    let extra: Vec<String> = m.extra.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    view! {
        <section class="card dataset-view" data-testid="dataset-view" data-dataset=l.label.clone() data-load=l.seq>
            <h2>{if m.name.is_empty() { l.label.clone() } else { m.name.clone() }}</h2>
            {m.simulated.then(|| view! {
                <div class="simulated-banner" data-testid="simulated-notice">
                    {simulated_text(m.simulated_description.as_deref().unwrap_or(""))}
                </div>
            })}
            {l.entry.as_ref().filter(|e| !e.simulated).map(|e| view! {
                <p class="source" data-testid="dataset-meta">
                    <strong>{e.platform.clone()}</strong>{format!(" · unit: {} · licence: {}", unit_text(e), e.licence)}
                    {(!e.citation.is_empty()).then(|| format!(" · data: {}", e.citation))}
                </p>
            })}
            <p class="muted">
                {[m.platform.clone(), m.unit_kind.as_str().to_string(), format!("{} units", l.rows),
                  if m.coord_unit.is_empty() { String::new() } else { format!("coordinates in {}", m.coord_unit) }]
                  .into_iter().filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" · ")}
                {m.unit_size.map(|s| format!(" · unit diameter {s}"))}
                {(!m.source.is_empty()).then(|| format!(" · source: {}", m.source))}
                {m.downsampling.as_ref().map(|d| format!(" · {} (seed {})", d.description, d.seed))}
                {(!extra.is_empty()).then(|| format!(" · {}", extra.join(", ")))}
            </p>
            {match l.entry.as_ref().map(|e| e.color.clone()).filter(|c| !c.is_empty()) {
                Some(c) => view! { <Viewer dataset=l.ds.clone() decode_ms=decode_ms more=more rows_total=l.rows color=c /> }.into_any(),
                None => view! { <Viewer dataset=l.ds.clone() decode_ms=decode_ms more=more rows_total=l.rows /> }.into_any(),
            }}
        </section>
    }
}

/// The built-in dataset list: the tables, what the build could not prepare,
/// and the true-scale panel.
fn index_view(r: Option<Result<Index, String>>, open: impl Fn(Entry) + Copy + 'static) -> AnyView {
    match r {
        None => view! { <p class="progress">"Loading the dataset list…"</p> }.into_any(),
        Some(Err(e)) => {
            view! { <p class="notice">"The built-in dataset list did not load: " {e}</p> }
                .into_any()
        }
        Some(Ok(i)) => {
            let scale = i.true_scale.clone();
            view! {
                {(!i.not_prepared.is_empty()).then(|| view! { <p class="notice" data-testid="not-prepared">
                    "Not prepared at build time: " {i.not_prepared.join("; ")}</p> })}
                {dataset_table(i.datasets, open)}
                {scale.map(|info| view! { <TrueScalePanel info=info /> })}
            }
            .into_any()
        }
    }
}

#[component]
pub fn Datasets() -> impl IntoView {
    let state = AppState::get();
    let index = RwSignal::new(None::<Result<Index, String>>);
    let shown = Shown::new();
    let busy = RwSignal::new(None::<String>);
    let local_error = RwSignal::new(None::<String>);
    let drag_over = RwSignal::new(false);

    spawn_local(async move {
        let r = load_index().await;
        if let Err(e) = &r {
            state.report(format!("Datasets: {e}"));
        }
        // the smallest built-in file, to run the decoder once before a large file needs it
        let smallest = r
            .as_ref()
            .ok()
            .and_then(|i| i.datasets.iter().min_by_key(|e| e.bytes).cloned());
        index.set(Some(r));
        if let Some(e) = smallest {
            if let Ok(bytes) = fetch_bytes(&format!("bundle/{}", e.file)).await {
                // enough rows through the per-row loops for V8 to optimise them
                let times = (200_000 / e.rows.max(1) as usize).clamp(4, 40);
                warm_up(bytes, times).await;
            }
        }
    });

    let open_builtin = move |e: Entry| {
        busy.set(Some(format!("Loading {}…", e.file)));
        local_error.set(None);
        spawn_local(async move {
            // let the "loading" state paint before the decode blocks the thread
            gloo_timers::future::TimeoutFuture::new(0).await;
            let path = format!("bundle/{}", e.file);
            let r = match fetch_bytes(&path).await {
                Ok(b) => shown.decode_entry(&e.id, b, Some(e.clone())).await,
                Err(e) => Err(e),
            };
            if let Err(msg) = r {
                state.report(format!("Dataset {msg}"));
            }
            busy.set(None);
        });
    };

    // The opened .h5ad: its columns, and the worker that holds it for conversion.
    let h5ad = RwSignal::new(None::<H5adSummary>);
    let converter = StoredValue::new_local(None::<Rc<Connection>>);
    let open_file = move |file: web_sys::File| {
        let name = file.name();
        let lower = name.to_ascii_lowercase();
        local_error.set(None);
        let is_h5ad = lower.ends_with(".h5ad");
        if !lower.ends_with(".arrow") && !lower.ends_with(".feather") && !is_h5ad {
            let msg = format!(
                "{name}: only Arrow IPC dataset files (.arrow) and AnnData files (.h5ad) open here; convert other layouts with `sbx prepare {name} -o out.arrow`"
            );
            state.report(msg.clone());
            local_error.set(Some(msg));
            return;
        }
        busy.set(Some(format!("Reading {name}…")));
        spawn_local(async move {
            let blob = gloo_file::Blob::from(file);
            let r = crate::app::fetch::read_local(&blob)
                .await
                .map_err(|e| format!("{name}: could not read the file: {e}"));
            gloo_timers::future::TimeoutFuture::new(0).await;
            let r = if is_h5ad {
                h5ad.set(None);
                busy.set(Some(format!("Reading {name} in the background…")));
                match r {
                    Ok(b) => read_h5ad(&name, b, converter)
                        .await
                        .map(|s| h5ad.set(Some(s))),
                    Err(e) => Err(e),
                }
            } else {
                match r {
                    Ok(b) => {
                        h5ad.set(None);
                        shown.decode(&name, b).await.map(|_| ())
                    }
                    Err(e) => Err(e),
                }
            };
            if let Err(msg) = r {
                state.report(format!("Local dataset {msg}"));
                local_error.set(Some(msg));
            }
            busy.set(None);
        });
    };
    // The synthetic benchmark file is written in a worker of its own (kept for reuse),
    // so an opened .h5ad stays open beside it.
    let bench_worker = StoredValue::new_local(None::<Rc<Connection>>);
    let open_synthetic = move |n: usize| {
        busy.set(Some(format!(
            "Generating {} synthetic points…",
            sbx_data::synthetic::thousands(n)
        )));
        local_error.set(None);
        spawn_local(async move {
            let r = match synthetic_arrow(n, bench_worker).await {
                Ok(b) => shown.decode(&synthetic_label(n), b).await,
                Err(e) => Err(e),
            };
            if let Err(msg) = r {
                state.report(format!("Synthetic dataset: {msg}"));
            }
            busy.set(None);
        });
    };
    let on_input = move |ev: web_sys::Event| {
        use wasm_bindgen::JsCast;
        let input = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
        if let Some(f) = input
            .as_ref()
            .and_then(|i| i.files())
            .and_then(|l| l.get(0))
        {
            open_file(f);
        }
        // allow choosing the same file again after fixing it
        if let Some(i) = input {
            i.set_value("");
        }
    };
    let on_drop = move |ev: web_sys::DragEvent| {
        ev.prevent_default();
        drag_over.set(false);
        if let Some(f) = ev
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|l| l.get(0))
        {
            open_file(f);
        }
    };

    let list = move || index_view(index.get(), open_builtin);

    let viewer = move || shown.loaded.get().map(|l| loaded_view(&l, shown));

    view! {
        <PageHeading title="Datasets" lede="Spatial datasets as Arrow files: cells, spots, beads and niches, drawn in the browser." />
        {list}
        <div class="dropzone" class:over=move || drag_over.get() data-testid="dropzone"
            on:dragover=move |ev: web_sys::DragEvent| { ev.prevent_default(); drag_over.set(true); }
            on:dragleave=move |_| drag_over.set(false)
            on:drop=on_drop>
            <p>"Open a local dataset: drop an " <code>".arrow"</code> " or " <code>".h5ad"</code> " file here, or "
                <label class="file-pick">"choose one " <input type="file" accept=".arrow,.feather,.h5ad" data-testid="file-input" on:change=on_input /></label>
            </p>
            <p class="muted">"Make one from AnnData (.h5ad) or a CSV layout with " <code>"sbx prepare INPUT -o OUT.arrow"</code>
                ". The file stays on this computer."</p>
        </div>
        <p class="muted">"Performance check: "
            <button data-testid="open-synthetic" on:click=move |_| open_synthetic(1_000_000)>"1,000,000 synthetic points"</button>" "
            <button data-testid="open-synthetic-100k" on:click=move |_| open_synthetic(100_000)>"100,000 synthetic points"</button>" "
            <button data-testid="open-synthetic-10m" on:click=move |_| open_synthetic(10_000_000)>"10,000,000 synthetic points"</button>
            " (x, y, two categorical and two float columns, written to Arrow IPC and decoded here; timings under Performance below the viewer)."</p>
        {move || local_error.get().map(|e| view! { <p class="notice error" data-testid="local-error">{e}</p> })}
        {move || busy.get().map(|b| view! { <p class="progress" data-testid="busy">{b}</p> })}
        <DecodeProgress progress=shown.progress.into() />
        {move || h5ad.get().map(|s| view! { <H5adForm summary=s converter=converter shown=shown /> })}
        {viewer}
    }
}

/// What the worker reports about an opened `.h5ad`.
#[derive(Clone)]
struct H5adSummary {
    name: String,
    n_units: usize,
    n_genes: usize,
    obs: Vec<ObsInfo>,
    read_ms: f64,
}

/// Reads an `.h5ad` in a fresh worker (the previous one, and its file, are dropped).
async fn read_h5ad(
    name: &str,
    bytes: Vec<u8>,
    slot: StoredValue<Option<Rc<Connection>>, LocalStorage>,
) -> Result<H5adSummary, String> {
    slot.set_value(None);
    let conv = Rc::new(Connection::spawn().await?);
    slot.set_value(Some(conv.clone()));
    match conv
        .call(
            &Request::Read {
                name: name.to_string(),
            },
            Some(bytes),
        )
        .await?
    {
        (
            Response::Summary {
                name,
                n_units,
                n_genes,
                obs,
                read_ms,
            },
            _,
        ) => Ok(H5adSummary {
            name,
            n_units,
            n_genes,
            obs,
            read_ms,
        }),
        (Response::Error { message }, _) => Err(message),
        (other, _) => Err(format!(
            "{name}: unexpected `{}` answer from the converter",
            other.kind()
        )),
    }
}

/// The synthetic benchmark dataset as an Arrow file, written by the worker in `slot`.
async fn synthetic_arrow(
    n: usize,
    slot: StoredValue<Option<Rc<Connection>>, LocalStorage>,
) -> Result<Vec<u8>, String> {
    let conv = match slot.get_value() {
        Some(c) => c,
        None => {
            let c = Rc::new(Connection::spawn().await?);
            slot.set_value(Some(c.clone()));
            c
        }
    };
    match conv.call(&Request::Synthetic { n, seed: 1 }, None).await? {
        (Response::Prepared { .. }, Some(bytes)) => Ok(bytes),
        (Response::Error { message }, _) => Err(message),
        (other, _) => Err(format!(
            "unexpected `{}` answer from the worker",
            other.kind()
        )),
    }
}

/// Choosing columns, genes and a downsampling size for an opened `.h5ad`,
/// then converting it in the worker as `sbx prepare` would.
#[component]
fn H5adForm(
    summary: H5adSummary,
    converter: StoredValue<Option<Rc<Connection>>, LocalStorage>,
    shown: Shown,
) -> impl IntoView {
    let state = AppState::get();
    let H5adSummary {
        name,
        n_units,
        n_genes,
        obs,
        read_ms,
    } = summary;
    let default_obs: Vec<String> = obs
        .iter()
        .filter(|c| !c.text)
        .map(|c| c.name.clone())
        .collect();
    let obs: Vec<String> = obs.into_iter().map(|c| c.name).collect();
    let chosen = RwSignal::new(default_obs);
    let genes = RwSignal::new(String::new());
    let top = RwSignal::new(8usize);
    let max_points = RwSignal::new(200_000usize);
    let working = RwSignal::new(false);
    let nm = name.clone();
    let show = move |_| {
        let Some(conv) = converter.get_value() else {
            state.report(format!("{nm}: the file is no longer open; open it again"));
            return;
        };
        let req = Request::Prepare {
            obs_columns: chosen.get_untracked(),
            genes: genes
                .get_untracked()
                .split(',')
                .map(|g| g.trim().to_string())
                .filter(|g| !g.is_empty())
                .collect(),
            top_genes: top.get_untracked(),
            max_points: max_points.get_untracked().max(1),
            seed: 1,
        };
        let nm = nm.clone();
        working.set(true);
        spawn_local(async move {
            let t0 = now_ms();
            let r = match conv.call(&req, None).await {
                Ok((Response::Prepared { .. }, Some(bytes))) => {
                    shown.decode(&nm, bytes).await.map(|_| {
                        // reading the file and converting it count as its decode here
                        // (the page may have closed meanwhile: its values are then gone)
                        let seq = shown
                            .loaded
                            .try_with_untracked(|l| l.as_ref().map(|l| l.seq))
                            .flatten()
                            .unwrap_or(0);
                        shown.decoded.set(Some((seq, read_ms + (now_ms() - t0))));
                    })
                }
                Ok((Response::Error { message }, _)) => Err(message),
                Ok((other, _)) => Err(format!(
                    "{nm}: unexpected `{}` answer from the converter",
                    other.kind()
                )),
                Err(e) => Err(format!("{nm}: {e}")),
            };
            if let Err(e) = r {
                state.report(e);
            }
            working.set(false);
        });
    };
    view! {
        <section class="card h5ad-form" data-testid="h5ad-form">
            <h3>{format!("{name}: {n_units} units, {n_genes} genes (read in {read_ms:.0} ms)")}</h3>
            <p>"Columns to keep:"</p>
            <div class="filters">
                {obs.into_iter().map(|c| {
                    let c2 = c.clone();
                    let c3 = c.clone();
                    view! {
                        <label><input type="checkbox" prop:checked=move || chosen.with(|v| v.contains(&c2))
                            on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                let c = c3.clone();
                                chosen.update(|v| { v.retain(|x| *x != c); if on { v.push(c) } });
                            } />" " {c}</label>
                    }
                }).collect::<Vec<_>>()}
            </div>
            <div class="filters">
                <label>"Genes (comma-separated) " <input type="text" prop:value=move || genes.get() on:change=move |ev| genes.set(event_target_value(&ev)) /></label>
                <label>"plus top variable genes " <input type="number" min="0" max="200" class="num" prop:value=move || top.get().to_string()
                    on:change=move |ev| { if let Ok(v) = event_target_value(&ev).parse() { top.set(v) } } /></label>
                <label>"at most " <input type="number" min="1" class="num" prop:value=move || max_points.get().to_string()
                    on:change=move |ev| { if let Ok(v) = event_target_value(&ev).parse() { max_points.set(v) } } />" units (stratified, seeded)"</label>
                <button data-testid="h5ad-show" on:click=show prop:disabled=move || working.get()>"Show in the viewer"</button>
            </div>
            <Show when=move || working.get()>
                <p class="progress" data-testid="h5ad-working">"Converting in the background… " <progress></progress></p>
            </Show>
        </section>
    }
}

/// The dataset label of a synthetic set: "synthetic-1m", "synthetic-100k".
fn synthetic_label(n: usize) -> String {
    match n {
        n if n >= 1_000_000 && n.is_multiple_of(1_000_000) => {
            format!("synthetic-{}m", n / 1_000_000)
        }
        n if n >= 1_000 && n.is_multiple_of(1_000) => format!("synthetic-{}k", n / 1_000),
        n => format!("synthetic-{n}"),
    }
}
