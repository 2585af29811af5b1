//! The in-memory, columnar dataset the viewer draws from.

use crate::error::{DataError, Result};
use crate::sparse::SparseExpression;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What one row stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum UnitKind {
    #[default]
    Cell,
    Spot,
    Bead,
    /// A DBiT barcode pair ("tixel").
    Tixel,
}

impl UnitKind {
    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Cell => "cell",
            UnitKind::Spot => "spot",
            UnitKind::Bead => "bead",
            UnitKind::Tixel => "tixel",
        }
    }
    pub fn parse(s: &str) -> Option<UnitKind> {
        match s.trim().to_ascii_lowercase().as_str() {
            "cell" => Some(UnitKind::Cell),
            "spot" => Some(UnitKind::Spot),
            "bead" => Some(UnitKind::Bead),
            "tixel" | "barcode" => Some(UnitKind::Tixel),
            _ => None,
        }
    }
}

/// How the rows were sampled from the source (recorded so a view is reproducible).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Downsampling {
    /// Human-readable, e.g. "stratified by sample, cell_type: 100000 of 1234567".
    pub description: String,
    pub seed: u64,
    pub source_rows: u64,
    /// Columns whose every category was kept represented.
    #[serde(default)]
    pub strata: Vec<String>,
}

/// Schema-level metadata. See README "Dataset format".
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Metadata {
    /// Short name shown in lists.
    pub name: String,
    /// e.g. "Visium", "Xenium", "MERFISH", "Slide-seq", "DBiT".
    pub platform: String,
    pub unit_kind: UnitKind,
    /// Spot/bead/tixel diameter in coordinate units, when the platform has one.
    pub unit_size: Option<f32>,
    /// Unit of x and y: "um" when known, otherwise e.g. "px" or "array".
    pub coord_unit: String,
    /// Where the data came from (repository, file, license).
    pub source: String,
    /// True when y grows downwards (image/pixel conventions: AnnData `obsm['spatial']`,
    /// Xenium, Vizgen); the viewer then draws row 0 at the top. False = y up.
    pub y_down: bool,
    pub downsampling: Option<Downsampling>,
    pub simulated: bool,
    pub simulated_description: Option<String>,
    /// Any other key/value pairs, kept on a round trip.
    pub extra: BTreeMap<String, String>,
}

/// A categorical column: `codes[i]` indexes `categories`.
#[derive(Debug, Clone, PartialEq)]
pub struct CategoricalColumn {
    pub name: String,
    pub codes: Vec<u32>,
    pub categories: Vec<String>,
    /// Optional colours ("#rrggbb") aligned with `categories`.
    pub colors: Option<Vec<String>>,
}

impl CategoricalColumn {
    /// Builds a column from string labels, categories in first-seen order.
    pub fn from_labels<S: AsRef<str>>(name: &str, labels: &[S]) -> Self {
        let mut index: std::collections::HashMap<&str, u32> = std::collections::HashMap::new();
        let mut categories = Vec::new();
        let mut codes = Vec::with_capacity(labels.len());
        for l in labels {
            let l = l.as_ref();
            let code = *index.entry(l).or_insert_with(|| {
                categories.push(l.to_string());
                (categories.len() - 1) as u32
            });
            codes.push(code);
        }
        CategoricalColumn {
            name: name.to_string(),
            codes,
            categories,
            colors: None,
        }
    }

    /// Number of rows per category.
    pub fn counts(&self) -> Vec<usize> {
        let mut c = vec![0usize; self.categories.len()];
        for &k in &self.codes {
            if let Some(slot) = c.get_mut(k as usize) {
                *slot += 1;
            }
        }
        c
    }

    /// The label of row `i`.
    pub fn label(&self, i: usize) -> Option<&str> {
        self.codes
            .get(i)
            .and_then(|&c| self.categories.get(c as usize))
            .map(String::as_str)
    }
}

