//! The viewer's model: the canvas size, what the points are coloured by,
//! everything that decides their look ([`Settings`]), which rows are shown,
//! and the rules for legend clicks and zoom limits.

use sbx_data::Dataset;
use sbx_render::{ColorMap, View};

/// The viewer canvas in pixels (CSS scales it to the page).
pub const W: u32 = 880;
pub const H: u32 = 560;
/// Margin in pixels around the data when the view is fitted.
pub const FIT_MARGIN: f64 = 12.0;

/// What the points are coloured by: a column name and its kind.
#[derive(Clone, Debug, PartialEq)]
pub enum ColorChoice {
    None,
    Categorical(usize),
    Numeric(usize),
}

impl ColorChoice {
    /// The categorical column, if the points are coloured by one.
    pub fn categorical(&self) -> Option<usize> {
        match self {
            ColorChoice::Categorical(i) => Some(*i),
            _ => None,
        }
    }
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

/// The colouring a viewer opens with: the one asked for, else the main
/// category, else the first numeric column.
pub fn initial_color(ds: &Dataset, asked: Option<String>) -> String {
    asked
        .or_else(|| main_category(ds))
        .or_else(|| ds.numeric.first().map(|c| c.name.clone()))
        .unwrap_or_default()
}

/// The first point size: about half the mean spacing of the units on the
/// canvas, 1 to 8 pixels.
pub fn initial_size_px(rows: usize) -> f32 {
    ((W as f32 * H as f32 / rows.max(1) as f32).sqrt() * 0.5)
        .clamp(1.0, 8.0)
        .round()
}

/// Position of the categorical column `name`.
pub fn categorical_index(ds: &Dataset, name: &str) -> Option<usize> {
    ds.categorical.iter().position(|c| c.name == name)
}

/// Number of categories of the categorical column `name` (0 if there is none).
pub fn category_count(ds: &Dataset, name: &str) -> usize {
    ds.categorical(name).map_or(0, |c| c.categories.len())
}

/// Columns offered for small multiples: 2 to 24 categories.
pub fn facet_columns(ds: &Dataset) -> Vec<String> {
    ds.categorical
        .iter()
        .filter(|c| c.categories.len() > 1 && c.categories.len() <= 24)
        .map(|c| c.name.clone())
        .collect()
}

/// Everything that decides the look of the points.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    pub color: ColorChoice,
    pub hidden: Vec<bool>,
    pub min: f32,
    pub max: f32,
    pub log: bool,
    pub map: ColorMap,
    /// Diameter in data units when `Some`, else `size_px` pixels.
    pub data_size: Option<f32>,
    pub size_px: f32,
    /// The categorical column drawn as a ring around each point.
    pub outline: Option<usize>,
}

