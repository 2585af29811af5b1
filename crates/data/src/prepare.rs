//! From a [`SourceTable`] to a [`Dataset`]: choose columns and genes, and
//! downsample with a seeded, stratified sample that keeps every category
//! of the chosen columns represented.

use crate::dataset::{CategoricalColumn, Dataset, Downsampling, NumericColumn, NumericKind};
use crate::error::{DataError, Result};
use crate::table::{ObsColumn, SourceTable};
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64;
use std::collections::HashMap;

/// Text columns with more distinct values than this are identifiers, not categories,
/// and are left out unless asked for by name.
pub const MAX_TEXT_CATEGORIES: usize = 500;

#[derive(Debug, Clone, Default)]
pub struct PrepareOptions {
    /// Obs columns to keep; None = every categorical/numeric column (and text columns with few values).
    pub obs_columns: Option<Vec<String>>,
    /// Genes to keep, by name.
    pub genes: Vec<String>,
    /// Also keep the N most variable genes (variance of log1p counts).
    pub top_genes: usize,
    /// Keep every gene (for small panels, or re-sampling an existing dataset).
    pub all_genes: bool,
    /// Downsample to at most this many rows.
    pub max_points: Option<usize>,
    /// Categorical columns whose categories must all stay represented; None = every kept
    /// categorical column with at most 1000 categories.
    pub stratify_by: Option<Vec<String>>,
    pub seed: u64,
    /// Add `total_counts` (sum over all genes) when the input has expression and no such column.
    pub add_total_counts: bool,
}

/// Builds the dataset. Errors name the unknown column or gene.
pub fn prepare(table: &SourceTable, opts: &PrepareOptions) -> Result<Dataset> {
    let n = table.n_units();
    let mut ds = obs_dataset(table, opts)?;
    if let Some(e) = &table.expression {
        if opts.add_total_counts && table.obs("total_counts").is_none() {
            ds.numeric.push(total_counts_column(&e.totals()));
        }
        let mut picked = named_genes(&e.var_names, opts)?;
        if opts.all_genes {
            add_genes(&mut picked, 0..e.n_vars());
        } else {
            add_genes(&mut picked, e.top_variable(opts.top_genes));
        }
        let names = gene_column_names(&ds, &e.var_names, &picked);
        for (&k, name) in picked.iter().zip(names) {
            ds.numeric.push(NumericColumn {
                name,
                values: e.gene_values(k),
                kind: NumericKind::Gene,
            });
        }
    } else {
        no_expression(opts)?;
    }
    if let Some((rows, down)) = sample_rows(&ds, n, opts)? {
        let mut out = ds.take(&rows);
        out.meta.downsampling = Some(down);
        ds = out;
    }
    Ok(ds)
}

/// Coordinates, metadata and the chosen obs columns, every row (no genes yet).
pub(crate) fn obs_dataset(table: &SourceTable, opts: &PrepareOptions) -> Result<Dataset> {
    if table.n_units() == 0 {
        return Err(DataError::Empty);
    }
    let mut ds = Dataset {
        x: table.x.iter().map(|&v| v as f32).collect(),
        y: table.y.iter().map(|&v| v as f32).collect(),
        meta: table.meta.clone(),
        ..Default::default()
    };
    let wanted: Vec<&ObsColumn> = match &opts.obs_columns {
        Some(names) => names
            .iter()
            .map(|nm| {
                table.obs(nm).ok_or_else(|| {
                    let have: Vec<&str> = table.obs.iter().map(|c| c.name()).collect();
                    DataError::Options(format!(
                        "obs column `{nm}` not found; available: {}",
                        have.join(", ")
                    ))
                })
            })
            .collect::<Result<_>>()?,
        None => table.obs.iter().collect(),
    };
    let explicit = opts.obs_columns.is_some();
    for col in wanted {
        match col {
            ObsColumn::Categorical(c) => ds.categorical.push(c.clone()),
            ObsColumn::Numeric { name, values } => ds.numeric.push(NumericColumn {
                name: name.clone(),
                values: values.iter().map(|&v| v as f32).collect(),
                kind: NumericKind::Value,
            }),
            ObsColumn::Text { name, values } => {
                let c = CategoricalColumn::from_labels(name, values);
                if explicit || c.categories.len() <= MAX_TEXT_CATEGORIES {
                    ds.categorical.push(c);
                }
            }
        }
    }
    Ok(ds)
}

