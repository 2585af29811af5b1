//! The data worker: a second wasm module run as a Web Worker (`src/bin/data_worker.rs`
//! starts [`host`]), so the page stays responsive while a file is converted or a case
//! study is analysed, and the page's own wasm links neither the HDF5 reader, the Arrow
//! writer, the simulators nor the kernels. The page ([`client`]) and the worker agree
//! only on [`protocol`]; [`jobs`] routes each request to its job ([`convert`],
//! [`case`], [`corpus`]), all plain Rust tested natively.

pub mod answers;
pub mod case;
pub mod convert;
pub mod corpus;
pub mod jobs;
pub mod protocol;

#[cfg(target_arch = "wasm32")]
pub mod client;
#[cfg(target_arch = "wasm32")]
pub mod host;

pub use protocol::{Analysis, Request, Response};
