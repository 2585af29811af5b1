use sbx_kernels::cases::pseudoreplication::*;
use sbx_kernels::de::TestKind;
use sbx_kernels::sim::*;
fn main() {
    kidney();
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
#[allow(dead_code)]
fn oocyte() {
    use sbx_kernels::cases::spatial_units::*;
    let t = std::time::Instant::now();
    let s = build(ScenarioKind::SpatialUnits, DEFAULT_SEED);
    println!("oocyte sim {:?} n {}", t.elapsed(), s.n_units());
    for tp in ["0h", "4h", "12h"] {
        let pb = case_oocyte_count(&s, tp, CountMethod::PositiveBeads).unwrap();
        let c10 = case_oocyte_count(&s, tp, CountMethod::Components { radius: 10.0 }).unwrap();
        let db = case_oocyte_count(&s, tp, CountMethod::Dbscan { eps: 15.0, min_samples: 3 }).unwrap();
        println!("{tp}: true {} posbeads {} comp10 {} dbscan15/3 {}", pb.true_count, pb.count, c10.count, db.count);
        println!("  sweep {:?}", oocyte_radius_sweep(&s, tp, &[8.0, 10.0, 12.0, 15.0, 20.0, 25.0, 30.0, 40.0], 3).unwrap().iter().map(|p| (p.radius, p.components, p.dbscan)).collect::<Vec<_>>());
        let any = case_cumulus_count(&s, tp, CumulusRule::AnyMarker).unwrap();
        let coh = case_cumulus_count(&s, tp, CumulusRule::Coherent { min_distinct: 2, eps: 15.0, min_samples: 3 }).unwrap();
        println!("  cumulus true {} any {} coherent {}", any.true_beads, any.beads, coh.beads);
    }
}
#[allow(dead_code)]
fn kidney() {
    use sbx_kernels::cases::niches::*;
    let t = std::time::Instant::now();
    let s = build(ScenarioKind::NicheDiscovery, DEFAULT_SEED);
    println!("kidney sim {:?} n {} {}", t.elapsed(), s.n_units(), s.description);
    for n in [3, 5, 8, 10] {
        let t = std::time::Instant::now();
        let c = case_niches(&s, n, 15, 1).unwrap();
        println!("niches {n} {:?}: {:?} fold {:.2} niche centroid {:?}", t.elapsed(), c.niche_fraction.iter().map(|v| format!("{v:.3}")).collect::<Vec<_>>(), c.fold, c.centroids[c.niches[0] as usize].iter().map(|v| format!("{v:.2}")).collect::<Vec<_>>());
    }
    let p = case_fibro_immune_proximity(&s, 10).unwrap();
    println!("pairwise {:?} fold {:.2}", p.score, p.fold);
}
