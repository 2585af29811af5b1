//! Physical scale: puts coordinates given in image pixels into micrometres
//! where the platform's geometry fixes the pixel size, so spots, beads and
//! cells can be compared at one scale bar.

use crate::table::SourceTable;

/// Slide-seq puck images: 0.65 µm per pixel (Rodriques et al. 2019; Stickels et al. 2021).
pub const SLIDESEQ_UM_PER_PX: f64 = 0.65;
/// Visium: 55 µm spots on a 100 µm centre-to-centre grid.
pub const VISIUM_SPOT_UM: f32 = 55.0;
pub const VISIUM_PITCH_UM: f64 = 100.0;
/// Slide-seq beads are 10 µm across.
pub const SLIDESEQ_BEAD_UM: f32 = 10.0;

/// Rescales a table whose coordinates are in pixels of a platform with a
/// known geometry (Visium: the spot pitch; Slide-seq: the puck pixel size) to
/// micrometres, and sets the unit size in µm. Returns how it was done, or
/// None when the table is left as it is (already µm, or unknown geometry).
pub fn to_micrometres(t: &mut SourceTable) -> Option<String> {
    if t.meta.coord_unit != "px" {
        return None;
    }
    let platform = t.meta.platform.to_ascii_lowercase();
    let (scale, size, note) = if platform.starts_with("visium") {
        let pitch = median_nearest_distance(&t.x, &t.y, 2000)?;
        (
            VISIUM_PITCH_UM / pitch,
            VISIUM_SPOT_UM,
            format!("pixels to µm by the Visium spot pitch: nearest spots {pitch:.1} px apart = 100 µm; spots 55 µm across"),
        )
    } else if platform.starts_with("slide-seq") {
        (
            SLIDESEQ_UM_PER_PX,
            SLIDESEQ_BEAD_UM,
            "pixels to µm at 0.65 µm per pixel (Slide-seq puck images); beads 10 µm across"
                .to_string(),
        )
    } else {
        return None;
    };
    for v in t.x.iter_mut().chain(t.y.iter_mut()) {
        *v *= scale;
    }
    t.meta.unit_size = Some(size);
    t.meta.coord_unit = "um".into();
    Some(note)
}

/// The median distance from a unit to its nearest other unit, over at most
/// `max_probe` evenly spread units (exact search against all units). None
/// with fewer than two distinct finite positions.
pub fn median_nearest_distance(x: &[f64], y: &[f64], max_probe: usize) -> Option<f64> {
    let n = x.len().min(y.len());
    if n < 2 {
        return None;
    }
    let step = n.div_ceil(max_probe.max(1)).max(1);
    let mut d: Vec<f64> = (0..n)
        .step_by(step)
        .filter_map(|i| {
            (0..n)
                .filter(|&j| j != i)
                .map(|j| (x[i] - x[j]).hypot(y[i] - y[j]))
                .filter(|v| v.is_finite() && *v > 0.0)
                .min_by(f64::total_cmp)
        })
        .collect();
    if d.is_empty() {
        return None;
    }
    d.sort_by(f64::total_cmp);
    Some(d[d.len() / 2])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dataset::Metadata;

    fn table(platform: &str, unit: &str, x: Vec<f64>, y: Vec<f64>) -> SourceTable {
        SourceTable {
            x,
            y,
            meta: Metadata {
                platform: platform.into(),
                coord_unit: unit.into(),
                ..Default::default()
            },
            ..Default::default()
        }
    }

    #[test]
    fn visium_pitch_becomes_100_um() {
        // A 3 x 3 grid 137 px apart: after the conversion neighbours are 100 µm apart.
        let (mut x, mut y) = (vec![], vec![]);
        for r in 0..3 {
            for c in 0..3 {
                x.push(1000.0 + 137.0 * c as f64);
                y.push(-500.0 - 137.0 * r as f64);
            }
        }
        let mut t = table("Visium", "px", x, y);
        assert!(to_micrometres(&mut t).unwrap().contains("137.0 px"));
        assert!((t.x[1] - t.x[0] - 100.0).abs() < 1e-9);
        assert_eq!(t.meta.unit_size, Some(55.0));
        assert_eq!(t.meta.coord_unit, "um");
    }

    #[test]
    fn slideseq_pixels_are_0_65_um() {
        let mut t = table("Slide-seq", "px", vec![0.0, 100.0], vec![0.0, 0.0]);
        to_micrometres(&mut t).unwrap();
        assert!((t.x[1] - 65.0).abs() < 1e-9);
        assert_eq!(t.meta.unit_size, Some(10.0));
    }

    #[test]
    fn micrometres_and_unknown_platforms_are_left_alone() {
        let mut t = table("Xenium", "um", vec![1.0, 2.0], vec![0.0, 0.0]);
        assert!(to_micrometres(&mut t).is_none());
        let mut t = table("DBiT", "px", vec![1.0, 2.0], vec![0.0, 0.0]);
        assert!(to_micrometres(&mut t).is_none());
        assert_eq!(t.x, vec![1.0, 2.0]);
        // One unit, or all at one place: no pitch, no change.
        let mut t = table("Visium", "px", vec![5.0, 5.0], vec![5.0, 5.0]);
        assert!(to_micrometres(&mut t).is_none());
        assert_eq!(t.meta.coord_unit, "px");
    }
}
