//! Case 1: testing a sex difference per barcode (pseudoreplication) versus
//! per donor (pseudobulk).

use crate::de::{de_replicates, de_units_lognorm, log_cpm, pseudobulk, TestKind};
use crate::sim::{Scenario, Truth};
use serde::{Deserialize, Serialize};

/// The unit of replication used for the test.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TestLevel {
    /// Every barcode is a sample (wrong: barcodes are nested in donors).
    Unit,
    /// Counts summed per donor; donors are the samples (right).
    Replicate,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DeSummary {
    pub level: TestLevel,
    pub test: String,
    pub alpha: f64,
    pub n_genes: usize,
    pub n_significant: usize,
    pub pct_genes_significant: f64,
    /// Names of housekeeping genes called significant.
    pub housekeeping_called: Vec<String>,
    pub n_housekeeping: usize,
    /// Significant genes that carry a true sex effect / that do not.
    pub true_positives: usize,
    pub false_positives: usize,
    /// Per gene (gene order): raw p-value, BH-adjusted p, and effect
    /// (male minus female mean, on the tested scale) for histograms/volcanoes.
    pub p: Vec<f32>,
    pub p_adj: Vec<f32>,
    pub effect: Vec<f32>,
}

/// Run the sex test at the chosen level. Unit level: library size (1e4) +
/// log1p per barcode, as scanpy's default preprocessing. Replicate level:
/// pseudobulk per donor, log2-CPM.
pub fn case_pseudoreplication(
    s: &Scenario,
    level: TestLevel,
    test: TestKind,
    alpha: f64,
) -> Result<DeSummary, String> {
    let donor = s.obs("donor").ok_or("scenario has no 'donor' column")?;
    let sex = s.obs("sex").ok_or("scenario has no 'sex' column")?;
    let male_code = sex.code_of("M").ok_or("'sex' column has no category 'M'")?;
    let table = match level {
        TestLevel::Unit => {
            let group1: Vec<bool> = sex.codes.iter().map(|&c| c == male_code).collect();
            de_units_lognorm(&s.counts, 1e4, &group1, test)
        }
        TestLevel::Replicate => {
            let n_donors = donor.categories.len();
            let mut donor_male = vec![None; n_donors];
            for (u, &d) in donor.codes.iter().enumerate() {
                let m = sex.codes[u] == male_code;
                match donor_male[d as usize] {
                    None => donor_male[d as usize] = Some(m),
                    Some(prev) if prev != m => {
                        return Err(format!(
                            "donor {} has barcodes of both sexes",
                            donor.categories[d as usize]
                        ))
                    }
                    _ => {}
                }
            }
            let group1: Vec<bool> = donor_male.iter().map(|m| m.unwrap_or(false)).collect();
            let pb = log_cpm(&pseudobulk(&s.counts, &donor.codes, n_donors));
            de_replicates(&pb, &group1, test)
        }
    };
    let sig = table.significant(alpha);
    let (sex_genes, hk) = match &s.truth {
        Truth::Pseudoreplication {
            sex_genes,
            housekeeping,
            ..
        } => (sex_genes.clone(), housekeeping.clone()),
        _ => return Err("scenario is not the pseudoreplication scenario".into()),
    };
    let mut is_sex = vec![false; s.gene_names.len()];
    sex_genes.iter().for_each(|&g| is_sex[g] = true);
    let tp = sig.iter().filter(|&&g| is_sex[g]).count();
    Ok(DeSummary {
        level,
        test: format!("{test:?}"),
        alpha,
        n_genes: s.gene_names.len(),
        n_significant: sig.len(),
        pct_genes_significant: 100.0 * sig.len() as f64 / s.gene_names.len() as f64,
        housekeeping_called: hk
            .iter()
            .filter(|&&g| table.p_adj[g] < alpha)
            .map(|&g| s.gene_names[g].clone())
            .collect(),
        n_housekeeping: hk.len(),
        true_positives: tp,
        false_positives: sig.len() - tp,
        p: table.results.iter().map(|r| r.p as f32).collect(),
        p_adj: table.p_adj.iter().map(|&p| p as f32).collect(),
        effect: table.results.iter().map(|r| r.mean_diff as f32).collect(),
    })
}
