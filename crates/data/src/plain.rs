//! Readers for the plain CSV/TXT layouts of the shared spatial datasets
//! (GiottoData, spacexr, MERINGUE, CRAWDAD, jazzPanda, AtlasXomics). Each
//! layout is recognised by its file names inside one folder.

use crate::dataset::{CategoricalColumn, Metadata, UnitKind};
use crate::error::{DataError, Result};
use crate::table::{Expression, ObsColumn, SourceTable};
use std::collections::HashMap;
use std::io::Read;
use std::path::Path;

fn read_text(path: &Path) -> Result<String> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| DataError::input(&name, e.to_string()))?;
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut s = String::new();
        flate2::read::MultiGzDecoder::new(&bytes[..])
            .read_to_string(&mut s)
            .map_err(|e| DataError::input(&name, format!("gzip: {e}")))?;
        Ok(s)
    } else {
        String::from_utf8(bytes).map_err(|_| DataError::input(&name, "not UTF-8 text"))
    }
}

/// Splits a delimited text (comma or single-space separated, optional double quotes) into records.
fn records(path: &Path, delim: u8) -> Result<Vec<Vec<String>>> {
    let text = read_text(path)?;
    let mut r = csv::ReaderBuilder::new()
        .delimiter(delim)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    for (i, rec) in r.records().enumerate() {
        let rec = rec.map_err(|e| {
            DataError::input(path.display().to_string(), format!("line {}: {e}", i + 1))
        })?;
        if rec.len() == 1 && rec[0].trim().is_empty() {
            continue;
        }
        out.push(rec.iter().map(|s| s.trim().to_string()).collect());
    }
    Ok(out)
}

fn num(path: &Path, line: usize, s: &str) -> Result<f64> {
    s.parse::<f64>().map_err(|_| {
        DataError::input(
            path.display().to_string(),
            format!("line {line}: `{s}` is not a number"),
        )
    })
}

/// A genes x units matrix: header = unit ids (with or without a leading empty cell), then `gene v1 v2 …`.
/// Unit ids, then (gene, values in unit order) rows.
type GeneMatrix = (Vec<String>, Vec<(String, Vec<f64>)>);

fn read_gene_matrix(path: &Path, delim: u8) -> Result<GeneMatrix> {
    let recs = records(path, delim)?;
    let (header, body) = recs
        .split_first()
        .ok_or_else(|| DataError::input(path.display().to_string(), "empty matrix file"))?;
    let width = body.first().map(|r| r.len()).unwrap_or(header.len() + 1);
    let ids: Vec<String> = if header.len() == width {
        header[1..].to_vec()
    } else {
        header.clone()
    };
    if ids.len() + 1 != width {
        return Err(DataError::input(
            path.display().to_string(),
            format!(
                "header has {} unit ids but rows have {} values",
                ids.len(),
                width - 1
            ),
        ));
    }
    let mut genes = Vec::with_capacity(body.len());
    for (i, row) in body.iter().enumerate() {
        if row.len() != width {
            return Err(DataError::input(
                path.display().to_string(),
                format!("line {}: {} fields; expected {width}", i + 2, row.len()),
            ));
        }
        let vals = row[1..]
            .iter()
            .map(|s| num(path, i + 2, s))
            .collect::<Result<Vec<f64>>>()?;
        genes.push((row[0].clone(), vals));
    }
    Ok((ids, genes))
}

/// Reorders a genes x units matrix to `order` (unit ids); units absent from the matrix get zeros.
fn expression_for(ids: &[String], genes: Vec<(String, Vec<f64>)>, order: &[String]) -> Expression {
    let pos: HashMap<&str, usize> = ids
        .iter()
        .enumerate()
        .map(|(i, s)| (s.as_str(), i))
        .collect();
    let idx: Vec<Option<usize>> = order.iter().map(|u| pos.get(u.as_str()).copied()).collect();
    let genes = genes
        .into_iter()
        .map(|(g, v)| {
            (
                g,
                idx.iter().map(|k| k.map(|k| v[k]).unwrap_or(0.0)).collect(),
            )
        })
        .collect();
    Expression::from_gene_rows(order.len(), genes)
}

