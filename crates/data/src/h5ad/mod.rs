//! AnnData `.h5ad` reader (anndata >= 0.7 on-disk layout), on top of the
//! small [`H5Source`] trait.
//!
//! Reads: obs columns (categorical with codes + categories, numeric, bool,
//! nullable integer/boolean, strings), obs names, var names, X (dense, CSR or
//! CSC, any compression the HDF5 layer decodes: gzip, LZF), obsm['spatial'].
//! Rejects the pre-0.7 layout (obs as one compound dataset).

pub mod hdf;
pub mod stream;

use crate::dataset::CategoricalColumn;
use crate::error::{DataError, Result};
use crate::table::{Expression, ObsColumn, SourceTable};
pub use hdf::{ElemKind, H5Source, Hdf5ReaderFile, NodeKind};

/// Opens an h5ad file from its bytes (native and browser alike).
pub fn read_h5ad_bytes(file_name: &str, bytes: Vec<u8>) -> Result<SourceTable> {
    if !bytes.starts_with(b"\x89HDF\r\n\x1a\n") {
        return Err(DataError::input(
            file_name,
            "not an HDF5 file (the `\\x89HDF` signature is missing)",
        ));
    }
    let src = Hdf5ReaderFile::from_bytes(bytes).map_err(|m| DataError::input(file_name, m))?;
    read_anndata(file_name, &src, true)
}

/// Opens an h5ad on disk in place (nothing but what is asked for is read) and reads
/// its obs and coordinates; X is left for [`stream::XStream`]. Native only.
#[cfg(not(target_arch = "wasm32"))]
pub fn open_h5ad_file(path: &std::path::Path) -> Result<(Hdf5ReaderFile, SourceTable)> {
    use std::io::Read;
    let name = path.display().to_string();
    let mut sig = [0u8; 8];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut sig))
        .map_err(|e| DataError::input(&name, e.to_string()))?;
    if &sig != b"\x89HDF\r\n\x1a\n" {
        return Err(DataError::input(
            &name,
            "not an HDF5 file (the `\\x89HDF` signature is missing)",
        ));
    }
    let src = Hdf5ReaderFile::open(path).map_err(|m| DataError::input(&name, m))?;
    let mut table = read_anndata(&name, &src, false)?;
    crate::prepare::name_from_path(&mut table, path);
    Ok((src, table))
}

/// Options kept small on purpose: whether to load X at all.
pub fn read_anndata(
    file_name: &str,
    src: &dyn H5Source,
    with_expression: bool,
) -> Result<SourceTable> {
    let err = |m: String| DataError::input(file_name, m);
    match src.kind("/obs") {
        Some(NodeKind::Dataset) => {
            // anndata < 0.7 wrote obs/var as compound datasets.
            return Err(DataError::LegacyAnnData {
                file: file_name.into(),
            });
        }
        None => return Err(err("no `obs` group: not an AnnData file".into())),
        Some(NodeKind::Group) => {}
    }
    let obs_index = read_index(src, "/obs").map_err(&err)?;
    let n_obs = obs_index.len();

    let mut table = SourceTable {
        unit_ids: Some(obs_index),
        ..Default::default()
    };
    // scanpy/squidpy treat obsm['spatial'] as image pixel coordinates (y down).
    table.meta.y_down = true;

    // Coordinates: obsm/spatial (n_obs x >=2).
    let spatial = ["/obsm/spatial", "/obsm/X_spatial", "/obsm/spatial_coords"]
        .into_iter()
        .find(|p| src.kind(p) == Some(NodeKind::Dataset))
        .ok_or_else(|| {
            err("no coordinates: expected a dense `obsm/spatial` (n_obs x 2) array".into())
        })?;
    let shape = src.shape(spatial).map_err(&err)?;
    if shape.len() != 2 || shape[0] as usize != n_obs || shape[1] < 2 {
        return Err(err(format!(
            "`{spatial}` has shape {shape:?}; expected ({n_obs}, 2)"
        )));
    }
    let coords = src.read_f64(spatial).map_err(&err)?;
    let w = shape[1] as usize;
    table.x = coords.iter().step_by(w).copied().collect();
    table.y = coords.iter().skip(1).step_by(w).copied().collect();

    // obs columns, in the stored column order when present.
    let index_name = src.attr_string("/obs", "_index");
    let mut names = src.attr_strings("/obs", "column-order").unwrap_or_default();
    if names.is_empty() {
        names = src.members("/obs").map_err(&err)?;
        names.sort();
    }
    for name in names {
        if Some(&name) == index_name.as_ref() || name == "__categories" {
            continue;
        }
        let path = format!("/obs/{name}");
        if let Some(col) = read_obs_column(src, &path, &name, n_obs).map_err(&err)? {
            table.obs.push(col);
        }
    }

    if with_expression && src.kind("/X").is_some() {
        let var_names = read_index(src, "/var").map_err(&err)?;
        table.expression = Some(read_x(src, n_obs, var_names).map_err(&err)?);
    }
    Ok(table)
}

