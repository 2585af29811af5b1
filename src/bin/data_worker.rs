//! The `.h5ad` converter the Datasets page starts as a Web Worker (built by Trunk as a
//! second wasm module, so the page's own module carries no HDF5 reader).

#[cfg(target_arch = "wasm32")]
fn main() {
    spatialbench_explorer::worker::run();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("data-worker runs in the browser as a Web Worker; on the command line use `sbx prepare FILE.h5ad -o OUT.arrow`");
    std::process::exit(2);
}