/// A `id,x,y[,more]` table with a header row; returns ids, x, y and the remaining header+columns.
struct Coords {
    ids: Vec<String>,
    x: Vec<f64>,
    y: Vec<f64>,
}

fn read_coords(
    path: &Path,
    delim: u8,
    id_col: usize,
    x_col: usize,
    y_col: usize,
    header: bool,
) -> Result<(Coords, Vec<Vec<String>>)> {
    let recs = records(path, delim)?;
    let body = if header {
        &recs[1.min(recs.len())..]
    } else {
        &recs[..]
    };
    let mut c = Coords {
        ids: vec![],
        x: vec![],
        y: vec![],
    };
    for (i, r) in body.iter().enumerate() {
        let line = i + 1 + header as usize;
        let get = |k: usize| {
            r.get(k).ok_or_else(|| {
                DataError::input(
                    path.display().to_string(),
                    format!("line {line}: missing column {}", k + 1),
                )
            })
        };
        c.ids.push(get(id_col)?.clone());
        c.x.push(num(path, line, get(x_col)?)?);
        c.y.push(num(path, line, get(y_col)?)?);
    }
    Ok((c, recs))
}

fn meta(
    name: &str,
    platform: &str,
    kind: UnitKind,
    size: Option<f32>,
    unit: &str,
    source: &str,
) -> Metadata {
    Metadata {
        name: name.into(),
        platform: platform.into(),
        unit_kind: kind,
        unit_size: size,
        coord_unit: unit.into(),
        source: source.into(),
        ..Default::default()
    }
}

fn source_line(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("SOURCE.txt"))
        .ok()
        .and_then(|s| s.lines().next().map(|l| l.trim().to_string()))
        .unwrap_or_else(|| dir.display().to_string())
}

/// A 10 µm Slide-seq bead in the pixels of the puck images (0.65 µm per pixel,
/// the unit of the Slide-seq and RCTD coordinate files; beads sit about 15 px apart).
pub const SLIDESEQ_BEAD_PX: f32 = 10.0 / crate::physical::SLIDESEQ_UM_PER_PX as f32;

/// Reads whichever known layout `dir` holds.
pub fn read_folder(dir: &Path) -> Result<SourceTable> {
    let has = |f: &str| dir.join(f).exists();
    let name = dir
        .file_name()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let src = source_line(dir);
    let mut t = if has("visium_DG_expr.txt.gz") {
        visium_giotto_mini(dir)?
    } else if has("expression_matrix.txt.gz") && has("spatial_locs.txt") {
        visium_giotto_multisample(dir)?
    } else if has("vizgen_transcripts.gz") {
        vizgen_polygons(dir)?
    } else if has("coords.csv") && has("counts.csv") {
        coords_counts(
            dir,
            "coords.csv",
            "counts.csv",
            "MERFISH",
            UnitKind::Cell,
            None,
            "um",
        )?
    } else if has("purkinje_pos.csv") {
        coords_counts(
            dir,
            "purkinje_pos.csv",
            "purkinje_counts_genes_by_beads.csv.gz",
            "Slide-seq",
            UnitKind::Bead,
            Some(SLIDESEQ_BEAD_PX),
            "px",
        )?
    } else if has("SpatialRNA_Vignette_BeadLocationsForR.csv") {
        coords_counts(
            dir,
            "SpatialRNA_Vignette_BeadLocationsForR.csv",
            "SpatialRNA_Vignette_MappedDGEForR.csv",
            "Slide-seq",
            UnitKind::Bead,
            Some(SLIDESEQ_BEAD_PX),
            "px",
        )?
    } else if has("slideseq.puck190926_08.rctd.meta.csv.gz") {
        slideseq_classes(dir)?
    } else if has("rep1_clusters.csv") {
        xenium_reps(dir)?
    } else if has("tissue_positions_list.csv") {
        dbit_positions(dir)?
    } else {
        return Err(DataError::input(
            dir.display().to_string(),
            "no known layout in this folder (expected an .h5ad file, or one of the CSV/TXT layouts described in the README)",
        ));
    };
    t.meta.name = name;
    t.meta.source = src;
    Ok(t)
}

