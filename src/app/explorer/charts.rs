//! Charts drawn with plotters, each with PNG and SVG downloads: the accuracy
//! forest plot (one small panel per group), the model × eval pass-rate
//! heatmap and the speed–accuracy chart. Each chart is drawn once, as SVG;
//! the page shows it rasterized on a canvas (through an image), which is
//! also what the PNG download encodes. One backend instead of two keeps the
//! page's wasm small.

use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::coord::ranged1d::SegmentValue;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use sbx_render::color::ColorMap;
use sbx_suite::stats::forest::Forest;
use sbx_suite::stats::speed::{Measure, SpeedPoint};

use crate::app::download::{download_canvas_png, download_text, file_stem};
use crate::app::state::AppState;
use crate::view::labels::{place_labels, text_width};

const WIDTH: u32 = 1000;
const BLUE: RGBColor = RGBColor(23, 92, 211);
const ORANGE: RGBColor = RGBColor(214, 96, 20);

type Area<DB> = DrawingArea<DB, Shift>;
type Drawn = Result<(), String>;

/// Upper bound of a segmented range with `n` segments: plotters makes one
/// segment per value of `0..=end`, so `n` segments end at `n - 1`.
fn last(n: usize) -> usize {
    n.saturating_sub(1).max(1)
}

fn err<E: std::fmt::Debug>(e: E) -> String {
    format!("chart drawing failed: {e:?}")
}

/// A chart: its SVG text.
pub struct Plot<T: 'static> {
    pub svg: fn(&T) -> Result<String, String>,
}

