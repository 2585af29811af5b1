//! The Wilson interval against statsmodels 0.14:
//! `statsmodels.stats.proportion.proportion_confint(s, n, alpha=0.05, method="wilson")`.

use sbx_suite::stats::wilson_interval;

/// (successes, n, lower, upper) as printed by statsmodels.
const STATSMODELS: [(usize, usize, f64, f64); 10] = [
    (0, 1, 0.0, 0.7934506856227627),
    (1, 1, 0.2065493143772374, 1.0),
    (0, 10, 0.0, 0.27753279986288926),
    (3, 10, 0.10779126740630104, 0.6032218525388546),
    (10, 10, 0.7224672001371106, 1.0),
    (7, 34, 0.10349526899031913, 0.36798388051163605),
    (1, 3, 0.06149194472039626, 0.7923403991979523),
    (50, 100, 0.4038315303659956, 0.5961684696340044),
    (999, 1000, 0.9943574414020421, 0.9998234536293739),
    (12, 17, 0.4686688993346016, 0.8672001038970478),
];

#[test]
fn matches_statsmodels() {
    for (s, n, lo, hi) in STATSMODELS {
        let (l, h) = wilson_interval(s, n);
        assert!((l - lo).abs() < 1e-12, "{s}/{n}: lower {l} vs {lo}");
        assert!((h - hi).abs() < 1e-12, "{s}/{n}: upper {h} vs {hi}");
    }
}

#[test]
fn empty_and_impossible_counts_stay_in_range() {
    assert_eq!(wilson_interval(0, 0), (0.0, 1.0));
    assert_eq!(wilson_interval(5, 3), wilson_interval(3, 3));
    for n in [1usize, 2, 7, 1_000_000] {
        for s in [0, n / 2, n] {
            let (l, h) = wilson_interval(s, n);
            let p = s as f64 / n as f64;
            assert!(0.0 <= l && l <= p && p <= h && h <= 1.0, "{s}/{n}: {l} {h}");
        }
    }
}
