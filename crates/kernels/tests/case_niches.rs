//! Published kind of result (SpatialBench task
//! `spatial_fibro_inflammatory_niche_emergence_2`, Xenium kidney injury time
//! course): the fibro-inflammatory
//! niche's co-localisation grows several-fold from sham to day 14
//! (published sham 0.033, day 14 0.23, fold 6.9); too few niches or plain
//! fibroblast-immune proximity give a high sham value and a small fold.

use sbx_kernels::cases::niches::{case_fibro_immune_proximity, case_niches};
use sbx_kernels::sim::{build, ScenarioKind, Truth, DEFAULT_SEED};

#[test]
fn niche_emerges_several_fold() {
    let s = build(ScenarioKind::NicheDiscovery, DEFAULT_SEED);
    assert!(s.n_units() >= 100_000);
    let Truth::NicheDiscovery { niche_fraction, .. } = &s.truth else {
        panic!("wrong truth")
    };
    assert!((niche_fraction[0] - 0.033).abs() < 0.002 && (niche_fraction[4] - 0.23).abs() < 0.002);

    let right = case_niches(&s, 8, 15, 1).unwrap();
    assert_eq!(right.timepoints.first().map(String::as_str), Some("sham"));
    assert!(
        (0.02..=0.05).contains(&right.niche_fraction[0]),
        "sham {:?}",
        right.niche_fraction
    );
    assert!(
        (0.17..=0.28).contains(&right.niche_fraction[4]),
        "day14 {:?}",
        right.niche_fraction
    );
    assert!(right.fold > 5.0, "fold {}", right.fold);
    // Monotone growth over the time course.
    assert!(
        right.niche_fraction.windows(2).all(|w| w[1] > w[0]),
        "{:?}",
        right.niche_fraction
    );

    let coarse = case_niches(&s, 3, 15, 1).unwrap();
    assert!(
        coarse.niche_fraction[0] > 0.1 && coarse.fold < 3.0,
        "3 niches: {:?} fold {}",
        coarse.niche_fraction,
        coarse.fold
    );
    let pair = case_fibro_immune_proximity(&s, 10).unwrap();
    assert!(
        pair.score[0] > 0.08 && pair.fold < 3.0,
        "pairwise {:?} fold {}",
        pair.score,
        pair.fold
    );
    assert!(case_niches(&s, 1, 15, 1).is_err());
}
