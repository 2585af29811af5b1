//! Spatial datasets: the Arrow IPC dataset format, validation, h5ad and CSV
//! readers, and stratified downsampling.

#![forbid(unsafe_code)]

pub mod dataset;
pub mod error;
pub mod h5ad;
pub mod ipc;
pub mod lzf;
pub mod plain;
pub mod prepare;
pub mod sparse;
mod sparse_ipc;
pub mod synthetic;
pub mod table;

pub use dataset::{
    finite_range, quantile, CategoricalColumn, Dataset, Downsampling, Limits, Metadata,
    NumericColumn, NumericKind, UnitKind,
};
pub use error::DataError;
pub use ipc::{read_ipc, read_ipc_owned, read_ipc_with_limits, write_ipc};
pub use prepare::{prepare, read_input, PrepareOptions};
pub use sparse::SparseExpression;
pub use table::{Expression, ObsColumn, SourceTable};
