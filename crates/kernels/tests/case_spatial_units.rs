//! Published kind of result (SpatialBench tasks `oocyte_count_per_timepoint`,
//! `cumulus_gc_count_immature` and `follicle_count_immature`, TakaraBio Seeker
//! 10 µm beads; right answers 850 immature oocytes and 0 cumulus cells): marker-positive
//! bead counts overshoot the true oocyte count, density-clustering counts
//! swing with the radius, and calling cumulus cells from any marker count
//! finds hundreds in unstimulated samples where there are none.

use sbx_kernels::cases::spatial_units::{
    case_cumulus_count, case_oocyte_count, oocyte_radius_sweep, CountMethod, CumulusRule,
};
use sbx_kernels::sim::{build, ScenarioKind, Truth, DEFAULT_SEED};

#[test]
fn bead_counts_overshoot_and_radius_swings() {
    let s = build(ScenarioKind::SpatialUnits, DEFAULT_SEED);
    let Truth::SpatialUnits {
        oocytes_per_sample,
        immature,
        ..
    } = &s.truth
    else {
        panic!("wrong truth")
    };
    assert_eq!(oocytes_per_sample.iter().sum::<usize>(), 850);
    assert_eq!(oocytes_per_sample[0], 275);
    assert!(immature[0] && !immature[1]);
    let mut right_total = 0;
    for (t, tp) in ["0h", "4h", "8h", "12h"].iter().enumerate() {
        let truth = oocytes_per_sample[t];
        let beads = case_oocyte_count(&s, tp, CountMethod::PositiveBeads).unwrap();
        assert!(
            beads.count > 5 * truth,
            "{tp}: positive beads {} vs {truth}",
            beads.count
        );
        let small = case_oocyte_count(&s, tp, CountMethod::Components { radius: 10.0 }).unwrap();
        assert!(
            small.count as f64 > 1.5 * truth as f64,
            "{tp}: components at 10 um {} vs {truth}",
            small.count
        );
        let right = case_oocyte_count(
            &s,
            tp,
            CountMethod::Dbscan {
                eps: 15.0,
                min_samples: 3,
            },
        )
        .unwrap();
        assert!(
            (right.count as f64 - truth as f64).abs() <= 0.05 * truth as f64,
            "{tp}: DBSCAN {} vs {truth}",
            right.count
        );
        right_total += right.count;
    }
    assert!(
        (right_total as f64 - 850.0).abs() <= 20.0,
        "total {right_total}"
    );
    // The count swings with the radius: max/min over a modest sweep > 3.
    let sweep = oocyte_radius_sweep(&s, "0h", &[8.0, 10.0, 15.0, 25.0, 40.0], 3).unwrap();
    let counts: Vec<usize> = sweep.iter().map(|p| p.dbscan).collect();
    let (mn, mx) = (*counts.iter().min().unwrap(), *counts.iter().max().unwrap());
    assert!(mx as f64 > 3.0 * mn as f64, "DBSCAN sweep {counts:?}");
    assert!(case_oocyte_count(&s, "99h", CountMethod::PositiveBeads).is_err());
}

#[test]
fn cumulus_cells_only_after_stimulation() {
    let s = build(ScenarioKind::SpatialUnits, DEFAULT_SEED);
    let any = case_cumulus_count(&s, "0h", CumulusRule::AnyMarker).unwrap();
    assert_eq!(any.true_beads, 0);
    assert!(
        any.beads > 300,
        "ambient RNA gives hundreds of false cumulus beads: {}",
        any.beads
    );
    let rule = CumulusRule::Coherent {
        min_distinct: 2,
        eps: 15.0,
        min_samples: 3,
    };
    assert_eq!(case_cumulus_count(&s, "0h", rule).unwrap().beads, 0);
    let stim = case_cumulus_count(&s, "8h", rule).unwrap();
    assert!(
        stim.true_beads > 500 && (stim.beads as f64) > 0.8 * stim.true_beads as f64,
        "{stim:?}"
    );
}