/// What a numeric column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NumericKind {
    /// A per-unit value (total counts, area, a score…).
    #[default]
    Value,
    /// A gene's expression (raw counts unless the metadata says otherwise).
    Gene,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NumericColumn {
    pub name: String,
    pub values: Vec<f32>,
    pub kind: NumericKind,
}

impl NumericColumn {
    /// (min, max) of the finite values, None if there are none.
    pub fn finite_range(&self) -> Option<(f32, f32)> {
        finite_range(&self.values)
    }
}

pub fn finite_range(values: &[f32]) -> Option<(f32, f32)> {
    let mut lo = f32::INFINITY;
    let mut hi = f32::NEG_INFINITY;
    for &v in values {
        if v.is_finite() {
            lo = lo.min(v);
            hi = hi.max(v);
        }
    }
    (lo <= hi).then_some((lo, hi))
}

/// One dataset: rows are units (cells, spots, beads, tixels).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Dataset {
    pub x: Vec<f32>,
    pub y: Vec<f32>,
    pub categorical: Vec<CategoricalColumn>,
    pub numeric: Vec<NumericColumn>,
    pub meta: Metadata,
    /// Every gene, sparse (absent when the file holds only per-unit columns). Shared, so
    /// that a copy of the dataset with one more decoded column costs no copy of it.
    pub expression: Option<std::sync::Arc<SparseExpression>>,
}

/// Limits applied when loading, so the page never tries to hold more than it can draw.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub max_rows: u64,
    pub max_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        // 10M points at ~24 bytes per row for a typical 6-column file (240 MB, the
        // viewer's largest tested size) stays well under browser memory limits.
        Limits {
            max_rows: 10_000_000,
            max_bytes: 1 << 30,
        }
    }
}

impl Dataset {
    pub fn len(&self) -> usize {
        self.x.len()
    }
    pub fn is_empty(&self) -> bool {
        self.x.is_empty()
    }
    pub fn categorical(&self, name: &str) -> Option<&CategoricalColumn> {
        self.categorical.iter().find(|c| c.name == name)
    }
    pub fn numeric(&self, name: &str) -> Option<&NumericColumn> {
        self.numeric.iter().find(|c| c.name == name)
    }
    /// Names of the gene columns.
    pub fn genes(&self) -> impl Iterator<Item = &str> {
        self.numeric
            .iter()
            .filter(|c| c.kind == NumericKind::Gene)
            .map(|c| c.name.as_str())
    }
    /// (min_x, min_y, max_x, max_y) of the coordinates.
    pub fn bounds(&self) -> Option<[f32; 4]> {
        let (x0, x1) = finite_range(&self.x)?;
        let (y0, y1) = finite_range(&self.y)?;
        Some([x0, y0, x1, y1])
    }

    /// This dataset with the columns of `columns`, a dataset of the same units in the
    /// same order (its coordinates must be these, bit for bit: that is how a file of
    /// computed columns is checked against the dataset it belongs to). Its categorical
    /// and numeric columns are added, replacing those of the same name.
    pub fn with_columns_of(&self, columns: &Dataset) -> Result<Dataset, String> {
        if columns.len() != self.len() {
            return Err(format!(
                "the computed columns have {} rows, the dataset {}",
                columns.len(),
                self.len()
            ));
        }
        let same = |a: &[f32], b: &[f32]| a.iter().zip(b).all(|(p, q)| p.to_bits() == q.to_bits());
        if !same(&self.x, &columns.x) || !same(&self.y, &columns.y) {
            return Err(
                "the computed columns are of other units (their coordinates differ)".into(),
            );
        }
        let mut out = self.clone();
        for c in &columns.categorical {
            out.categorical.retain(|o| o.name != c.name);
            out.categorical.push(c.clone());
        }
        for c in &columns.numeric {
            out.numeric.retain(|o| o.name != c.name);
            out.numeric.push(c.clone());
        }
        Ok(out)
    }

