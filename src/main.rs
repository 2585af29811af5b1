//! The browser entry point: mounts the app. Natively this binary does nothing;
//! the command line is `sbx`.

fn main() {
    #[cfg(target_arch = "wasm32")]
    spatialbench_explorer::app::mount();
    #[cfg(not(target_arch = "wasm32"))]
    eprintln!("spatialbench-explorer is the browser app; build it with trunk. Use `sbx` on the command line.");
}
