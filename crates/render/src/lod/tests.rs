use super::*;
use crate::color::Rgba;
use crate::raster::{draw_points, PointSize};
use crate::select::{select_box as scan_box, select_lasso as scan_lasso};
use std::collections::HashMap;

/// `n` points spread over 1000 × 600 data units by a fixed low-discrepancy walk,
/// a few stacked exactly on others, a few not finite.
fn points(n: usize) -> (Vec<f32>, Vec<f32>) {
    let mut xs: Vec<f32> = (0..n)
        .map(|i| ((i as f64 * 0.618_033_988_7).fract() * 1000.0) as f32)
        .collect();
    let mut ys: Vec<f32> = (0..n)
        .map(|i| ((i as f64 * 0.754_877_666_2).fract() * 600.0) as f32)
        .collect();
    for i in (7..n).step_by(97) {
        (xs[i], ys[i]) = (xs[i - 7], ys[i - 7]);
    }
    for i in (5..n).step_by(1001) {
        xs[i] = f32::NAN;
    }
    (xs, ys)
}

fn red(_: usize) -> bool {
    true
}

fn style(codes: &[u32], pal: &[Rgba], hidden: Option<&[bool]>) -> Style<'static> {
    // The tests keep the slices alive for the whole test.
    let codes: &'static [u32] = Box::leak(codes.to_vec().into_boxed_slice());
    let pal: &'static [Rgba] = Box::leak(pal.to_vec().into_boxed_slice());
    let hidden = hidden.map(|h| &*Box::leak(h.to_vec().into_boxed_slice()));
    Style {
        size: PointSize::Pixels(1.0),
        color: ColorBy::Categorical {
            codes,
            palette: pal,
            hidden,
        },
        outline: None,
        row_mask: None,
    }
}

#[test]
fn each_level_keeps_the_top_row_of_every_cell() {
    let (xs, ys) = points(200_000);
    let lod = Lod::new(&xs, &ys);
    assert!(lod.levels() >= 2, "{} levels", lod.levels());
    for k in 0..lod.levels() {
        // The same cells computed directly: the largest row wins.
        let per = (1u32 << k) as f32;
        let mut top: HashMap<(i64, i64), u32> = HashMap::new();
        for i in 0..xs.len() {
            if !(xs[i].is_finite() && ys[i].is_finite()) {
                continue;
            }
            let fx = (xs[i] - lod.x0) / lod.side;
            let fy = (ys[i] - lod.y0) / lod.side;
            let (tx, ty) = (fx.floor(), fy.floor());
            let cell = (
                (tx * per + ((fx - tx) * 256.0).floor().min(255.0) / 256.0 * per).floor() as i64,
                (ty * per + ((fy - ty) * 256.0).floor().min(255.0) / 256.0 * per).floor() as i64,
            );
            top.insert(cell, i as u32);
        }
        let mut want: Vec<u32> = top.into_values().collect();
        want.sort_unstable();
        let level = &lod.levels[k];
        let mut got = level.rows.clone();
        for t in 0..level.start.len() - 1 {
            let part = level.tiles(t, t + 1);
            assert!(part.windows(2).all(|w| w[0] < w[1]), "tile {t} ascending");
        }
        got.sort_unstable();
        assert_eq!(got, want, "level {k}");
    }
    assert_eq!(
        lod.all.rows.len(),
        xs.iter().filter(|x| x.is_finite()).count()
    );
}

