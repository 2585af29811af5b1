//! Reference images of the rasterizer and the region fill: each scene is drawn
//! and compared with its PNG in `tests/snapshots/`, decoded pixel by pixel. A
//! channel may differ by [`CHANNEL_TOLERANCE`] (rounding of blended colours),
//! and at most [`PIXEL_TOLERANCE`] of the pixels may differ by more (one
//! anti-aliasing decision at a disc edge); a moved point, a changed colour or
//! a missing region fails. `SBX_BLESS=1 cargo test -p sbx-render --test
//! snapshots` rewrites the images after a deliberate change.

use std::path::PathBuf;

use sbx_render::{
    categorical_palette, draw_points, draw_regions, niche_regions, Canvas, ColorBy, ColorMap,
    Outline, PointSize, RegionPaint, RegionParams, Rgba, Style, View,
};

const CHANNEL_TOLERANCE: u8 = 2;
const PIXEL_TOLERANCE: f64 = 0.002;
const WHITE: Rgba = Rgba::new(255, 255, 255, 255);

fn snapshot_path(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/snapshots")
        .join(format!("{name}.png"))
}

fn encode(canvas: &Canvas) -> Vec<u8> {
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, canvas.width, canvas.height);
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Eight);
    let mut w = enc.write_header().expect("png header");
    w.write_image_data(canvas.rgba()).expect("png data");
    w.finish().expect("png end");
    out
}

/// (width, height, RGBA bytes) of a PNG written by [`encode`].
fn decode(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .expect("png header");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("png frame");
    assert_eq!(
        info.color_type,
        png::ColorType::Rgba,
        "reference must be RGBA"
    );
    buf.truncate(info.buffer_size());
    (info.width, info.height, buf)
}

fn assert_snapshot(name: &str, canvas: &Canvas) {
    let path = snapshot_path(name);
    if std::env::var_os("SBX_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, encode(canvas)).unwrap();
        return;
    }
    let bytes = std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (write it with SBX_BLESS=1 and look at it)",
            path.display()
        )
    });
    let (w, h, want) = decode(&bytes);
    assert_eq!(
        (w, h),
        (canvas.width, canvas.height),
        "{name}: size changed"
    );
    let got = canvas.rgba();
    let mut differing = 0usize;
    let mut first = None;
    for (i, (a, b)) in got.chunks_exact(4).zip(want.chunks_exact(4)).enumerate() {
        if a.iter()
            .zip(b)
            .any(|(x, y)| x.abs_diff(*y) > CHANNEL_TOLERANCE)
        {
            differing += 1;
            first.get_or_insert((i as u32 % w, i as u32 / w, a.to_vec(), b.to_vec()));
        }
    }
    let allowed = (PIXEL_TOLERANCE * (w * h) as f64).floor() as usize;
    assert!(
        differing <= allowed,
        "{name}: {differing} pixels differ (allowed {allowed}); first at {first:?} (x, y, drawn, reference). \
         If the change is deliberate, rerun with SBX_BLESS=1 and look at {}",
        path.display()
    );
}

/// A 7 x 5 lattice of points over [0, 60] x [0, 40].
fn lattice() -> (Vec<f32>, Vec<f32>) {
    let mut xs = Vec::new();
    let mut ys = Vec::new();
    for j in 0..5 {
        for i in 0..7 {
            xs.push(i as f32 * 10.0);
            ys.push(j as f32 * 10.0);
        }
    }
    (xs, ys)
}

fn view(width: u32, height: u32, y_down: bool) -> View {
    View::fit([0.0, 0.0, 60.0, 40.0], width, height, 6.0, y_down)
}

#[test]
fn categorical_points_with_a_hidden_category() {
    let (xs, ys) = lattice();
    let codes: Vec<u32> = (0..xs.len() as u32).map(|i| i % 4).collect();
    let palette = categorical_palette(4);
    let hidden = [false, false, true, false];
    let mut canvas = Canvas::new(80, 56, WHITE);
    let style = Style {
        size: PointSize::Pixels(5.0),
        color: ColorBy::Categorical {
            codes: &codes,
            palette: &palette,
            hidden: Some(&hidden),
        },
        outline: None,
        row_mask: None,
    };
    draw_points(&mut canvas, &xs, &ys, &view(80, 56, false), &style);
    assert_snapshot("categorical_points", &canvas);
}

