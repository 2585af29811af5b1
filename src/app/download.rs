//! Downloads made in the page: text (CSV, JSON, SVG) through a Blob and an
//! object URL, images through a data URL. Nothing leaves the browser.

use wasm_bindgen::JsCast;

/// Offers `href` (a data or object URL) as a download named `file_name`.
pub fn download_url(file_name: &str, href: &str) -> Result<(), String> {
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let a: web_sys::HtmlAnchorElement = doc
        .create_element("a")
        .map_err(|_| "cannot create a link")?
        .dyn_into()
        .map_err(|_| "not a link")?;
    a.set_href(href);
    a.set_download(file_name);
    a.set_class_name("download-link");
    // a link in the document, so every browser follows the click
    let body = doc.body().ok_or("no body")?;
    body.append_child(&a).map_err(|_| "cannot add the link")?;
    a.click();
    let _ = body.remove_child(&a);
    Ok(())
}

/// Offers `text` as a file download of MIME type `mime`.
pub fn download_text(file_name: &str, mime: &str, text: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts)
        .map_err(|_| "cannot make a Blob")?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|_| "cannot make an object URL")?;
    let r = download_url(file_name, &url);
    let _ = web_sys::Url::revoke_object_url(&url);
    r
}

/// Offers a canvas as a PNG download.
pub fn download_canvas_png(
    canvas: &web_sys::HtmlCanvasElement,
    file_name: &str,
) -> Result<(), String> {
    let url = canvas
        .to_data_url_with_type("image/png")
        .map_err(|_| "cannot encode the image as PNG")?;
    download_url(file_name, &url)
}

/// A file-name-safe stem.
pub fn file_stem(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}