#[test]
fn a_far_view_draws_one_row_per_pixel_and_looks_like_every_point() {
    // About 15 points per pixel, as 10 million points on the viewer's canvas.
    let n = 400_000;
    let (xs, ys) = points(n);
    // Colours not tied to row order: the cell's top row is a later row than
    // most pixels' top rows, which a colour tied to row order would show.
    let codes: Vec<u32> = (0..n as u64)
        .map(|i| ((i * 2_654_435_761) >> 7) as u32 % 6)
        .collect();
    let pal: Vec<Rgba> = (0..6)
        .map(|i| Rgba::new(40 * i, 200 - 30 * i, 90, 255))
        .collect();
    let st = style(&codes, &pal, None);
    let lod = Lod::new(&xs, &ys);
    let view = View::fit([0.0, 0.0, 1000.0, 600.0], 200, 130, 4.0, false);
    let bg = Rgba::new(255, 255, 255, 255);
    let mut full = Canvas::new(200, 130, bg);
    draw_points(&mut full, &xs, &ys, &view, &st);
    let mut fast = Canvas::new(200, 130, bg);
    let drawn = lod.draw(&mut fast, &xs, &ys, &view, &st);
    let k = drawn.level.expect("a level fits the fitted view");
    let cell = f64::from(lod.side) * view.scale / f64::from(1u32 << k);
    assert!(cell > 1.0 && cell <= 2.0, "cells of {cell} px");
    // Cells of one to two pixels: at most one row per pixel.
    assert!(
        drawn.rows <= 200 * 130 && drawn.rows < n / 2,
        "{} of {n} rows drawn",
        drawn.rows
    );
    // A cell's top row stands for the cell's other points, so a pixel may show
    // another point of its neighbourhood: the same inked pixels, the same
    // share of each colour.
    let counts = |c: &Canvas| {
        let mut m: HashMap<u32, usize> = HashMap::new();
        for &p in &c.pixels {
            *m.entry(p).or_default() += 1;
        }
        m
    };
    let (a, b) = (counts(&full), counts(&fast));
    let ink = full.pixels.len() - a[&bg.0];
    assert!(ink > 20_000, "{ink} pixels inked");
    let holes = (full.pixels.iter().zip(&fast.pixels))
        .filter(|&(&f, &l)| f != bg.0 && l == bg.0)
        .count();
    assert_eq!(holes, 0, "pixels with points left empty");
    // Cells reach a pixel past the outermost points at most.
    assert!(
        a[&bg.0].abs_diff(b[&bg.0]) * 100 < ink,
        "background {} vs {}",
        a[&bg.0],
        b[&bg.0]
    );
    for p in &pal {
        let (x, y) = (a[&p.0], b[&p.0]);
        assert!(x.abs_diff(y) * 20 < x, "colour {p:?}: {x} vs {y} pixels");
    }
}

#[test]
fn a_near_view_draws_every_row_of_the_visible_tiles_only() {
    let n = 200_000;
    let (xs, ys) = points(n);
    let codes = vec![0u32; n];
    let pal = [Rgba::new(200, 0, 0, 255)];
    let lod = Lod::new(&xs, &ys);
    let mut view = View::fit([0.0, 0.0, 1000.0, 600.0], 400, 260, 4.0, false);
    view.zoom_at(200.0, 130.0, 40.0);
    assert_eq!(lod.level_for(view.scale, 2.0), None);
    let bg = Rgba::new(255, 255, 255, 255);
    let (mut full, mut fast) = (Canvas::new(400, 260, bg), Canvas::new(400, 260, bg));
    let st = style(&codes, &pal, None);
    draw_points(&mut full, &xs, &ys, &view, &st);
    let drawn = lod.draw(&mut fast, &xs, &ys, &view, &st);
    assert_eq!(drawn.level, None);
    assert!(drawn.rows > 0 && drawn.rows < n / 50, "{} rows", drawn.rows);
    // One colour: the same pixels whatever the order.
    assert_eq!(full, fast);
    // Hidden categories always draw every row of the visible tiles.
    let hidden = style(&codes, &pal, Some(&[false]));
    let far = View::fit([0.0, 0.0, 1000.0, 600.0], 400, 260, 4.0, false);
    assert_eq!(lod.draw(&mut fast, &xs, &ys, &far, &hidden).level, None);
}