    /// Keeps only the rows in `rows` (in that order).
    pub fn take(&self, rows: &[usize]) -> Dataset {
        let pick = |v: &[f32]| rows.iter().map(|&i| v[i]).collect::<Vec<f32>>();
        Dataset {
            x: pick(&self.x),
            y: pick(&self.y),
            categorical: self
                .categorical
                .iter()
                .map(|c| CategoricalColumn {
                    name: c.name.clone(),
                    codes: rows.iter().map(|&i| c.codes[i]).collect(),
                    categories: c.categories.clone(),
                    colors: c.colors.clone(),
                })
                .collect(),
            numeric: self
                .numeric
                .iter()
                .map(|c| NumericColumn {
                    name: c.name.clone(),
                    values: pick(&c.values),
                    kind: c.kind,
                })
                .collect(),
            meta: self.meta.clone(),
            expression: self
                .expression
                .as_ref()
                .map(|e| std::sync::Arc::new(e.take(rows))),
        }
    }

    /// A gene's values, one per row: a numeric gene column when there is one, else
    /// decoded from the sparse expression.
    pub fn gene_values(&self, name: &str) -> Option<std::borrow::Cow<'_, [f32]>> {
        if let Some(c) = self.numeric(name) {
            return Some(std::borrow::Cow::Borrowed(&c.values));
        }
        let e = self.expression.as_ref()?;
        e.gene_column(e.gene_index(name)?)
            .map(std::borrow::Cow::Owned)
    }

    /// Checks everything the viewer relies on. Messages name the column and count the bad values.
    pub fn validate(&self, limits: &Limits) -> Result<()> {
        self.validate_checking_codes(limits, true)
    }

    /// As [`Dataset::validate`]; `check_codes: false` skips the pass over every categorical
    /// code, for a reader that built the codes in range already (the Arrow decoder does).
    pub(crate) fn validate_checking_codes(&self, limits: &Limits, check_codes: bool) -> Result<()> {
        let n = self.x.len();
        if n == 0 {
            return Err(DataError::Empty);
        }
        if n as u64 > limits.max_rows {
            return Err(DataError::TooLarge {
                what: "number of rows".into(),
                found: n as u64,
                limit: limits.max_rows,
                limit_points: limits.max_rows,
            });
        }
        if self.y.len() != n {
            return Err(DataError::Invalid(format!(
                "`x` has {n} rows but `y` has {}",
                self.y.len()
            )));
        }
        for (name, v) in [("x", &self.x), ("y", &self.y)] {
            // one pass in the usual case; the split is counted only to report it
            if v.iter().all(|a| a.is_finite()) {
                continue;
            }
            let nan = v.iter().filter(|a| a.is_nan()).count();
            let inf = v.iter().filter(|a| a.is_infinite()).count();
            if nan + inf > 0 {
                return Err(DataError::NonFiniteCoordinates {
                    column: name.into(),
                    nan,
                    inf,
                    rows: n,
                });
            }
        }
        let mut seen = std::collections::HashSet::new();
        for name in ["x", "y"] {
            seen.insert(name.to_string());
        }
        for c in &self.categorical {
            if !seen.insert(c.name.clone()) {
                return Err(DataError::Invalid(format!(
                    "column name `{}` is used twice",
                    c.name
                )));
            }
            if c.codes.len() != n {
                return Err(DataError::Invalid(format!(
                    "categorical column `{}` has {} rows; expected {n}",
                    c.name,
                    c.codes.len()
                )));
            }
            let k = c.categories.len() as u32;
            let bad = if check_codes {
                c.codes.iter().filter(|&&code| code >= k).count()
            } else {
                0
            };
            if bad > 0 {
                return Err(DataError::Invalid(format!(
                    "categorical column `{}` has {bad} codes outside its {k} categories",
                    c.name
                )));
            }
            if let Some(colors) = &c.colors {
                if colors.len() != c.categories.len() {
                    return Err(DataError::Invalid(format!(
                        "categorical column `{}` has {} colours for {} categories",
                        c.name,
                        colors.len(),
                        c.categories.len()
                    )));
                }
            }
        }
        for c in &self.numeric {
            if !seen.insert(c.name.clone()) {
                return Err(DataError::Invalid(format!(
                    "column name `{}` is used twice",
                    c.name
                )));
            }
            if c.values.len() != n {
                return Err(DataError::Invalid(format!(
                    "numeric column `{}` has {} rows; expected {n}",
                    c.name,
                    c.values.len()
                )));
            }
        }
        if let Some(e) = &self.expression {
            e.validate(n)?;
        }
        Ok(())
    }
}

