//! Print every scenario's wrong and right numbers on the default seed:
//! `cargo run --release -p sbx-kernels --example scenarios`.

use sbx_kernels::cases::{
    batch, niches, normalization, pseudoreplication as pr, spatial_units as su,
};
use sbx_kernels::de::TestKind;
use sbx_kernels::norm::Normalization;
use sbx_kernels::sim::{build, ScenarioKind, DEFAULT_SEED};
use std::time::Instant;

fn main() {
    let t = Instant::now();
    let s = build(ScenarioKind::Pseudoreplication, DEFAULT_SEED);
    println!(
        "[1] {} units, {} genes, nnz {} ({:?})",
        s.n_units(),
        s.gene_names.len(),
        s.counts.nnz(),
        t.elapsed()
    );
    for (lvl, test) in [
        (pr::TestLevel::Unit, TestKind::Wilcoxon),
        (pr::TestLevel::Unit, TestKind::Welch),
        (pr::TestLevel::Replicate, TestKind::Student),
        (pr::TestLevel::Replicate, TestKind::Welch),
    ] {
        let t = Instant::now();
        let d = pr::case_pseudoreplication(&s, lvl, test, 0.05).unwrap();
        println!(
            "    {lvl:?}/{test:?}: {:.2}% genes, housekeeping {}/10 ({:?})",
            d.pct_genes_significant,
            d.housekeeping_called.len(),
            t.elapsed()
        );
    }
    let s = build(ScenarioKind::Normalization, DEFAULT_SEED);
    for n in normalization::default_choices() {
        let c =
            normalization::case_normalization(&s, &n, "Mbp", "Plp1", "Oligodendrocyte").unwrap();
        println!("[2] {}: Spearman {:.3}", c.normalization, c.spearman);
    }
    let s = build(ScenarioKind::BatchIntegration, DEFAULT_SEED);
    println!("[3] truth {:?}", s.truth);
    for i in [
        batch::Integration::None,
        batch::Integration::PerBatchScaling,
        batch::Integration::Harmony,
    ] {
        let t = Instant::now();
        let c = batch::case_batch_integration(&s, i, &batch::ClusterOptions::default()).unwrap();
        println!(
            "    {i:?}: {} clusters, mean max timepoint fraction {:.3} ({:?})",
            c.n_clusters,
            c.mean_max_fraction,
            t.elapsed()
        );
    }
    let s = build(ScenarioKind::SpatialUnits, DEFAULT_SEED);
    for tp in ["0h", "4h", "8h", "12h"] {
        let b = su::case_oocyte_count(&s, tp, su::CountMethod::PositiveBeads).unwrap();
        let c =
            su::case_oocyte_count(&s, tp, su::CountMethod::Components { radius: 10.0 }).unwrap();
        let d = su::case_oocyte_count(
            &s,
            tp,
            su::CountMethod::Dbscan {
                eps: 15.0,
                min_samples: 3,
            },
        )
        .unwrap();
        let any = su::case_cumulus_count(&s, tp, su::CumulusRule::AnyMarker).unwrap();
        let coh = su::case_cumulus_count(
            &s,
            tp,
            su::CumulusRule::Coherent {
                min_distinct: 2,
                eps: 15.0,
                min_samples: 3,
            },
        )
        .unwrap();
        println!("[4] {tp}: oocytes true {} | beads {} | components@10um {} | DBSCAN 15um/3 {} ; cumulus beads true {} any-marker {} coherent {}", b.true_count, b.count, c.count, d.count, any.true_beads, any.beads, coh.beads);
    }
    let s = build(ScenarioKind::NicheDiscovery, DEFAULT_SEED);
    for k in [3, 8] {
        let t = Instant::now();
        let c = niches::case_niches(&s, k, 15, 1).unwrap();
        println!(
            "[5] {k} niches: {:?} fold {:.2} ({:?})",
            c.niche_fraction
                .iter()
                .map(|v| format!("{v:.3}"))
                .collect::<Vec<_>>(),
            c.fold,
            t.elapsed()
        );
    }
    let p = niches::case_fibro_immune_proximity(&s, 10).unwrap();
    println!(
        "[5] fibroblast-immune proximity: {:?} fold {:.2}",
        p.score
            .iter()
            .map(|v| format!("{v:.3}"))
            .collect::<Vec<_>>(),
        p.fold
    );
    let _ = Normalization::Raw;
}
