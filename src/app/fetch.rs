//! Fetching files that sit beside the page (bundles, datasets). Relative URLs
//! keep the site working under any sub-path.

/// Fetches `path` relative to the page and returns its bytes, or a message
/// that names the file and what went wrong.
pub async fn fetch_bytes(path: &str) -> Result<Vec<u8>, String> {
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
    resp.binary()
        .await
        .map_err(|e| format!("could not read {path}: {e}"))
}
