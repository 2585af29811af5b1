//! The Performance details: decode, rasterize and putImageData times, redraw
//! and region-computation counts, the tiles' build time, the first picture,
//! the rows the level of detail drew, WebAssembly memory, and a 30-frame redraw
//! benchmark. The e2e tests read these figures through their `data-testid`s.

use super::paint;
use super::state::ViewerState;
use super::webgl::GlPoints;
use crate::view::render::{point_size, render, row_colors, Drew, BACKGROUND};
use leptos::prelude::*;
use leptos::task::spawn_local;
use sbx_render::{Canvas, View};

/// Redraws 30 panned frames back to back (rasterize + putImageData) and
/// records the mean time per frame.
fn run_bench(s: ViewerState) {
    let Some(el) = s.canvas_ref.get_untracked() else {
        return;
    };
    let v0 = s.view.get_untracked();
    let t0 = paint::now_ms();
    for i in 0..30 {
        let _ = s.paint(&el, &panned(v0, i));
    }
    s.bench.set(Some((paint::now_ms() - t0) / 30.0));
    s.view.set(v0);
}

/// Every point drawn on the CPU and with WebGL2, a frame per task (see `run_compare`).
#[derive(Clone, Debug)]
struct Compare {
    /// Mean ms per frame of the CPU rasterizer drawing every point (and putting it on a canvas).
    cpu_ms: f64,
    /// Frames the CPU drew (30, or fewer when they took over 2 s).
    frames: usize,
    /// WebGL2: (upload ms, mean ms per frame until the GPU is done, frames, renderer), or why not.
    gl: Result<(f64, f64, usize, String), String>,
    /// Pixels with points in the last frame: (CPU, WebGL2), a check that both drew the same.
    ink: (usize, usize),
}

/// The views of a measurement: the current one panned about.
fn panned(v0: View, i: usize) -> View {
    let mut v = v0;
    v.pan((i as f64 * 0.7).sin() * 40.0, (i as f64 * 0.5).cos() * 30.0);
    v
}

/// Draws every point of the current view on the CPU, then with WebGL2: 30 frames each,
/// or as many as fit in 2 s (at least 2), one frame per task so that the page stays live
/// even when a frame takes seconds (a software GPU).
async fn run_compare(s: ViewerState) -> Option<Compare> {
    let (ds, settings) = (s.ds.try_get_value()?, untrack(|| s.settings()));
    let v0 = s.view.get_untracked();
    let size = point_size(&settings).pixels(&v0);
    let el = paint::offscreen(v0.width, v0.height).ok()?;
    let mut buf = Canvas::new(v0.width, v0.height, BACKGROUND);
    let cpu = frames(
        |v| {
            render(&ds, &settings, None, &v, &mut buf, None);
            let _ = paint::put(&el, &buf);
            async {}
        },
        v0,
    )
    .await;
    // both pictures of the same view (the runs may end on different frames)
    render(&ds, &settings, None, &v0, &mut buf, None);
    let cpu_ink = buf.pixels.iter().filter(|&&p| p != BACKGROUND.0).count();
    let mut gl_ink = 0;
    let gl_el = paint::offscreen(v0.width, v0.height).ok()?;
    gloo_timers::future::TimeoutFuture::new(0).await;
    let t0 = paint::now_ms();
    let gl = match GlPoints::new(&gl_el, &ds.x, &ds.y, &row_colors(&ds, &settings)) {
        Ok(g) => {
            g.done().await;
            let upload = paint::now_ms() - t0;
            let (ms, n) = frames(
                |v| {
                    g.draw(&v, size);
                    g.done()
                },
                v0,
            )
            .await;
            g.draw(&v0, size);
            g.done().await;
            gl_ink = g
                .pixels(v0.width, v0.height)
                .chunks(4)
                .filter(|p| p[..3] != [255, 255, 255])
                .count();
            Ok((upload, ms, n, g.renderer()))
        }
        Err(e) => Err(e),
    };
    Some(Compare {
        cpu_ms: cpu.0,
        frames: cpu.1,
        gl,
        ink: (cpu_ink, gl_ink),
    })
}

