//! The niche channel of the viewer: a categorical column drawn either as a
//! ring around each point (outline) or as region hulls per category. Pure:
//! regions are computed here once per (dataset, column, panels) and only
//! drawn on redraws, so pan and zoom stay fast.

use super::model::{outline_palette, palette_for, Facets};
use sbx_data::Dataset;
use sbx_render::{niche_regions, Region, RegionParams, Rgba, View};
use std::fmt::Write;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NicheMode {
    None,
    Outline,
    Regions,
}

impl NicheMode {
    pub const ALL: [NicheMode; 3] = [NicheMode::None, NicheMode::Outline, NicheMode::Regions];
    pub fn name(self) -> &'static str {
        match self {
            NicheMode::None => "none",
            NicheMode::Outline => "outline",
            NicheMode::Regions => "regions",
        }
    }
    pub fn parse(s: &str) -> NicheMode {
        NicheMode::ALL
            .into_iter()
            .find(|m| m.name() == s)
            .unwrap_or(NicheMode::None)
    }
}

/// Region fill opacity over the points (of 255): tints them without hiding them.
pub const FILL_ALPHA: u8 = 80;
pub const BORDER_PX: u32 = 2;

/// The niche colours: the point colours when the niche column is also the
/// colour column (so both read the same), else the darker outline palette.
pub fn niche_palette(ds: &Dataset, col: usize, color_col: Option<usize>) -> Vec<Rgba> {
    if color_col == Some(col) {
        palette_for(ds, col)
    } else {
        outline_palette(ds.categorical[col].categories.len())
    }
}

/// Regions of one niche column: one list per panel (a single one without
/// small multiples), each panel restricted to its own rows.
#[derive(Debug, Clone, PartialEq)]
pub struct NicheLayer {
    pub column: usize,
    pub panels: Vec<Vec<Region>>,
}

impl NicheLayer {
    pub fn compute(ds: &Dataset, column: usize, facets: Option<&Facets>) -> Option<NicheLayer> {
        let c = ds.categorical.get(column)?;
        let n = c.categories.len();
        let params = RegionParams::default();
        let panels = match facets {
            None => vec![niche_regions(&ds.x, &ds.y, &c.codes, n, None, &params)],
            Some(f) => f
                .masks
                .iter()
                .map(|m| niche_regions(&ds.x, &ds.y, &c.codes, n, Some(m), &params))
                .collect(),
        };
        Some(NicheLayer { column, panels })
    }

    /// Regions drawn, i.e. not of a hidden category.
    pub fn shown(&self, hidden: &[bool]) -> usize {
        self.panels
            .iter()
            .flatten()
            .filter(|r| !hidden.get(r.category as usize).copied().unwrap_or(false))
            .count()
    }
}

/// Regions of one panel as SVG paths (even-odd, so holes stay open) in the
/// pixel space of `view`.
pub fn regions_svg(
    out: &mut String,
    regions: &[Region],
    view: &View,
    palette: &[Rgba],
    hidden: &[bool],
) {
    for r in regions {
        let k = r.category as usize;
        if hidden.get(k).copied().unwrap_or(false) {
            continue;
        }
        let Some(color) = palette.get(k) else {
            continue;
        };
        let mut d = String::new();
        for ring in &r.outline {
            for (j, &(x, y)) in ring.iter().enumerate() {
                let (px, py) = view.to_pixel(x as f64, y as f64);
                let _ = write!(d, "{}{:.1},{:.1}", if j == 0 { "M" } else { "L" }, px, py);
            }
            d.push('Z');
        }
        let hex = color.to_hex();
        let _ = write!(
            out,
            r#"<path class="niche-region" data-category="{k}" d="{d}" fill="{hex}" fill-opacity="{:.2}" fill-rule="evenodd" stroke="{hex}" stroke-width="{BORDER_PX}"/>"#,
            FILL_ALPHA as f64 / 255.0
        );
    }
}
