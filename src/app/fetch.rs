//! Fetching files that sit beside the page (bundles, datasets). Relative URLs
//! keep the site working under any sub-path.

use crate::worker::client::js_text;

/// Fetches `path` relative to the page and returns its bytes, or a message
/// that names the file and what went wrong.
pub async fn fetch_bytes(path: &str) -> Result<Vec<u8>, String> {
    copy_in(&fetch_array(path).await?)
        .await
        .map_err(|e| format!("{path}: {e}"))
}

/// Bytes copied per task between JavaScript's memory and WebAssembly's.
const COPY_STEP: usize = 16 << 20;

/// Bytes held by JavaScript (a fetched file, a worker's answer, a local file) copied into
/// WebAssembly's memory a few megabytes per task. In one go, a file of hundreds of
/// megabytes held the page for over 100 ms, most of it the first write to the memory
/// grown for it. A file too large for the memory left is an error, not a crash.
pub async fn copy_in(arr: &js_sys::Uint8Array) -> Result<Vec<u8>, String> {
    let n = arr.length() as usize;
    let mut v = Vec::new();
    v.try_reserve_exact(n).map_err(|_| {
        format!(
            "not enough memory left in this page for {:.0} MB",
            n as f64 / 1e6
        )
    })?;
    in_steps(n, COPY_STEP, |r| {
        v.resize(r.end, 0);
        arr.subarray(r.start as u32, r.end as u32)
            .copy_to(&mut v[r]);
    })
    .await;
    Ok(v)
}

/// Runs `step` on the ranges of `n` bytes `size` at a time, a task each.
pub async fn in_steps(n: usize, size: usize, mut step: impl FnMut(std::ops::Range<usize>)) {
    let mut a = 0;
    while a < n {
        let b = (a + size.max(1)).min(n);
        step(a..b);
        a = b;
        if a < n {
            gloo_timers::future::TimeoutFuture::new(0).await;
        }
    }
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

/// Bytes copied out of WebAssembly's memory into a new JavaScript array (to send to a
/// worker), a few megabytes per task as [`copy_in`] does; the copy in WebAssembly's
/// memory is freed at the end.
pub async fn copy_out(bytes: Vec<u8>) -> js_sys::Uint8Array {
    let arr = js_sys::Uint8Array::new_with_length(bytes.len() as u32);
    in_steps(bytes.len(), COPY_STEP, |r| {
        arr.subarray(r.start as u32, r.end as u32)
            .copy_from(&bytes[r]);
    })
    .await;
    arr
}

/// A local file's bytes (read by JavaScript, then copied in as [`copy_in`] does).
pub async fn read_local(blob: &gloo_file::Blob) -> Result<Vec<u8>, String> {
    let buf = gloo_file::futures::read_as_array_buffer(blob)
        .await
        .map_err(|e| e.to_string())?;
    copy_in(&js_sys::Uint8Array::new(&buf)).await
}
