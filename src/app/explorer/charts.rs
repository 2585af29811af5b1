//! Charts drawn with plotters on a canvas: accuracy as dots with 95%
//! interval bars, and the model × eval pass-rate heatmap. Each chart has a
//! PNG download.

use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;

use crate::app::download::{download_canvas_png, download_text, file_stem};
use crate::app::state::AppState;

/// One row of a dot chart.
#[derive(Clone, Debug, PartialEq)]
pub struct DotRow {
    pub label: String,
    pub mean: f64,
    pub lo: Option<f64>,
    pub hi: Option<f64>,
}

const WIDTH: u32 = 1000;

/// Upper bound of a segmented range with `n` segments: plotters makes one
/// segment per value of `0..=end`, so `n` segments end at `n - 1`.
fn last(n: usize) -> usize {
    n.saturating_sub(1).max(1)
}

fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("chart drawing failed: {e:?}")
}

fn dots_height(rows: &[DotRow]) -> u32 {
    (60 + 22 * rows.len().max(1)) as u32
}

/// Dots (means) with horizontal interval bars, best row on top.
pub fn draw_dots(
    canvas: &web_sys::HtmlCanvasElement,
    rows: &[DotRow],
    x_desc: &str,
) -> Result<(), String> {
    canvas.set_width(WIDTH);
    canvas.set_height(dots_height(rows));
    let backend = CanvasBackend::with_canvas_object(canvas.clone())
        .ok_or("no 2D context on the chart canvas")?;
    dots_on(backend.into_drawing_area(), rows, x_desc)
}

/// The same chart as SVG text.
pub fn dots_svg(rows: &[DotRow], x_desc: &str) -> Result<String, String> {
    let mut out = String::new();
    {
        let backend = SVGBackend::with_string(&mut out, (WIDTH, dots_height(rows)));
        dots_on(backend.into_drawing_area(), rows, x_desc)?;
    }
    Ok(out)
}

fn dots_on<DB: DrawingBackend>(
    root: DrawingArea<DB, plotters::coord::Shift>,
    rows: &[DotRow],
    x_desc: &str,
) -> Result<(), String>
where
    DB::ErrorType: 'static,
{
    let n = rows.len().max(1);
    root.fill(&WHITE).map_err(err)?;
    let xmin = rows
        .iter()
        .map(|r| r.lo.unwrap_or(r.mean))
        .fold(0.0f64, f64::min);
    let xmax = rows
        .iter()
        .map(|r| r.hi.unwrap_or(r.mean))
        .fold(100.0f64, f64::max);
    // Reverse so that the first row (the best) is drawn at the top.
    let ordered: Vec<&DotRow> = rows.iter().rev().collect();
    let labels: Vec<String> = ordered.iter().map(|r| r.label.clone()).collect();
    let mut chart = ChartBuilder::on(&root)
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(320)
        .build_cartesian_2d(xmin..xmax, (0..last(n)).into_segmented())
        .map_err(err)?;
    chart
        .configure_mesh()
        .y_labels(n)
        .y_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) => labels.get(*i).cloned().unwrap_or_default(),
            _ => String::new(),
        })
        .x_desc(x_desc)
        .label_style(("sans-serif", 13))
        .draw()
        .map_err(err)?;
    let color = RGBColor(23, 92, 211);
    for (i, r) in ordered.iter().enumerate() {
        let y = SegmentValue::CenterOf(i);
        if let (Some(lo), Some(hi)) = (r.lo, r.hi) {
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(lo, y.clone()), (hi, y.clone())],
                    color.stroke_width(2),
                )))
                .map_err(err)?;
            for x in [lo, hi] {
                let cap = EmptyElement::at((x, y.clone()))
                    + PathElement::new(vec![(0, -5), (0, 5)], color.stroke_width(2));
                chart.draw_series(std::iter::once(cap)).map_err(err)?;
            }
        }
        chart
            .draw_series(std::iter::once(Circle::new((r.mean, y), 5, color.filled())))
            .map_err(err)?;
    }
    root.present().map_err(err)?;
    Ok(())
}

/// A heatmap: `cells[row][col]` in [0, 1] (None: no data), row labels on the left.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Heat {
    pub rows: Vec<String>,
    pub n_cols: usize,
    pub cells: Vec<Vec<Option<f64>>>,
}

fn heat_color(v: f64) -> RGBColor {
    // Red (0) through yellow (0.5) to green (1).
    let v = v.clamp(0.0, 1.0);
    let (r, g) = if v < 0.5 {
        (220.0, 60.0 + 340.0 * v)
    } else {
        (220.0 - 360.0 * (v - 0.5), 230.0 - 60.0 * (v - 0.5))
    };
    RGBColor(r as u8, g as u8, 70)
}

fn heat_height(heat: &Heat) -> u32 {
    (60 + 18 * heat.rows.len().max(1)) as u32
}

pub fn draw_heat(canvas: &web_sys::HtmlCanvasElement, heat: &Heat) -> Result<(), String> {
    canvas.set_width(WIDTH);
    canvas.set_height(heat_height(heat));
    let backend = CanvasBackend::with_canvas_object(canvas.clone())
        .ok_or("no 2D context on the chart canvas")?;
    heat_on(backend.into_drawing_area(), heat)
}

