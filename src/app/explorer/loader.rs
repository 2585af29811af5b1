//! Opening a benchmark folder (or files) from disk: read in the page, parsed
//! in WASM by `sbx_suite::Loader` a few files at a time with a progress bar,
//! and added to the loaded bundles. Nothing is uploaded.

use std::sync::Arc;

use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::{JsCast, JsValue};

use crate::app::state::{AppState, BundleSource, DiskProgress, LoadedBundle};

/// Files read per step before yielding to the browser.
const READ_BATCH: usize = 16;
/// Files parsed per step before yielding to the browser.
const PARSE_BATCH: usize = 8;

fn relative_path(f: &web_sys::File) -> String {
    // `webkitRelativePath` is set for folder picks (`folder/evals/x.json`);
    // it is empty for single files, whose name is all there is.
    let rel = js_sys::Reflect::get(f, &"webkitRelativePath".into())
        .ok()
        .and_then(|v| v.as_string())
        .unwrap_or_default();
    if rel.is_empty() {
        f.name()
    } else {
        rel
    }
}

fn files_of(list: Option<web_sys::FileList>) -> Vec<(String, web_sys::File)> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length())
        .filter_map(|i| list.get(i))
        .map(|f| (relative_path(&f), f))
        .collect()
}

fn call(obj: &JsValue, method: &str, args: &[&JsValue]) -> Result<JsValue, String> {
    let f: js_sys::Function = js_sys::Reflect::get(obj, &method.into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or_else(|| format!("the browser has no {method}"))?;
    let arr = js_sys::Array::new();
    for a in args {
        arr.push(a);
    }
    f.apply(obj, &arr)
        .map_err(|e| format!("{method} failed: {e:?}"))
}

/// Calls `obj.method(onSuccess, onError)` and waits for the callback.
async fn callback(obj: &JsValue, method: &str) -> Result<JsValue, String> {
    let mut err = None;
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        if let Err(e) = call(obj, method, &[&resolve, &reject]) {
            err = Some(e);
        }
    });
    if let Some(e) = err {
        return Err(e);
    }
    wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .map_err(|e| format!("{method}: {e:?}"))
}

fn flag(obj: &JsValue, key: &str) -> bool {
    js_sys::Reflect::get(obj, &key.into())
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

/// Every file under a dropped file-system entry (folders walked recursively),
/// with its path from the dropped item (`scbench/evals/x.json`).
fn walk_entry(
    entry: JsValue,
    out: std::rc::Rc<std::cell::RefCell<Vec<(String, web_sys::File)>>>,
) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), String>>>> {
    Box::pin(async move {
        let full = js_sys::Reflect::get(&entry, &"fullPath".into())
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default();
        let path = full.trim_start_matches('/').to_string();
        if flag(&entry, "isFile") {
            let file: web_sys::File = callback(&entry, "file")
                .await?
                .dyn_into()
                .map_err(|_| format!("{path}: not a file"))?;
            out.borrow_mut().push((path, file));
        } else if flag(&entry, "isDirectory") {
            let reader = call(&entry, "createReader", &[])?;
            // readEntries returns a batch at a time until an empty batch.
            loop {
                let batch: js_sys::Array = callback(&reader, "readEntries")
                    .await?
                    .dyn_into()
                    .map_err(|_| format!("{path}: cannot list"))?;
                if batch.length() == 0 {
                    break;
                }
                for e in batch.iter() {
                    walk_entry(e, out.clone()).await?;
                }
            }
        }
        Ok(())
    })
}

/// Files of a drop: folders are walked (through `webkitGetAsEntry`), plain
/// files are taken as they are.
fn dropped(dt: web_sys::DataTransfer) {
    let items = js_sys::Reflect::get(&dt, &"items".into()).ok();
    // Entries must be taken while the drop event is being handled.
    let mut entries = Vec::new();
    if let Some(items) = items.filter(|i| !i.is_undefined()) {
        let n = js_sys::Reflect::get(&items, &"length".into())
            .ok()
            .and_then(|v| v.as_f64())
            .unwrap_or(0.0) as u32;
        for i in 0..n {
            let Ok(item) = js_sys::Reflect::get_u32(&items, i) else {
                continue;
            };
            if let Ok(e) = call(&item, "webkitGetAsEntry", &[]) {
                if !e.is_null() && !e.is_undefined() {
                    entries.push(e);
                }
            }
        }
    }
    if entries.is_empty() {
        load_files(files_of(dt.files()));
        return;
    }
    spawn_local(async move {
        let out = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
        for e in entries {
            if let Err(msg) = walk_entry(e, out.clone()).await {
                AppState::get().report(format!("Dropped folder: {msg}"));
            }
        }
        let files = std::mem::take(&mut *out.borrow_mut());
        load_files(files);
    });
}

fn set(state: AppState, phase: &str, done: usize, total: usize, finished: bool) {
    state.disk.set(Some(DiskProgress {
        phase: phase.into(),
        done,
        total,
        finished,
    }));
}