/// Gene names (the var index).
pub fn read_var_names(src: &dyn H5Source) -> std::result::Result<Vec<String>, String> {
    read_index(src, "/var")
}

/// Reads a dataframe's index (obs names / var names).
fn read_index(src: &dyn H5Source, group: &str) -> std::result::Result<Vec<String>, String> {
    let key = src
        .attr_string(group, "_index")
        .unwrap_or_else(|| "_index".into());
    let path = format!("{group}/{key}");
    match src.elem_kind(&path)? {
        ElemKind::String => src.read_strings(&path),
        ElemKind::Int | ElemKind::Float => {
            Ok(src.read_f64(&path)?.iter().map(|v| v.to_string()).collect())
        }
        k => Err(format!("{path}: index of type {k:?} is not supported")),
    }
}

/// Checks a dataset's element count from its shape, before reading it.
fn expect_len(src: &dyn H5Source, path: &str, n: usize) -> std::result::Result<(), String> {
    let shape = src.shape(path)?;
    let count = shape
        .iter()
        .try_fold(1u64, |a, &d| a.checked_mul(d))
        .unwrap_or(u64::MAX);
    if count != n as u64 {
        return Err(format!(
            "{path} has shape {shape:?} ({count} values); expected {n}"
        ));
    }
    Ok(())
}

fn check_len(path: &str, got: usize, n: usize) -> std::result::Result<(), String> {
    if got != n {
        return Err(format!(
            "{path} has {got} values; expected {n} (one per row)"
        ));
    }
    Ok(())
}

/// One obs column. Returns None for encodings the viewer has no use for (nested dataframes…).
fn read_obs_column(
    src: &dyn H5Source,
    path: &str,
    name: &str,
    n: usize,
) -> std::result::Result<Option<ObsColumn>, String> {
    let enc = src.attr_string(path, "encoding-type").unwrap_or_default();
    match src.kind(path) {
        Some(NodeKind::Group) => match enc.as_str() {
            "categorical" => {
                expect_len(src, &format!("{path}/codes"), n)?;
                let codes = src.read_i64(&format!("{path}/codes"))?;
                check_len(path, codes.len(), n)?;
                let cats_path = format!("{path}/categories");
                let categories: Vec<String> = match src.elem_kind(&cats_path)? {
                    ElemKind::String => src.read_strings(&cats_path)?,
                    _ => src
                        .read_f64(&cats_path)?
                        .iter()
                        .map(|v| fmt_num(*v))
                        .collect(),
                };
                let k = categories.len() as i64;
                let mut cats = categories;
                let has_missing = codes.iter().any(|&c| c < 0);
                let missing = cats.len() as u32;
                if has_missing {
                    cats.push(crate::ipc::MISSING.to_string());
                }
                let mut bad = 0usize;
                let codes: Vec<u32> = codes
                    .iter()
                    .map(|&c| {
                        if c < 0 {
                            missing
                        } else if c >= k {
                            bad += 1;
                            0
                        } else {
                            c as u32
                        }
                    })
                    .collect();
                if bad > 0 {
                    return Err(format!(
                        "{path}/codes: {bad} codes outside the {k} categories"
                    ));
                }
                Ok(Some(ObsColumn::Categorical(CategoricalColumn {
                    name: name.into(),
                    codes,
                    categories: cats,
                    colors: None,
                })))
            }
            "nullable-integer" | "nullable-boolean" => {
                expect_len(src, &format!("{path}/values"), n)?;
                let mut values = src.read_f64(&format!("{path}/values"))?;
                check_len(path, values.len(), n)?;
                if let Ok(mask) = src.read_f64(&format!("{path}/mask")) {
                    for (v, m) in values.iter_mut().zip(mask) {
                        if m != 0.0 {
                            *v = f64::NAN;
                        }
                    }
                }
                if enc == "nullable-boolean" {
                    let labels: Vec<String> = values
                        .iter()
                        .map(|v| {
                            if v.is_nan() {
                                crate::ipc::MISSING.into()
                            } else {
                                (*v != 0.0).to_string()
                            }
                        })
                        .collect();
                    return Ok(Some(ObsColumn::Categorical(
                        CategoricalColumn::from_labels(name, &labels),
                    )));
                }
                Ok(Some(ObsColumn::Numeric {
                    name: name.into(),
                    values,
                }))
            }
            "nullable-string-array" => {
                let values = src.read_strings(&format!("{path}/values"))?;
                check_len(path, values.len(), n)?;
                Ok(Some(ObsColumn::Text {
                    name: name.into(),
                    values,
                }))
            }
            _ => Ok(None),
        },
        Some(NodeKind::Dataset) => {
            expect_len(src, path, n)?;
            read_obs_dataset(src, path, name, n)
        }
        None => Err(format!("{path}: listed in column-order but absent")),
    }
}