/// The error when genes are asked of an input without an expression matrix.
pub(crate) fn no_expression(opts: &PrepareOptions) -> Result<()> {
    if !opts.genes.is_empty() || opts.top_genes > 0 || opts.all_genes {
        return Err(DataError::Options(
            "genes were requested but this input has no expression matrix".into(),
        ));
    }
    Ok(())
}

pub(crate) fn total_counts_column(totals: &[f64]) -> NumericColumn {
    NumericColumn {
        name: "total_counts".into(),
        values: totals.iter().map(|&v| v as f32).collect(),
        kind: NumericKind::Value,
    }
}

/// Indices of the genes named in the options, in order, without repeats.
pub(crate) fn named_genes(var_names: &[String], opts: &PrepareOptions) -> Result<Vec<usize>> {
    let mut picked: Vec<usize> = Vec::new();
    for g in &opts.genes {
        let k = var_names.iter().position(|v| v == g).ok_or_else(|| {
            let close: Vec<&str> = var_names
                .iter()
                .filter(|v| v.eq_ignore_ascii_case(g))
                .map(String::as_str)
                .collect();
            DataError::Options(if close.is_empty() {
                format!("gene `{g}` not found among {} genes", var_names.len())
            } else {
                format!("gene `{g}` not found; did you mean {}?", close.join(", "))
            })
        })?;
        if !picked.contains(&k) {
            picked.push(k);
        }
    }
    Ok(picked)
}

/// Appends genes not picked yet (every gene in file order, or the most variable ones).
pub(crate) fn add_genes(picked: &mut Vec<usize>, extra: impl IntoIterator<Item = usize>) {
    let mut seen: std::collections::HashSet<usize> = picked.iter().copied().collect();
    for k in extra {
        if seen.insert(k) {
            picked.push(k);
        }
    }
}

/// Column names of the picked genes: a gene named like an obs column (or x, y) keeps
/// its name but gets a prefix to stay unique.
pub(crate) fn gene_column_names(
    ds: &Dataset,
    var_names: &[String],
    picked: &[usize],
) -> Vec<String> {
    let taken: std::collections::HashSet<&str> = ds
        .categorical
        .iter()
        .map(|c| c.name.as_str())
        .chain(ds.numeric.iter().map(|c| c.name.as_str()))
        .collect();
    picked
        .iter()
        .map(|&k| {
            let name = &var_names[k];
            if taken.contains(name.as_str()) || name == "x" || name == "y" {
                format!("gene:{name}")
            } else {
                name.clone()
            }
        })
        .collect()
}

/// The rows `--max-points` keeps (None when every row stays), with the record of how.
pub(crate) fn sample_rows(
    ds: &Dataset,
    n: usize,
    opts: &PrepareOptions,
) -> Result<Option<(Vec<usize>, Downsampling)>> {
    let Some(max) = opts.max_points else {
        return Ok(None);
    };
    if max == 0 {
        return Err(DataError::Options("--max-points must be at least 1".into()));
    }
    if n <= max {
        return Ok(None);
    }
    let strata: Vec<&CategoricalColumn> = match &opts.stratify_by {
        Some(names) => names
            .iter()
            .map(|nm| {
                ds.categorical(nm).ok_or_else(|| {
                    DataError::Options(format!(
                        "cannot stratify by `{nm}`: not a kept categorical column"
                    ))
                })
            })
            .collect::<Result<_>>()?,
        None => ds
            .categorical
            .iter()
            .filter(|c| c.categories.len() <= 1000)
            .collect(),
    };
    let rows = stratified_sample(n, max, &strata, opts.seed);
    let names: Vec<String> = strata.iter().map(|c| c.name.clone()).collect();
    let description = if names.is_empty() {
        format!("uniform random sample of {} of {n} rows", rows.len())
    } else {
        format!(
            "stratified random sample of {} of {n} rows, every category of {} kept",
            rows.len(),
            names.join(", ")
        )
    };
    let down = Downsampling {
        description,
        seed: opts.seed,
        source_rows: n as u64,
        strata: names,
    };
    Ok(Some((rows, down)))
}

