//! The case studies' small charts, drawn with plotters on a canvas.

use leptos::prelude::*;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use std::sync::Arc;

/// What a chart shows. Data is owned so a chart can be redrawn from a signal.
#[derive(Clone, Debug, PartialEq)]
pub enum Chart {
    /// Values in [0, 1] binned into `bins` equal bins.
    Histogram { title: String, x_desc: String, values: Vec<f32>, bins: usize },
    Scatter { title: String, x_desc: String, y_desc: String, x: Vec<f32>, y: Vec<f32> },
    /// One stacked bar per group; `parts[g][k]` is the share of part k.
    Stacked { title: String, x_desc: String, parts: Vec<Vec<f64>>, part_names: Vec<String> },
    /// Series of (x, y) lines with names, and an optional horizontal reference line.
    Lines { title: String, x_desc: String, y_desc: String, series: Vec<(String, Vec<(f64, f64)>)>, reference: Option<(String, f64)> },
}

const COLORS: [RGBColor; 8] = [
    RGBColor(78, 121, 167),
    RGBColor(242, 142, 43),
    RGBColor(225, 87, 89),
    RGBColor(118, 183, 178),
    RGBColor(89, 161, 79),
    RGBColor(237, 201, 72),
    RGBColor(176, 122, 161),
    RGBColor(156, 117, 95),
];

fn draw(el: web_sys::HtmlCanvasElement, c: &Chart) -> Result<(), String> {
    let backend = CanvasBackend::with_canvas_object(el).ok_or("no canvas for the chart")?;
    let root = backend.into_drawing_area();
    let e = |e: DrawingAreaErrorKind<_>| format!("chart: {e}");
    root.fill(&WHITE).map_err(e)?;
    match c {
        Chart::Histogram { title, x_desc, values, bins } => {
            let bins = (*bins).max(1);
            let mut counts = vec![0u32; bins];
            for &v in values.iter().filter(|v| v.is_finite()) {
                counts[((v.clamp(0.0, 1.0) * bins as f32) as usize).min(bins - 1)] += 1;
            }
            let ymax = counts.iter().copied().max().unwrap_or(1).max(1) as f32 * 1.08;
            let mut ch = ChartBuilder::on(&root)
                .caption(title, ("sans-serif", 15))
                .margin(8)
                .x_label_area_size(34)
                .y_label_area_size(52)
                .build_cartesian_2d(0f32..1f32, 0f32..ymax)
                .map_err(e)?;
            ch.configure_mesh().x_desc(x_desc.as_str()).y_desc("genes").disable_x_mesh().draw().map_err(e)?;
            let w = 1.0 / bins as f32;
            ch.draw_series(counts.iter().enumerate().map(|(i, &n)| {
                Rectangle::new([(i as f32 * w, 0.0), ((i + 1) as f32 * w, n as f32)], COLORS[0].filled())
            }))
            .map_err(e)?;
        }
        Chart::Scatter { title, x_desc, y_desc, x, y } => {
            let r = |v: &[f32]| {
                let (lo, hi) = sbx_data::dataset::finite_range(v).unwrap_or((0.0, 1.0));
                let pad = ((hi - lo) * 0.04).max(1e-3);
                (lo - pad)..(hi + pad)
            };
            let mut ch = ChartBuilder::on(&root)
                .caption(title, ("sans-serif", 15))
                .margin(8)
                .x_label_area_size(34)
                .y_label_area_size(52)
                .build_cartesian_2d(r(x), r(y))
                .map_err(e)?;
            ch.configure_mesh().x_desc(x_desc.as_str()).y_desc(y_desc.as_str()).draw().map_err(e)?;
            ch.draw_series(x.iter().zip(y).map(|(&a, &b)| Circle::new((a, b), 2, COLORS[0].mix(0.35).filled()))).map_err(e)?;
        }
        Chart::Stacked { title, x_desc, parts, part_names } => {
            let n = parts.len().max(1);
            let mut ch = ChartBuilder::on(&root)
                .caption(title, ("sans-serif", 15))
                .margin(8)
                .x_label_area_size(34)
                .y_label_area_size(52)
                .build_cartesian_2d(0f64..n as f64, 0f64..1f64)
                .map_err(e)?;
            ch.configure_mesh().x_desc(x_desc.as_str()).y_desc("share of units").disable_x_mesh().x_labels(n.min(20)).draw().map_err(e)?;
            for (k, name) in part_names.iter().enumerate() {
                let color = COLORS[k % COLORS.len()];
                ch.draw_series(parts.iter().enumerate().map(|(g, p)| {
                    let below: f64 = p.iter().take(k).sum();
                    let v = p.get(k).copied().unwrap_or(0.0);
                    Rectangle::new([(g as f64 + 0.1, below), (g as f64 + 0.9, below + v)], color.filled())
                }))
                .map_err(e)?
                .label(name.as_str())
                .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 10, y + 5)], color.filled()));
            }
            ch.configure_series_labels().background_style(WHITE.mix(0.85)).border_style(BLACK).position(SeriesLabelPosition::UpperRight).draw().map_err(e)?;
        }
        Chart::Lines { title, x_desc, y_desc, series, reference } => {
            let pts = series.iter().flat_map(|s| s.1.iter());
            let (mut x0, mut x1, mut y1) = (f64::MAX, f64::MIN, 0f64);
            for &(x, y) in pts {
                x0 = x0.min(x);
                x1 = x1.max(x);
                y1 = y1.max(y);
            }
            if let Some((_, r)) = reference {
                y1 = y1.max(*r);
            }
            if x0 > x1 {
                (x0, x1) = (0.0, 1.0);
            }
            let mut ch = ChartBuilder::on(&root)
                .caption(title, ("sans-serif", 15))
                .margin(8)
                .x_label_area_size(34)
                .y_label_area_size(52)
                .build_cartesian_2d(x0..x1.max(x0 + 1e-9), 0f64..(y1 * 1.1).max(1e-9))
                .map_err(e)?;
            ch.configure_mesh().x_desc(x_desc.as_str()).y_desc(y_desc.as_str()).draw().map_err(e)?;
            for (k, (name, s)) in series.iter().enumerate() {
                let color = COLORS[k % COLORS.len()];
                ch.draw_series(LineSeries::new(s.iter().copied(), color.stroke_width(2)))
                    .map_err(e)?
                    .label(name.as_str())
                    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 14, y)], color.stroke_width(2)));
                ch.draw_series(s.iter().map(|&p| Circle::new(p, 3, color.filled()))).map_err(e)?;
            }
            if let Some((name, r)) = reference {
                let r = *r;
                ch.draw_series(LineSeries::new(vec![(x0, r), (x1, r)], BLACK.stroke_width(1)))
                    .map_err(e)?
                    .label(name.as_str())
                    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 14, y)], BLACK));
            }
            ch.configure_series_labels().background_style(WHITE.mix(0.85)).border_style(BLACK).position(SeriesLabelPosition::UpperRight).draw().map_err(e)?;
        }
    }
    root.present().map_err(e)
}

/// A canvas that redraws whenever `chart` changes.
#[component]
pub fn ChartCanvas(chart: Signal<Option<Arc<Chart>>>, #[prop(into)] testid: String) -> impl IntoView {
    let node = NodeRef::<leptos::html::Canvas>::new();
    Effect::new(move |_| {
        let c = chart.get();
        if let (Some(el), Some(c)) = (node.get(), c) {
            if let Err(msg) = draw(el, &c) {
                crate::app::state::AppState::get().report(msg);
            }
        }
    });
    view! { <canvas class="chart" node_ref=node width="420" height="280" data-testid=testid></canvas> }
}