/// Runs `frame` on panned views of `v0`, one per task: 30 frames, or as many as fit in
/// 2 s (at least 2); the mean ms per frame and the frames run.
async fn frames<F: std::future::Future<Output = ()>>(
    mut frame: impl FnMut(View) -> F,
    v0: View,
) -> (f64, usize) {
    let (mut total, mut n) = (0.0, 0);
    while n < 30 && (n < 2 || total < 2000.0) {
        gloo_timers::future::TimeoutFuture::new(0).await;
        let t0 = paint::now_ms();
        frame(panned(v0, n)).await;
        total += paint::now_ms() - t0;
        n += 1;
    }
    (total / n as f64, n)
}

/// How many rows a redraw drew, of `n`.
fn drawn_rows(d: Drew, n: usize) -> usize {
    match d {
        Drew::Every => n,
        Drew::Tiles(t) => t.rows,
        Drew::Sample { rows, .. } => rows,
    }
}

/// A comparison in words.
fn compare_text(c: &Compare) -> String {
    let cpu = format!("CPU {:.1} ms per frame ({} frames)", c.cpu_ms, c.frames);
    match &c.gl {
        Ok((upload, frame, n, renderer)) => format!(
            "{cpu}; WebGL2 {frame:.1} ms per frame ({n} frames), after {upload:.0} ms uploading the points (GPU: {renderer}); pixels with points: CPU {}, WebGL2 {}",
            c.ink.0, c.ink.1
        ),
        Err(e) => format!("{cpu}; WebGL2 not measured: {e}"),
    }
}

/// What a redraw drew, in words.
fn drawn_text(d: Drew, panels: bool) -> String {
    match d {
        Drew::Every => "every point".to_string(),
        Drew::Tiles(t) => format!(
            "{} rows ({})",
            t.rows,
            t.level
                .map_or("every row of the visible tiles".to_string(), |k| format!(
                    "one per cell, level {k}"
                ))
        ),
        Drew::Sample { every, rows } if panels => {
            format!(
                "{rows} rows, one in {every}: small multiples of this many points draw a sample"
            )
        }
        Drew::Sample { every, rows } => {
            format!("{rows} rows, one in {every}: a sample until the tiles are built")
        }
    }
}

