//! Published kind of result (SpatialBench task `batch_driven_clustering`,
//! TakaraBio Seeker, timepoints as batches): unintegrated clusters are
//! each dominated by one timepoint (mean max fraction near 1; models
//! answered 0.97-0.99), integrated clusters are mixed (near the balanced
//! value; published right answer 0.375).

use sbx_kernels::cases::batch::{case_batch_integration, ClusterOptions, Integration};
use sbx_kernels::sim::{build, ScenarioKind, Truth, DEFAULT_SEED};

#[test]
fn integration_mixes_timepoints() {
    let s = build(ScenarioKind::BatchIntegration, DEFAULT_SEED);
    let Truth::BatchIntegration {
        balanced_max_fraction,
        ..
    } = s.truth
    else {
        panic!("wrong truth")
    };
    assert!(
        (0.3..=0.5).contains(&balanced_max_fraction),
        "balanced {balanced_max_fraction}"
    );
    let opt = ClusterOptions::default();
    let raw = case_batch_integration(&s, Integration::None, &opt).unwrap();
    assert!(
        raw.mean_max_fraction > 0.95,
        "unintegrated {}",
        raw.mean_max_fraction
    );
    for method in [Integration::PerBatchScaling, Integration::Harmony] {
        let int = case_batch_integration(&s, method, &opt).unwrap();
        assert!(
            (int.mean_max_fraction - balanced_max_fraction).abs() < 0.12,
            "{method:?}: {} vs balanced {balanced_max_fraction}",
            int.mean_max_fraction
        );
        assert!(
            int.mean_cell_type_purity > 0.9,
            "{method:?} clusters follow cell types: {}",
            int.mean_cell_type_purity
        );
        assert!(int.n_clusters < raw.n_clusters);
    }
}
