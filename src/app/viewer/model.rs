//! Pure helpers of the spatial viewer: what to colour by, legends, small
//! multiples layout, the scale bar and CSV export. No browser types here.

use sbx_data::Dataset;
use sbx_render::{categorical_palette, ColorMap, Rgba, View};

/// What the points are coloured by: a column name and its kind.
#[derive(Clone, Debug, PartialEq)]
pub enum ColorChoice {
    None,
    Categorical(usize),
    Numeric(usize),
}

/// Resolves a column name ("" = none) to a colour choice.
pub fn color_choice(ds: &Dataset, name: &str) -> ColorChoice {
    if let Some(i) = ds.categorical.iter().position(|c| c.name == name) {
        ColorChoice::Categorical(i)
    } else if let Some(i) = ds.numeric.iter().position(|c| c.name == name) {
        ColorChoice::Numeric(i)
    } else {
        ColorChoice::None
    }
}

/// The column a dataset is first shown coloured by: its main category
/// (cell type, cluster, niche…) or else its first categorical column.
pub fn main_category(ds: &Dataset) -> Option<String> {
    const PREFERRED: [&str; 6] = [
        "cell_type",
        "celltype",
        "cluster",
        "leiden",
        "niche",
        "annotation",
    ];
    PREFERRED
        .iter()
        .find_map(|p| {
            ds.categorical
                .iter()
                .find(|c| c.name.eq_ignore_ascii_case(p))
        })
        .or_else(|| ds.categorical.iter().find(|c| c.categories.len() > 1))
        .or(ds.categorical.first())
        .map(|c| c.name.clone())
}

/// The palette of a categorical column: the file's colours when every one
/// parses, else a palette that stays distinguishable for 40+ categories.
pub fn palette_for(ds: &Dataset, col: usize) -> Vec<Rgba> {
    let c = &ds.categorical[col];
    if let Some(colors) = &c.colors {
        let parsed: Option<Vec<Rgba>> = colors.iter().map(|s| Rgba::from_hex(s)).collect();
        if let Some(p) = parsed.filter(|p| p.len() == c.categories.len()) {
            return p;
        }
    }
    categorical_palette(c.categories.len())
}

/// A second, darker palette for the niche outline so it reads apart from the fill.
pub fn outline_palette(n: usize) -> Vec<Rgba> {
    categorical_palette(n + 3)
        .into_iter()
        .rev()
        .take(n)
        .map(|c| {
            let [r, g, b, _] = c.bytes();
            Rgba::new(r / 2, g / 2, b / 2, 255)
        })
        .collect()
}

/// Legend click: a plain click toggles one category; an isolating click
/// (shift/alt) shows only that one, or everything again if it already was alone.
pub fn legend_click(hidden: &mut [bool], k: usize, isolate: bool) {
    if k >= hidden.len() {
        return;
    }
    if isolate {
        let alone = !hidden[k] && hidden.iter().enumerate().all(|(i, &h)| i == k || h);
        for (i, h) in hidden.iter_mut().enumerate() {
            *h = if alone { false } else { i != k };
        }
    } else {
        hidden[k] = !hidden[k];
    }
}

/// Finite (min, max) of a numeric column, for the colour scale defaults.
pub fn numeric_range(values: &[f32]) -> (f32, f32) {
    sbx_data::dataset::finite_range(values).unwrap_or((0.0, 1.0))
}

/// The colour scale's gradient as CSS stops.
pub fn gradient_css(map: ColorMap) -> String {
    let stops: Vec<String> = (0..=8).map(|i| map.at(i as f64 / 8.0).to_hex()).collect();
    format!("linear-gradient(to right, {})", stops.join(", "))
}

/// A round scale-bar length (1, 2 or 5 × 10^k data units) whose on-screen
/// length is at most `max_px`, and that length in pixels.
pub fn scale_bar(scale_px_per_unit: f64, max_px: f64) -> Option<(f64, f64)> {
    if !(scale_px_per_unit.is_finite() && scale_px_per_unit > 0.0) {
        return None;
    }
    let max_units = max_px / scale_px_per_unit;
    let mag = 10f64.powf(max_units.log10().floor());
    let len = [5.0, 2.0, 1.0]
        .iter()
        .map(|m| m * mag)
        .find(|&l| l <= max_units)?;
    Some((len, len * scale_px_per_unit))
}

pub fn format_length(v: f64, unit: &str) -> String {
    let unit = if unit == "um" { "µm" } else { unit };
    if unit == "µm" && v >= 1000.0 {
        format!("{} mm", v / 1000.0)
    } else {
        format!("{v} {unit}")
    }
}

