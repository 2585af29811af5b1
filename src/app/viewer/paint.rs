//! Turning the viewer's settings into pixels with the core rasterizer, and
//! putting them on a canvas in one `putImageData` call.

use super::model::{outline_palette, palette_for, panel_view, ColorChoice, Facets};
use super::niches::{NicheLayer, BORDER_PX, FILL_ALPHA};
use sbx_data::Dataset;
use sbx_render::{
    draw_points, draw_regions, Canvas, ColorBy, ColorMap, Outline, PointSize, RegionPaint, Rgba,
    Style, View,
};
use wasm_bindgen::{Clamped, JsCast};

pub const BACKGROUND: Rgba = Rgba::new(255, 255, 255, 255);
const BORDER: Rgba = Rgba::new(210, 214, 220, 255);

/// Everything that decides the look of the points.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    pub color: ColorChoice,
    pub hidden: Vec<bool>,
    pub min: f32,
    pub max: f32,
    pub log: bool,
    pub map: ColorMap,
    /// Diameter in data units when `Some`, else `size_px` pixels.
    pub data_size: Option<f32>,
    pub size_px: f32,
    pub outline: Option<usize>,
}

/// A computed layer with its palette and hidden niches, as the viewer holds them.
pub type RegionParts = (std::sync::Arc<NicheLayer>, Vec<Rgba>, Vec<bool>);

pub fn regions_of(p: &Option<RegionParts>) -> Option<Regions<'_>> {
    p.as_ref().map(|(l, pal, h)| Regions {
        layer: l,
        palette: pal,
        hidden: h,
    })
}

/// Niche regions to draw over the points, with their colours and hidden categories.
pub struct Regions<'a> {
    pub layer: &'a NicheLayer,
    pub palette: &'a [Rgba],
    pub hidden: &'a [bool],
}

impl Regions<'_> {
    /// A translucent fill over the points (so the niche tints the cells
    /// without hiding their colours), then a solid border.
    fn draw(&self, panel: usize, canvas: &mut Canvas, view: &View) {
        let Some(regions) = self.layer.panels.get(panel) else {
            return;
        };
        let hidden = self.hidden.iter().any(|&h| h).then_some(self.hidden);
        for paint in [
            RegionPaint::Fill(FILL_ALPHA),
            RegionPaint::Border(BORDER_PX),
        ] {
            draw_regions(canvas, regions, view, self.palette, hidden, paint);
        }
    }
}

/// Draws the dataset into `canvas` (resized to `w` × `h`). With facets, the
/// canvas is split into a `cols` × `rows` grid of panels sharing `view`
/// (which is then one panel's view).
pub fn render(
    ds: &Dataset,
    s: &Settings,
    facets: Option<&(Facets, usize, usize)>,
    view: &View,
    canvas: &mut Canvas,
    regions: Option<&Regions>,
) {
    let (w, h) = (view.width, view.height);
    let size = match s.data_size {
        Some(d) => PointSize::Data(d),
        None => PointSize::Pixels(s.size_px),
    };
    let palette;
    let color = match &s.color {
        ColorChoice::Categorical(i) => {
            palette = palette_for(ds, *i);
            ColorBy::Categorical {
                codes: &ds.categorical[*i].codes,
                palette: &palette,
                hidden: s.hidden.iter().any(|&x| x).then_some(&s.hidden[..]),
            }
        }
        ColorChoice::Numeric(i) => ColorBy::Numeric {
            values: &ds.numeric[*i].values,
            min: s.min,
            max: s.max,
            log: s.log,
            map: s.map,
        },
        ColorChoice::None => ColorBy::Constant(Rgba::new(70, 90, 120, 255)),
    };
    let opal;
    let outline = match s.outline {
        Some(o) if o < ds.categorical.len() => {
            opal = outline_palette(ds.categorical[o].categories.len());
            Some(Outline {
                codes: &ds.categorical[o].codes,
                palette: &opal,
                width_px: 1.5,
                hidden: None,
            })
        }
        _ => None,
    };
    match facets {
        None => {
            canvas.clear(w, h, BACKGROUND);
            draw_points(
                canvas,
                &ds.x,
                &ds.y,
                view,
                &Style {
                    size,
                    color,
                    outline,
                    row_mask: None,
                },
            );
            if let Some(r) = regions {
                r.draw(0, canvas, view);
            }
        }
        Some((f, cols, rows)) => {
            let (cw, ch) = (w * *cols as u32, h * *rows as u32);
            canvas.clear(cw, ch, BACKGROUND);
            let mut panel = Canvas::new(w, h, BACKGROUND);
            for (i, mask) in f.masks.iter().enumerate() {
                let pv = panel_view(view, &f.bounds, i);
                panel.clear(w, h, BACKGROUND);
                draw_points(
                    &mut panel,
                    &ds.x,
                    &ds.y,
                    &pv,
                    &Style {
                        size,
                        color,
                        outline,
                        row_mask: Some(mask),
                    },
                );
                if let Some(r) = regions {
                    r.draw(i, &mut panel, &pv);
                }
                let (ox, oy) = ((i % cols) as u32 * w, (i / cols) as u32 * h);
                for y in 0..h {
                    let src = &panel.pixels[(y * w) as usize..((y + 1) * w) as usize];
                    let at = ((oy + y) * cw + ox) as usize;
                    canvas.pixels[at..at + w as usize].copy_from_slice(src);
                }
                // a thin frame so panels read apart
                for x in 0..w {
                    canvas.pixels[(oy * cw + ox + x) as usize] = BORDER.0;
                    canvas.pixels[((oy + h - 1) * cw + ox + x) as usize] = BORDER.0;
                }
                for y in 0..h {
                    canvas.pixels[((oy + y) * cw + ox) as usize] = BORDER.0;
                    canvas.pixels[((oy + y) * cw + ox + w - 1) as usize] = BORDER.0;
                }
            }
        }
    }
}

