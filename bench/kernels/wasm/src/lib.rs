//! Exported entry points (plain C ABI, no JS glue) for timing the kernels in
//! a WebAssembly engine. `setup` builds the scenarios once; every other
//! function runs one workload and returns a number so the work is not
//! optimised away.

use sbx_kernels::cases::pseudoreplication::{case_pseudoreplication, TestLevel};
use sbx_kernels::de::TestKind;
use sbx_kernels::sim::{build, Scenario, ScenarioKind, DEFAULT_SEED};
use sbx_kernels::spatial::{knn, morans_i, nhood_enrichment, Neighbors};
use std::sync::OnceLock;

struct State {
    dbit: Scenario,
    kidney: Scenario,
    labels: Vec<u32>,
    nb6: Neighbors,
    genes: Vec<Vec<f64>>,
}

static STATE: OnceLock<State> = OnceLock::new();

fn state() -> &'static State {
    STATE.get_or_init(|| {
        let dbit = build(ScenarioKind::Pseudoreplication, DEFAULT_SEED);
        let kidney = build(ScenarioKind::NicheDiscovery, DEFAULT_SEED);
        let labels = kidney.obs("cell_type").map(|c| c.codes.clone()).unwrap_or_default();
        let nb6 = knn(&kidney.x, &kidney.y, 6);
        let genes = (0..10).map(|g| kidney.counts.col_dense(g).iter().map(|&v| v as f64).collect()).collect();
        State { dbit, kidney, labels, nb6, genes }
    })
}

#[no_mangle]
pub extern "C" fn setup() -> u32 {
    state().dbit.counts.nnz() as u32
}

#[no_mangle]
pub extern "C" fn sim_dbit() -> u32 {
    build(ScenarioKind::Pseudoreplication, DEFAULT_SEED).counts.nnz() as u32
}

fn de(level: TestLevel, test: TestKind) -> f64 {
    case_pseudoreplication(&state().dbit, level, test, 0.05).map(|d| d.pct_genes_significant).unwrap_or(f64::NAN)
}

#[no_mangle]
pub extern "C" fn de_barcode_wilcoxon() -> f64 {
    de(TestLevel::Unit, TestKind::Wilcoxon)
}

#[no_mangle]
pub extern "C" fn de_barcode_welch() -> f64 {
    de(TestLevel::Unit, TestKind::Welch)
}

#[no_mangle]
pub extern "C" fn de_donor_pseudobulk() -> f64 {
    de(TestLevel::Replicate, TestKind::Student)
}

#[no_mangle]
pub extern "C" fn knn_k10() -> u32 {
    let s = state();
    knn(&s.kidney.x, &s.kidney.y, 10).indices.len() as u32
}

#[no_mangle]
pub extern "C" fn nhood_enrichment_1000() -> f64 {
    let s = state();
    nhood_enrichment(&s.nb6, &s.labels, 8, 1000, 0).0[[0, 0]]
}

#[no_mangle]
pub extern "C" fn morans_i_10() -> f64 {
    let s = state();
    s.genes.iter().map(|v| morans_i(&s.nb6, v, true)).sum()
}
