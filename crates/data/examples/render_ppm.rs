//! Draws a dataset coloured by a column into a PPM image: a quick visual check of the
//! whole path (prepare -> Arrow file -> read_ipc -> rasterizer).
//! Usage: render_ppm DATASET.arrow COLUMN OUT.ppm [WIDTH HEIGHT]
use sbx_render::{
    draw_points, palette_for, Canvas, ColorBy, ColorMap, PointSize, Rgba, Style, View,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let a: Vec<String> = std::env::args().collect();
    if a.len() < 4 {
        return Err("usage: render_ppm DATASET.arrow COLUMN OUT.ppm [WIDTH HEIGHT]".into());
    }
    let ds = sbx_data::read_ipc(&std::fs::read(&a[1])?)?;
    let (w, h) = (
        a.get(4).and_then(|s| s.parse().ok()).unwrap_or(800u32),
        a.get(5).and_then(|s| s.parse().ok()).unwrap_or(600u32),
    );
    let bounds = ds.bounds().ok_or("no finite coordinates")?;
    let view = View::fit(bounds, w, h, 10.0, true);
    let size = match ds.meta.unit_size {
        Some(s) => PointSize::Data(s),
        None => PointSize::Pixels(3.0),
    };
    let mut canvas = Canvas::new(w, h, Rgba::new(255, 255, 255, 255));
    let palette;
    let color = if let Some(c) = ds.categorical(&a[2]) {
        palette = palette_for(c.categories.len(), c.colors.as_deref());
        ColorBy::Categorical {
            codes: &c.codes,
            palette: &palette,
            hidden: None,
        }
    } else if let Some(c) = ds.numeric(&a[2]) {
        let max = sbx_data::quantile(&c.values, 0.99).unwrap_or(1.0);
        ColorBy::Numeric {
            values: &c.values,
            min: 0.0,
            max,
            log: true,
            map: ColorMap::Viridis,
        }
    } else {
        return Err(format!("no column `{}`", a[2]).into());
    };
    draw_points(
        &mut canvas,
        &ds.x,
        &ds.y,
        &view,
        &Style {
            size,
            color,
            outline: None,
            row_mask: None,
        },
    );
    let mut out = format!("P6 {w} {h} 255\n").into_bytes();
    for px in canvas.rgba().chunks_exact(4) {
        out.extend_from_slice(&px[..3]);
    }
    std::fs::write(&a[3], out)?;
    Ok(())
}
