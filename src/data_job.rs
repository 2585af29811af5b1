//! The data work the Datasets page runs in a Web Worker: read an `.h5ad`, report its
//! columns, prepare a dataset from it and hand it back as Arrow IPC bytes; and write
//! the synthetic benchmark dataset. Plain Rust (the worker glue in `worker.rs` only
//! moves messages), so it is tested natively. Off the main thread the page stays
//! responsive while a large file is read, and the page's own wasm carries neither the
//! HDF5 reader nor the Arrow writer (it only decodes what comes back).

use sbx_data::{ObsColumn, PrepareOptions, SourceTable};
use serde::{Deserialize, Serialize};

/// A message from the page. File bytes travel beside it (transferred, not copied).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Request {
    /// Read the `.h5ad` sent alongside and keep it for `Prepare`.
    Read { name: String },
    /// Build a dataset from the file read last, as `sbx prepare` would.
    Prepare {
        obs_columns: Vec<String>,
        genes: Vec<String>,
        top_genes: usize,
        max_points: usize,
        seed: u64,
    },
    /// Write the synthetic benchmark dataset of `n` points (see `sbx_data::synthetic`).
    Synthetic { n: usize, seed: u64 },
}

/// One obs column as the page's form lists it.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct ObsInfo {
    pub name: String,
    /// Free text (one value per unit, e.g. barcodes): not kept unless asked for.
    pub text: bool,
}

/// The worker's answer. `Prepared` comes with the Arrow file beside it.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Response {
    /// Sent once the worker listens: messages posted to a worker before its wasm has
    /// installed the handler would be dropped.
    Ready,
    Summary {
        name: String,
        n_units: usize,
        n_genes: usize,
        obs: Vec<ObsInfo>,
        read_ms: f64,
    },
    /// From `Prepare` or `Synthetic`.
    Prepared {
        rows: usize,
        ms: f64,
    },
    Error {
        message: String,
    },
}

// The page writes requests and reads answers by hand: serde's derived code for these
// enums would add about 5 KB gzip to the page's wasm, which is held to a size budget.
// The worker uses the derives; tests check both sides agree.
impl Request {
    pub fn to_json(&self) -> String {
        use serde_json::json;
        match self {
            Request::Read { name } => json!({"op": "read", "name": name}),
            Request::Prepare {
                obs_columns,
                genes,
                top_genes,
                max_points,
                seed,
            } => json!({
                "op": "prepare", "obs_columns": obs_columns, "genes": genes,
                "top_genes": top_genes, "max_points": max_points, "seed": seed,
            }),
            Request::Synthetic { n, seed } => json!({"op": "synthetic", "n": n, "seed": seed}),
        }
        .to_string()
    }
}

impl Response {
    pub fn from_json(text: &str) -> Result<Response, String> {
        let v: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let str_of = |k: &str| {
            v.get(k)
                .and_then(|x| x.as_str())
                .map(str::to_string)
                .ok_or(format!("no `{k}`"))
        };
        let num = |k: &str| {
            v.get(k)
                .and_then(|x| x.as_f64())
                .ok_or(format!("no number `{k}`"))
        };
        let count = |k: &str| {
            v.get(k)
                .and_then(|x| x.as_u64())
                .map(|x| x as usize)
                .ok_or(format!("no count `{k}`"))
        };
        match v.get("kind").and_then(|k| k.as_str()) {
            Some("ready") => Ok(Response::Ready),
            Some("summary") => Ok(Response::Summary {
                name: str_of("name")?,
                n_units: count("n_units")?,
                n_genes: count("n_genes")?,
                obs: v
                    .get("obs")
                    .and_then(|o| o.as_array())
                    .ok_or("no `obs`")?
                    .iter()
                    .map(|o| ObsInfo {
                        name: o
                            .get("name")
                            .and_then(|n| n.as_str())
                            .unwrap_or_default()
                            .to_string(),
                        text: o.get("text").and_then(|t| t.as_bool()).unwrap_or(false),
                    })
                    .collect(),
                read_ms: num("read_ms")?,
            }),
            Some("prepared") => Ok(Response::Prepared {
                rows: count("rows")?,
                ms: num("ms")?,
            }),
            Some("error") => Ok(Response::Error {
                message: str_of("message")?,
            }),
            other => Err(format!("unknown answer kind {other:?}")),
        }
    }

    /// For messages about an answer that came at the wrong time.
    pub fn kind(&self) -> &'static str {
        match self {
            Response::Ready => "ready",
            Response::Summary { .. } => "summary",
            Response::Prepared { .. } => "prepared",
            Response::Error { .. } => "error",
        }
    }
}

/// The worker's state: the file read last.
#[derive(Default)]
pub struct Job {
    table: Option<(String, SourceTable)>,
}

