//! The case studies' small charts, drawn with the canvas 2D API.

use leptos::prelude::*;
use std::sync::Arc;

/// What a chart shows. Data is owned so a chart can be redrawn from a signal.
#[derive(Clone, Debug, PartialEq)]
pub enum Chart {
    /// Values in [0, 1] binned into `bins` equal bins.
    Histogram {
        title: String,
        x_desc: String,
        values: Vec<f32>,
        bins: usize,
    },
    Scatter {
        title: String,
        x_desc: String,
        y_desc: String,
        x: Vec<f32>,
        y: Vec<f32>,
    },
    /// One stacked bar per group; `parts[g][k]` is the share of part k.
    Stacked {
        title: String,
        x_desc: String,
        parts: Vec<Vec<f64>>,
        part_names: Vec<String>,
    },
    /// Series of (x, y) lines with names, and an optional horizontal reference line.
    Lines {
        title: String,
        x_desc: String,
        y_desc: String,
        series: Vec<(String, Vec<(f64, f64)>)>,
        reference: Option<(String, f64)>,
    },
}

const COLORS: [&str; 8] = [
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#9c755f",
];

/// Round tick values covering [lo, hi].
fn ticks(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    let span = (hi - lo).abs().max(1e-12);
    let raw = span / n.max(1) as f64;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * mag)
        .find(|&s| s >= raw)
        .unwrap_or(raw);
    let mut t = (lo / step).ceil() * step;
    let mut out = Vec::new();
    while t <= hi + step * 1e-9 && out.len() < 50 {
        out.push(if t.abs() < step * 1e-9 { 0.0 } else { t });
        t += step;
    }
    out
}

fn label(v: f64) -> String {
    let a = v.abs();
    if a >= 1000.0 || (a >= 1.0 && v.fract() == 0.0) || a == 0.0 {
        format!("{v:.0}")
    } else if a >= 1.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.2}")
    }
}

/// The plotting frame: data ranges mapped into the canvas inside margins.
struct Frame {
    ctx: web_sys::CanvasRenderingContext2d,
    x0: f64,
    x1: f64,
    y0: f64,
    y1: f64,
    left: f64,
    top: f64,
    w: f64,
    h: f64,
}

impl Frame {
    fn px(&self, x: f64) -> f64 {
        self.left + (x - self.x0) / (self.x1 - self.x0).max(1e-12) * self.w
    }
    fn py(&self, y: f64) -> f64 {
        self.top + self.h - (y - self.y0) / (self.y1 - self.y0).max(1e-12) * self.h
    }
}

/// Clears the canvas and draws title, axes, ticks and labels. `legend_rows`
/// lines are kept free between the title and the plot for [`legend`], so a
/// legend never covers data.
#[allow(clippy::too_many_arguments)]
fn frame(
    el: &web_sys::HtmlCanvasElement,
    title: &str,
    xd: &str,
    yd: &str,
    x: (f64, f64),
    y: (f64, f64),
    x_ticks: bool,
    legend_rows: usize,
) -> Result<Frame, String> {
    let ctx = crate::app::viewer::paint::context(el)?;
    let (cw, ch) = (el.width() as f64, el.height() as f64);
    ctx.set_fill_style_str("#ffffff");
    ctx.fill_rect(0.0, 0.0, cw, ch);
    let top = 28.0 + LEGEND_ROW * legend_rows as f64;
    let f = Frame {
        ctx,
        x0: x.0,
        x1: x.1,
        y0: y.0,
        y1: y.1,
        left: 56.0,
        top,
        w: cw - 56.0 - 12.0,
        h: ch - top - 44.0,
    };
    let c = &f.ctx;
    c.set_fill_style_str("#1b2430");
    c.set_font("600 14px sans-serif");
    c.set_text_align("center");
    let _ = c.fill_text(title, cw / 2.0, 18.0);
    c.set_font("11px sans-serif");
    c.set_stroke_style_str("#e5e7eb");
    c.set_line_width(1.0);
    for t in ticks(y.0, y.1, 5) {
        let py = f.py(t).round() + 0.5;
        c.begin_path();
        c.move_to(f.left, py);
        c.line_to(f.left + f.w, py);
        c.stroke();
        c.set_text_align("right");
        let _ = c.fill_text(&label(t), f.left - 4.0, py + 4.0);
    }
    if x_ticks {
        c.set_text_align("center");
        for t in ticks(x.0, x.1, 6) {
            let _ = c.fill_text(&label(t), f.px(t), f.top + f.h + 14.0);
        }
    }
    c.set_stroke_style_str("#6b7280");
    c.begin_path();
    c.move_to(f.left, f.top);
    c.line_to(f.left, f.top + f.h);
    c.line_to(f.left + f.w, f.top + f.h);
    c.stroke();
    c.set_text_align("center");
    let _ = c.fill_text(xd, f.left + f.w / 2.0, ch - 6.0);
    c.save();
    let _ = c.translate(12.0, f.top + f.h / 2.0);
    let _ = c.rotate(-std::f64::consts::FRAC_PI_2);
    let _ = c.fill_text(yd, 0.0, 0.0);
    c.restore();
    Ok(f)
}