/// GiottoData Visium mini: expr (genes x spots, space separated), locs (x y, no header, same order), meta.
fn visium_giotto_mini(dir: &Path) -> Result<SourceTable> {
    let (ids, genes) = read_gene_matrix(&dir.join("visium_DG_expr.txt.gz"), b' ')?;
    let locs = records(&dir.join("visium_DG_locs.txt"), b' ')?;
    if locs.len() != ids.len() {
        return Err(DataError::input(
            "visium_DG_locs.txt",
            format!("{} rows for {} spots in the matrix", locs.len(), ids.len()),
        ));
    }
    let p = dir.join("visium_DG_locs.txt");
    let mut x = vec![];
    let mut y = vec![];
    for (i, r) in locs.iter().enumerate() {
        let f: Vec<&str> = r.iter().flat_map(|s| s.split_whitespace()).collect();
        if f.len() < 2 {
            return Err(DataError::input(
                "visium_DG_locs.txt",
                format!("line {}: expected `x y`", i + 1),
            ));
        }
        x.push(num(&p, i + 1, f[0])?);
        y.push(num(&p, i + 1, f[1])?);
    }
    let mut obs = vec![];
    if let Ok(m) = records(&dir.join("visium_DG_meta.txt"), b',') {
        let map: HashMap<&str, &str> = m
            .iter()
            .skip(1)
            .filter(|r| r.len() >= 2)
            .map(|r| (r[0].as_str(), r[1].as_str()))
            .collect();
        let labels: Vec<&str> = ids
            .iter()
            .map(|i| map.get(i.as_str()).copied().unwrap_or(crate::ipc::MISSING))
            .collect();
        obs.push(ObsColumn::Categorical(CategoricalColumn::from_labels(
            "in_tissue",
            &labels,
        )));
    }
    let spot = std::fs::read_to_string(dir.join("scalefactors_json.json"))
        .ok()
        .and_then(|s| serde_json::from_str::<serde_json::Value>(&s).ok())
        .and_then(|v| v["spot_diameter_fullres"].as_f64())
        .map(|v| v as f32);
    let expression = Some(expression_for(&ids, genes, &ids));
    Ok(SourceTable {
        unit_ids: Some(ids),
        x,
        y,
        obs,
        expression,
        meta: meta("", "Visium", UnitKind::Spot, spot, "px", ""),
    })
}

/// GiottoData Visium multi-sample (prostate NP/CP): cell_metadata, spatial_locs, expression_matrix (quoted, space separated).
fn visium_giotto_multisample(dir: &Path) -> Result<SourceTable> {
    let (c, _) = read_coords(&dir.join("spatial_locs.txt"), b' ', 2, 0, 1, true)?;
    let md = records(&dir.join("cell_metadata.txt"), b' ')?;
    let header = md.first().cloned().unwrap_or_default();
    let by_id: HashMap<&str, &Vec<String>> = md
        .iter()
        .skip(1)
        .filter(|r| !r.is_empty())
        .map(|r| (r[0].as_str(), r))
        .collect();
    let mut obs = vec![];
    for (k, col) in header.iter().enumerate().skip(1) {
        let vals: Vec<String> = c
            .ids
            .iter()
            .map(|id| {
                by_id
                    .get(id.as_str())
                    .and_then(|r| r.get(k))
                    .cloned()
                    .unwrap_or_else(|| crate::ipc::MISSING.into())
            })
            .collect();
        let name = if col == "list_ID" {
            "sample"
        } else {
            col.as_str()
        };
        if col == "array_row" || col == "array_col" {
            let v: Vec<f64> = vals.iter().map(|s| s.parse().unwrap_or(f64::NAN)).collect();
            obs.push(ObsColumn::Numeric {
                name: name.into(),
                values: v,
            });
        } else {
            obs.push(ObsColumn::Categorical(CategoricalColumn::from_labels(
                name, &vals,
            )));
        }
    }
    let (ids, genes) = read_gene_matrix(&dir.join("expression_matrix.txt.gz"), b' ')?;
    let expression = Some(expression_for(&ids, genes, &c.ids));
    Ok(SourceTable {
        unit_ids: Some(c.ids),
        x: c.x,
        y: c.y,
        obs,
        expression,
        meta: meta("", "Visium FFPE", UnitKind::Spot, None, "px", ""),
    })
}

