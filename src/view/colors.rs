//! Colour mapping: the palette of a categorical column, the darker niche
//! outline palette, the niche region colours, and a numeric value's colour.

use super::model::Settings;
use sbx_data::Dataset;
use sbx_render::{categorical_palette, ColorMap, Rgba};

/// Points with no colour: a missing category or a non-finite value.
pub const MISSING_HEX: &str = "#c8c8c8";
/// Points when nothing colours them.
pub const PLAIN: Rgba = Rgba::new(70, 90, 120, 255);

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

/// The niche colours: the point colours when the niche column is also the
/// colour column (so both read the same), else the darker outline palette.
pub fn niche_palette(ds: &Dataset, col: usize, color_col: Option<usize>) -> Vec<Rgba> {
    if color_col == Some(col) {
        palette_for(ds, col)
    } else {
        outline_palette(ds.categorical[col].categories.len())
    }
}

/// The hex colour of palette entry `k` ("" when the palette is shorter).
pub fn hex_at(palette: &[Rgba], k: usize) -> String {
    palette.get(k).map(|c| c.to_hex()).unwrap_or_default()
}

/// The colour of a finite numeric value under the settings' range, log
/// switch and colour map, as the rasterizer maps it.
pub fn numeric_hex(s: &Settings, v: f32) -> String {
    let f = |v: f32| if s.log { v.max(0.0).ln_1p() } else { v };
    let (lo, hi) = (f(s.min), f(s.max));
    let t = if (hi - lo).abs() > f32::EPSILON {
        (f(v) - lo) / (hi - lo)
    } else {
        0.0
    };
    s.map.at(t as f64).to_hex()
}

/// The colour scale's gradient as CSS stops.
pub fn gradient_css(map: ColorMap) -> String {
    let stops: Vec<String> = (0..=8).map(|i| map.at(i as f64 / 8.0).to_hex()).collect();
    format!("linear-gradient(to right, {})", stops.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::fixture::small;
    use crate::view::model::ColorChoice;

    #[test]
    fn file_colours_are_used_only_when_all_parse() {
        let mut ds = small();
        let n = ds.categorical[0].categories.len();
        assert_eq!(palette_for(&ds, 0), categorical_palette(n));
        ds.categorical[0].colors = Some(vec!["#ff0000".into(), "#00ff00".into(), "#0000ff".into()]);
        assert_eq!(hex_at(&palette_for(&ds, 0), 1), "#00ff00");
        ds.categorical[0].colors = Some(vec!["#ff0000".into(), "nope".into(), "#0000ff".into()]);
        assert_eq!(palette_for(&ds, 0), categorical_palette(n));
        assert_eq!(hex_at(&palette_for(&ds, 0), 99), "");
    }

    #[test]
    fn niches_share_the_point_colours_only_on_the_same_column() {
        let ds = small();
        assert_eq!(niche_palette(&ds, 1, Some(1)), palette_for(&ds, 1));
        let other = niche_palette(&ds, 1, Some(0));
        assert_eq!(other, outline_palette(2));
        assert_ne!(other, palette_for(&ds, 1));
    }

    #[test]
    fn numeric_values_map_from_min_to_max() {
        let mut s = Settings {
            color: ColorChoice::Numeric(0),
            hidden: vec![],
            min: 0.0,
            max: 10.0,
            log: false,
            map: ColorMap::Viridis,
            data_size: None,
            size_px: 2.0,
            outline: None,
        };
        assert_eq!(numeric_hex(&s, 0.0), ColorMap::Viridis.at(0.0).to_hex());
        assert_eq!(numeric_hex(&s, 10.0), ColorMap::Viridis.at(1.0).to_hex());
        assert_eq!(numeric_hex(&s, 5.0), ColorMap::Viridis.at(0.5).to_hex());
        s.max = 0.0;
        assert_eq!(
            numeric_hex(&s, 5.0),
            ColorMap::Viridis.at(0.0).to_hex(),
            "an empty range"
        );
        assert!(gradient_css(ColorMap::Viridis).starts_with("linear-gradient(to right, #"));
    }
}
