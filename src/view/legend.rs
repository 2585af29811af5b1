//! Legend entries: computed here once and read by the side panel, the PNG
//! export and the SVG export, so the three always list the same categories
//! in the same colours.

use super::colors::{hex_at, palette_for};
use super::model::ColorChoice;
use super::niches::NicheLayer;
use sbx_data::Dataset;
use sbx_render::Rgba;

/// Exports list at most this many entries per legend.
pub const MAX_EXPORT_ENTRIES: usize = 40;

/// One legend entry: a category of the colour or niche column.
#[derive(Clone, Debug, PartialEq)]
pub struct LegendItem {
    /// The category's code in its column.
    pub code: usize,
    pub label: String,
    pub hex: String,
    /// Units of the category (colour legend) or regions drawn (niche legend).
    pub count: usize,
    pub hidden: bool,
}

/// The colour legend: every category of the categorical colour column with
/// its colour and number of units (empty for numeric or no colouring).
pub fn legend_items(ds: &Dataset, color: &ColorChoice, hidden: &[bool]) -> Vec<LegendItem> {
    let Some(i) = color.categorical() else {
        return Vec::new();
    };
    let col = &ds.categorical[i];
    let pal = palette_for(ds, i);
    let counts = col.counts();
    col.categories
        .iter()
        .enumerate()
        .map(|(k, label)| LegendItem {
            code: k,
            label: label.clone(),
            hex: hex_at(&pal, k),
            count: counts.get(k).copied().unwrap_or(0),
            hidden: hidden.get(k).copied().unwrap_or(false),
        })
        .collect()
}

/// The niche legend: the categories of the niche column that have regions,
/// in their region colours `palette`, with the number of regions.
pub fn niche_legend_items(
    ds: &Dataset,
    layer: &NicheLayer,
    palette: &[Rgba],
    hidden: &[bool],
) -> Vec<LegendItem> {
    let Some(col) = ds.categorical.get(layer.column) else {
        return Vec::new();
    };
    let mut counts = vec![0usize; col.categories.len()];
    for r in layer.panels.iter().flatten() {
        if let Some(c) = counts.get_mut(r.category as usize) {
            *c += 1;
        }
    }
    col.categories
        .iter()
        .enumerate()
        .filter(|&(k, _)| counts[k] > 0)
        .map(|(k, label)| LegendItem {
            code: k,
            label: label.clone(),
            hex: hex_at(palette, k),
            count: counts[k],
            hidden: hidden.get(k).copied().unwrap_or(false),
        })
        .collect()
}

/// The niche legend's title.
pub fn niche_title(ds: &Dataset, layer: &NicheLayer) -> String {
    let name = ds
        .categorical
        .get(layer.column)
        .map_or("", |c| c.name.as_str());
    format!("Niches: {name}")
}

/// Width in characters of a legend panel: its longest label or the title.
pub fn widest(items: &[LegendItem], title: &str) -> usize {
    items
        .iter()
        .take(MAX_EXPORT_ENTRIES)
        .map(|i| i.label.chars().count())
        .chain(std::iter::once(title.chars().count()))
        .max()
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::colors::niche_palette;
    use crate::view::fixture::small;
    use crate::view::model::color_choice;

    #[test]
    fn the_colour_legend_lists_every_category_with_counts() {
        let ds = small();
        let items = legend_items(&ds, &color_choice(&ds, "cell_type"), &[false, true]);
        let labels: Vec<&str> = items.iter().map(|i| i.label.as_str()).collect();
        assert_eq!(labels, ["a", "b", "c, \"q\""]);
        assert_eq!(items.iter().map(|i| i.count).collect::<Vec<_>>(), [3, 2, 1]);
        assert_eq!(
            items.iter().map(|i| i.hidden).collect::<Vec<_>>(),
            [false, true, false]
        );
        assert_eq!(items[1].hex, palette_for(&ds, 0)[1].to_hex());
        assert!(legend_items(&ds, &color_choice(&ds, "total"), &[]).is_empty());
    }

    #[test]
    fn the_niche_legend_lists_categories_with_regions() {
        let mut ds = small();
        // a third niche category with no units has no regions and no entry
        ds.categorical[1].categories.push("empty".into());
        let layer = NicheLayer {
            column: 1,
            panels: vec![vec![region(0), region(1), region(0)]],
        };
        let pal = niche_palette(&ds, 1, None);
        let items = niche_legend_items(&ds, &layer, &pal, &[true]);
        assert_eq!(items.len(), 2);
        assert_eq!(
            (items[0].label.as_str(), items[0].count, items[0].hidden),
            ("s1", 2, true)
        );
        assert_eq!(
            (items[1].label.as_str(), items[1].count, items[1].hidden),
            ("s2", 1, false)
        );
        assert_eq!(items[1].hex, pal[1].to_hex());
        assert_eq!(niche_title(&ds, &layer), "Niches: sample");
        assert_eq!(widest(&items, "t"), 2);
    }

    fn region(category: u32) -> sbx_render::Region {
        sbx_render::Region {
            category,
            points: 3,
            hull: vec![(0.0, 0.0), (1.0, 0.0), (0.0, 1.0)],
            outline: vec![vec![(0.0, 0.0), (1.0, 0.0), (0.0, 1.0)]],
        }
    }
}