/// `id,x,y` coordinates plus a genes x units count matrix (comma separated).
fn coords_counts(
    dir: &Path,
    coords: &str,
    counts: &str,
    platform: &str,
    kind: UnitKind,
    size: Option<f32>,
    unit: &str,
) -> Result<SourceTable> {
    let (c, _) = read_coords(&dir.join(coords), b',', 0, 1, 2, true)?;
    let (ids, genes) = read_gene_matrix(&dir.join(counts), b',')?;
    let expression = Some(expression_for(&ids, genes, &c.ids));
    Ok(SourceTable {
        unit_ids: Some(c.ids),
        x: c.x,
        y: c.y,
        obs: vec![],
        expression,
        meta: meta("", platform, kind, size, unit, ""),
    })
}

/// CRAWDAD Slide-seq puck: bead x, y and RCTD class, no counts.
fn slideseq_classes(dir: &Path) -> Result<SourceTable> {
    let (c, recs) = read_coords(
        &dir.join("slideseq.puck190926_08.rctd.meta.csv.gz"),
        b',',
        0,
        1,
        2,
        true,
    )?;
    let labels: Vec<&str> = recs
        .iter()
        .skip(1)
        .map(|r| r.get(3).map(String::as_str).unwrap_or(crate::ipc::MISSING))
        .collect();
    Ok(SourceTable {
        unit_ids: Some(c.ids),
        x: c.x,
        y: c.y,
        obs: vec![ObsColumn::Categorical(CategoricalColumn::from_labels(
            "cell_type",
            &labels,
        ))],
        expression: None,
        meta: meta(
            "",
            "Slide-seq",
            UnitKind::Bead,
            Some(SLIDESEQ_BEAD_PX),
            "px",
            "",
        ),
    })
}

/// jazzPanda Xenium: rep1/rep2 annotated cells (anno, cluster, x, y, cells, sample) + 20-gene counts.
fn xenium_reps(dir: &Path) -> Result<SourceTable> {
    let mut t = SourceTable {
        meta: Metadata {
            y_down: true,
            ..meta("", "Xenium", UnitKind::Cell, None, "um", "")
        },
        ..Default::default()
    };
    let mut ids = vec![];
    let (mut anno, mut cluster, mut sample) = (vec![], vec![], vec![]);
    let mut gene_rows: Vec<(String, Vec<f64>)> = vec![];
    for rep in ["rep1", "rep2"] {
        let p = dir.join(format!("{rep}_clusters.csv"));
        let recs = records(&p, b',')?;
        let h = recs.first().cloned().unwrap_or_default();
        let col = |n: &str| {
            h.iter().position(|c| c == n).ok_or_else(|| {
                DataError::input(p.display().to_string(), format!("no `{n}` column"))
            })
        };
        let (ca, cc, cx, cy, ci, cs) = (
            col("anno")?,
            col("cluster")?,
            col("x")?,
            col("y")?,
            col("cells")?,
            col("sample")?,
        );
        let first = ids.len();
        for (i, r) in recs.iter().enumerate().skip(1) {
            let g = |k: usize| r.get(k).cloned().unwrap_or_default();
            anno.push(g(ca));
            cluster.push(g(cc));
            t.x.push(num(&p, i + 1, &g(cx))?);
            t.y.push(num(&p, i + 1, &g(cy))?);
            ids.push(format!("{}:{}", g(cs), g(ci)));
            sample.push(g(cs));
        }
        // Counts are keyed by the `cells` id within the replicate.
        let local: Vec<String> = ids[first..]
            .iter()
            .map(|s| {
                s.split_once(':')
                    .map(|x| x.1.to_string())
                    .unwrap_or_default()
            })
            .collect();
        let (mids, genes) =
            read_gene_matrix(&dir.join(format!("{rep}_counts_20genes_by_cell.csv")), b',')?;
        let e = expression_for(&mids, genes, &local);
        for g in 0..e.n_vars() {
            let vals: Vec<f64> = e.gene_values(g).iter().map(|&v| v as f64).collect();
            match gene_rows.iter_mut().find(|(n, _)| n == &e.var_names[g]) {
                Some((_, v)) => v.extend(vals),
                None => {
                    let mut v = vec![0.0; first];
                    v.extend(vals);
                    gene_rows.push((e.var_names[g].clone(), v));
                }
            }
        }
        for (_, v) in gene_rows.iter_mut() {
            v.resize(ids.len(), 0.0);
        }
    }
    t.obs
        .push(ObsColumn::Categorical(CategoricalColumn::from_labels(
            "cell_type",
            &anno,
        )));
    t.obs
        .push(ObsColumn::Categorical(CategoricalColumn::from_labels(
            "cluster", &cluster,
        )));
    t.obs
        .push(ObsColumn::Categorical(CategoricalColumn::from_labels(
            "sample", &sample,
        )));
    t.expression = Some(Expression::from_gene_rows(ids.len(), gene_rows));
    t.unit_ids = Some(ids);
    Ok(t)
}

