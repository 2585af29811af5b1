//! Full redraw of 1,000,000 and 100,000 points into a 1200x800 canvas.
use criterion::{criterion_group, criterion_main, Criterion};
use sbx_render::{
    categorical_palette, draw_points, Canvas, ColorBy, ColorMap, PointSize, Rgba, Style, View,
};
use std::hint::black_box;

#[path = "common/points.rs"]
mod points;
use points::points;

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
