//! `prepare` for an h5ad read in place: obs and coordinates are read whole (one
//! value per row each), X is streamed block by block ([`crate::h5ad::stream`]),
//! and only the kept rows of the chosen genes are ever held. Same result as
//! [`crate::prepare()`] on the whole file; memory follows the output, not X.

use crate::dataset::{Dataset, NumericColumn, NumericKind};
use crate::error::{DataError, Result};
use crate::h5ad::stream::{Block, Major, StreamError, XStream};
use crate::h5ad::{read_var_names, H5Source};
use crate::prepare::{
    add_genes, gene_column_names, named_genes, no_expression, obs_dataset, sample_rows,
    total_counts_column, PrepareOptions,
};
use crate::table::{top_of, SourceTable};

/// Where a pass over X is, for a progress bar.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    /// What the pass is for.
    pub stage: &'static str,
    pub done: usize,
    pub total: usize,
    /// What `done` counts: rows, or genes for CSC X.
    pub unit: &'static str,
}

/// What streaming cost: passes over X and the largest block buffer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StreamReport {
    pub passes: usize,
    pub largest_block_bytes: usize,
}

/// Converts an h5ad without loading X: `table` holds its obs and coordinates
/// (from [`crate::h5ad::read_anndata`] without expression, metadata possibly edited).
pub fn prepare_streamed(
    src: &dyn H5Source,
    file_name: &str,
    table: &SourceTable,
    opts: &PrepareOptions,
    block_values: usize,
    progress: &mut dyn FnMut(&Progress),
) -> Result<(Dataset, StreamReport)> {
    let n = table.n_units();
    let mut ds = obs_dataset(table, opts)?;
    let mut report = StreamReport::default();
    if src.kind("/X").is_none() {
        no_expression(opts)?;
        return Ok((sampled(ds, n, opts)?, report));
    }
    let input_err = |m: String| DataError::input(file_name, m);
    let var_names = read_var_names(src).map_err(input_err)?;
    // Option errors first, before any pass over X.
    let mut picked = named_genes(&var_names, opts)?;
    let sample = sample_rows(&ds, n, opts)?;
    let mut stream = XStream::open(src, n, var_names.len())
        .map_err(input_err)?
        .with_block_values(block_values);
    let want_totals = opts.add_total_counts && table.obs("total_counts").is_none();
    let mut totals: Option<Vec<f64>> = None;
    if opts.all_genes {
        add_genes(&mut picked, 0..var_names.len());
    } else if opts.top_genes > 0 {
        // The most variable genes need every row of every gene first: one pass for
        // the sums (and the totals on the way), then one for the kept values.
        let mut scan = Scan::new(n, var_names.len(), stream.major, true);
        run(
            &mut stream,
            &mut scan,
            None,
            "totals and gene variances",
            progress,
        )
        .map_err(|e| input_err(e.to_string()))?;
        report.passes += 1;
        add_genes(&mut picked, top_of(&scan.variances(n), opts.top_genes));
        totals = scan.totals;
    }
    let kept_rows: Option<&[usize]> = sample.as_ref().map(|(rows, _)| rows.as_slice());
    let mut pick = Pick::new(n, var_names.len(), &picked, kept_rows);
    let need_totals = want_totals && totals.is_none();
    if !picked.is_empty() || need_totals {
        let mut scan = Scan::new(n, var_names.len(), stream.major, false);
        scan.totals = need_totals.then(|| vec![0.0; n]);
        scan.pick = Some(&mut pick);
        // Without totals to add up, blocks holding nothing wanted are skipped.
        let wanted = (!need_totals).then(|| scan.wanted_majors());
        run(
            &mut stream,
            &mut scan,
            wanted.as_deref(),
            "kept genes",
            progress,
        )
        .map_err(|e| input_err(e.to_string()))?;
        report.passes += 1;
        if need_totals {
            totals = scan.totals;
        }
    }
    report.largest_block_bytes = stream.largest_block_bytes;
    if want_totals {
        ds.numeric
            .push(total_counts_column(totals.as_deref().unwrap_or(&[])));
    }
    let names = gene_column_names(&ds, &var_names, &picked);
    let mut ds = sampled_with(ds, sample);
    for (values, name) in pick.columns.into_iter().zip(names) {
        ds.numeric.push(NumericColumn {
            name,
            values,
            kind: NumericKind::Gene,
        });
    }
    Ok((ds, report))
}

fn sampled(ds: Dataset, n: usize, opts: &PrepareOptions) -> Result<Dataset> {
    let sample = sample_rows(&ds, n, opts)?;
    Ok(sampled_with(ds, sample))
}

