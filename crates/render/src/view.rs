//! The view transform between data coordinates and canvas pixels (pan/zoom).

/// Maps data (x, y) to pixels: `px = (x - center_x) * scale + width / 2`, and
/// `py = height / 2 - (y - center_y) * scale` (y up), or `+` when `y_down`
/// (image-like coordinates such as Visium pixels).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct View {
    pub width: u32,
    pub height: u32,
    pub center_x: f64,
    pub center_y: f64,
    /// Pixels per data unit.
    pub scale: f64,
    pub y_down: bool,
}

impl View {
    /// Fits `bounds` = [min_x, min_y, max_x, max_y] in the canvas with `margin_px` on each side.
    pub fn fit(bounds: [f32; 4], width: u32, height: u32, margin_px: f64, y_down: bool) -> View {
        let [x0, y0, x1, y1] = bounds.map(f64::from);
        let dw = (x1 - x0).max(1e-9);
        let dh = (y1 - y0).max(1e-9);
        let aw = (width as f64 - 2.0 * margin_px).max(1.0);
        let ah = (height as f64 - 2.0 * margin_px).max(1.0);
        View {
            width,
            height,
            center_x: (x0 + x1) / 2.0,
            center_y: (y0 + y1) / 2.0,
            scale: (aw / dw).min(ah / dh),
            y_down,
        }
    }

    fn sy(&self) -> f64 {
        if self.y_down {
            self.scale
        } else {
            -self.scale
        }
    }

    /// Affine coefficients (ax, bx, ay, by): px = x*ax + bx, py = y*ay + by.
    pub fn coefficients(&self) -> (f64, f64, f64, f64) {
        let ax = self.scale;
        let bx = self.width as f64 / 2.0 - self.center_x * ax;
        let ay = self.sy();
        let by = self.height as f64 / 2.0 - self.center_y * ay;
        (ax, bx, ay, by)
    }

    pub fn to_pixel(&self, x: f64, y: f64) -> (f64, f64) {
        let (ax, bx, ay, by) = self.coefficients();
        (x * ax + bx, y * ay + by)
    }

    pub fn to_data(&self, px: f64, py: f64) -> (f64, f64) {
        let (ax, bx, ay, by) = self.coefficients();
        ((px - bx) / ax, (py - by) / ay)
    }

    /// Moves the view by a drag of (dx, dy) pixels: content follows the pointer.
    pub fn pan(&mut self, dx_px: f64, dy_px: f64) {
        self.center_x -= dx_px / self.scale;
        self.center_y -= dy_px / self.sy();
    }

    /// Zooms by `factor` keeping the data point under pixel (px, py) fixed.
    pub fn zoom_at(&mut self, px: f64, py: f64, factor: f64) {
        if !(factor.is_finite() && factor > 0.0) {
            return;
        }
        let (x, y) = self.to_data(px, py);
        self.scale *= factor;
        let (nx, ny) = self.to_pixel(x, y);
        self.pan(px - nx, py - ny);
    }

    /// The data rectangle visible in the canvas: [min_x, min_y, max_x, max_y].
    pub fn visible_bounds(&self) -> [f64; 4] {
        let (ax0, ay0) = self.to_data(0.0, 0.0);
        let (ax1, ay1) = self.to_data(self.width as f64, self.height as f64);
        [ax0.min(ax1), ay0.min(ay1), ax0.max(ax1), ay0.max(ay1)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_centres_and_round_trips() {
        let v = View::fit([0.0, 0.0, 100.0, 50.0], 200, 200, 0.0, false);
        assert_eq!(v.scale, 2.0);
        assert_eq!(v.to_pixel(0.0, 0.0), (0.0, 150.0));
        assert_eq!(v.to_pixel(100.0, 50.0), (200.0, 50.0));
        assert_eq!(v.to_data(100.0, 100.0), (50.0, 25.0));
        let d = View { y_down: true, ..v };
        assert_eq!(d.to_pixel(0.0, 0.0), (0.0, 50.0));
    }

    #[test]
    fn zoom_keeps_the_anchor_and_pan_follows_pointer() {
        let mut v = View::fit([0.0, 0.0, 10.0, 10.0], 100, 100, 0.0, false);
        let before = v.to_data(30.0, 70.0);
        v.zoom_at(30.0, 70.0, 3.0);
        let after = v.to_data(30.0, 70.0);
        assert!((before.0 - after.0).abs() < 1e-9 && (before.1 - after.1).abs() < 1e-9);
        let p = v.to_pixel(5.0, 5.0);
        v.pan(10.0, -4.0);
        let q = v.to_pixel(5.0, 5.0);
        assert!((q.0 - p.0 - 10.0).abs() < 1e-9 && (q.1 - p.1 + 4.0).abs() < 1e-9);
    }
}
