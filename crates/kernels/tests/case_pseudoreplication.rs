//! Published kind of result (SpatialBench tasks `SPATIAL10_genome_wide_de_pct`
//! and `SPATIAL07_sex_housekeeping_de`, DBiT-seq, ~10,000 barcodes from 8
//! donors; right answers ~1.2% of genes and 0 of 10 housekeeping genes): per-barcode testing
//! calls tens of percent of genes and most housekeeping genes; donor-level
//! pseudobulk calls ~1% and no housekeeping gene.

use sbx_kernels::cases::pseudoreplication::{case_pseudoreplication, TestLevel};
use sbx_kernels::de::TestKind;
use sbx_kernels::sim::{build, ScenarioKind, Truth, DEFAULT_SEED};

#[test]
fn barcode_level_overcalls_donor_level_does_not() {
    let s = build(ScenarioKind::Pseudoreplication, DEFAULT_SEED);
    assert!(
        (9_000..=11_000).contains(&s.n_units()),
        "~10,000 barcodes, got {}",
        s.n_units()
    );
    assert!(s.gene_names.len() >= 24_000, "~25,000 genes");
    let donors = s.obs("donor").unwrap();
    assert_eq!(donors.categories.len(), 8);
    assert_eq!(
        donors
            .categories
            .iter()
            .filter(|d| d.ends_with("_F"))
            .count(),
        3
    );
    assert!(s.description.starts_with("Simulated data"));
    let Truth::Pseudoreplication {
        pct_true_sex_genes, ..
    } = s.truth
    else {
        panic!("wrong truth")
    };

    let unit = case_pseudoreplication(&s, TestLevel::Unit, TestKind::Wilcoxon, 0.05).unwrap();
    assert!(
        unit.pct_genes_significant > 30.0,
        "barcode level calls tens of percent: {}",
        unit.pct_genes_significant
    );
    assert!(
        unit.housekeeping_called.len() >= 8,
        "most housekeeping genes called: {:?}",
        unit.housekeeping_called
    );
    assert!(unit.false_positives > 10 * unit.true_positives);

    let unit_t = case_pseudoreplication(&s, TestLevel::Unit, TestKind::Welch, 0.05).unwrap();
    assert!(unit_t.pct_genes_significant > 30.0);

    let donor = case_pseudoreplication(&s, TestLevel::Replicate, TestKind::Student, 0.05).unwrap();
    assert!(
        (0.4..=2.0).contains(&donor.pct_genes_significant),
        "donor level ~1%: {}",
        donor.pct_genes_significant
    );
    assert!(
        donor.housekeeping_called.is_empty(),
        "{:?}",
        donor.housekeeping_called
    );
    assert!(donor.pct_genes_significant <= pct_true_sex_genes + 0.2);
    assert!(
        donor.false_positives * 5 <= donor.n_significant,
        "donor-level calls are mostly true sex genes"
    );
    assert_eq!(donor.p.len(), s.gene_names.len());
}
