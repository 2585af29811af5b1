//! The Performance details: decode, rasterize and putImageData times, redraw
//! and region-computation counts, the tiles' build time, the first picture,
//! the rows the level of detail drew, WebAssembly memory, and a 30-frame redraw
//! benchmark. The e2e tests read these figures through their `data-testid`s.

use super::paint;
use super::state::ViewerState;
use leptos::prelude::*;

/// Redraws 30 panned frames back to back (rasterize + putImageData) and
/// records the mean time per frame.
fn run_bench(s: ViewerState) {
    let Some(el) = s.canvas_ref.get_untracked() else {
        return;
    };
    let v0 = s.view.get_untracked();
    let t0 = paint::now_ms();
    for i in 0..30 {
        let mut v = v0;
        v.pan((i as f64 * 0.7).sin() * 40.0, (i as f64 * 0.5).cos() * 30.0);
        let _ = s.paint(&el, &v);
    }
    s.bench.set(Some((paint::now_ms() - t0) / 30.0));
    s.view.set(v0);
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
                <dd data-testid="lod" data-rows=move || s.drawn.get().map(|d| d.rows.to_string()).unwrap_or_default()>
                    {move || match s.drawn.get() {
                        None => "every point".to_string(),
                        Some(d) => format!("{} rows ({})", d.rows, d.level.map_or("every row of the visible tiles".to_string(), |k| format!("one per cell, level {k}"))),
                    }}
                </dd>
                <dt><button data-testid="bench-redraw" on:click=move |_| run_bench(s)>"Measure 30 redraws"</button></dt>
                <dd data-testid="bench-ms" data-value=move || s.bench.get().map(|b| format!("{b:.2}")).unwrap_or_default()>
                    {move || s.bench.get().map(|b| format!("{b:.1} ms per frame ({:.0} frames per second)", 1000.0 / b.max(1e-3))).unwrap_or_default()}
                </dd>
            </dl>
        </details>
    }
}