/// Picks `max` of `n` rows (sorted), seeded. First one row for every category of every
/// stratum column, then the remaining budget shared across the combined strata in
/// proportion to their sizes (largest remainder), sampled without replacement.
pub fn stratified_sample(
    n: usize,
    max: usize,
    strata: &[&CategoricalColumn],
    seed: u64,
) -> Vec<usize> {
    let mut rng = Pcg64::seed_from_u64(seed);
    if max >= n {
        return (0..n).collect();
    }
    let mut chosen = vec![false; n];
    let mut count = 0usize;
    // Groups of rows sharing all stratum labels.
    // Combined stratum of each row as one mixed-radix number (saturating: beyond u64 the
    // strata merge, which only weakens proportionality, never per-category coverage).
    let mut groups: HashMap<u64, Vec<usize>> = HashMap::new();
    for r in 0..n {
        let mut key = 0u64;
        for c in strata {
            key = key
                .saturating_mul(c.categories.len().max(1) as u64)
                .saturating_add(c.codes[r] as u64);
        }
        groups.entry(key).or_default().push(r);
    }
    let mut keys: Vec<u64> = groups.keys().copied().collect();
    keys.sort_unstable();
    // One representative per category of each column.
    for c in strata {
        let mut rows_of: Vec<Vec<usize>> = vec![Vec::new(); c.categories.len()];
        for (r, &k) in c.codes.iter().enumerate() {
            rows_of[k as usize].push(r);
        }
        for rows in rows_of.iter().filter(|r| !r.is_empty()) {
            if rows.iter().any(|&r| chosen[r]) || count >= max {
                continue;
            }
            let r = rows[rng.random_range(0..rows.len())];
            chosen[r] = true;
            count += 1;
        }
    }
    // Quotas in proportion to the full group sizes (largest remainder), minus the
    // representatives already in each group; any leftover goes to the largest groups.
    let sizes: Vec<usize> = keys.iter().map(|k| groups[k].len()).collect();
    let mut quota: Vec<usize> = sizes.iter().map(|&s| max * s / n).collect();
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by(|&a, &b| {
        let ra = (max * sizes[a]) % n;
        let rb = (max * sizes[b]) % n;
        rb.cmp(&ra).then(a.cmp(&b))
    });
    let mut left = max - quota.iter().sum::<usize>();
    for &i in order.iter().cycle().take(order.len() * 2) {
        if left == 0 {
            break;
        }
        if quota[i] < sizes[i] {
            quota[i] += 1;
            left -= 1;
        }
    }
    let mut free: Vec<Vec<usize>> = keys
        .iter()
        .map(|k| groups[k].iter().copied().filter(|&r| !chosen[r]).collect())
        .collect();
    let mut need: Vec<usize> = (0..keys.len())
        .map(|i| quota[i].saturating_sub(sizes[i] - free[i].len()))
        .collect();
    let mut spare = (max - count).saturating_sub(need.iter().sum());
    let mut by_size: Vec<usize> = (0..keys.len()).collect();
    by_size.sort_by(|&a, &b| free[b].len().cmp(&free[a].len()).then(a.cmp(&b)));
    while spare > 0 {
        let mut progressed = false;
        for &i in &by_size {
            if spare > 0 && need[i] < free[i].len() {
                need[i] += 1;
                spare -= 1;
                progressed = true;
            }
        }
        if !progressed {
            break;
        }
    }
    for (i, rows) in free.iter_mut().enumerate() {
        let k = need[i].min(rows.len()).min(max - count);
        for j in 0..k {
            let pick = rng.random_range(j..rows.len());
            rows.swap(j, pick);
            chosen[rows[j]] = true;
        }
        count += k;
    }
    (0..n).filter(|&r| chosen[r]).collect()
}

