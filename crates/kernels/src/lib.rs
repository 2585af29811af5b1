//! Analysis kernels (statistics, normalisation, PCA, graphs, clustering,
//! spatial statistics) and the seeded scenario simulator.
//!
//! Everything here is plain Rust that builds natively and for
//! wasm32-unknown-unknown; randomness is always seeded (`rand_pcg`).
//!
//! # Map
//! * Data: [`csr::CsrMatrix`] (units x genes counts), [`sim::Scenario`]
//!   (coordinates, categorical obs, counts, gene names, description, truth).
//! * Scenarios: [`sim::build`]`(`[`sim::ScenarioKind`]`, seed)`; the default
//!   seed is [`sim::DEFAULT_SEED`].
//! * Case analyses (wrong vs right, with the key choice as a parameter):
//!   [`cases::pseudoreplication::case_pseudoreplication`],
//!   [`cases::normalization::case_normalization`],
//!   [`cases::batch::case_batch_integration`],
//!   [`cases::spatial_units::case_oocyte_count`] /
//!   [`cases::spatial_units::oocyte_radius_sweep`] /
//!   [`cases::spatial_units::case_cumulus_count`],
//!   [`cases::niches::case_niches`] /
//!   [`cases::niches::case_fibro_immune_proximity`]; headline numbers of
//!   every case: [`cases::headlines`].
//! * Kernels: [`stats`] (Welch/Student t, Mann-Whitney U, BH, Spearman),
//!   [`de`] (pseudobulk, unit- and replicate-level DE), [`norm`],
//!   [`pca`], [`exp`] (an inlinable exp), [`graph`] (k-NN graph, Louvain), [`integrate`] (per-batch
//!   scaling, Harmony-style, max batch fraction), [`spatial`] (k-NN/radius
//!   neighbours, DBSCAN, components, k-means niches, co-localisation,
//!   neighbourhood enrichment, Moran's I).

// `deny`, not `forbid`: ndarray's `s!` macro expands to code under `allow(unsafe_code)`.
#![deny(unsafe_code)]
// Numeric kernels index several parallel arrays by the same loop variable.
#![allow(clippy::needless_range_loop)]

pub mod composition;
pub mod csr;
pub mod de;
pub mod exp;
pub mod graph;
pub mod harmony;
pub mod integrate;
pub mod lanes;
pub mod norm;
pub mod pca;
pub mod spatial;
pub mod stats;

pub use csr::CsrMatrix;
pub mod cases;
pub mod sim;