fn sampled_with(ds: Dataset, sample: Option<(Vec<usize>, crate::Downsampling)>) -> Dataset {
    match sample {
        Some((rows, down)) => {
            let mut out = ds.take(&rows);
            out.meta.downsampling = Some(down);
            out
        }
        None => ds,
    }
}

fn run(
    stream: &mut XStream,
    scan: &mut Scan,
    wanted: Option<&[bool]>,
    stage: &'static str,
    progress: &mut dyn FnMut(&Progress),
) -> std::result::Result<(), StreamError> {
    let unit = stream.major.label();
    progress(&Progress {
        stage,
        done: 0,
        total: stream.n_major(),
        unit,
    });
    stream.for_each_block(
        wanted,
        &mut |done, total| {
            progress(&Progress {
                stage,
                done,
                total,
                unit,
            })
        },
        &mut |b| scan.block(b),
    )
}

/// The kept values of the picked genes, one dense column per gene over the kept rows.
struct Pick {
    /// Output position of each input row (u32::MAX: not kept).
    row_slot: Vec<u32>,
    /// Output column of each gene (u32::MAX: not picked).
    gene_slot: Vec<u32>,
    columns: Vec<Vec<f32>>,
}

impl Pick {
    fn new(n_obs: usize, n_vars: usize, picked: &[usize], rows: Option<&[usize]>) -> Self {
        let (row_slot, kept) = match rows {
            Some(rows) => {
                let mut slot = vec![u32::MAX; n_obs];
                for (i, &r) in rows.iter().enumerate() {
                    slot[r] = i as u32;
                }
                (slot, rows.len())
            }
            None => ((0..n_obs as u32).collect(), n_obs),
        };
        let mut gene_slot = vec![u32::MAX; n_vars];
        for (i, &g) in picked.iter().enumerate() {
            gene_slot[g] = i as u32;
        }
        Pick {
            row_slot,
            gene_slot,
            columns: vec![vec![0.0; kept]; picked.len()],
        }
    }
}

/// What one pass adds up, entry by entry, whatever the block order.
struct Scan<'p> {
    major: Major,
    totals: Option<Vec<f64>>,
    /// Per gene: sum and sum of squares of log1p(value).
    sums: Option<(Vec<f64>, Vec<f64>)>,
    pick: Option<&'p mut Pick>,
}

impl<'p> Scan<'p> {
    fn new(n_obs: usize, n_vars: usize, major: Major, variances: bool) -> Self {
        Scan {
            major,
            totals: variances.then(|| vec![0.0; n_obs]),
            sums: variances.then(|| (vec![0.0; n_vars], vec![0.0; n_vars])),
            pick: None,
        }
    }

    /// Major indices holding something picked (kept rows, or picked genes for CSC).
    fn wanted_majors(&self) -> Vec<bool> {
        let Some(p) = &self.pick else {
            return Vec::new();
        };
        let slots = match self.major {
            Major::Rows => &p.row_slot,
            Major::Genes => &p.gene_slot,
        };
        slots.iter().map(|&s| s != u32::MAX).collect()
    }

    fn block(&mut self, b: &Block) {
        for i in 0..b.end - b.first {
            let m = b.first + i;
            for k in b.ptr[i]..b.ptr[i + 1] {
                let (r, g) = match self.major {
                    Major::Rows => (m, b.minor[k] as usize),
                    Major::Genes => (b.minor[k] as usize, m),
                };
                self.entry(r, g, b.values[k]);
            }
        }
    }

    // Same arithmetic as Expression::totals / log1p_variances (values as f32 first).
    fn entry(&mut self, r: usize, g: usize, v: f32) {
        if let Some(t) = &mut self.totals {
            t[r] += v as f64;
        }
        if let Some((s, s2)) = &mut self.sums {
            let l = (v as f64).max(0.0).ln_1p();
            s[g] += l;
            s2[g] += l * l;
        }
        if let Some(p) = &mut self.pick {
            let (rs, gs) = (p.row_slot[r], p.gene_slot[g]);
            if rs != u32::MAX && gs != u32::MAX {
                p.columns[gs as usize][rs as usize] = v;
            }
        }
    }

    fn variances(&self, n_obs: usize) -> Vec<f64> {
        let n = n_obs.max(1) as f64;
        let Some((s, s2)) = &self.sums else {
            return Vec::new();
        };
        s.iter()
            .zip(s2)
            .map(|(&s, &s2)| {
                let mean = s / n;
                (s2 / n - mean * mean).max(0.0)
            })
            .collect()
    }
}