#[component]
pub fn Performance(state: ViewerState, decode_ms: MaybeProp<f64>) -> impl IntoView {
    let s = state;
    let ms = move |i: usize| {
        let m = s.redraw_ms.get();
        if i == 0 {
            m.0
        } else {
            m.1
        }
    };
    let compare = RwSignal::new(None::<Compare>);
    let comparing = RwSignal::new(false);
    view! {
        <details class="performance" data-testid="performance">
            <summary>"Performance"</summary>
            <dl>
                {move || decode_ms.get().map(|ms| view! { <dt>"decode (Arrow IPC → dataset)"</dt><dd data-testid="decode-ms" data-value=format!("{ms:.2}")>{format!("{ms:.1} ms")}</dd> })}
                <dt>"rasterize"</dt>
                <dd data-testid="raster-ms" data-value=move || format!("{:.2}", ms(0))>{move || format!("{:.1} ms", ms(0))}</dd>
                <dt>"putImageData"</dt>
                <dd data-testid="put-ms" data-value=move || format!("{:.2}", ms(1))>{move || format!("{:.1} ms", ms(1))}</dd>
                <dt>"redraws"</dt><dd>{move || s.redraw_ms.get().2}</dd>
                <dt>"niche regions"</dt>
                <dd data-testid="regions-ms" data-value=move || format!("{:.2}", s.regions_ms.get().0) data-computed=move || s.regions_ms.get().1.to_string()>
                    {move || match s.regions_ms.get() {
                        (_, 0) => "not computed".to_string(),
                        (ms, n) => format!("{ms:.1} ms (computed {n}×, on column or panel changes only)"),
                    }}
                </dd>
                <dt>"WebAssembly memory"</dt>
                <dd data-testid="wasm-mb" data-value=move || { s.redraw_ms.track(); paint::wasm_memory_mb().map(|m| format!("{m:.1}")).unwrap_or_default() }>
                    {move || { s.redraw_ms.track(); paint::wasm_memory_mb().map(|m| format!("{m:.0} MB (all loaded data)")).unwrap_or_default() }}
                </dd>
                <dt>"points"</dt><dd>{move || s.row_count.get()}</dd>
                <dt>"tiles built"</dt>
                <dd data-testid="index-ms" data-value=move || s.lod_ms.get().map(|m| format!("{m:.2}")).unwrap_or_default()>
                    {move || s.lod_ms.get().map(|m| format!("{m:.1} ms (after the first picture)")).unwrap_or_default()}
                </dd>
                <dt>"first picture"</dt>
                <dd data-testid="first-frame-ms" data-value=move || s.first_frame_ms.get().map(|m| format!("{m:.2}")).unwrap_or_default()>
                    {move || s.first_frame_ms.get().map(|m| format!("{m:.1} ms after the viewer opened")).unwrap_or_default()}
                </dd>
                <dt>"last selection"</dt>
                <dd data-testid="select-ms" data-value=move || s.select_ms.get().map(|m| format!("{m:.2}")).unwrap_or_default()>
                    {move || s.select_ms.get().map(|m| format!("{m:.1} ms")).unwrap_or_default()}
                </dd>
                <dt>"drawn"</dt>
                <dd data-testid="lod" data-rows=move || s.drawn.get().map(|d| drawn_rows(d, s.row_count.get()).to_string()).unwrap_or_default()>
                    {move || s.drawn.get().map(|d| drawn_text(d, s.grid.with(Option::is_some))).unwrap_or_default()}
                </dd>
                <dt><button data-testid="bench-redraw" on:click=move |_| run_bench(s)>"Measure 30 redraws"</button></dt>
                <dd data-testid="bench-ms" data-value=move || s.bench.get().map(|b| format!("{b:.2}")).unwrap_or_default()>
                    {move || s.bench.get().map(|b| format!("{b:.1} ms per frame ({:.0} frames per second)", 1000.0 / b.max(1e-3))).unwrap_or_default()}
                </dd>
                <dt>
                    <button data-testid="bench-compare" prop:disabled=move || comparing.get()
                        title="Every point of this view, 30 frames each: the CPU rasterizer, then the GPU through WebGL2"
                        on:click=move |_| {
                            comparing.set(true);
                            spawn_local(async move {
                                let r = run_compare(s).await;
                                if !comparing.is_disposed() {
                                    compare.set(r);
                                    comparing.set(false);
                                }
                            });
                        }>"Compare: every point on the CPU and with WebGL2"</button>
                </dt>
                <dd data-testid="compare" data-cpu=move || compare.with(|c| c.as_ref().map(|c| format!("{:.2}", c.cpu_ms)).unwrap_or_default())
                    data-gl=move || compare.with(|c| c.as_ref().and_then(|c| c.gl.as_ref().ok()).map(|g| format!("{:.2}", g.1)).unwrap_or_default())
                    data-upload=move || compare.with(|c| c.as_ref().and_then(|c| c.gl.as_ref().ok()).map(|g| format!("{:.2}", g.0)).unwrap_or_default())
                    data-ink=move || compare.with(|c| c.as_ref().map(|c| format!("{} {}", c.ink.0, c.ink.1)).unwrap_or_default())>
                    {move || if comparing.get() { "measuring…".to_string() } else { compare.with(|c| c.as_ref().map(compare_text).unwrap_or_default()) }}
                </dd>
            </dl>
        </details>
    }
}