const LEGEND_ROW: f64 = 15.0;

/// The legend in the rows [`frame`] kept free above the plot.
fn legend(f: &Frame, items: &[(String, &str)]) {
    let c = &f.ctx;
    c.set_font("11px sans-serif");
    c.set_text_align("left");
    let top = f.top - LEGEND_ROW * items.len() as f64 - 4.0;
    for (k, (name, color)) in items.iter().enumerate() {
        let yy = top + k as f64 * LEGEND_ROW;
        c.set_fill_style_str(color);
        c.fill_rect(f.left + 4.0, yy + 2.0, 12.0, 8.0);
        c.set_fill_style_str("#1b2430");
        let _ = c.fill_text(name, f.left + 20.0, yy + 10.0);
    }
}

/// The y range of line series: every point inside with a margin at both
/// ends, and 0 included when all values are positive.
fn line_y_range(ys: impl Iterator<Item = f64>) -> (f64, f64) {
    let (mut lo, mut hi) = (0f64, f64::MIN);
    for y in ys.filter(|y| y.is_finite()) {
        lo = lo.min(y);
        hi = hi.max(y);
    }
    if hi <= lo {
        hi = lo + 1.0;
    }
    let pad = (hi - lo) * 0.08;
    (if lo < 0.0 { lo - pad } else { 0.0 }, hi + pad)
}

fn range(v: &[f32]) -> (f64, f64) {
    let (lo, hi) = sbx_data::dataset::finite_range(v).unwrap_or((0.0, 1.0));
    let pad = ((hi - lo) * 0.04).max(1e-3);
    ((lo - pad) as f64, (hi + pad) as f64)
}

