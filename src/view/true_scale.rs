//! "Spot, bead and cell at true scale": one square window of several
//! datasets (coordinates in µm) drawn side by side at one scale, every unit a
//! disc of its physical diameter, as an SVG document. Written at build time
//! (`sbx datasets`) and shown as an image by the Datasets and spatial-units pages.

use super::colors::{palette_for, PLAIN};
use super::format::format_length;
use super::svg::esc;
use sbx_data::Dataset;
use std::fmt::Write;

/// One panel: a dataset and what to call it.
pub struct Panel<'a> {
    pub title: String,
    pub ds: &'a Dataset,
}

/// What a drawn panel shows, for the caption.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Drawn {
    pub title: String,
    pub unit_kind: String,
    /// The disc diameter drawn, in µm.
    pub diameter_um: f64,
    /// True when the file has no unit size and the diameter is the
    /// window's area per unit (cells without a segmentation in the file).
    pub diameter_estimated: bool,
    pub units_in_window: usize,
    /// The window's lower-left (y up) or upper-left (y down) corner, in µm.
    pub origin: [f64; 2],
}

/// Side of the square window in µm, and pixels per µm in the picture.
pub const WINDOW_UM: f64 = 400.0;
pub const PX_PER_UM: f64 = 0.7;
const GAP: f64 = 24.0;
const TOP: f64 = 40.0;
const BOTTOM: f64 = 40.0;

/// The window of side `w` holding the most units, on a half-window grid
/// over the data (units counted in half-window bins, a window is 2 × 2
/// bins); its lower corner. None for an empty dataset.
pub fn densest_window(x: &[f32], y: &[f32], w: f64) -> Option<[f64; 2]> {
    let b = sbx_data::finite_range(x).zip(sbx_data::finite_range(y))?;
    let (x0, y0) = (b.0 .0 as f64, b.1 .0 as f64);
    let step = w / 2.0;
    let nx = ((((b.0 .1 as f64) - x0) / step).floor() as usize + 1).min(4000);
    let ny = ((((b.1 .1 as f64) - y0) / step).floor() as usize + 1).min(4000);
    let mut bins = vec![0usize; nx * ny];
    for (&a, &c) in x.iter().zip(y) {
        if a.is_finite() && c.is_finite() {
            let i = (((a as f64 - x0) / step) as usize).min(nx - 1);
            let j = (((c as f64 - y0) / step) as usize).min(ny - 1);
            bins[j * nx + i] += 1;
        }
    }
    let at = |i: usize, j: usize| {
        if i < nx && j < ny {
            bins[j * nx + i]
        } else {
            0
        }
    };
    let mut best = (0usize, [x0, y0]);
    for j in 0..ny {
        for i in 0..nx {
            let n = at(i, j) + at(i + 1, j) + at(i, j + 1) + at(i + 1, j + 1);
            if n > best.0 {
                best = (n, [x0 + i as f64 * step, y0 + j as f64 * step]);
            }
        }
    }
    Some(best.1)
}

fn inside(x: f32, y: f32, o: [f64; 2], w: f64) -> bool {
    let (x, y) = (x as f64, y as f64);
    x >= o[0] && x < o[0] + w && y >= o[1] && y < o[1] + w
}

/// The diameter to draw: the file's unit size, or for units without one the
/// diameter of a disc of the area per unit, over the extent the window's
/// units cover (a window reaching past the tissue does not inflate it).
fn diameter(ds: &Dataset, rows: &[usize]) -> (f64, bool) {
    match ds.meta.unit_size {
        Some(s) if s.is_finite() && s > 0.0 => (s as f64, false),
        _ => {
            let xs: Vec<f32> = rows.iter().map(|&r| ds.x[r]).collect();
            let ys: Vec<f32> = rows.iter().map(|&r| ds.y[r]).collect();
            let area = match (sbx_data::finite_range(&xs), sbx_data::finite_range(&ys)) {
                (Some(a), Some(b)) => ((a.1 - a.0) as f64 * (b.1 - b.0) as f64).max(1.0),
                _ => WINDOW_UM * WINDOW_UM,
            };
            let per = area / rows.len().max(1) as f64;
            ((4.0 * per / std::f64::consts::PI).sqrt(), true)
        }
    }
}

