//! Colours: packed RGBA, a categorical palette that stays distinguishable
//! past 40 categories, and perceptual colour maps for numeric values.

/// An RGBA colour packed so that its in-memory bytes are r, g, b, a.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgba(pub u32);

impl Rgba {
    pub const fn new(r: u8, g: u8, b: u8, a: u8) -> Rgba {
        Rgba(u32::from_ne_bytes([r, g, b, a]))
    }
    pub fn bytes(self) -> [u8; 4] {
        self.0.to_ne_bytes()
    }
    /// Parses "#rrggbb" or "#rrggbbaa" (the `#` optional).
    pub fn from_hex(s: &str) -> Option<Rgba> {
        let h = s.trim().trim_start_matches('#');
        let p = |i: usize| h.get(i..i + 2).and_then(|x| u8::from_str_radix(x, 16).ok());
        match h.len() {
            6 => Some(Rgba::new(p(0)?, p(2)?, p(4)?, 255)),
            8 => Some(Rgba::new(p(0)?, p(2)?, p(4)?, p(6)?)),
            _ => None,
        }
    }
    pub fn to_hex(self) -> String {
        let [r, g, b, _] = self.bytes();
        format!("#{r:02x}{g:02x}{b:02x}")
    }
}

pub const WHITE: Rgba = Rgba::new(255, 255, 255, 255);
pub const BLACK: Rgba = Rgba::new(0, 0, 0, 255);
pub const TRANSPARENT: Rgba = Rgba::new(0, 0, 0, 0);
/// Drawn for missing numeric values.
pub const MISSING_GREY: Rgba = Rgba::new(200, 200, 200, 255);