/// Reads and parses `files`, then adds the suites found as a new bundle.
pub fn load_files(files: Vec<(String, web_sys::File)>) {
    let state = AppState::get();
    if files.is_empty() {
        return;
    }
    spawn_local(async move {
        let total = files.len();
        let mut read: Vec<(String, Vec<u8>)> = Vec::with_capacity(total);
        set(state, "Reading files", 0, total, false);
        for (i, (path, f)) in files.iter().enumerate() {
            let path = path.clone();
            match crate::app::fetch::read_local(&gloo_file::File::from(f.clone())).await {
                Ok(bytes) => read.push((path, bytes)),
                Err(e) => state.report(format!("{path}: could not be read from disk: {e}")),
            }
            if (i + 1) % READ_BATCH == 0 {
                set(state, "Reading files", i + 1, total, false);
                TimeoutFuture::new(0).await;
            }
        }
        let root = read
            .first()
            .map(|(p, _)| p.split('/').next().unwrap_or(p).to_string())
            .unwrap_or_default();
        let mut loader = sbx_suite::Loader::new(read.into_iter());
        loop {
            set(state, "Parsing", loader.done(), loader.total(), false);
            TimeoutFuture::new(0).await;
            if loader.step(PARSE_BATCH) {
                break;
            }
        }
        let total = loader.total();
        let (mut suites, issues) = loader.finish();
        let mut taken = Vec::new();
        for s in &mut suites {
            s.name = state.unique_suite_name(&s.name, &taken);
            taken.push(s.name.clone());
        }
        let n_suites = suites.len();
        match sbx_suite::Bundle::from_suites(&suites, &issues) {
            Ok(b) => {
                let name = format!("opened from disk: {root}");
                state.add_bundle(LoadedBundle {
                    name,
                    manifest: Arc::new(b.manifest.clone()),
                    source: BundleSource::Memory(Arc::new(b)),
                });
                let phase = format!(
                    "Loaded {n_suites} suite(s): {} ({} issue(s))",
                    taken.join(", "),
                    issues.len()
                );
                set(state, &phase, total, total, true);
            }
            Err(e) => {
                state.report(format!("{root}: could not be prepared for the page: {e}"));
                set(state, "Failed", total, total, true);
            }
        }
    });
}

/// The folder picker, the file picker and the drop zone, with the progress bar.
#[component]
pub fn DiskLoader() -> impl IntoView {
    let state = AppState::get();
    let over = RwSignal::new(false);
    // `webkitdirectory` is not a standard attribute, so it is set on the element.
    let folder = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(input) = folder.get() {
            let _ = input.set_attribute("webkitdirectory", "");
        }
    });
    let on_pick = move |ev: leptos::ev::Event| {
        let input = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
        if let Some(input) = input {
            load_files(files_of(input.files()));
            input.set_value("");
        }
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        over.set(false);
        if let Some(dt) = ev.data_transfer() {
            dropped(dt);
        }
    };
    view! {
        <section class="card disk-loader">
            <h2>"Open a benchmark folder from disk"</h2>
            <p class="lede">
                "A clone of spatialbench, scbench or spatialbench-long (evals, results, trajectories). "
                "Files are read and parsed in this page; nothing is uploaded."
            </p>
            <div
                class="dropzone"
                class:over=move || over.get()
                on:dragover=move |ev: leptos::ev::DragEvent| {
                    ev.prevent_default();
                    over.set(true);
                }
                on:dragleave=move |_| over.set(false)
                on:drop=on_drop
            >
                <p>"Drop a folder or files here, or choose:"</p>
                <label class="picker">
                    "Folder: "
                    <input type="file" class="folder-input" node_ref=folder multiple=true on:change=on_pick />
                </label>
                " "
                <label class="picker">
                    "Files: "
                    <input type="file" class="files-input" multiple=true on:change=on_pick />
                </label>
            </div>
            {move || {
                state.disk.get().map(|p| {
                    view! {
                        <div class="disk-progress" class:finished=p.finished>
                            <progress class="progress" max=p.total.max(1).to_string() value=p.done.to_string()></progress>
                            <span class="status">{format!("{}: {} / {}", p.phase, p.done, p.total)}</span>
                        </div>
                    }
                })
            }}
        </section>
    }
}

/// Load issues of every bundle, by file name.
#[component]
pub fn IssueList() -> impl IntoView {
    let state = AppState::get();
    view! {
        {move || {
            let issues = state.issues();
            (!issues.is_empty()).then(|| {
                view! {
                    <section class="card issue-list">
                        <h2>{format!("Load issues ({})", issues.len())}</h2>
                        <ul>
                            {issues
                                .into_iter()
                                .map(|(b, i)| {
                                    let level = match i.level {
                                        sbx_suite::IssueLevel::Error => "error",
                                        sbx_suite::IssueLevel::Warning => "warning",
                                    };
                                    view! {
                                        <li class=format!("issue lint {level}")>
                                            <strong>{level}</strong> " " <code class="path">{i.path}</code> ": " {i.message}
                                            <span class="bundle">{format!(" ({b})")}</span>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    </section>
                }
            })
        }}
    }
}