/// Draws a chart with the canvas 2D API (text measured by the canvas, so no
/// inline styles are needed under the page's Content-Security-Policy).
fn draw(el: web_sys::HtmlCanvasElement, c: &Chart) -> Result<(), String> {
    match c {
        Chart::Histogram {
            title,
            x_desc,
            values,
            bins,
        } => {
            let bins = (*bins).max(1);
            let mut counts = vec![0u32; bins];
            for &v in values.iter().filter(|v| v.is_finite()) {
                counts[((v.clamp(0.0, 1.0) * bins as f32) as usize).min(bins - 1)] += 1;
            }
            let ymax = counts.iter().copied().max().unwrap_or(1).max(1) as f64 * 1.08;
            let f = frame(
                &el,
                title,
                x_desc,
                "genes",
                (0.0, 1.0),
                (0.0, ymax),
                true,
                0,
            )?;
            f.ctx.set_fill_style_str(COLORS[0]);
            let bw = 1.0 / bins as f64;
            for (i, &n) in counts.iter().enumerate() {
                let (a, b) = (f.px(i as f64 * bw) + 1.0, f.px((i + 1) as f64 * bw) - 1.0);
                let top = f.py(n as f64);
                f.ctx.fill_rect(a, top, (b - a).max(1.0), f.py(0.0) - top);
            }
        }
        Chart::Scatter {
            title,
            x_desc,
            y_desc,
            x,
            y,
        } => {
            let f = frame(&el, title, x_desc, y_desc, range(x), range(y), true, 0)?;
            f.ctx.set_fill_style_str("rgba(78,121,167,0.35)");
            for (&a, &b) in x.iter().zip(y) {
                if a.is_finite() && b.is_finite() {
                    f.ctx
                        .fill_rect(f.px(a as f64) - 1.5, f.py(b as f64) - 1.5, 3.0, 3.0);
                }
            }
        }
        Chart::Stacked {
            title,
            x_desc,
            parts,
            part_names,
        } => {
            let n = parts.len().max(1);
            let f = frame(
                &el,
                title,
                x_desc,
                "share of units",
                (0.0, n as f64),
                (0.0, 1.0),
                false,
                part_names.len(),
            )?;
            for (g, p) in parts.iter().enumerate() {
                let mut below = 0.0;
                for (k, &v) in p.iter().enumerate() {
                    f.ctx.set_fill_style_str(COLORS[k % COLORS.len()]);
                    let (a, b) = (f.px(g as f64 + 0.1), f.px(g as f64 + 0.9));
                    let (t, u) = (f.py(below + v), f.py(below));
                    f.ctx.fill_rect(a, t, (b - a).max(1.0), u - t);
                    below += v;
                }
            }
            let items: Vec<(String, &str)> = part_names
                .iter()
                .enumerate()
                .map(|(k, s)| (s.clone(), COLORS[k % COLORS.len()]))
                .collect();
            legend(&f, &items);
        }
        Chart::Lines {
            title,
            x_desc,
            y_desc,
            series,
            reference,
        } => {
            let (mut x0, mut x1) = (f64::MAX, f64::MIN);
            for &(x, _) in series.iter().flat_map(|s| s.1.iter()) {
                x0 = x0.min(x);
                x1 = x1.max(x);
            }
            let ys = series.iter().flat_map(|s| s.1.iter().map(|p| p.1));
            let y = line_y_range(ys.chain(reference.iter().map(|r| r.1)));
            if x0 >= x1 {
                (x0, x1) = (x0.min(0.0), x0.max(0.0) + 1.0);
            }
            let rows = series.len() + usize::from(reference.is_some());
            let f = frame(&el, title, x_desc, y_desc, (x0, x1), y, true, rows)?;
            let mut items = Vec::new();
            for (k, (name, s)) in series.iter().enumerate() {
                let color = COLORS[k % COLORS.len()];
                f.ctx.set_stroke_style_str(color);
                f.ctx.set_fill_style_str(color);
                f.ctx.set_line_width(2.0);
                f.ctx.begin_path();
                for (i, &(x, y)) in s.iter().enumerate() {
                    if i == 0 {
                        f.ctx.move_to(f.px(x), f.py(y))
                    } else {
                        f.ctx.line_to(f.px(x), f.py(y))
                    }
                }
                f.ctx.stroke();
                for &(x, y) in s {
                    f.ctx.fill_rect(f.px(x) - 2.5, f.py(y) - 2.5, 5.0, 5.0);
                }
                items.push((name.clone(), color));
            }
            if let Some((name, r)) = reference {
                f.ctx.set_stroke_style_str("#111827");
                f.ctx.set_line_width(1.0);
                let _ = f
                    .ctx
                    .set_line_dash(&js_sys::Array::of2(&4.0.into(), &3.0.into()));
                f.ctx.begin_path();
                f.ctx.move_to(f.px(x0), f.py(*r));
                f.ctx.line_to(f.px(x1), f.py(*r));
                f.ctx.stroke();
                let _ = f.ctx.set_line_dash(&js_sys::Array::new());
                items.push((name.clone(), "#111827"));
            }
            legend(&f, &items);
        }
    }
    Ok(())
}

/// A canvas that redraws whenever `chart` changes.
#[component]
pub fn ChartCanvas(
    chart: Signal<Option<Arc<Chart>>>,
    #[prop(into)] testid: String,
) -> impl IntoView {
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