/// AtlasXomics DBiT positions: barcode, on_tissue, row, col, pixel coordinates (no header).
/// Drawn on the tixel grid (x = column, y = row) so each tixel is one unit square.
fn dbit_positions(dir: &Path) -> Result<SourceTable> {
    let p = dir.join("tissue_positions_list.csv");
    let (c, recs) = read_coords(&p, b',', 0, 3, 2, false)?;
    let on: Vec<&str> = recs
        .iter()
        .map(|r| {
            if r.get(1).map(String::as_str) == Some("1") {
                "on"
            } else {
                "off"
            }
        })
        .collect();
    let px = |k: usize| -> Result<Vec<f64>> {
        recs.iter()
            .enumerate()
            .map(|(i, r)| num(&p, i + 1, r.get(k).map(String::as_str).unwrap_or("")))
            .collect()
    };
    Ok(SourceTable {
        unit_ids: Some(c.ids),
        x: c.x,
        y: c.y,
        obs: vec![
            ObsColumn::Categorical(CategoricalColumn::from_labels("on_tissue", &on)),
            ObsColumn::Numeric {
                name: "pixel_a".into(),
                values: px(4)?,
            },
            ObsColumn::Numeric {
                name: "pixel_b".into(),
                values: px(5)?,
            },
        ],
        expression: None,
        meta: Metadata {
            y_down: true,
            ..meta("", "DBiT", UnitKind::Tixel, Some(1.0), "tixel grid", "")
        },
    })
}