/// SVG text of a chart of `size` drawn by `draw`.
fn svg_with(
    size: (u32, u32),
    draw: impl FnOnce(Area<SVGBackend<'_>>) -> Drawn,
) -> Result<String, String> {
    let mut out = String::new();
    draw(SVGBackend::with_string(&mut out, size).into_drawing_area())?;
    Ok(out)
}

// ---- forest plot --------------------------------------------------------

/// Label column width: the longest model label in full.
fn forest_label_w(f: &Forest) -> u32 {
    let chars = f.models.iter().map(|m| m.label().chars().count()).max();
    (chars.unwrap_or(10) as u32 * 7 + 24).clamp(120, 440)
}

fn forest_grid(f: &Forest) -> (usize, usize, u32) {
    let cols = f.panels.len().clamp(1, 3);
    let rows = f.panels.len().div_ceil(cols).max(1);
    let ph = 62 + 18 * f.models.len().max(1) as u32;
    (cols, rows, ph)
}

fn forest_size(f: &Forest) -> (u32, u32) {
    let (_, rows, ph) = forest_grid(f);
    (WIDTH, rows as u32 * ph + 8)
}

/// One panel per group, the same models in the same order in each, on a
/// shared 0–100 scale. Hollow points have no interval (one eval); a chevron
/// instead of a cap marks a bound clipped to [0, 100].
fn forest_on<DB: DrawingBackend>(root: Area<DB>, f: &Forest) -> Drawn
where
    DB::ErrorType: 'static,
{
    root.fill(&WHITE).map_err(err)?;
    let (cols, _, ph) = forest_grid(f);
    let lw = forest_label_w(f);
    let pw = (WIDTH - lw) / cols as u32;
    let n = f.models.len().max(1);
    let labels: Vec<String> = f.models.iter().rev().map(|m| m.label()).collect();
    for (p, title) in f.panels.iter().enumerate() {
        let (c, r) = ((p % cols) as u32, (p / cols) as u32);
        let (x0, w) = if c == 0 {
            (0, lw + pw)
        } else {
            (lw + c * pw, pw)
        };
        let area = root.clone().shrink((x0, r * ph), (w, ph));
        // The title is drawn as plain text: a plotters caption would measure
        // its text through a styled element, which the page's CSP forbids.
        let tx = if c == 0 { lw as i32 } else { 0 } + 8;
        area.draw(&Text::new(title.as_str(), (tx, 6), ("sans-serif", 14)))
            .map_err(err)?;
        let mut chart = ChartBuilder::on(&area)
            .margin(6)
            .margin_top(26)
            .x_label_area_size(28)
            .y_label_area_size(if c == 0 { lw - 6 } else { 2 })
            .build_cartesian_2d(0f64..100f64, (0..last(n)).into_segmented())
            .map_err(err)?;
        chart
            .configure_mesh()
            .y_labels(if c == 0 { n } else { 1 })
            .y_label_formatter(&|v| match (c, v) {
                (0, SegmentValue::CenterOf(i)) => labels.get(*i).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .x_labels(5)
            .label_style(("sans-serif", 12))
            .draw()
            .map_err(err)?;
        for (i, cell) in f.cells[p].iter().enumerate() {
            let Some(cell) = cell else { continue };
            let y = SegmentValue::CenterOf(n - 1 - i);
            let s = BLUE.stroke_width(2);
            if let Some((lo, hi)) = cell.interval {
                chart
                    .draw_series([PathElement::new(vec![(lo, y.clone()), (hi, y.clone())], s)])
                    .map_err(err)?;
                for (x, clipped, dir) in [(lo, cell.clipped.0, 1), (hi, cell.clipped.1, -1)] {
                    let mark = if clipped {
                        vec![(6 * dir, -5), (0, 0), (6 * dir, 5)]
                    } else {
                        vec![(0, -5), (0, 5)]
                    };
                    let at = EmptyElement::at((x, y.clone())) + PathElement::new(mark, s);
                    chart.draw_series([at]).map_err(err)?;
                }
            }
            let style = if cell.interval.is_some() {
                BLUE.filled()
            } else {
                BLUE.stroke_width(2)
            };
            chart
                .draw_series([Circle::new((cell.mean, y), 5, style)])
                .map_err(err)?;
        }
    }
    root.present().map_err(err)
}

pub const FOREST: Plot<Forest> = Plot {
    svg: |d| svg_with(forest_size(d), |a| forest_on(a, d)),
};

// ---- heatmap ------------------------------------------------------------

/// A heatmap: `cells[row][col]` in [0, 1] (None: no data), row labels on the left.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Heat {
    pub rows: Vec<String>,
    pub n_cols: usize,
    pub cells: Vec<Vec<Option<f64>>>,
}

/// Viridis: sequential, readable with the common colour-vision deficiencies and in grey.
fn heat_color(v: f64) -> RGBColor {
    let [r, g, b, _] = ColorMap::Viridis.at(v).bytes();
    RGBColor(r, g, b)
}

fn heat_size(heat: &Heat) -> (u32, u32) {
    (WIDTH, (60 + 18 * heat.rows.len().max(1)) as u32)
}

fn heat_on<DB: DrawingBackend>(root: Area<DB>, heat: &Heat) -> Drawn
where
    DB::ErrorType: 'static,
{
    let nr = heat.rows.len().max(1);
    let nc = heat.n_cols.max(1);
    root.fill(&WHITE).map_err(err)?;
    let labels: Vec<String> = heat.rows.iter().rev().cloned().collect();
    let lw = labels.iter().map(|l| l.chars().count()).max().unwrap_or(10) as u32 * 7 + 16;
    let mut chart = ChartBuilder::on(&root)
        .margin(12)
        .x_label_area_size(30)
        .y_label_area_size(lw.clamp(120, 440))
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
            chart.draw_series([rect]).map_err(err)?;
        }
    }
    root.present().map_err(err)
}

pub const HEAT: Plot<Heat> = Plot {
    svg: |d| svg_with(heat_size(d), |a| heat_on(a, d)),
};

// ---- speed against accuracy ---------------------------------------------

/// Points with their intervals on both axes, and arrows (older, newer)
/// between successive versions of a model family.
#[derive(Clone, Debug, PartialEq)]
pub struct Speed {
    pub points: Vec<SpeedPoint>,
    pub arrows: Vec<(usize, usize)>,
    pub measure: Measure,
}

fn speed_size(_: &Speed) -> (u32, u32) {
    (WIDTH, 560)
}

