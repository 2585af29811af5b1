//! The Datasets page's data jobs: read an `.h5ad`, report its columns, prepare a
//! dataset from it and hand it back as Arrow IPC bytes; and write the synthetic
//! benchmark dataset. Plain Rust, tested natively. In the worker the page stays
//! responsive while a large file is read, and the page's own wasm carries neither the
//! HDF5 reader nor the Arrow writer (it only decodes what comes back).

use super::protocol::{ObsInfo, Response};
use sbx_data::{ObsColumn, PrepareOptions, SourceTable};

/// An answer and the Arrow bytes beside it, or an error message.
pub type Answer = Result<(Response, Option<Vec<u8>>), String>;

/// The largest synthetic dataset the page may ask for.
const MAX_SYNTHETIC: usize = 10_000_000;

/// The state of the conversion jobs: the file read last.
#[derive(Default)]
pub struct LastFile {
    table: Option<(String, SourceTable)>,
}

impl LastFile {
    /// `Read`: reads the `.h5ad` in `bytes` (forgetting the previous file) and keeps it.
    pub fn read(&mut self, name: String, bytes: Option<Vec<u8>>, now: &dyn Fn() -> f64) -> Answer {
        let t0 = now();
        self.table = None;
        let bytes = bytes.ok_or_else(|| format!("{name}: no file contents arrived"))?;
        let table = sbx_data::h5ad::read_h5ad_bytes(&name, bytes).map_err(|e| e.to_string())?;
        let summary = Response::Summary {
            name: name.clone(),
            n_units: table.n_units(),
            n_genes: table.expression.as_ref().map_or(0, |e| e.n_vars()),
            obs: table
                .obs
                .iter()
                .map(|c| ObsInfo {
                    name: c.name().to_string(),
                    text: matches!(c, ObsColumn::Text { .. }),
                })
                .collect(),
            read_ms: now() - t0,
        };
        self.table = Some((name, table));
        Ok((summary, None))
    }

    /// `Prepare`: builds a dataset from the file read last, as `sbx prepare` would.
    pub fn prepare(
        &self,
        obs_columns: Vec<String>,
        genes: Vec<String>,
        top_genes: usize,
        max_points: usize,
        seed: u64,
        now: &dyn Fn() -> f64,
    ) -> Answer {
        let t0 = now();
        let (name, table) = self
            .table
            .as_ref()
            .ok_or("no .h5ad file has been read yet: open one first")?;
        let opts = PrepareOptions {
            obs_columns: Some(obs_columns),
            genes,
            top_genes,
            all_genes: false,
            max_points: Some(max_points.max(1)),
            stratify_by: None,
            seed,
            add_total_counts: true,
        };
        let ds = sbx_data::prepare(table, &opts).map_err(|e| format!("{name}: {e}"))?;
        let arrow = sbx_data::write_ipc(&ds).map_err(|e| format!("{name}: {e}"))?;
        let rows = ds.len();
        Ok((
            Response::Prepared {
                rows,
                ms: now() - t0,
            },
            Some(arrow),
        ))
    }
}

/// `Synthetic`: the synthetic benchmark dataset of `n` points as Arrow bytes.
pub fn synthetic(n: usize, seed: u64, now: &dyn Fn() -> f64) -> Answer {
    let t0 = now();
    if n == 0 || n > MAX_SYNTHETIC {
        return Err(format!(
            "a synthetic dataset has 1 to {MAX_SYNTHETIC} points, not {n}"
        ));
    }
    let ds = sbx_data::synthetic::synthetic(n, seed);
    let arrow = sbx_data::write_ipc(&ds).map_err(|e| format!("synthetic dataset: {e}"))?;
    Ok((
        Response::Prepared {
            rows: n,
            ms: now() - t0,
        },
        Some(arrow),
    ))
}

#[cfg(test)]
mod tests {
    use super::super::jobs::Jobs;
    use super::super::protocol::Request;
    use super::*;

    fn clock() -> f64 {
        0.0
    }

    #[test]
    fn prepare_before_read_is_an_error() {
        let mut job = Jobs::default();
        let (r, bytes) = job.handle(
            Request::Prepare {
                obs_columns: vec![],
                genes: vec![],
                top_genes: 0,
                max_points: 10,
                seed: 1,
            },
            None,
            &clock,
        );
        assert!(
            matches!(r, Response::Error { ref message } if message.contains("open one first")),
            "{r:?}"
        );
        assert!(bytes.is_none());
    }

    #[test]
    fn a_file_that_is_not_hdf5_is_named_and_forgets_the_previous_file() {
        let mut job = Jobs::default();
        let (r, _) = job.handle(
            Request::Read {
                name: "notes.h5ad".into(),
            },
            Some(b"hello".to_vec()),
            &clock,
        );
        match r {
            Response::Error { message } => assert!(message.contains("notes.h5ad"), "{message}"),
            other => panic!("expected an error, got {other:?}"),
        }
        // the next `Prepare` has no file to work on
        let (r, _) = job.handle(
            Request::Prepare {
                obs_columns: vec![],
                genes: vec![],
                top_genes: 0,
                max_points: 10,
                seed: 1,
            },
            None,
            &clock,
        );
        assert_eq!(r.kind(), "error");
    }

    #[test]
    fn synthetic_points_come_back_as_arrow() {
        let mut job = Jobs::default();
        let (r, bytes) = job.handle(Request::Synthetic { n: 1000, seed: 3 }, None, &clock);
        assert!(matches!(r, Response::Prepared { rows: 1000, .. }), "{r:?}");
        let ds = sbx_data::read_ipc(&bytes.unwrap()).unwrap();
        assert_eq!(ds.x, sbx_data::synthetic::synthetic(1000, 3).x);
        let (r, bytes) = job.handle(Request::Synthetic { n: 0, seed: 3 }, None, &clock);
        assert!(
            matches!(r, Response::Error { .. }) && bytes.is_none(),
            "{r:?}"
        );
    }
}