/// Reads any supported input: a folder with a plain layout, an `.h5ad`, or an `.arrow` dataset.
pub fn read_input(path: &std::path::Path) -> Result<SourceTable> {
    let name = path.display().to_string();
    if path.is_dir() {
        let h5: Vec<std::path::PathBuf> = std::fs::read_dir(path)
            .map_err(|e| DataError::input(&name, e.to_string()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "h5ad"))
            .collect();
        return match crate::plain::read_folder(path) {
            Ok(t) => Ok(t),
            Err(e) if h5.len() == 1 => read_input(&h5[0]).map_err(|_| e),
            Err(e) => Err(e),
        };
    }
    let bytes = std::fs::read(path).map_err(|e| DataError::input(&name, e.to_string()))?;
    if bytes.starts_with(b"ARROW1") {
        return Ok(dataset_to_table(crate::ipc::read_ipc_with_limits(
            &bytes,
            &crate::dataset::Limits {
                max_rows: u64::MAX,
                max_bytes: u64::MAX,
            },
        )?));
    }
    let mut t = crate::h5ad::read_h5ad_bytes(&name, bytes)?;
    name_from_path(&mut t, path);
    Ok(t)
}

/// Name and source from the file name, when the file itself does not say.
pub(crate) fn name_from_path(t: &mut SourceTable, path: &std::path::Path) {
    if t.meta.name.is_empty() {
        t.meta.name = path
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
    }
    if t.meta.source.is_empty() {
        t.meta.source = path
            .file_name()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
    }
}

/// An existing dataset as a converter input (to re-downsample); genes become an expression matrix.
pub fn dataset_to_table(ds: Dataset) -> SourceTable {
    let n = ds.len();
    let mut genes = Vec::new();
    let mut obs: Vec<ObsColumn> = ds
        .categorical
        .into_iter()
        .map(ObsColumn::Categorical)
        .collect();
    for c in ds.numeric {
        match c.kind {
            NumericKind::Gene => genes.push((c.name, c.values.iter().map(|&v| v as f64).collect())),
            NumericKind::Value => obs.push(ObsColumn::Numeric {
                name: c.name,
                values: c.values.iter().map(|&v| v as f64).collect(),
            }),
        }
    }
    SourceTable {
        unit_ids: None,
        x: ds.x.iter().map(|&v| v as f64).collect(),
        y: ds.y.iter().map(|&v| v as f64).collect(),
        obs,
        expression: (!genes.is_empty()).then(|| crate::table::Expression::from_gene_rows(n, genes)),
        meta: ds.meta,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_category_survives_and_seed_is_reproducible() {
        // 1000 rows: category 0 has 990 rows, categories 1..=10 one row each.
        let codes: Vec<u32> = (0..1000u32)
            .map(|i| if i < 990 { 0 } else { i - 989 })
            .collect();
        let c = CategoricalColumn {
            name: "t".into(),
            codes,
            categories: (0..11).map(|i| i.to_string()).collect(),
            colors: None,
        };
        let a = stratified_sample(1000, 50, &[&c], 7);
        assert_eq!(a.len(), 50);
        for k in 0..11u32 {
            assert!(a.iter().any(|&r| c.codes[r] == k), "category {k} lost");
        }
        assert_eq!(a, stratified_sample(1000, 50, &[&c], 7));
        assert_ne!(a, stratified_sample(1000, 50, &[&c], 8));
        assert!(a.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn proportions_follow_group_sizes() {
        // Two groups 800/200, budget 100 -> 80/20 (after one representative each).
        let codes: Vec<u32> = (0..1000u32).map(|i| u32::from(i >= 800)).collect();
        let c = CategoricalColumn {
            name: "s".into(),
            codes,
            categories: vec!["a".into(), "b".into()],
            colors: None,
        };
        let rows = stratified_sample(1000, 100, &[&c], 1);
        let b = rows.iter().filter(|&&r| r >= 800).count();
        assert_eq!((rows.len(), b), (100, 20));
    }
}
