//! Decoding a dataset file on the page. A large file is decoded record batch by record
//! batch in slices of a few milliseconds: its first rows are drawn at once, the viewer
//! gets the rows decoded so far a few times a second, a progress bar counts the rows, and
//! the page's thread is handed back between slices so it never blocks for long.

use crate::app::viewer::paint::now_ms;
use leptos::prelude::*;
use sbx_data::{BatchDecoder, Dataset, Limits};
use std::sync::Arc;

/// Files with at least this many rows are drawn in parts; smaller ones decode in one go.
pub const IN_PARTS_FROM_ROWS: usize = 500_000;
/// Decoding time per slice before the thread is handed back.
const SLICE_MS: f64 = 25.0;
/// The viewer gets new rows at most this often, and only when the rows have doubled
/// since the last time (each hand-over copies the rows so far: at most once the file).
const REDRAW_EVERY_MS: f64 = 250.0;
/// The viewer gets the rows so far only up to this many: a hand-over copies them, and a
/// copy of more (120 MB at 6M rows, to freshly grown memory) held the page for 150 ms.
/// Past it the viewer shows the rows it has until the whole file is there.
const HAND_OVER_MAX_ROWS: usize = 2_000_000;

/// What a load reports while it runs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Progress {
    pub rows_done: usize,
    pub rows_total: usize,
}

/// The stages of one load, for the page that shows it.
pub trait Sink {
    /// The first rows (or the whole dataset of a small file): show a viewer on them.
    fn first(&self, ds: Arc<Dataset>, rows_total: usize);
    /// More rows of the same file, or `None` when the load is over.
    fn progress(&self, p: Option<Progress>);
    /// Rows decoded so far, for the viewer already shown.
    fn more(&self, ds: Arc<Dataset>);
}

/// Decodes `bytes`, handing the rows to `sink` as they come; the decoding time in ms
/// (without the pauses between slices) and the whole dataset at the end.
pub async fn decode_in_parts(
    label: &str,
    bytes: Vec<u8>,
    sink: &impl Sink,
) -> Result<(f64, Arc<Dataset>), String> {
    let err = |e: sbx_data::DataError| format!("{label}: {e}");
    let t0 = now_ms();
    let mut dec = BatchDecoder::open(bytes, &Limits::default()).map_err(err)?;
    let total = dec.rows_total();
    let mut busy = now_ms() - t0;
    if total < IN_PARTS_FROM_ROWS || dec.batch_count() < 2 {
        let t1 = now_ms();
        let ds = Arc::new(dec.finish().map_err(err)?);
        busy += now_ms() - t1;
        sink.first(ds.clone(), total);
        return Ok((busy, ds));
    }
    let mut shown = 0usize;
    let mut last_shown = 0.0;
    let r = loop {
        let t1 = now_ms();
        let mut more = true;
        // the first slice is one batch, so the first rows are drawn at once
        while more && (shown == 0 || now_ms() - t1 < SLICE_MS) {
            more = dec.next_batch().map_err(err)?;
            if shown == 0 {
                break;
            }
        }
        busy += now_ms() - t1;
        if dec.is_done() {
            break dec;
        }
        let rows = dec.rows_done();
        if shown == 0 {
            sink.first(Arc::new(dec.dataset().clone()), total);
            (shown, last_shown) = (rows, now_ms());
        } else if now_ms() - last_shown >= REDRAW_EVERY_MS
            && rows >= 2 * shown
            && rows <= HAND_OVER_MAX_ROWS
        {
            sink.more(Arc::new(dec.dataset().clone()));
            (shown, last_shown) = (rows, now_ms());
        }
        sink.progress(Some(Progress {
            rows_done: rows,
            rows_total: total,
        }));
        // hand the thread back: input, animation frames and the viewer's redraw run here
        gloo_timers::future::TimeoutFuture::new(0).await;
    };
    let t1 = now_ms();
    let ds = Arc::new(r.finish().map_err(err)?);
    busy += now_ms() - t1;
    sink.more(ds.clone());
    sink.progress(None);
    Ok((busy, ds))
}

/// Decodes a whole file, a record batch per task (no viewer is shown before the end).
pub async fn decode_batches(bytes: Vec<u8>) -> Result<Dataset, String> {
    let err = |e: sbx_data::DataError| e.to_string();
    let mut dec = BatchDecoder::open(bytes, &Limits::default()).map_err(err)?;
    while dec.next_batch().map_err(err)? {
        gloo_timers::future::TimeoutFuture::new(0).await;
    }
    dec.finish().map_err(err)
}

/// A progress bar for a load in parts: rows decoded of the file's rows.
#[component]
pub fn DecodeProgress(progress: Signal<Option<Progress>>) -> impl IntoView {
    move || {
        progress.get().map(|p| {
            let pct = p.rows_done as f64 * 100.0 / p.rows_total.max(1) as f64;
            view! {
                <p class="progress" data-testid="decode-progress" data-done=p.rows_done data-total=p.rows_total>
                    "Decoding " {sbx_data::synthetic::thousands(p.rows_done)} " of "
                    {sbx_data::synthetic::thousands(p.rows_total)} " rows (drawn as they arrive) "
                    <progress max="100" value=format!("{pct:.0}")></progress>
                </p>
            }
        })
    }
}

/// Runs the decoder on a small file a few times while the page is idle. V8 compiles
/// WebAssembly lazily with its baseline compiler (Liftoff) and optimises a function
/// (TurboFan) only after it has run a while, in the background; a decoder met for the first
/// time on a large file runs its per-row loops as baseline code, several times slower.
/// Decoding a small file first spends that start-up where nobody waits.
/// The memory a large file will need is made ready first ([`prefault`]).
pub async fn warm_up(bytes: Vec<u8>, times: usize) {
    prefault(PREFAULT_BYTES).await;
    for _ in 0..times {
        gloo_timers::future::TimeoutFuture::new(20).await;
        let _ = BatchDecoder::open(bytes.clone(), &Limits::default()).and_then(|d| d.finish());
    }
}

/// What [`prefault`] makes ready: a 1M-row file (24 MB) and its decoded columns (24 MB).
const PREFAULT_BYTES: usize = 64 << 20;

/// Grows the page's WebAssembly memory by `bytes` and writes to every page of it, a few
/// megabytes per task, then frees it. The first write to memory the page has just grown
/// makes the system supply zeroed pages, which about doubles the cost of that write;
/// the allocator keeps freed memory, so a file decoded later writes its columns to pages
/// that are already there. Once per page: later calls find the memory there.
pub async fn prefault(bytes: usize) {
    static DONE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if DONE.swap(true, std::sync::atomic::Ordering::Relaxed) {
        return;
    }
    let mut v: Vec<u8> = Vec::new();
    if v.try_reserve_exact(bytes).is_err() {
        return;
    }
    crate::app::fetch::in_steps(bytes, 4 << 20, |r| {
        v.resize(r.end, 1);
        std::hint::black_box(&v);
    })
    .await;
}
