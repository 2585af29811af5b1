//! The niche channel of the viewer: a categorical column drawn either as a
//! ring around each point (outline) or as region hulls per category.
//! Regions are computed here once per (dataset, column, panels) and only
//! drawn on redraws, so pan and zoom stay fast.

use super::facets::{panel_view, Grid};
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

/// Regions of one niche column: one list per panel (a single one without
/// small multiples), each panel restricted to its own rows.
#[derive(Debug, Clone, PartialEq)]
pub struct NicheLayer {
    pub column: usize,
    pub panels: Vec<Vec<Region>>,
}

impl NicheLayer {
    pub fn compute(ds: &Dataset, column: usize, grid: Option<&Grid>) -> Option<NicheLayer> {
        let c = ds.categorical.get(column)?;
        let n = c.categories.len();
        let params = RegionParams::default();
        let panels = match grid {
            None => vec![niche_regions(&ds.x, &ds.y, &c.codes, n, None, &params)],
            Some(g) => g
                .facets
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

/// The regions of every panel as SVG, each panel in a nested `<svg>` at its
/// place in the grid so its regions are clipped to it. `view` is one panel's.
pub fn layer_svg(
    layer: &NicheLayer,
    palette: &[Rgba],
    hidden: &[bool],
    view: &View,
    grid: Option<&Grid>,
) -> String {
    let mut paths = String::new();
    for (i, regions) in layer.panels.iter().enumerate() {
        let (pv, ox, oy) = match grid {
            Some(g) => (
                panel_view(view, &g.facets.bounds, i),
                g.cell(i).0 as u32 * view.width,
                g.cell(i).1 as u32 * view.height,
            ),
            None => (*view, 0, 0),
        };
        let _ = write!(
            paths,
            r#"<svg x="{ox}" y="{oy}" width="{}" height="{}">"#,
            view.width, view.height
        );
        regions_svg(&mut paths, regions, &pv, palette, hidden);
        paths.push_str("</svg>");
    }
    paths
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::colors::outline_palette;
    use crate::view::facets::{fit_view, make_grid};

    #[test]
    fn modes_round_trip_by_name() {
        for m in NicheMode::ALL {
            assert_eq!(NicheMode::parse(m.name()), m);
        }
        assert_eq!(NicheMode::parse("hull"), NicheMode::None);
    }

    /// Two dense blocks of 100 units each, niche "left" and "right".
    fn blocks() -> Dataset {
        let mut ds = Dataset::default();
        let mut labels = Vec::new();
        for (side, x0) in [("left", 0.0f32), ("right", 100.0)] {
            for i in 0..100 {
                ds.x.push(x0 + (i % 10) as f32);
                ds.y.push((i / 10) as f32);
                labels.push(side);
            }
        }
        ds.categorical
            .push(sbx_data::CategoricalColumn::from_labels("niche", &labels));
        ds
    }

    #[test]
    fn regions_are_found_per_niche_and_written_as_paths() {
        let ds = blocks();
        let layer = NicheLayer::compute(&ds, 0, None).expect("a layer");
        assert_eq!(layer.panels.len(), 1);
        assert_eq!(layer.shown(&[]), 2, "{:?}", layer.panels);
        assert_eq!(layer.shown(&[true]), 1);
        let pal = outline_palette(2);
        let v = fit_view(&ds, None);
        let svg = layer_svg(&layer, &pal, &[false, true], &v, None);
        assert_eq!(
            svg.matches("<path").count(),
            1,
            "the hidden niche is left out"
        );
        assert!(svg.contains(r#"data-category="0""#));
        assert!(svg.starts_with(r#"<svg x="0" y="0""#));
        assert!(NicheLayer::compute(&ds, 3, None).is_none());
    }

    #[test]
    fn small_multiples_get_regions_per_panel() {
        let mut ds = blocks();
        let halves: Vec<&str> = (0..200)
            .map(|i| if i % 2 == 0 { "even" } else { "odd" })
            .collect();
        ds.categorical
            .push(sbx_data::CategoricalColumn::from_labels("half", &halves));
        let g = make_grid(&ds, "half").unwrap();
        let layer = NicheLayer::compute(&ds, 0, Some(&g)).unwrap();
        assert_eq!(layer.panels.len(), 2);
        let v = fit_view(&ds, Some(&g));
        let svg = layer_svg(&layer, &outline_palette(2), &[], &v, Some(&g));
        assert_eq!(svg.matches("<svg ").count(), 2);
    }
}
