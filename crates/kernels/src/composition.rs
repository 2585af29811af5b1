//! Panel composition of a real targeted dataset: how much of each cell's
//! counts its top genes take, per cell type, and what library-size
//! normalisation does to the co-expression of the two top genes.
//!
//! On a targeted panel a few highly expressed genes make up most of a cell's
//! library, so dividing by the library couples them: the same effect the
//! normalisation case study shows on simulated data.

use crate::csr::CsrMatrix;
use crate::norm::{gene_values, top_genes, Normalization};
use crate::stats::spearman;
use serde::{Deserialize, Serialize};

/// One group of cells (a cell type, or every cell when there are no labels).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupShare {
    pub group: String,
    pub n_cells: usize,
    /// The group's three highest-total genes, highest first.
    pub top_genes: Vec<String>,
    /// Share of the group's pooled counts in its top 1 and top 3 genes.
    pub pooled_top1: f64,
    pub pooled_top3: f64,
    /// Median over the group's cells of the share of a cell's counts in
    /// that cell's own highest gene, and in its own three highest genes.
    pub median_cell_top1: f64,
    pub median_cell_top3: f64,
}

/// Spearman ρ of two genes within one group, on raw counts and after
/// library-size normalisation (counts / library × 10⁴, log1p).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Coexpression {
    pub group: String,
    pub gene_a: String,
    pub gene_b: String,
    pub n_cells: usize,
    pub spearman_raw: f64,
    pub spearman_libsize: f64,
}

/// A dataset's composition: every group, and one co-expression.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PanelComposition {
    pub n_genes: usize,
    /// Cells with at least one count (cells without any are left out).
    pub n_cells: usize,
    pub n_empty_cells: usize,
    /// The grouping column, or "" when every cell is one group.
    pub grouped_by: String,
    pub groups: Vec<GroupShare>,
    pub coexpression: Option<Coexpression>,
}

/// Computes the composition of `counts` (cells × genes) with `genes` naming
/// the columns and `groups` labelling each row (None: one group "all cells").
/// Groups are listed largest first; the co-expression is computed in the
/// largest group on its two highest-total genes.
pub fn panel_composition(
    counts: &CsrMatrix,
    genes: &[String],
    groups: Option<(&str, &[String])>,
) -> Result<PanelComposition, String> {
    if genes.len() != counts.ncols {
        return Err(format!(
            "{} gene names for {} columns",
            genes.len(),
            counts.ncols
        ));
    }
    if let Some((_, labels)) = groups {
        if labels.len() != counts.nrows {
            return Err(format!(
                "{} labels for {} cells",
                labels.len(),
                counts.nrows
            ));
        }
    }
    let totals = counts.row_sums();
    let kept: Vec<usize> = (0..counts.nrows).filter(|&r| totals[r] > 0.0).collect();
    let label = |r: usize| -> &str { groups.map_or("all cells", |(_, l)| l[r].as_str()) };
    let mut names: Vec<&str> = Vec::new();
    let mut members: Vec<Vec<usize>> = Vec::new();
    for &r in &kept {
        match names.iter().position(|n| *n == label(r)) {
            Some(i) => members[i].push(r),
            None => {
                names.push(label(r));
                members.push(vec![r]);
            }
        }
    }
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by(|&a, &b| {
        members[b]
            .len()
            .cmp(&members[a].len())
            .then(names[a].cmp(names[b]))
    });
    let groups_out: Vec<GroupShare> = order
        .iter()
        .map(|&i| group_share(counts, genes, names[i], &members[i]))
        .collect();
    let coexpression = order
        .first()
        .and_then(|&i| coexpression(counts, genes, names[i], &members[i]));
    Ok(PanelComposition {
        n_genes: genes.len(),
        n_cells: kept.len(),
        n_empty_cells: counts.nrows - kept.len(),
        grouped_by: groups.map_or(String::new(), |(n, _)| n.to_string()),
        groups: groups_out,
        coexpression,
    })
}

fn subset(counts: &CsrMatrix, rows: &[usize]) -> CsrMatrix {
    let list: Vec<Vec<(u32, f32)>> = rows
        .iter()
        .map(|&r| {
            let (i, v) = counts.row(r);
            i.iter().copied().zip(v.iter().copied()).collect()
        })
        .collect();
    CsrMatrix::from_rows(counts.ncols, &list)
}