impl Job {
    /// Handles one request; `now` is a millisecond clock for the timings shown in the page.
    pub fn handle(
        &mut self,
        req: Request,
        bytes: Option<Vec<u8>>,
        now: &dyn Fn() -> f64,
    ) -> (Response, Option<Vec<u8>>) {
        match self.try_handle(req, bytes, now) {
            Ok(r) => r,
            Err(message) => (Response::Error { message }, None),
        }
    }

    fn try_handle(
        &mut self,
        req: Request,
        bytes: Option<Vec<u8>>,
        now: &dyn Fn() -> f64,
    ) -> Result<(Response, Option<Vec<u8>>), String> {
        let t0 = now();
        match req {
            Request::Read { name } => {
                self.table = None;
                let bytes = bytes.ok_or_else(|| format!("{name}: no file contents arrived"))?;
                let table =
                    sbx_data::h5ad::read_h5ad_bytes(&name, bytes).map_err(|e| e.to_string())?;
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
            Request::Prepare {
                obs_columns,
                genes,
                top_genes,
                max_points,
                seed,
            } => {
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
                Ok((
                    Response::Prepared {
                        rows: ds.len(),
                        ms: now() - t0,
                    },
                    Some(arrow),
                ))
            }
            Request::Synthetic { n, seed } => {
                const MAX: usize = 5_000_000;
                if n == 0 || n > MAX {
                    return Err(format!(
                        "a synthetic dataset has 1 to {MAX} points, not {n}"
                    ));
                }
                let ds = sbx_data::synthetic::synthetic(n, seed);
                let arrow =
                    sbx_data::write_ipc(&ds).map_err(|e| format!("synthetic dataset: {e}"))?;
                Ok((
                    Response::Prepared {
                        rows: n,
                        ms: now() - t0,
                    },
                    Some(arrow),
                ))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clock() -> f64 {
        0.0
    }

    #[test]
    fn prepare_before_read_is_an_error() {
        let mut job = Job::default();
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
        let mut job = Job::default();
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
        assert!(job.table.is_none());
    }

    #[test]
    fn synthetic_points_come_back_as_arrow() {
        let mut job = Job::default();
        let (r, bytes) = job.handle(Request::Synthetic { n: 1000, seed: 3 }, None, &clock);
        assert_eq!(
            r,
            Response::Prepared {
                rows: 1000,
                ms: 0.0
            }
        );
        let ds = sbx_data::read_ipc(&bytes.unwrap()).unwrap();
        assert_eq!(ds.x, sbx_data::synthetic::synthetic(1000, 3).x);
        let (r, bytes) = job.handle(Request::Synthetic { n: 0, seed: 3 }, None, &clock);
        assert!(
            matches!(r, Response::Error { .. }) && bytes.is_none(),
            "{r:?}"
        );
    }

    #[test]
    fn the_hand_written_wire_side_agrees_with_the_derived_one() {
        let requests = [
            Request::Read {
                name: "a \"b\".h5ad".into(),
            },
            Request::Prepare {
                obs_columns: vec!["x".into()],
                genes: vec![],
                top_genes: 8,
                max_points: 200_000,
                seed: 1,
            },
            Request::Synthetic {
                n: 1_000_000,
                seed: 1,
            },
        ];
        for r in requests {
            assert_eq!(serde_json::from_str::<Request>(&r.to_json()).unwrap(), r);
        }
        let responses = [
            Response::Ready,
            Response::Summary {
                name: "p.h5ad".into(),
                n_units: 5,
                n_genes: 7,
                obs: vec![
                    ObsInfo {
                        name: "sample".into(),
                        text: false,
                    },
                    ObsInfo {
                        name: "barcode".into(),
                        text: true,
                    },
                ],
                read_ms: 12.5,
            },
            Response::Prepared { rows: 3, ms: 0.25 },
            Response::Error {
                message: "broken".into(),
            },
        ];
        for r in responses {
            assert_eq!(
                Response::from_json(&serde_json::to_string(&r).unwrap()).unwrap(),
                r
            );
        }
        assert!(Response::from_json(r#"{"kind":"later"}"#).is_err());
        assert!(Response::from_json("not json").is_err());
    }

    #[test]
    fn requests_and_responses_keep_their_wire_shape() {
        // The page and the worker are separate wasm modules: the JSON is their contract.
        let req: Request = serde_json::from_str(r#"{"op":"read","name":"a.h5ad"}"#).unwrap();
        assert_eq!(
            req,
            Request::Read {
                name: "a.h5ad".into()
            }
        );
        let r = Response::Prepared { rows: 3, ms: 1.5 };
        assert_eq!(
            serde_json::to_string(&r).unwrap(),
            r#"{"kind":"prepared","rows":3,"ms":1.5}"#
        );
    }
}
