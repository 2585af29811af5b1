//! `sbx`: the native command line.

#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    spatialbench_explorer::cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
