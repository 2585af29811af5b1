use sbx_kernels::cases::pseudoreplication::*;
use sbx_kernels::de::TestKind;
use sbx_kernels::sim::*;
fn main() {
    merfish();
    if std::env::args().count() < 2 { return; }
    let t = std::time::Instant::now();
    let s = build(ScenarioKind::Pseudoreplication, DEFAULT_SEED);
    println!("sim {:?} units {} nnz {} total {}", t.elapsed(), s.n_units(), s.counts.nnz(), s.counts.data.iter().map(|&v| v as f64).sum::<f64>());
    for (lvl, test) in [(TestLevel::Unit, TestKind::Wilcoxon), (TestLevel::Unit, TestKind::Welch), (TestLevel::Replicate, TestKind::Welch), (TestLevel::Replicate, TestKind::Student)] {
        let t = std::time::Instant::now();
        let d = case_pseudoreplication(&s, lvl, test, 0.05).unwrap();
        println!("{lvl:?} {test:?} {:?}: pct {:.2} hk {:?} tp {} fp {}", t.elapsed(), d.pct_genes_significant, d.housekeeping_called, d.true_positives, d.false_positives);
    }
}
#[allow(dead_code)]
fn merfish() {
    let s = build(ScenarioKind::Normalization, DEFAULT_SEED);
    println!("{}", s.description);
    for n in sbx_kernels::cases::normalization::default_choices() {
        let c = sbx_kernels::cases::normalization::case_normalization(&s, &n, "Mbp", "Plp1", "Oligodendrocyte").unwrap();
        println!("{}: rho {:.3} top {:?}", c.normalization, c.spearman, c.top_share);
    }
}