/// The q-quantile (0..=1) of the finite values (linear interpolation), e.g. 0.99 for a
/// robust colour-scale maximum. None when no value is finite.
pub fn quantile(values: &[f32], q: f64) -> Option<f32> {
    let mut v: Vec<f32> = values.iter().copied().filter(|x| x.is_finite()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_unstable_by(f32::total_cmp);
    let pos = q.clamp(0.0, 1.0) * (v.len() - 1) as f64;
    let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
    let t = (pos - lo as f64) as f32;
    Some(v[lo] + (v[hi] - v[lo]) * t)
}

impl CategoricalColumn {
    /// Row mask for one category (a panel of small multiples).
    pub fn mask_for(&self, code: u32) -> Vec<bool> {
        self.codes.iter().map(|&c| c == code).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_and_masks() {
        let v = [4.0, f32::NAN, 1.0, 3.0, 2.0];
        assert_eq!(quantile(&v, 0.0), Some(1.0));
        assert_eq!(quantile(&v, 1.0), Some(4.0));
        assert_eq!(quantile(&v, 0.5), Some(2.5));
        assert_eq!(quantile(&[f32::NAN], 0.5), None);
        let c = CategoricalColumn::from_labels("s", &["a", "b", "a"]);
        assert_eq!(c.categories, ["a", "b"]);
        assert_eq!(c.mask_for(0), [true, false, true]);
        assert_eq!(c.counts(), [2, 1]);
        assert_eq!(c.label(1), Some("b"));
    }

    fn three(xs: [f32; 3]) -> Dataset {
        Dataset {
            x: xs.to_vec(),
            y: vec![0.0, 1.0, 2.0],
            ..Default::default()
        }
    }

    #[test]
    fn computed_columns_join_only_their_own_units() {
        let mut base = three([0.0, 1.0, 2.0]);
        base.categorical.push(CategoricalColumn::from_labels(
            "cell_type",
            &["a", "b", "a"],
        ));
        base.categorical.push(CategoricalColumn::from_labels(
            "niche",
            &["old", "old", "old"],
        ));
        let mut cols = three([0.0, 1.0, 2.0]);
        cols.categorical
            .push(CategoricalColumn::from_labels("niche", &["n1", "n2", "n1"]));
        let j = base.with_columns_of(&cols).unwrap();
        assert_eq!(j.x, base.x);
        assert_eq!(j.categorical("cell_type"), base.categorical("cell_type"));
        // replaced, not added twice
        assert_eq!(
            j.categorical.iter().filter(|c| c.name == "niche").count(),
            1
        );
        assert_eq!(j.categorical("niche").unwrap().categories, ["n1", "n2"]);
        // other units: fewer rows, or the same number elsewhere (-0.0 is not 0.0)
        let short = Dataset {
            x: vec![0.0, 1.0],
            y: vec![0.0, 1.0],
            ..Default::default()
        };
        assert!(base.with_columns_of(&short).unwrap_err().contains("2 rows"));
        let moved = three([0.0, 1.0, 2.5]);
        assert!(base.with_columns_of(&moved).unwrap_err().contains("differ"));
        assert!(base.with_columns_of(&three([-0.0, 1.0, 2.0])).is_err());
    }
}
