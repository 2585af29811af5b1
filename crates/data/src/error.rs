//! Errors for everything that reads user data. Each message names what was
//! expected and what was found, so the UI can show it as is.

use thiserror::Error;

#[derive(Debug, Error)]
pub enum DataError {
    /// The bytes are not a readable Arrow IPC file (truncated, corrupt, other format).
    #[error("not a readable Arrow IPC dataset file: {0}")]
    Ipc(String),
    /// A required column is absent.
    #[error("column `{0}` is missing; a dataset needs float32 columns `x` and `y`")]
    MissingColumn(String),
    /// A column has a type the format does not allow.
    #[error("column `{column}` has type {found}; expected {expected}")]
    WrongType {
        column: String,
        expected: String,
        found: String,
    },
    /// Coordinates that cannot be drawn.
    #[error("column `{column}` has {nan} NaN and {inf} infinite values (of {rows} rows); coordinates must be finite")]
    NonFiniteCoordinates {
        column: String,
        nan: usize,
        inf: usize,
        rows: usize,
    },
    #[error("the dataset has 0 rows")]
    Empty,
    /// Too big for the viewer; tells the user how to shrink it.
    #[error("{what}: {found} exceeds the limit of {limit}; downsample it first with `sbx prepare INPUT -o OUT.arrow --max-points {limit_points}`")]
    TooLarge {
        what: String,
        found: u64,
        limit: u64,
        limit_points: u64,
    },
    /// Columns of different lengths or codes out of range, names repeated, etc.
    #[error("invalid dataset: {0}")]
    Invalid(String),
    /// A metadata key holds a value that cannot be parsed.
    #[error("schema metadata `{key}`: {message}")]
    Metadata { key: String, message: String },
    /// An input file (h5ad, CSV, TXT) could not be read or understood.
    #[error("{file}: {message}")]
    Input { file: String, message: String },
    /// The file uses the AnnData layout written before anndata 0.7.
    #[error("{file}: this .h5ad uses the legacy AnnData layout (obs stored as one compound dataset, written by anndata < 0.7); open it in Python and re-save it with anndata >= 0.8 (`anndata.read_h5ad(path).write_h5ad(new_path)`)")]
    LegacyAnnData { file: String },
    #[error("{0}")]
    Options(String),
}

impl DataError {
    pub fn input(file: impl Into<String>, message: impl Into<String>) -> Self {
        DataError::Input {
            file: file.into(),
            message: message.into(),
        }
    }
}

pub type Result<T, E = DataError> = std::result::Result<T, E>;