/// Small multiples: the grid (columns, rows) for `n` panels in a canvas of
/// aspect `w`/`h`, chosen to make panels as large as possible.
pub fn grid(n: usize, w: f64, h: f64, aspect: f64) -> (usize, usize) {
    let n = n.max(1);
    let mut best = (n, 1, 0.0);
    for cols in 1..=n {
        let rows = n.div_ceil(cols);
        let (pw, ph) = (w / cols as f64, h / rows as f64);
        // the fitted data rectangle's area in one panel
        let s = (pw / aspect.max(1e-9)).min(ph);
        let area = s * s * aspect;
        if area > best.2 {
            best = (cols, rows, area);
        }
    }
    (best.0, best.1)
}

/// Per-panel row membership and bounds for small multiples by `col`.
pub struct Facets {
    pub labels: Vec<String>,
    pub masks: Vec<Vec<bool>>,
    pub bounds: Vec<[f32; 4]>,
}

pub fn facets(ds: &Dataset, col: usize) -> Facets {
    let c = &ds.categorical[col];
    let k = c.categories.len();
    let mut masks = vec![vec![false; ds.len()]; k];
    let mut bounds = vec![[f32::MAX, f32::MAX, f32::MIN, f32::MIN]; k];
    for (i, &code) in c.codes.iter().enumerate() {
        let code = code as usize;
        if code < k {
            masks[code][i] = true;
            let b = &mut bounds[code];
            b[0] = b[0].min(ds.x[i]);
            b[1] = b[1].min(ds.y[i]);
            b[2] = b[2].max(ds.x[i]);
            b[3] = b[3].max(ds.y[i]);
        }
    }
    // empty categories get no panel
    let keep: Vec<usize> = (0..k).filter(|&j| bounds[j][0] <= bounds[j][2]).collect();
    Facets {
        labels: keep.iter().map(|&j| c.categories[j].clone()).collect(),
        masks: keep
            .iter()
            .map(|&j| std::mem::take(&mut masks[j]))
            .collect(),
        bounds: keep.iter().map(|&j| bounds[j]).collect(),
    }
}

/// The view of panel `i` given the shared view of panel 0: same scale, and
/// each panel centred on its own data with the same pan offset.
pub fn panel_view(shared: &View, bounds: &[[f32; 4]], i: usize) -> View {
    let c = |b: &[f32; 4]| (((b[0] + b[2]) / 2.0) as f64, ((b[1] + b[3]) / 2.0) as f64);
    let (c0, ci) = (c(&bounds[0]), c(&bounds[i]));
    View {
        center_x: shared.center_x + ci.0 - c0.0,
        center_y: shared.center_y + ci.1 - c0.1,
        ..*shared
    }
}

/// The fitted shared view for small multiples: the smallest fitting scale of all panels.
pub fn fit_panels(bounds: &[[f32; 4]], pw: u32, ph: u32, y_down: bool) -> Option<View> {
    let first = bounds.first()?;
    let scale = bounds
        .iter()
        .map(|b| View::fit(*b, pw, ph, 12.0, y_down).scale)
        .fold(f64::MAX, f64::min);
    Some(View {
        scale,
        ..View::fit(*first, pw, ph, 12.0, y_down)
    })
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The selected rows as CSV: row index, x, y, every categorical and numeric column.
pub fn selection_csv(ds: &Dataset, rows: &[u32]) -> String {
    let mut out = String::from("row,x,y");
    for c in &ds.categorical {
        out.push(',');
        out.push_str(&csv_field(&c.name));
    }
    for c in &ds.numeric {
        out.push(',');
        out.push_str(&csv_field(&c.name));
    }
    out.push('\n');
    for &r in rows {
        let r = r as usize;
        if r >= ds.len() {
            continue;
        }
        out.push_str(&format!("{r},{},{}", ds.x[r], ds.y[r]));
        for c in &ds.categorical {
            out.push(',');
            out.push_str(&csv_field(c.label(r).unwrap_or("")));
        }
        for c in &ds.numeric {
            out.push(',');
            let v = c.values.get(r).copied().unwrap_or(f32::NAN);
            if v.is_finite() {
                out.push_str(&v.to_string());
            }
        }
        out.push('\n');
    }
    out
}

/// The values of one unit, for the hover tooltip: (column, value) pairs.
pub fn unit_values(ds: &Dataset, r: usize) -> Vec<(String, String)> {
    let mut v = vec![
        ("row".to_string(), r.to_string()),
        (
            "x, y".to_string(),
            format!("{:.1}, {:.1}", ds.x[r], ds.y[r]),
        ),
    ];
    for c in &ds.categorical {
        v.push((c.name.clone(), c.label(r).unwrap_or("—").to_string()));
    }
    for c in &ds.numeric {
        let x = c.values.get(r).copied().unwrap_or(f32::NAN);
        v.push((
            c.name.clone(),
            if x.is_finite() {
                format!("{x:.3}")
                    .trim_end_matches('0')
                    .trim_end_matches('.')
                    .to_string()
            } else {
                "—".into()
            },
        ));
    }
    v
}