/// Accuracy (0–100) against the measure on a log axis, so that halving a
/// time is the same distance anywhere on it.
fn speed_on<DB: DrawingBackend>(root: Area<DB>, s: &Speed) -> Drawn
where
    DB::ErrorType: 'static,
{
    root.fill(&WHITE).map_err(err)?;
    let m = |p: &SpeedPoint| p.measure(s.measure).filter(|e| e.mean > 0.0).cloned();
    let (mut x0, mut x1) = (f64::MAX, f64::MIN);
    for e in s.points.iter().filter_map(m) {
        x0 = x0.min(e.ci_lower.filter(|v| *v > 0.0).unwrap_or(e.mean));
        x1 = x1.max(e.ci_upper.unwrap_or(e.mean));
    }
    if x0 > x1 {
        (x0, x1) = (1.0, 10.0);
    }
    let mut chart = ChartBuilder::on(&root)
        .margin(16)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d(
            (x0 / 1.3..x1 * 1.3)
                .log_scale()
                .with_key_points(ticks_125(x0 / 1.3, x1 * 1.3)),
            0f64..100f64,
        )
        .map_err(err)?;
    chart
        .configure_mesh()
        .x_desc(format!("{} (log scale)", s.measure.label()))
        .y_desc("accuracy (%)")
        .x_label_formatter(&|v| {
            if *v >= 1.0 {
                format!("{v:.0}")
            } else {
                format!("{v}")
            }
        })
        .light_line_style(TRANSPARENT)
        .label_style(("sans-serif", 12))
        .draw()
        .map_err(err)?;
    let bar = BLUE.mix(0.55).stroke_width(1);
    // labels go on last, placed clear of each other and of the points
    let mut dots: Vec<((i32, i32), String)> = Vec::new();
    for p in &s.points {
        let Some(x) = m(p) else { continue };
        let y = p.accuracy.mean;
        let (yl, yh) = (p.accuracy.ci_lower, p.accuracy.ci_upper);
        if let (Some(lo), Some(hi)) = (yl, yh) {
            let v = vec![
                (x.mean, lo.clamp(0.0, 100.0)),
                (x.mean, hi.clamp(0.0, 100.0)),
            ];
            chart.draw_series([PathElement::new(v, bar)]).map_err(err)?;
        }
        if let (Some(lo), Some(hi)) = (x.ci_lower.filter(|v| *v > 0.0), x.ci_upper) {
            chart
                .draw_series([PathElement::new(vec![(lo, y), (hi, y)], bar)])
                .map_err(err)?;
        }
        chart
            .draw_series([Circle::new((x.mean, y), 5, BLUE.filled())])
            .map_err(err)?;
        dots.push((chart.backend_coord(&(x.mean, y)), p.key.label()));
    }
    for &(a, b) in &s.arrows {
        let (Some(pa), Some(pb)) = (s.points.get(a), s.points.get(b)) else {
            continue;
        };
        let (Some(xa), Some(xb)) = (m(pa), m(pb)) else {
            continue;
        };
        let from = chart.backend_coord(&(xa.mean, pa.accuracy.mean));
        let to = chart.backend_coord(&(xb.mean, pb.accuracy.mean));
        let (dx, dy) = ((to.0 - from.0) as f64, (to.1 - from.1) as f64);
        let len = dx.hypot(dy);
        if len < 12.0 {
            continue;
        }
        let (ux, uy) = (dx / len, dy / len);
        // Stop short of the newer point and draw the head there.
        let tip = (to.0 - (ux * 7.0) as i32, to.1 - (uy * 7.0) as i32);
        let head = |s: f64| {
            let (bx, by) = (tip.0 as f64 - ux * 9.0, tip.1 as f64 - uy * 9.0);
            ((bx - uy * 4.5 * s) as i32, (by + ux * 4.5 * s) as i32)
        };
        let st = ORANGE.stroke_width(2);
        root.draw(&PathElement::new(vec![from, tip], st))
            .map_err(err)?;
        root.draw(&Polygon::new(
            vec![tip, head(1.0), head(-1.0)],
            ORANGE.filled(),
        ))
        .map_err(err)?;
    }
    let (px, py) = chart.plotting_area().get_pixel_range();
    let area = (px.start, py.start, px.end - px.start, py.end - py.start);
    let widths: Vec<i32> = dots.iter().map(|(_, l)| text_width(l, 11.0)).collect();
    let points: Vec<(i32, i32)> = dots.iter().map(|d| d.0).collect();
    let places = place_labels(&points, &widths, 13, 5, area);
    for (((p, label), w), at) in dots.iter().zip(&widths).zip(places) {
        // A label left of its point ends at the point whatever the true width
        // of its text (the width is an estimate).
        let font = TextStyle::from(("sans-serif", 11).into_font());
        let (style, x) = if at.0 + w <= p.0 {
            (font.pos(Pos::new(HPos::Right, VPos::Top)), p.0 - 8)
        } else {
            (font.pos(Pos::new(HPos::Left, VPos::Top)), at.0)
        };
        root.draw(&Text::new(label.as_str(), (x, at.1), style))
            .map_err(err)?;
    }
    root.present().map_err(err)
}

