//! Fetching files that sit beside the page (bundles, datasets). Relative URLs
//! keep the site working under any sub-path.

use crate::worker::client::js_text;

/// Fetches `path` relative to the page and returns its bytes, or a message
/// that names the file and what went wrong.
pub async fn fetch_bytes(path: &str) -> Result<Vec<u8>, String> {
    Ok(fetch_array(path).await?.to_vec())
}

/// As [`fetch_bytes`], the bytes left in JavaScript's memory (for a file held
/// there until it is needed, copied into WebAssembly's once).
pub async fn fetch_array(path: &str) -> Result<js_sys::Uint8Array, String> {
    let resp = gloo_net::http::Request::get(path)
        .send()
        .await
        .map_err(|e| format!("could not fetch {path}: {e}"))?;
    if !resp.ok() {
        return Err(format!(
            "could not fetch {path}: HTTP {} {}",
            resp.status(),
            resp.status_text()
        ));
    }
    let buffer = web_sys::Response::from(resp)
        .array_buffer()
        .map_err(|e| format!("could not read {path}: {}", js_text(&e)))?;
    let buffer = wasm_bindgen_futures::JsFuture::from(buffer)
        .await
        .map_err(|e| format!("could not read {path}: {}", js_text(&e)))?;
    Ok(js_sys::Uint8Array::new(&buffer))
}
