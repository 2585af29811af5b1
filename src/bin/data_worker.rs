//! The data worker: the `.h5ad` converter of the Datasets page and the case studies'
//! analyses, started as a Web Worker (built by Trunk as a
//! second wasm module, so the page's own module carries neither the HDF5 reader nor
//! the simulators and kernels).

#[cfg(target_arch = "wasm32")]
fn main() {
    spatialbench_explorer::worker::host::run();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("data-worker runs in the browser as a Web Worker; on the command line use `sbx prepare FILE.h5ad -o OUT.arrow`");
    std::process::exit(2);
}
