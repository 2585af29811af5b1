//! Spatial datasets: the Arrow IPC dataset format, validation, h5ad and CSV
//! readers, and stratified downsampling.

#![forbid(unsafe_code)]

pub mod dataset;
pub mod error;
pub mod h5ad;
pub mod ipc;
mod ipc_columns;
pub mod ipc_decode;
pub mod lzf;
pub mod physical;
pub mod plain;
pub mod prepare;
pub mod prepare_stream;
pub mod source_txt;
pub mod sparse;
mod sparse_ipc;
pub mod synthetic;
pub mod table;

pub use dataset::{
    finite_range, quantile, CategoricalColumn, Dataset, Downsampling, Limits, Metadata,
    NumericColumn, NumericKind, UnitKind,
};
pub use error::DataError;
pub use ipc::{read_ipc, read_ipc_owned, read_ipc_with_limits, write_ipc, write_ipc_batches};
pub use ipc_decode::BatchDecoder;
pub use prepare::{prepare, read_input, PrepareOptions};
pub use prepare_stream::{prepare_streamed, Progress, StreamReport};
pub use sparse::SparseExpression;
pub use table::{Expression, ObsColumn, SourceTable};
