//! Analysis kernels (statistics, normalisation, PCA, graphs, clustering,
//! spatial statistics) and the seeded scenario simulator.
//!
//! Everything here is plain Rust that builds natively and for
//! wasm32-unknown-unknown; randomness is always seeded (`rand_pcg`).

pub mod csr;
pub mod de;
pub mod graph;
pub mod integrate;
pub mod norm;
pub mod pca;
pub mod spatial;
pub mod stats;

pub use csr::CsrMatrix;
pub mod cases;
pub mod sim;