/// Puts the canvas buffer on the page in one call.
pub fn put(el: &web_sys::HtmlCanvasElement, c: &Canvas) -> Result<(), String> {
    if el.width() != c.width {
        el.set_width(c.width);
    }
    if el.height() != c.height {
        el.set_height(c.height);
    }
    let ctx = context(el)?;
    let img =
        web_sys::ImageData::new_with_u8_clamped_array_and_sh(Clamped(c.rgba()), c.width, c.height)
            .map_err(|e| format!("could not build the image: {e:?}"))?;
    ctx.put_image_data(&img, 0.0, 0.0)
        .map_err(|e| format!("could not draw the image: {e:?}"))
}

pub fn context(
    el: &web_sys::HtmlCanvasElement,
) -> Result<web_sys::CanvasRenderingContext2d, String> {
    el.get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
        .ok_or_else(|| "this browser gave no 2D canvas context".to_string())
}

pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

/// Offers `href` as a download named `name`.
pub fn download(href: &str, name: &str) -> Result<(), String> {
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let a = doc
        .create_element("a")
        .map_err(|e| format!("{e:?}"))?
        .dyn_into::<web_sys::HtmlAnchorElement>()
        .map_err(|_| "could not create a link")?;
    a.set_href(href);
    a.set_download(name);
    a.click();
    Ok(())
}

/// Offers `text` as a file download.
pub fn download_text(text: &str, name: &str, mime: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts)
        .map_err(|e| format!("{e:?}"))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| format!("{e:?}"))?;
    let r = download(&url, name);
    let _ = web_sys::Url::revoke_object_url(&url);
    r
}

/// A new off-page canvas of the given size.
pub fn offscreen(w: u32, h: u32) -> Result<web_sys::HtmlCanvasElement, String> {
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let el = doc
        .create_element("canvas")
        .map_err(|e| format!("{e:?}"))?
        .dyn_into::<web_sys::HtmlCanvasElement>()
        .map_err(|_| "could not create a canvas")?;
    el.set_width(w);
    el.set_height(h);
    Ok(el)
}

/// The WebAssembly linear memory in MB (everything the Rust side holds,
/// including the loaded datasets).
pub fn wasm_memory_mb() -> Option<f64> {
    let mem = wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .ok()?;
    let buf = mem.buffer().dyn_into::<js_sys::ArrayBuffer>().ok()?;
    Some(buf.byte_length() as f64 / 1_048_576.0)
}