#[test]
fn numeric_points_in_data_units_with_missing_values() {
    let (xs, ys) = lattice();
    let values: Vec<f32> = (0..xs.len())
        .map(|i| if i % 9 == 4 { f32::NAN } else { i as f32 })
        .collect();
    let mut canvas = Canvas::new(80, 56, WHITE);
    let style = Style {
        size: PointSize::Data(6.0),
        color: ColorBy::Numeric {
            values: &values,
            min: 0.0,
            max: 34.0,
            log: false,
            map: ColorMap::Viridis,
        },
        outline: None,
        row_mask: None,
    };
    draw_points(&mut canvas, &xs, &ys, &view(80, 56, true), &style);
    assert_snapshot("numeric_points", &canvas);
}

#[test]
fn outlined_points_under_a_row_mask() {
    let (xs, ys) = lattice();
    let fill = vec![0u32; xs.len()];
    let rings: Vec<u32> = (0..xs.len() as u32).map(|i| (i / 7) % 3).collect();
    let mask: Vec<bool> = (0..xs.len()).map(|i| i % 5 != 0).collect();
    let palette = categorical_palette(3);
    let grey = [Rgba::new(90, 90, 90, 255)];
    let mut canvas = Canvas::new(80, 56, WHITE);
    let style = Style {
        size: PointSize::Pixels(4.0),
        color: ColorBy::Categorical {
            codes: &fill,
            palette: &grey,
            hidden: None,
        },
        outline: Some(Outline {
            codes: &rings,
            palette: &palette,
            width_px: 1.0,
            hidden: None,
        }),
        row_mask: Some(&mask),
    };
    draw_points(&mut canvas, &xs, &ys, &view(80, 56, false), &style);
    assert_snapshot("outlined_points", &canvas);
}

/// Two niches side by side on a dense grid: category 0 on the left, 1 on
/// the right, with a notch of 1 cut into 0 so the outline is concave.
fn two_niches() -> (Vec<f32>, Vec<f32>, Vec<u32>) {
    let (mut xs, mut ys, mut codes) = (Vec::new(), Vec::new(), Vec::new());
    for j in 0..=40 {
        for i in 0..=60 {
            let (x, y) = (i as f32, j as f32);
            let notch = (18.0..30.0).contains(&x) && (14.0..26.0).contains(&y);
            xs.push(x);
            ys.push(y);
            codes.push(u32::from(x >= 30.0 || notch));
        }
    }
    (xs, ys, codes)
}

#[test]
fn niche_regions_filled_and_bordered() {
    let (xs, ys, codes) = two_niches();
    let regions = niche_regions(&xs, &ys, &codes, 2, None, &RegionParams::default());
    assert_eq!(regions.len(), 2, "{regions:?}");
    let palette = categorical_palette(2);
    let v = view(96, 68, false);
    let mut canvas = Canvas::new(96, 68, WHITE);
    draw_regions(
        &mut canvas,
        &regions,
        &v,
        &palette,
        None,
        RegionPaint::Fill(96),
    );
    draw_regions(
        &mut canvas,
        &regions,
        &v,
        &palette,
        None,
        RegionPaint::Border(1),
    );
    assert_snapshot("niche_regions", &canvas);
}

#[test]
fn a_changed_image_is_reported() {
    // The comparison itself: a canvas one point away from its reference fails.
    let (xs, ys) = lattice();
    let codes: Vec<u32> = (0..xs.len() as u32).map(|i| i % 4).collect();
    let palette = categorical_palette(4);
    let mut canvas = Canvas::new(80, 56, WHITE);
    let style = Style {
        size: PointSize::Pixels(5.0),
        color: ColorBy::Categorical {
            codes: &codes,
            palette: &palette,
            hidden: None, // the reference hides category 2
        },
        outline: None,
        row_mask: None,
    };
    draw_points(&mut canvas, &xs, &ys, &view(80, 56, false), &style);
    if std::env::var_os("SBX_BLESS").is_some() {
        return;
    }
    let r = std::panic::catch_unwind(|| assert_snapshot("categorical_points", &canvas));
    assert!(
        r.is_err(),
        "showing a hidden category must change the image"
    );
}