/// Vizgen MERSCOPE mini set: transcripts + per-z cell polygons -> one unit per cell with
/// transcripts, at the mean over z-planes of its polygon's vertex mean, with per-gene counts.
/// Polygon y is stored negated in these files.
fn vizgen_polygons(dir: &Path) -> Result<SourceTable> {
    struct Poly {
        id: usize,
        xs: Vec<f64>,
        ys: Vec<f64>,
        bb: [f64; 4],
    }
    let mut cell_ids: Vec<String> = vec![];
    let mut cell_index: HashMap<String, usize> = HashMap::new();
    let mut polys: [Vec<Poly>; 2] = [vec![], vec![]];
    for (z, layer) in polys.iter_mut().enumerate() {
        let p = dir.join(format!("z{z}_polygons.gz"));
        let recs = records(&p, b',')?;
        let mut cur: Option<Poly> = None;
        for (i, r) in recs.iter().enumerate().skip(1) {
            if r.len() < 3 {
                continue;
            }
            let (x, y) = (num(&p, i + 1, &r[0])?, -num(&p, i + 1, &r[1])?);
            let id = *cell_index.entry(r[2].clone()).or_insert_with(|| {
                cell_ids.push(r[2].clone());
                cell_ids.len() - 1
            });
            if cur.as_ref().map(|c| c.id) != Some(id) {
                if let Some(c) = cur.take() {
                    layer.push(c);
                }
                cur = Some(Poly {
                    id,
                    xs: vec![],
                    ys: vec![],
                    bb: [f64::MAX, f64::MAX, f64::MIN, f64::MIN],
                });
            }
            if let Some(c) = cur.as_mut() {
                c.xs.push(x);
                c.ys.push(y);
                c.bb = [
                    c.bb[0].min(x),
                    c.bb[1].min(y),
                    c.bb[2].max(x),
                    c.bb[3].max(y),
                ];
            }
        }
        if let Some(c) = cur.take() {
            layer.push(c);
        }
    }
    let tp = dir.join("vizgen_transcripts.gz");
    let recs = records(&tp, b',')?;
    let mut gene_index: HashMap<String, usize> = HashMap::new();
    let mut gene_names: Vec<String> = vec![];
    let mut counts: HashMap<(usize, usize), f64> = HashMap::new();
    for (i, r) in recs.iter().enumerate().skip(1) {
        if r.len() < 4 {
            continue;
        }
        let (x, y) = (num(&tp, i + 1, &r[0])?, num(&tp, i + 1, &r[1])?);
        let z = num(&tp, i + 1, &r[3])? as usize;
        let Some(layer) = polys.get(z) else { continue };
        let hit = layer.iter().find(|p| {
            x >= p.bb[0]
                && x <= p.bb[2]
                && y >= p.bb[1]
                && y <= p.bb[3]
                && point_in_polygon(x, y, &p.xs, &p.ys)
        });
        if let Some(p) = hit {
            let g = *gene_index.entry(r[2].clone()).or_insert_with(|| {
                gene_names.push(r[2].clone());
                gene_names.len() - 1
            });
            *counts.entry((p.id, g)).or_default() += 1.0;
        }
    }
    // Units: cells with at least one transcript, sorted by id (as in the derived h5ad).
    let mut with_counts: Vec<usize> = counts.keys().map(|&(c, _)| c).collect();
    with_counts.sort_unstable();
    with_counts.dedup();
    with_counts.sort_by(|&a, &b| cell_ids[a].cmp(&cell_ids[b]));
    let row_of: HashMap<usize, usize> = with_counts
        .iter()
        .enumerate()
        .map(|(r, &c)| (c, r))
        .collect();
    let mut x = vec![];
    let mut y = vec![];
    for &c in &with_counts {
        let (mut sx, mut sy, mut nz) = (0.0, 0.0, 0.0);
        for layer in &polys {
            for p in layer.iter().filter(|p| p.id == c) {
                sx += p.xs.iter().sum::<f64>() / p.xs.len() as f64;
                sy += p.ys.iter().sum::<f64>() / p.ys.len() as f64;
                nz += 1.0;
            }
        }
        x.push(sx / nz);
        y.push(sy / nz);
    }
    let mut order: Vec<usize> = (0..gene_names.len()).collect();
    order.sort_by(|&a, &b| gene_names[a].cmp(&gene_names[b]));
    let mut rows: Vec<Vec<f64>> = vec![vec![0.0; with_counts.len()]; gene_names.len()];
    for (&(c, g), &v) in &counts {
        rows[g][row_of[&c]] = v;
    }
    let genes = order
        .iter()
        .map(|&g| (gene_names[g].clone(), std::mem::take(&mut rows[g])))
        .collect();
    let ids: Vec<String> = with_counts.iter().map(|&c| cell_ids[c].clone()).collect();
    Ok(SourceTable {
        unit_ids: Some(ids.clone()),
        x,
        y,
        obs: vec![],
        expression: Some(Expression::from_gene_rows(ids.len(), genes)),
        meta: Metadata {
            y_down: true,
            ..meta(
                "",
                "MERFISH (Vizgen MERSCOPE)",
                UnitKind::Cell,
                None,
                "um",
                "",
            )
        },
    })
}

/// Even-odd rule.
pub fn point_in_polygon(x: f64, y: f64, xs: &[f64], ys: &[f64]) -> bool {
    let n = xs.len();
    let mut inside = false;
    let mut j = n.wrapping_sub(1);
    for i in 0..n {
        if (ys[i] > y) != (ys[j] > y) && x < (xs[j] - xs[i]) * (y - ys[i]) / (ys[j] - ys[i]) + xs[i]
        {
            inside = !inside;
        }
        j = i;
    }
    inside
}
