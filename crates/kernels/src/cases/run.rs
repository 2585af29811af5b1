//! The case analyses called by the names of [`super::spec`]: one function per kind
//! of analysis, shared by the kernels' `headlines` and the data worker, so both run
//! exactly the same kernel call for the same names.

use super::batch::{case_batch_integration, BatchSummary, ClusterOptions};
use super::niches::{case_fibro_immune_proximity, case_niches, NicheSummary, PairwiseSummary};
use super::normalization::{case_normalization, CorrSummary};
use super::parse;
use super::pseudoreplication::{case_pseudoreplication, DeSummary};
use super::spatial_units::{case_oocyte_count, StructureCount};
use super::spec::CaseAnalysis;
use crate::sim::Scenario;

/// The sex test at `level` with `test`, BH 5%.
pub fn de(s: &Scenario, level: &str, test: &str) -> Result<DeSummary, String> {
    case_pseudoreplication(s, parse::test_level(level)?, parse::test_kind(test)?, 0.05)
}

/// Mbp–Plp1 Spearman in oligodendrocytes under `norm`.
pub fn corr(s: &Scenario, norm: &str) -> Result<CorrSummary, String> {
    case_normalization(
        s,
        &parse::normalization(norm)?,
        "Mbp",
        "Plp1",
        "Oligodendrocyte",
    )
}

/// Clustering with `integration` and the default clustering options.
pub fn batch(s: &Scenario, integration: &str) -> Result<BatchSummary, String> {
    case_batch_integration(
        s,
        parse::integration(integration)?,
        &ClusterOptions::default(),
    )
}

/// Oocytes of every timepoint (first timepoint first) by `method` at `radius` µm.
pub fn oocytes(s: &Scenario, method: &str, radius: f32) -> Result<Vec<StructureCount>, String> {
    let m = parse::count_method(method, radius)?;
    let tps = &s
        .obs("timepoint")
        .ok_or("the scenario has no timepoint")?
        .categories;
    tps.iter().map(|tp| case_oocyte_count(s, tp, m)).collect()
}

/// Fibroblast–immune proximity among the `k` nearest neighbours.
pub fn proximity(s: &Scenario, k: usize) -> Result<PairwiseSummary, String> {
    if !(1..=100).contains(&k) {
        return Err(format!("{k} neighbours is outside 1–100"));
    }
    case_fibro_immune_proximity(s, k)
}

/// `n` k-means niches on each cell's `k`-NN composition.
pub fn niches(s: &Scenario, n: usize, k: usize, seed: u64) -> Result<NicheSummary, String> {
    if !(2..=30).contains(&n) || !(1..=100).contains(&k) {
        return Err(format!(
            "{n} niches of {k} neighbours: niches must be 2–30 and neighbours 1–100"
        ));
    }
    case_niches(s, n, k, seed)
}

/// The result of one [`CaseAnalysis`].
pub enum Outcome {
    De(DeSummary),
    Corr(CorrSummary),
    Batch(BatchSummary),
    Oocytes(Vec<StructureCount>),
    Proximity(PairwiseSummary),
    Niches(NicheSummary),
}

/// Runs one analysis of the table.
pub fn run(s: &Scenario, a: &CaseAnalysis) -> Result<Outcome, String> {
    Ok(match *a {
        CaseAnalysis::De { level, test } => Outcome::De(de(s, level, test)?),
        CaseAnalysis::Corr { norm } => Outcome::Corr(corr(s, norm)?),
        CaseAnalysis::Batch { integration } => Outcome::Batch(batch(s, integration)?),
        CaseAnalysis::Oocytes { method, radius } => Outcome::Oocytes(oocytes(s, method, radius)?),
        CaseAnalysis::Proximity { k } => Outcome::Proximity(proximity(s, k)?),
        CaseAnalysis::Niches { n, k, seed } => Outcome::Niches(niches(s, n, k, seed)?),
    })
}