/// An obs column stored as one dataset (numbers, bools or strings).
fn read_obs_dataset(
    src: &dyn H5Source,
    path: &str,
    name: &str,
    n: usize,
) -> std::result::Result<Option<ObsColumn>, String> {
    match src.elem_kind(path)? {
        ElemKind::String => {
            let values = src.read_strings(path)?;
            check_len(path, values.len(), n)?;
            Ok(Some(ObsColumn::Text {
                name: name.into(),
                values,
            }))
        }
        ElemKind::Bool => {
            let values = src.read_f64(path)?;
            check_len(path, values.len(), n)?;
            let labels: Vec<String> = values.iter().map(|v| (*v != 0.0).to_string()).collect();
            Ok(Some(ObsColumn::Categorical(
                CategoricalColumn::from_labels(name, &labels),
            )))
        }
        ElemKind::Int | ElemKind::Float => {
            let values = src.read_f64(path)?;
            check_len(path, values.len(), n)?;
            Ok(Some(ObsColumn::Numeric {
                name: name.into(),
                values,
            }))
        }
        _ => Ok(None),
    }
}

fn fmt_num(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

fn to_usize(v: &[i64], what: &str) -> std::result::Result<Vec<usize>, String> {
    v.iter()
        .map(|&x| usize::try_from(x).map_err(|_| format!("{what}: negative value {x}")))
        .collect()
}

/// Reads X (dense, CSR or CSC) as gene-major sparse columns.
fn read_x(
    src: &dyn H5Source,
    n_obs: usize,
    var_names: Vec<String>,
) -> std::result::Result<Expression, String> {
    let n_vars = var_names.len();
    match src.kind("/X") {
        Some(NodeKind::Dataset) => {
            let shape = src.shape("/X")?;
            if shape != [n_obs as u64, n_vars as u64] {
                return Err(format!(
                    "/X has shape {shape:?}; expected ({n_obs}, {n_vars})"
                ));
            }
            let dense = src.read_f64("/X")?;
            Ok(Expression::from_dense_rows(n_obs, var_names, &dense))
        }
        Some(NodeKind::Group) => {
            let csr = sparse_is_csr(src, n_obs, n_vars)?;
            let (major, minor) = if csr {
                (n_obs, n_vars)
            } else {
                (n_vars, n_obs)
            };
            expect_len(src, "/X/indptr", major + 1)?;
            let indptr = to_usize(&src.read_i64("/X/indptr")?, "/X/indptr")?;
            let nnz = indptr.last().copied().unwrap_or(0);
            // Sizes are checked from the metadata before anything large is read.
            expect_len(src, "/X/data", nnz)?;
            expect_len(src, "/X/indices", nnz)?;
            let data = src.read_f64("/X/data")?;
            let indices = to_usize(&src.read_i64("/X/indices")?, "/X/indices")?;
            if indptr.len() != major + 1 {
                return Err(format!(
                    "/X/indptr has {} entries; expected {}",
                    indptr.len(),
                    major + 1
                ));
            }
            if data.len() != indices.len() || indptr[major] != data.len() {
                return Err(format!(
                    "/X: data ({}), indices ({}) and indptr end ({}) disagree",
                    data.len(),
                    indices.len(),
                    indptr[major]
                ));
            }
            if indptr.windows(2).any(|w| w[0] > w[1]) {
                return Err("/X/indptr is not non-decreasing".into());
            }
            if let Some(bad) = indices.iter().find(|&&i| i >= minor) {
                return Err(format!("/X/indices has {bad}, outside 0..{minor}"));
            }
            if csr {
                Ok(Expression::from_csr(
                    n_obs, var_names, &indptr, &indices, &data,
                ))
            } else {
                Ok(Expression {
                    n_obs,
                    var_names,
                    indptr,
                    indices: indices.iter().map(|&i| i as u32).collect(),
                    data: data.iter().map(|&v| v as f32).collect(),
                })
            }
        }
        None => Err("/X is missing".into()),
    }
}

/// Whether the sparse `/X` group is CSR (true) or CSC (false), from its encoding
/// attributes; its `shape` attribute, when present, must be (n_obs, n_vars).
pub(crate) fn sparse_is_csr(
    src: &dyn H5Source,
    n_obs: usize,
    n_vars: usize,
) -> Result<bool, String> {
    let enc = src.attr_string("/X", "encoding-type").unwrap_or_default();
    let h5sparse = src.attr_string("/X", "h5sparse_format").unwrap_or_default();
    let csr = if enc.starts_with("csr") || h5sparse == "csr" {
        true
    } else if enc.starts_with("csc") || h5sparse == "csc" {
        false
    } else {
        return Err(format!(
            "/X is a group with encoding-type `{enc}`; expected csr_matrix or csc_matrix"
        ));
    };
    if let Some(shape) = src.attr_ints("/X", "shape") {
        if shape != [n_obs as i64, n_vars as i64] {
            return Err(format!(
                "/X has shape {shape:?}; expected ({n_obs}, {n_vars})"
            ));
        }
    }
    Ok(csr)
}