impl Settings {
    /// Whether category `k` of the colour column is hidden.
    pub fn is_hidden(&self, k: usize) -> bool {
        self.hidden.get(k).copied().unwrap_or(false)
    }
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

/// Whether row `r` is shown under a categorical colouring `codes` with
/// `hidden` categories and in a panel whose rows are `mask` (hover and
/// selection only find shown rows). Rows without a code count as shown.
pub fn row_shown(codes: Option<&[u32]>, hidden: &[bool], mask: Option<&[bool]>, r: usize) -> bool {
    let shown = codes
        .and_then(|c| c.get(r))
        .map(|&k| !hidden.get(k as usize).copied().unwrap_or(false))
        .unwrap_or(true);
    let in_panel = mask.is_none_or(|m| m.get(r).copied().unwrap_or(false));
    shown && in_panel
}

/// The zoom factor to apply so the scale stays within 1/50 to 2000 times the
/// fitted scale `base`: data-sized discs never grow to absurd pixel sizes.
pub fn limit_zoom(view: &View, base: f64, factor: f64) -> f64 {
    let next = view.scale * factor;
    next.clamp(base / 50.0, base * 2000.0) / view.scale
}

/// The zoom factor of one wheel event (`delta_y` in pixels).
pub fn wheel_factor(delta_y: f64) -> f64 {
    (-delta_y * 0.0015).exp().clamp(0.5, 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::fixture::small;

    #[test]
    fn columns_resolve_by_name_and_kind() {
        let ds = small();
        assert_eq!(color_choice(&ds, "sample"), ColorChoice::Categorical(1));
        assert_eq!(color_choice(&ds, "total"), ColorChoice::Numeric(0));
        assert_eq!(color_choice(&ds, ""), ColorChoice::None);
        assert_eq!(color_choice(&ds, "sample").categorical(), Some(1));
        assert_eq!(color_choice(&ds, "total").categorical(), None);
    }

    #[test]
    fn the_first_colouring_prefers_the_cell_type() {
        let mut ds = small();
        assert_eq!(initial_color(&ds, None), "cell_type");
        assert_eq!(initial_color(&ds, Some("total".into())), "total");
        ds.categorical.clear();
        assert_eq!(initial_color(&ds, None), "total");
        ds.numeric.clear();
        assert_eq!(initial_color(&ds, None), "");
    }

    #[test]
    fn facet_columns_need_two_to_24_categories() {
        let mut ds = small();
        assert_eq!(facet_columns(&ds), ["cell_type", "sample"]);
        let labels: Vec<String> = (0..25).map(|i| format!("k{i}")).collect();
        ds.categorical
            .push(sbx_data::CategoricalColumn::from_labels("many", &labels));
        ds.categorical
            .push(sbx_data::CategoricalColumn::from_labels("one", &["k"]));
        assert_eq!(facet_columns(&ds), ["cell_type", "sample"]);
    }

    #[test]
    fn legend_clicks_toggle_and_isolate() {
        let mut h = vec![false; 3];
        legend_click(&mut h, 1, false);
        assert_eq!(h, [false, true, false]);
        legend_click(&mut h, 0, true);
        assert_eq!(h, [false, true, true], "only 0 is shown");
        legend_click(&mut h, 0, true);
        assert_eq!(h, [false, false, false], "isolating it again shows all");
        legend_click(&mut h, 7, false);
        assert_eq!(
            h,
            [false, false, false],
            "an unknown category changes nothing"
        );
    }

    #[test]
    fn rows_are_shown_unless_hidden_or_outside_the_panel() {
        let codes = [0u32, 1, 9];
        let hidden = [false, true];
        assert!(row_shown(Some(&codes), &hidden, None, 0));
        assert!(!row_shown(Some(&codes), &hidden, None, 1));
        assert!(row_shown(Some(&codes), &hidden, None, 2), "unknown code");
        assert!(!row_shown(None, &[], Some(&[true, false]), 1));
        assert!(!row_shown(None, &[], Some(&[true]), 5), "row past the mask");
    }

    #[test]
    fn zoom_stays_within_its_limits() {
        let v = View::fit([0.0, 0.0, 100.0, 100.0], W, H, FIT_MARGIN, true);
        let base = v.scale;
        assert!((limit_zoom(&v, base, 1.5) - 1.5).abs() < 1e-12);
        let f = limit_zoom(&v, base, 1e6);
        assert!((v.scale * f / base - 2000.0).abs() < 1e-6);
        let f = limit_zoom(&v, base, 1e-6);
        assert!((v.scale * f / base - 0.02).abs() < 1e-9);
        assert_eq!(wheel_factor(1e9), 0.5);
        assert!(wheel_factor(-100.0) > 1.0);
    }

    #[test]
    fn points_get_smaller_as_there_are_more() {
        assert_eq!(initial_size_px(0), 8.0);
        assert_eq!(initial_size_px(1_000_000), 1.0);
        assert_eq!(numeric_range(&[f32::NAN, 3.0, -1.0]), (-1.0, 3.0));
        assert_eq!(numeric_range(&[f32::NAN]), (0.0, 1.0));
    }
}
