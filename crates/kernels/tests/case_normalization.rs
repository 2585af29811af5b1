//! Published kind of result (SpatialBench task
//! `norm_02_myelin_gene_coexpression_normalization`, MERFISH 374-gene panel;
//! right answer ~0.308): library size + log1p turns
//! the Mbp-Plp1 Spearman correlation negative (~-0.16); raw and a
//! panel-aware choice keep it positive near 0.3.

use sbx_kernels::cases::normalization::case_normalization;
use sbx_kernels::norm::Normalization;
use sbx_kernels::sim::{build, ScenarioKind, DEFAULT_SEED};

#[test]
fn library_size_normalisation_flips_the_sign() {
    let s = build(ScenarioKind::Normalization, DEFAULT_SEED);
    assert_eq!(s.gene_names.len(), 374);
    let run =
        |n: Normalization| case_normalization(&s, &n, "Mbp", "Plp1", "Oligodendrocyte").unwrap();
    let raw = run(Normalization::Raw);
    let lib = run(Normalization::LibSizeLog1p { target_sum: 1e4 });
    let panel = run(Normalization::PanelAware { n_dominant: 7 });
    assert!((0.2..=0.45).contains(&raw.spearman), "raw {}", raw.spearman);
    assert!(
        (-0.3..=-0.05).contains(&lib.spearman),
        "lib-size {}",
        lib.spearman
    );
    assert!(
        (0.2..=0.45).contains(&panel.spearman),
        "panel-aware {}",
        panel.spearman
    );
    assert!(
        raw.top_share[1] > 0.3,
        "two myelin genes take a large share: {:?}",
        raw.top_share
    );
    assert!(case_normalization(&s, &Normalization::Raw, "Mbp", "Nope", "Oligodendrocyte").is_err());
}