/// The colour column: cell type when there is one, else none.
fn colour_column(ds: &Dataset) -> Option<usize> {
    ds.categorical
        .iter()
        .position(|c| c.name == "cell_type" && c.categories.len() > 1)
}

/// The SVG document and what each panel shows. Panels whose coordinates
/// are not in µm are left out (they cannot share a scale bar).
pub fn true_scale_svg(panels: &[Panel]) -> (String, Vec<Drawn>) {
    let side = WINDOW_UM * PX_PER_UM;
    let usable: Vec<&Panel> = panels
        .iter()
        .filter(|p| p.ds.meta.coord_unit == "um")
        .collect();
    let width = GAP + usable.len() as f64 * (side + GAP);
    let height = TOP + side + BOTTOM;
    let mut s = String::new();
    let _ = write!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0}" height="{height:.0}" viewBox="0 0 {width:.0} {height:.0}" font-family="sans-serif" font-size="13"><rect width="100%" height="100%" fill="#ffffff"/>"##
    );
    let mut drawn = Vec::new();
    for (k, p) in usable.iter().enumerate() {
        let left = GAP + k as f64 * (side + GAP);
        if let Some(d) = draw_panel(&mut s, p, k, left, side) {
            drawn.push(d);
        }
    }
    // One scale bar under the first panel: every panel has the same scale.
    let bar = 100.0 * PX_PER_UM;
    let y = TOP + side + 22.0;
    let _ = write!(
        s,
        r##"<line x1="{GAP}" y1="{y}" x2="{x2}" y2="{y}" stroke="#222" stroke-width="3"/><text x="{tx}" y="{ty}">{label} (same scale in every panel)</text></svg>"##,
        x2 = GAP + bar,
        tx = GAP + bar + 8.0,
        ty = y + 4.0,
        label = esc(&format_length(100.0, "um")),
    );
    (s, drawn)
}

