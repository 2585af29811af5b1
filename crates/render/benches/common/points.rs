//! The synthetic points that the rasterize bench and the raster_timing
//! example both draw, so their figures describe the same work.

/// `n` points spread deterministically (low-discrepancy) over 10,000 x 8,000
/// data units, with 24 categories and a numeric value per point.
pub fn points(n: usize) -> (Vec<f32>, Vec<f32>, Vec<u32>, Vec<f32>) {
    let xs: Vec<f32> = (0..n)
        .map(|i| ((i as f64 * 0.618_033_988_7).fract() * 10_000.0) as f32)
        .collect();
    let ys: Vec<f32> = (0..n)
        .map(|i| ((i as f64 * 0.754_877_666_2).fract() * 8_000.0) as f32)
        .collect();
    let codes: Vec<u32> = (0..n).map(|i| (i % 24) as u32).collect();
    let vals: Vec<f32> = (0..n).map(|i| (i % 1000) as f32).collect();
    (xs, ys, codes, vals)
}
