//! SpatialBench Explorer. The pure core lives in the `crates/` workspace
//! members and is re-exported here; the browser UI (`app`) is compiled only
//! for wasm32 and the command line (`cli`) only natively.

#![forbid(unsafe_code)]

pub use sbx_data as data;
pub use sbx_grade as grade;
pub use sbx_kernels as kernels;
pub use sbx_render as render;
pub use sbx_suite as suite;

pub mod corpus;
pub mod demo;
pub mod live_grade;
pub mod routes;
pub mod view;
pub mod worker;

#[cfg(target_arch = "wasm32")]
pub mod app;

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
#[cfg(not(target_arch = "wasm32"))]
pub mod site_data;

/// The version shown in the page footer and printed by `sbx --version`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