fn draw_panel(s: &mut String, p: &Panel, k: usize, left: f64, side: f64) -> Option<Drawn> {
    let ds = p.ds;
    let o = densest_window(&ds.x, &ds.y, WINDOW_UM)?;
    let rows: Vec<usize> = (0..ds.len())
        .filter(|&r| inside(ds.x[r], ds.y[r], o, WINDOW_UM))
        .collect();
    let (d_um, estimated) = diameter(ds, &rows);
    let r_px = d_um / 2.0 * PX_PER_UM;
    let col = colour_column(ds);
    let palette = col.map(|c| palette_for(ds, c));
    let _ = write!(
        s,
        r##"<text x="{left}" y="{ty}" font-weight="bold">{title}</text><text x="{left}" y="{ty2}" fill="#555">{kind}s {d}{est}</text><clipPath id="w{k}"><rect x="{left}" y="{TOP}" width="{side}" height="{side}"/></clipPath><rect x="{left}" y="{TOP}" width="{side}" height="{side}" fill="#f6f6f4" stroke="#999"/><g clip-path="url(#w{k})" fill-opacity="0.85">"##,
        ty = TOP - 22.0,
        ty2 = TOP - 6.0,
        title = esc(&p.title),
        kind = ds.meta.unit_kind.as_str(),
        d = esc(&format_length((d_um * 10.0).round() / 10.0, "um")),
        est = if estimated {
            " (area per cell)"
        } else {
            " across"
        },
    );
    for &r in &rows {
        let px = left + (ds.x[r] as f64 - o[0]) * PX_PER_UM;
        // y up: the window's top edge is its largest y; y down: its smallest.
        let dy = if ds.meta.y_down {
            ds.y[r] as f64 - o[1]
        } else {
            o[1] + WINDOW_UM - ds.y[r] as f64
        };
        let py = TOP + dy * PX_PER_UM;
        let fill = match (col, &palette) {
            (Some(c), Some(pal)) => pal
                .get(ds.categorical[c].codes[r] as usize)
                .copied()
                .unwrap_or(PLAIN),
            _ => PLAIN,
        };
        let _ = write!(
            s,
            r##"<circle cx="{px:.1}" cy="{py:.1}" r="{r_px:.2}" fill="{}"/>"##,
            fill.to_hex()
        );
    }
    s.push_str("</g>");
    Some(Drawn {
        title: p.title.clone(),
        unit_kind: ds.meta.unit_kind.as_str().to_string(),
        diameter_um: d_um,
        diameter_estimated: estimated,
        units_in_window: rows.len(),
        origin: o,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `cy` of the first circle in an SVG.
    fn first_cy(svg: &str) -> f64 {
        let after = svg.split("cy=\"").nth(1).expect("a circle");
        after.split('"').next().unwrap().parse().unwrap()
    }
    use sbx_data::{Metadata, UnitKind};

    fn ds(kind: UnitKind, size: Option<f32>, pts: &[(f32, f32)], y_down: bool) -> Dataset {
        Dataset {
            x: pts.iter().map(|p| p.0).collect(),
            y: pts.iter().map(|p| p.1).collect(),
            meta: Metadata {
                unit_kind: kind,
                unit_size: size,
                coord_unit: "um".into(),
                y_down,
                ..Default::default()
            },
            ..Default::default()
        }
    }

    fn radii(svg: &str) -> Vec<f64> {
        svg.split(" r=\"")
            .skip(1)
            .map(|t| t.split('"').next().unwrap().parse().unwrap())
            .collect()
    }

    #[test]
    fn units_are_drawn_at_their_physical_size_on_one_scale() {
        let spots = ds(
            UnitKind::Spot,
            Some(55.0),
            &[(0.0, 0.0), (100.0, 0.0)],
            false,
        );
        let beads = ds(UnitKind::Bead, Some(10.0), &[(5.0, 5.0)], false);
        let (svg, drawn) = true_scale_svg(&[
            Panel {
                title: "Visium".into(),
                ds: &spots,
            },
            Panel {
                title: "Slide-seq".into(),
                ds: &beads,
            },
        ]);
        assert_eq!(
            radii(&svg),
            vec![27.5 * PX_PER_UM, 27.5 * PX_PER_UM, 5.0 * PX_PER_UM]
        );
        assert_eq!(drawn[0].units_in_window, 2);
        assert!(svg.contains("100 µm"));
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    }

    #[test]
    fn cells_without_a_size_get_the_area_per_cell_and_y_up_puts_high_y_on_top() {
        // 16 cells spanning 300 × 300 µm: area per cell 90,000/16 = 5,625 µm².
        let pts: Vec<(f32, f32)> = (0..16)
            .map(|i| ((i % 4) as f32 * 100.0, (i / 4) as f32 * 100.0))
            .collect();
        let cells = ds(UnitKind::Cell, None, &pts, false);
        let (svg, drawn) = true_scale_svg(&[Panel {
            title: "cells".into(),
            ds: &cells,
        }]);
        assert!(drawn[0].diameter_estimated);
        assert!(
            (drawn[0].diameter_um - (4.0 * 5_625.0 / std::f64::consts::PI).sqrt()).abs() < 1e-9
        );
        // The first circle is (0, 0): at the bottom of the window when y is up.
        let cy = first_cy(&svg);
        assert!((cy - (TOP + WINDOW_UM * PX_PER_UM)).abs() < 0.1, "{cy}");
        let down = ds(UnitKind::Cell, None, &pts, true);
        let (svg, _) = true_scale_svg(&[Panel {
            title: "cells".into(),
            ds: &down,
        }]);
        let cy = first_cy(&svg);
        assert!((cy - TOP).abs() < 0.1, "{cy}");
    }

    #[test]
    fn densest_window_finds_the_cluster_and_pixels_are_left_out() {
        let mut pts: Vec<(f32, f32)> = (0..50).map(|i| (5000.0 + i as f32, 5000.0)).collect();
        pts.push((0.0, 0.0));
        let o = densest_window(
            &pts.iter().map(|p| p.0).collect::<Vec<_>>(),
            &pts.iter().map(|p| p.1).collect::<Vec<_>>(),
            400.0,
        )
        .unwrap();
        assert!(
            o[0] <= 5000.0 && o[0] + 400.0 > 5049.0 && o[1] <= 5000.0,
            "{o:?}"
        );
        let mut px = ds(UnitKind::Spot, Some(80.0), &pts, false);
        px.meta.coord_unit = "px".into();
        let (_, drawn) = true_scale_svg(&[Panel {
            title: "px".into(),
            ds: &px,
        }]);
        assert!(drawn.is_empty());
        assert!(densest_window(&[], &[], 400.0).is_none());
    }
}