fn srgb_to_lab(c: [u8; 3]) -> [f32; 3] {
    let lin = |v: u8| {
        let v = v as f32 / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    let (r, g, b) = (lin(c[0]), lin(c[1]), lin(c[2]));
    let x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047;
    let y = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    let z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883;
    let f = |t: f32| {
        if t > 0.008856 {
            t.cbrt()
        } else {
            7.787 * t + 16.0 / 116.0
        }
    };
    let (fx, fy, fz) = (f(x), f(y), f(z));
    [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
}

fn lab_dist2(a: [f32; 3], b: [f32; 3]) -> f32 {
    (a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)
}

/// `n` categorical colours: Tableau 10 first (familiar for small n), then
/// Glasbey's greedy rule: each next colour is the candidate farthest (CIELAB)
/// from all chosen so far, from an sRGB grid that excludes near-white and
/// near-black (they vanish on the background or read as outlines).
pub fn categorical_palette(n: usize) -> Vec<Rgba> {
    let mut chosen: Vec<[u8; 3]> = colorous::TABLEAU10
        .iter()
        .map(|c| [c.r, c.g, c.b])
        .take(n)
        .collect();
    if n <= chosen.len() {
        return chosen
            .into_iter()
            .map(|c| Rgba::new(c[0], c[1], c[2], 255))
            .collect();
    }
    let steps: Vec<u8> = (0..12).map(|i| (i * 255 / 11) as u8).collect();
    let mut cands: Vec<([u8; 3], [f32; 3])> = Vec::new();
    for &r in &steps {
        for &g in &steps {
            for &b in &steps {
                let lab = srgb_to_lab([r, g, b]);
                if lab[0] > 25.0 && lab[0] < 88.0 {
                    cands.push(([r, g, b], lab));
                }
            }
        }
    }
    let mut best: Vec<f32> = cands
        .iter()
        .map(|(_, l)| {
            chosen
                .iter()
                .map(|c| lab_dist2(*l, srgb_to_lab(*c)))
                .fold(f32::MAX, f32::min)
        })
        .collect();
    while chosen.len() < n {
        let (k, _) =
            best.iter().enumerate().fold(
                (0usize, -1.0f32),
                |acc, (i, &d)| if d > acc.1 { (i, d) } else { acc },
            );
        let (c, lab) = cands[k];
        chosen.push(c);
        for (i, (_, l)) in cands.iter().enumerate() {
            best[i] = best[i].min(lab_dist2(*l, lab));
        }
    }
    chosen
        .into_iter()
        .map(|c| Rgba::new(c[0], c[1], c[2], 255))
        .collect()
}

/// Colours for a categorical column of `n` categories: the file's own colours
/// (`"#rrggbb"` strings from the `sbx:colors` metadata) where present and valid,
/// the generated palette elsewhere.
pub fn palette_for(n: usize, stored: Option<&[String]>) -> Vec<Rgba> {
    let mut p = categorical_palette(n);
    if let Some(stored) = stored {
        for (slot, s) in p.iter_mut().zip(stored) {
            if let Some(c) = Rgba::from_hex(s) {
                *slot = c;
            }
        }
    }
    p
}

/// Perceptual colour maps for numeric columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ColorMap {
    #[default]
    Viridis,
    Magma,
    Inferno,
    Plasma,
    Cividis,
    Turbo,
    /// Diverging, for signed values.
    RdBu,
}

impl ColorMap {
    pub const ALL: [ColorMap; 7] = [
        ColorMap::Viridis,
        ColorMap::Magma,
        ColorMap::Inferno,
        ColorMap::Plasma,
        ColorMap::Cividis,
        ColorMap::Turbo,
        ColorMap::RdBu,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ColorMap::Viridis => "viridis",
            ColorMap::Magma => "magma",
            ColorMap::Inferno => "inferno",
            ColorMap::Plasma => "plasma",
            ColorMap::Cividis => "cividis",
            ColorMap::Turbo => "turbo",
            ColorMap::RdBu => "RdBu",
        }
    }

    fn gradient(self) -> colorous::Gradient {
        match self {
            ColorMap::Viridis => colorous::VIRIDIS,
            ColorMap::Magma => colorous::MAGMA,
            ColorMap::Inferno => colorous::INFERNO,
            ColorMap::Plasma => colorous::PLASMA,
            ColorMap::Cividis => colorous::CIVIDIS,
            ColorMap::Turbo => colorous::TURBO,
            ColorMap::RdBu => colorous::RED_BLUE,
        }
    }

    /// Colour at t in [0, 1] (clamped).
    pub fn at(self, t: f64) -> Rgba {
        let c = self.gradient().eval_continuous(t.clamp(0.0, 1.0));
        Rgba::new(c.r, c.g, c.b, 255)
    }

    /// 256-entry lookup table (what the rasterizer uses).
    pub fn lut(self) -> [Rgba; 256] {
        let mut out = [BLACK; 256];
        for (i, slot) in out.iter_mut().enumerate() {
            *slot = self.at(i as f64 / 255.0);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trip() {
        let c = Rgba::from_hex("#1f77b4").unwrap();
        assert_eq!(c.bytes(), [0x1f, 0x77, 0xb4, 255]);
        assert_eq!(c.to_hex(), "#1f77b4");
        assert!(Rgba::from_hex("#12").is_none());
    }

    #[test]
    fn palette_of_48_is_distinct_and_stable() {
        let p = categorical_palette(48);
        assert_eq!(p.len(), 48);
        assert_eq!(p[0].to_hex(), "#4e79a7"); // Tableau 10 first colour
        let labs: Vec<[f32; 3]> = p
            .iter()
            .map(|c| {
                let b = c.bytes();
                srgb_to_lab([b[0], b[1], b[2]])
            })
            .collect();
        let mut min = f32::MAX;
        for i in 0..labs.len() {
            for j in 0..i {
                min = min.min(lab_dist2(labs[i], labs[j]).sqrt());
            }
        }
        // Every pair at least ~10 CIELAB units apart: clearly different side by side.
        assert!(min > 10.0, "closest pair only {min} apart");
        assert_eq!(p, categorical_palette(48));
    }

    #[test]
    fn stored_colours_win() {
        let stored = vec!["#000000".to_string(), "not a colour".to_string()];
        let p = palette_for(3, Some(&stored));
        assert_eq!(p[0].to_hex(), "#000000");
        assert_eq!(p[1], categorical_palette(3)[1]);
        assert_eq!(p.len(), 3);
    }

    #[test]
    fn viridis_ends() {
        assert_eq!(ColorMap::Viridis.at(0.0).to_hex(), "#440154");
        assert_eq!(ColorMap::Viridis.at(1.0).to_hex(), "#fde725");
    }
}
