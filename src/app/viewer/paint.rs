//! Putting the viewer's RGBA buffer on a canvas in one `putImageData` call,
//! and the browser measurements the viewer shows (time, wasm memory).

use sbx_render::Canvas;
use wasm_bindgen::{Clamped, JsCast};

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

/// A buffer as a PNG data URL, through an off-page canvas.
pub fn png_url(buf: &Canvas) -> Result<String, String> {
    let el = offscreen(buf.width, buf.height)?;
    put(&el, buf)?;
    el.to_data_url_with_type("image/png")
        .map_err(|e| format!("{e:?}"))
}
