//! Median full-redraw time (clear + draw) for N points, 1200x800 canvas, 24 categories.
//! Usage: raster_timing [POINTS] [POINT_PX] [REPEATS]
use sbx_render::{categorical_palette, draw_points, Canvas, ColorBy, PointSize, Rgba, Style, View};

#[path = "../benches/common/points.rs"]
mod points;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args
        .get(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let px: f32 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(2.0);
    let repeats: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(30);
    let (xs, ys, codes, _) = points::points(n);
    let pal = categorical_palette(24);
    let view = View::fit([0.0, 0.0, 10_000.0, 8_000.0], 1200, 800, 10.0, false);
    let mut canvas = Canvas::new(1200, 800, Rgba::new(255, 255, 255, 255));
    let style = Style {
        size: PointSize::Pixels(px),
        color: ColorBy::Categorical {
            codes: &codes,
            palette: &pal,
            hidden: None,
        },
        outline: None,
        row_mask: None,
    };
    let mut times = Vec::new();
    for _ in 0..repeats {
        let t = std::time::Instant::now();
        canvas.clear(1200, 800, Rgba::new(255, 255, 255, 255));
        draw_points(&mut canvas, &xs, &ys, &view, &style);
        times.push(t.elapsed().as_secs_f64() * 1e3);
        std::hint::black_box(&canvas);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{{\"points\": {n}, \"point_px\": {px}, \"median_ms\": {:.3}, \"min_ms\": {:.3}}}",
        times[repeats / 2],
        times[0]
    );
}