#[test]
fn hover_and_selection_match_a_scan_of_every_row() {
    let (xs, ys) = points(60_000);
    let lod = Lod::new(&xs, &ys);
    for q in 0..300u32 {
        let (x, y) = ((q * 37 % 1010) as f32, (q * 53 % 610) as f32);
        assert_eq!(
            lod.nearest(&xs, &ys, x, y, 4.0, red),
            crate::select::nearest(&xs, &ys, x, y, 4.0, red),
            "nearest to {x},{y}"
        );
    }
    let odd = |i: usize| !i.is_multiple_of(3);
    for rect in [
        [100.0, 50.0, 700.0, 420.0],
        [990.0, 590.0, -5.0, -5.0],
        [300.0, 300.0, 300.5, 300.5],
    ] {
        assert_eq!(
            lod.select_box(&xs, &ys, rect, red),
            scan_box(&xs, &ys, rect, red)
        );
        assert_eq!(
            lod.select_box(&xs, &ys, rect, odd),
            scan_box(&xs, &ys, rect, odd)
        );
    }
    // A star with a notch: tiles wholly inside, outside and crossed.
    let star: Vec<(f32, f32)> = (0..40)
        .map(|i| {
            let a = i as f32 / 40.0 * std::f32::consts::TAU;
            let r = if i % 2 == 0 { 280.0 } else { 150.0 };
            (500.0 + r * a.cos(), 300.0 + r * a.sin())
        })
        .collect();
    let got = lod.select_lasso(&xs, &ys, &star, odd);
    assert!(got.len() > 5_000, "{} rows", got.len());
    assert_eq!(got, scan_lasso(&xs, &ys, &star, odd));
    // A long hand-drawn lasso crossing itself (a figure of eight with jitter and
    // horizontal runs): the per-row edge bands give the full polygon's even-odd answer.
    let eight: Vec<(f32, f32)> = (0..300)
        .map(|i| {
            let a = i as f32 / 300.0 * std::f32::consts::TAU;
            let jitter = ((i * 7_919) % 13) as f32;
            let y = if i % 25 < 3 {
                300.0
            } else {
                300.0 + 250.0 * (2.0 * a).sin()
            };
            (500.0 + (400.0 + jitter) * a.sin(), y)
        })
        .collect();
    let got = lod.select_lasso(&xs, &ys, &eight, odd);
    assert!(got.len() > 5_000, "{} rows", got.len());
    assert_eq!(got, scan_lasso(&xs, &ys, &eight, odd));
    assert!(lod.select_lasso(&xs, &ys, &star[..2], red).is_empty());
    let nan = [(f32::NAN, 0.0), (1.0, 1.0), (0.0, 1.0)];
    assert!(lod.select_lasso(&xs, &ys, &nan, red).is_empty());
}

#[test]
fn no_finite_point_gives_an_empty_index() {
    let lod = Lod::new(&[f32::NAN, f32::INFINITY], &[0.0, 1.0]);
    let mut c = Canvas::new(10, 10, Rgba::new(0, 0, 0, 255));
    let st = style(&[0, 0], &[Rgba::new(9, 9, 9, 255)], None);
    let v = View::fit([0.0, 0.0, 1.0, 1.0], 10, 10, 0.0, false);
    let d = lod.draw(&mut c, &[f32::NAN, 1.0], &[0.0, 1.0], &v, &st);
    assert_eq!(d.rows, 0);
    assert_eq!(lod.nearest(&[f32::NAN], &[0.0], 0.0, 0.0, 1.0, red), None);
    assert!(lod
        .select_box(&[1.0], &[1.0], [0.0, 0.0, 2.0, 2.0], red)
        .is_empty());
    let one = Lod::new(&[5.0], &[5.0]);
    assert_eq!(
        one.select_box(&[5.0], &[5.0], [0.0, 0.0, 9.0, 9.0], red),
        vec![0]
    );
    assert_eq!(one.nearest(&[5.0], &[5.0], 5.5, 5.0, 1.0, red), Some(0));
}

#[test]
fn the_builder_cuts_every_pass_into_bounded_steps() {
    // Three steps per pass over the rows, two per level.
    let n = 2 * STEP_ROWS + 1_000;
    let (xs, ys) = points(n);
    let mut b = LodBuilder::default();
    let mut steps = 0;
    while !b.step(&xs, &ys) {
        steps += 1;
        assert!(steps < 100, "the builder does not end");
    }
    let lod = b.finish();
    // bounds, placing and moving the rows: 3 steps each; each level 2 (its tiles in two runs)
    assert_eq!(steps, 3 * 3 + 2 * lod.levels(), "{} levels", lod.levels());
    assert_eq!(
        lod.all.rows.len(),
        (0..n).filter(|&i| xs[i].is_finite()).count()
    );
    // each level built in parts is whole: every tile's rows ascending, at most one per cell
    for (k, level) in lod.levels.iter().enumerate() {
        assert_eq!(*level.start.last().unwrap() as usize, level.rows.len());
        for t in 0..level.start.len() - 1 {
            let rows = level.tiles(t, t + 1);
            assert!(rows.windows(2).all(|w| w[0] < w[1]), "level {k}, tile {t}");
            assert!(rows.len() <= 1 << (2 * k), "level {k}, tile {t}");
            let all = lod.all.tiles(t, t + 1);
            assert!(!all.is_empty() || rows.is_empty());
            assert_eq!(rows.last(), all.last(), "the top row of the tile is kept");
        }
    }
    let rect = [100.0, 50.0, 700.0, 420.0];
    assert_eq!(
        lod.select_box(&xs, &ys, rect, red),
        scan_box(&xs, &ys, rect, red)
    );
    // a step after the end does nothing
    let mut done = LodBuilder::default();
    while !done.step(&[], &[]) {}
    assert!(done.step(&[], &[]));
    assert_eq!(done.finish().levels(), 0);
}