/// The same heatmap as SVG text.
pub fn heat_svg(heat: &Heat) -> Result<String, String> {
    let mut out = String::new();
    {
        let backend = SVGBackend::with_string(&mut out, (WIDTH, heat_height(heat)));
        heat_on(backend.into_drawing_area(), heat)?;
    }
    Ok(out)
}

fn heat_on<DB: DrawingBackend>(
    root: DrawingArea<DB, plotters::coord::Shift>,
    heat: &Heat,
) -> Result<(), String>
where
    DB::ErrorType: 'static,
{
    let nr = heat.rows.len().max(1);
    let nc = heat.n_cols.max(1);
    root.fill(&WHITE).map_err(err)?;
    let labels: Vec<String> = heat.rows.iter().rev().cloned().collect();
    let mut chart = ChartBuilder::on(&root)
        .margin(12)
        .x_label_area_size(30)
        .y_label_area_size(320)
        .build_cartesian_2d(
            (0..last(nc)).into_segmented(),
            (0..last(nr)).into_segmented(),
        )
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .y_labels(nr)
        // Eval ids do not fit under the cells; the table beside the chart
        // lists them by column. (`x_labels(0)` would overflow in plotters.)
        .x_labels(1)
        .x_label_formatter(&|_| String::new())
        .y_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) => labels.get(*i).cloned().unwrap_or_default(),
            _ => String::new(),
        })
        .x_desc("evals, by overall pass rate (left: easiest)")
        .label_style(("sans-serif", 12))
        .draw()
        .map_err(err)?;
    for (ri, row) in heat.cells.iter().enumerate() {
        let y = nr - 1 - ri;
        for (x, c) in row.iter().enumerate() {
            let style = match c {
                Some(v) => heat_color(*v).filled(),
                None => RGBColor(235, 237, 240).filled(),
            };
            let rect = Rectangle::new(
                [
                    (SegmentValue::Exact(x), SegmentValue::Exact(y)),
                    (SegmentValue::Exact(x + 1), SegmentValue::Exact(y + 1)),
                ],
                style,
            );
            chart.draw_series(std::iter::once(rect)).map_err(err)?;
        }
    }
    root.present().map_err(err)?;
    Ok(())
}

fn svg_button(name: String, make: impl Fn() -> Result<String, String> + 'static) -> impl IntoView {
    view! {
        <button class="secondary export-svg" on:click=move |_| {
            let r = make().and_then(|svg| download_text(&format!("{}.svg", file_stem(&name)), "image/svg+xml", &svg));
            if let Err(e) = r {
                AppState::get().report(format!("SVG export failed: {e}"));
            }
        }>"Download SVG"</button>
    }
}

fn png_button(canvas: NodeRef<Canvas>, name: String) -> impl IntoView {
    view! {
        <button class="secondary export-png" on:click=move |_| {
            if let Some(c) = canvas.get_untracked() {
                if let Err(e) = download_canvas_png(&c, &format!("{}.png", file_stem(&name))) {
                    AppState::get().report(format!("PNG export failed: {e}"));
                }
            }
        }>"Download PNG"</button>
    }
}

/// Accuracy dots with interval bars.
#[component]
pub fn DotChart(
    #[prop(into)] rows: Signal<Vec<DotRow>>,
    #[prop(into)] name: String,
    #[prop(into)] x_desc: String,
) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let label = name.clone();
    let svg_name = name.clone();
    let desc = x_desc.clone();
    let svg = move || dots_svg(&rows.get_untracked(), &desc);
    Effect::new(move |_| {
        let rows = rows.get();
        if let Some(c) = canvas.get() {
            if let Err(e) = draw_dots(&c, &rows, &x_desc) {
                AppState::get().report(e);
            }
        }
    });
    view! {
        <div class="chart" data-chart=label>
            <div class="canvas-wrap"><canvas node_ref=canvas width="1000" height="200"></canvas></div>
            <div class="table-tools">{png_button(canvas, name)}{svg_button(svg_name, svg)}</div>
        </div>
    }
}

/// Pass-rate heatmap.
#[component]
pub fn HeatChart(#[prop(into)] heat: Signal<Heat>, #[prop(into)] name: String) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let label = name.clone();
    let svg_name = name.clone();
    let svg = move || heat_svg(&heat.get_untracked());
    Effect::new(move |_| {
        let heat = heat.get();
        if let Some(c) = canvas.get() {
            if let Err(e) = draw_heat(&c, &heat) {
                AppState::get().report(e);
            }
        }
    });
    view! {
        <div class="chart" data-chart=label>
            <div class="canvas-wrap"><canvas node_ref=canvas width="1000" height="200"></canvas></div>
            <div class="legend">
                <span class="item"><span class="swatch heat-0"></span>"0% passed"</span>
                <span class="item"><span class="swatch heat-50"></span>"50%"</span>
                <span class="item"><span class="swatch heat-100"></span>"100%"</span>
                <span class="item"><span class="swatch heat-none"></span>"no graded run"</span>
            </div>
            <div class="table-tools">{png_button(canvas, name)}{svg_button(svg_name, svg)}</div>
        </div>
    }
}
