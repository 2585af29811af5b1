//! A panic in WASM stops the app; the hook puts the message on screen instead
//! of leaving a dead page, and still logs it to the console.

pub fn install() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_fatal(&info.to_string());
    }));
}

/// Shows `message` in the page's fatal-error banner (present in index.html so
/// it works after the app itself is gone).
pub fn show_fatal(message: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Some(el) = doc.get_element_by_id("fatal-error") {
        el.set_text_content(Some(&format!(
            "SpatialBench Explorer stopped: {message} — reload the page to start again."
        )));
        let _ = el.remove_attribute("hidden");
    }
}
