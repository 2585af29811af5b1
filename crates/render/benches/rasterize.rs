//! Full redraw of 1,000,000 and 100,000 points into a 1200x800 canvas.
use criterion::{criterion_group, criterion_main, Criterion};
use sbx_render::{
    categorical_palette, draw_points, Canvas, ColorBy, ColorMap, PointSize, Rgba, Style, View,
};
use std::hint::black_box;

fn points(n: usize) -> (Vec<f32>, Vec<f32>, Vec<u32>, Vec<f32>) {
    // A deterministic low-discrepancy spread over 10,000 x 8,000 data units.
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

fn rasterize(c: &mut Criterion) {
    let pal = categorical_palette(24);
    let mut g = c.benchmark_group("rasterize");
    g.sample_size(30);
    for n in [1_000_000usize, 100_000] {
        let (xs, ys, codes, vals) = points(n);
        let view = View::fit([0.0, 0.0, 10_000.0, 8_000.0], 1200, 800, 10.0, false);
        let mut canvas = Canvas::new(1200, 800, Rgba::new(255, 255, 255, 255));
        let cat = Style {
            size: PointSize::Pixels(2.0),
            color: ColorBy::Categorical {
                codes: &codes,
                palette: &pal,
                hidden: None,
            },
            outline: None,
            row_mask: None,
        };
        g.bench_function(format!("categorical_2px_{n}"), |b| {
            b.iter(|| {
                canvas.clear(1200, 800, Rgba::new(255, 255, 255, 255));
                draw_points(&mut canvas, black_box(&xs), black_box(&ys), &view, &cat);
            })
        });
        let num = Style {
            size: PointSize::Pixels(1.0),
            color: ColorBy::Numeric {
                values: &vals,
                min: 0.0,
                max: 999.0,
                log: true,
                map: ColorMap::Viridis,
            },
            outline: None,
            row_mask: None,
        };
        g.bench_function(format!("numeric_log_1px_{n}"), |b| {
            b.iter(|| {
                canvas.clear(1200, 800, Rgba::new(255, 255, 255, 255));
                draw_points(&mut canvas, black_box(&xs), black_box(&ys), &view, &num);
            })
        });
    }
    g.finish();
}

criterion_group!(benches, rasterize);
criterion_main!(benches);
