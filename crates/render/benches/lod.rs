//! 10,000,000 points on the viewer's 880x560 canvas: building the
//! level-of-detail tiles, a redraw through them (fitted, and 4.5 times
//! closer) beside drawing every point, and a lasso around about 1,000,000
//! points through the tiles beside a scan of every row.
use criterion::{criterion_group, criterion_main, Criterion};
use sbx_render::{
    categorical_palette, draw_points, select_lasso, Canvas, ColorBy, Lod, PointSize, Rgba, Style,
    View,
};
use std::hint::black_box;

#[path = "common/points.rs"]
mod points;
use points::points;

fn lod(c: &mut Criterion) {
    let n = 10_000_000;
    let (xs, ys, codes, _) = points(n);
    let pal = categorical_palette(24);
    let bg = Rgba::new(255, 255, 255, 255);
    let mut g = c.benchmark_group("lod_10M");
    g.sample_size(10);
    g.bench_function("build", |b| {
        b.iter(|| Lod::new(black_box(&xs), black_box(&ys)))
    });
    let lod = Lod::new(&xs, &ys);
    let style = Style {
        size: PointSize::Pixels(1.0),
        color: ColorBy::Categorical {
            codes: &codes,
            palette: &pal,
            hidden: None,
        },
        outline: None,
        row_mask: None,
    };
    let fitted = View::fit([0.0, 0.0, 10_000.0, 8_000.0], 880, 560, 10.0, false);
    let mut near = fitted;
    near.zoom_at(440.0, 280.0, 4.5);
    let mut canvas = Canvas::new(880, 560, bg);
    for (name, view) in [("fitted", fitted), ("zoom_4.5x", near)] {
        g.bench_function(format!("draw_lod_{name}"), |b| {
            b.iter(|| {
                canvas.clear(880, 560, bg);
                lod.draw(&mut canvas, black_box(&xs), black_box(&ys), &view, &style)
            })
        });
        g.bench_function(format!("draw_every_point_{name}"), |b| {
            b.iter(|| {
                canvas.clear(880, 560, bg);
                draw_points(&mut canvas, black_box(&xs), black_box(&ys), &view, &style)
            })
        });
    }
    // A 64-gon of radius 1,600 around the centre: about 10% of the points.
    let poly: Vec<(f32, f32)> = (0..64)
        .map(|i| {
            let a = i as f32 / 64.0 * std::f32::consts::TAU;
            (5_000.0 + 1_600.0 * a.cos(), 4_000.0 + 1_600.0 * a.sin())
        })
        .collect();
    g.bench_function("lasso_lod", |b| {
        b.iter(|| lod.select_lasso(&xs, &ys, black_box(&poly), |_| true))
    });
    g.bench_function("lasso_scan", |b| {
        b.iter(|| select_lasso(&xs, &ys, black_box(&poly), |_| true))
    });
    g.finish();
}

criterion_group!(benches, lod);
criterion_main!(benches);