/// Ticks at 1, 2 and 5 times the powers of ten inside [lo, hi], for a log axis.
fn ticks_125(lo: f64, hi: f64) -> Vec<f64> {
    let mut out = Vec::new();
    if !(lo > 0.0 && hi > lo && hi.is_finite()) {
        return out;
    }
    let mut p = 10f64.powi(lo.log10().floor() as i32);
    while p <= hi {
        out.extend(
            [p, 2.0 * p, 5.0 * p]
                .into_iter()
                .filter(|v| (lo..=hi).contains(v)),
        );
        p *= 10.0;
    }
    out
}

pub const SPEED: Plot<Speed> = Plot {
    svg: |d| svg_with(speed_size(d), |a| speed_on(a, d)),
};

// ---- the component --------------------------------------------------------

/// Draws the loaded image of a chart on its canvas at the image's size.
fn paint(canvas: &web_sys::HtmlCanvasElement, img: &web_sys::HtmlImageElement) -> Drawn {
    canvas.set_width(img.natural_width());
    canvas.set_height(img.natural_height());
    let ctx = crate::app::viewer::paint::context(canvas)?;
    ctx.draw_image_with_html_image_element(img, 0.0, 0.0)
        .map_err(|_| "cannot draw the chart on its canvas".to_string())
}

/// A chart redrawn when `data` changes, with an HTML legend below and PNG
/// and SVG downloads.
pub fn chart_view<T: Clone + Send + Sync + 'static>(
    plot: Plot<T>,
    data: Signal<T>,
    name: String,
    legend: AnyView,
) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let svg = Memo::new(move |_| (plot.svg)(&data.get()));
    let report = |what: &str, r: Drawn| {
        if let Err(e) = r {
            AppState::get().report(format!("{what} failed: {e}"));
        }
    };
    let src = move || match svg.get() {
        Ok(s) => format!(
            "data:image/svg+xml;charset=utf-8,{}",
            js_sys::encode_uri_component(&s)
        ),
        Err(e) => {
            report("Chart drawing", Err(e));
            String::new()
        }
    };
    let (png_name, svg_name) = (name.clone(), name.clone());
    view! {
        <div class="chart" data-chart=name>
            <img class="chart-source" hidden=true alt="" src=src on:load=move |ev| {
                let img = event_target::<web_sys::HtmlImageElement>(&ev);
                if let Some(c) = canvas.get_untracked() {
                    report("Chart drawing", paint(&c, &img));
                }
            } />
            <div class="canvas-wrap"><canvas node_ref=canvas width="1000" height="200"></canvas></div>
            {legend}
            <div class="table-tools">
                <button class="secondary export-png" on:click=move |_| {
                    if let Some(c) = canvas.get_untracked() {
                        report("PNG export", download_canvas_png(&c, &format!("{}.png", file_stem(&png_name))));
                    }
                }>"Download PNG"</button>
                <button class="secondary export-svg" on:click=move |_| {
                    let r = svg.get_untracked()
                        .and_then(|s| download_text(&format!("{}.svg", file_stem(&svg_name)), "image/svg+xml", &s));
                    report("SVG export", r);
                }>"Download SVG"</button>
            </div>
        </div>
    }
}

/// The forest plot's key.
pub fn forest_legend() -> AnyView {
    view! {
        <p class="legend chart-key">
            "● mean with 95% interval · ○ mean without interval (a single eval) · ‹ or › at an end: the bound lies outside [0, 100] and is drawn clipped"
        </p>
    }
    .into_any()
}

/// The heatmap's colour key (viridis).
pub fn heat_legend() -> AnyView {
    view! {
        <div class="legend">
            <span class="item"><span class="swatch heat-0"></span>"0% passed"</span>
            <span class="item"><span class="swatch heat-50"></span>"50%"</span>
            <span class="item"><span class="swatch heat-100"></span>"100%"</span>
            <span class="item"><span class="swatch heat-none"></span>"no graded run"</span>
        </div>
    }
    .into_any()
}