fn group_share(counts: &CsrMatrix, genes: &[String], name: &str, rows: &[usize]) -> GroupShare {
    let sub = subset(counts, rows);
    let sums = sub.col_sums();
    let total: f64 = sums.iter().sum();
    let top = top_genes(&sub, 3);
    let pooled = |n: usize| top.iter().take(n).map(|&g| sums[g]).sum::<f64>() / total;
    let mut cell1 = Vec::with_capacity(rows.len());
    let mut cell3 = Vec::with_capacity(rows.len());
    for r in 0..sub.nrows {
        let (_, v) = sub.row(r);
        let mut v: Vec<f64> = v.iter().map(|&x| x as f64).collect();
        v.sort_by(|a, b| b.total_cmp(a));
        let t: f64 = v.iter().sum();
        cell1.push(v.first().copied().unwrap_or(0.0) / t);
        cell3.push(v.iter().take(3).sum::<f64>() / t);
    }
    GroupShare {
        group: name.to_string(),
        n_cells: rows.len(),
        top_genes: top.iter().map(|&g| genes[g].clone()).collect(),
        pooled_top1: pooled(1),
        pooled_top3: pooled(3),
        median_cell_top1: median(&mut cell1),
        median_cell_top3: median(&mut cell3),
    }
}

fn coexpression(
    counts: &CsrMatrix,
    genes: &[String],
    name: &str,
    rows: &[usize],
) -> Option<Coexpression> {
    let sub = subset(counts, rows);
    let top = top_genes(&sub, 2);
    let (&a, &b) = (top.first()?, top.get(1)?);
    if rows.len() < 3 {
        return None;
    }
    let rho = |n: &Normalization| spearman(&gene_values(&sub, a, n), &gene_values(&sub, b, n));
    Some(Coexpression {
        group: name.to_string(),
        gene_a: genes[a].clone(),
        gene_b: genes[b].clone(),
        n_cells: rows.len(),
        spearman_raw: rho(&Normalization::Raw),
        spearman_libsize: rho(&Normalization::LibSizeLog1p { target_sum: 1e4 }),
    })
}

/// The median (mean of the two middle values for an even count); NaN when empty.
fn median(v: &mut [f64]) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(n: &[&str]) -> Vec<String> {
        n.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn shares_by_hand() {
        // Cell 0: 8,1,1 (top share 0.8); cell 1: 2,6,2 (0.6); cell 2 is empty.
        let m = CsrMatrix::from_dense(3, 3, &[8., 1., 1., 2., 6., 2., 0., 0., 0.]);
        let c = panel_composition(&m, &names(&["A", "B", "C"]), None).unwrap();
        assert_eq!((c.n_cells, c.n_empty_cells), (2, 1));
        let g = &c.groups[0];
        assert_eq!(g.group, "all cells");
        // Pooled: A 10, B 7, C 3 of 20.
        assert_eq!(g.top_genes, names(&["A", "B", "C"]));
        assert!((g.pooled_top1 - 0.5).abs() < 1e-12);
        assert!((g.pooled_top3 - 1.0).abs() < 1e-12);
        assert!((g.median_cell_top1 - 0.7).abs() < 1e-12);
        let co = c.coexpression.as_ref();
        assert!(co.is_none(), "two cells are too few for a correlation");
    }

    #[test]
    fn groups_largest_first_and_libsize_flips_the_sign() {
        // Four cells where A and B rise together with the library (ρ raw = 1),
        // but B's share falls as A's rises: after dividing by the library the
        // two move apart (ρ = -1).
        let m = CsrMatrix::from_dense(
            5,
            3,
            &[
                10., 9., 1., 22., 12., 6., 36., 14., 10., 52., 15., 13., 1., 1., 1.,
            ],
        );
        let labels = names(&["T", "T", "T", "T", "B"]);
        let c =
            panel_composition(&m, &names(&["A", "B", "C"]), Some(("cell_type", &labels))).unwrap();
        assert_eq!(c.grouped_by, "cell_type");
        assert_eq!(c.groups[0].group, "T");
        assert_eq!(c.groups[0].n_cells, 4);
        assert_eq!(c.groups[1].group, "B");
        let co = c.coexpression.unwrap();
        assert_eq!((co.gene_a.as_str(), co.gene_b.as_str()), ("A", "B"));
        assert!((co.spearman_raw - 1.0).abs() < 1e-12);
        // Libraries 20, 40, 60, 80: A's share 0.50, 0.55, 0.60, 0.65 rises, B's falls.
        assert!((co.spearman_libsize + 1.0).abs() < 1e-12);
        assert!((c.groups[0].pooled_top1 - 120.0 / 200.0).abs() < 1e-12);
    }

    #[test]
    fn mismatched_shapes_are_errors() {
        let m = CsrMatrix::from_dense(1, 2, &[1., 2.]);
        assert!(panel_composition(&m, &names(&["A"]), None).is_err());
        let l = names(&["x", "y"]);
        assert!(panel_composition(&m, &names(&["A", "B"]), Some(("g", &l))).is_err());
    }
}
