//! The eval-level comparison, the bootstrap intervals and the speed figures
//! agree with an independent Python computation (scipy) on the scBench runs.
//!
//! `bench/stats/eval_level.py` reads the run folders of ../shared/bench/scbench
//! itself and wrote `bench/stats/eval_level_scbench.json`; this test loads the
//! same folder with sbx-suite, recomputes everything and compares. The
//! permutation and sign tests come from scipy; the bootstrap intervals from
//! the same SplitMix64 stream (exact) and from scipy's own bootstrap (close).
//! Fails loudly without ../shared (acceptance test).

use std::path::Path;

use sbx_suite::stats::speed::{run_speed, version_pair, Measure};
use sbx_suite::stats::{accuracy_by_model, compare, Grouping, ModelKey, PairedTest};
use sbx_suite::{load_suite, read_folder, RunSummary};
use serde_json::Value;

const ROOT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
const BENCH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/bench/scbench");

fn fixture() -> Value {
    let p = format!("{ROOT}/bench/stats/eval_level_scbench.json");
    serde_json::from_slice(&std::fs::read(&p).expect("fixture written by eval_level.py"))
        .expect("fixture JSON")
}

fn runs() -> (Vec<sbx_suite::EvalSummary>, Vec<RunSummary>) {
    let files = read_folder(Path::new(BENCH))
        .unwrap_or_else(|e| panic!("../shared/bench/scbench is required: {e}"));
    let (s, _) = load_suite(files.into_iter(), &mut |_, _| {});
    (s.eval_summaries(), s.run_summaries())
}

fn key(v: &Value) -> ModelKey {
    ModelKey::new(
        v[0].as_str().expect("model"),
        v[1].as_str().expect("harness"),
    )
}

fn f(v: &Value) -> f64 {
    v.as_f64()
        .unwrap_or_else(|| panic!("number expected, got {v}"))
}

fn pair(v: &Value) -> Option<(f64, f64)> {
    v.as_array().map(|a| (f(&a[0]), f(&a[1])))
}

fn close(a: f64, b: f64, tol: f64, what: &str) {
    assert!((a - b).abs() <= tol, "{what}: rust {a} vs python {b}");
}

#[test]
fn comparisons_match_scipy_on_every_pair() {
    let fx = fixture();
    let (_, runs) = runs();
    assert_eq!(runs.len() as u64, fx["n_runs"].as_u64().unwrap());
    let cmps = fx["comparisons"].as_array().unwrap();
    assert_eq!(cmps.len(), 120, "16 configurations, every pair");
    let mut differing = 0;
    let mut excluding_zero = 0;
    let mut scipy_checked = 0;
    for c in cmps {
        let (a, b) = (key(&c["a"]), key(&c["b"]));
        let what = format!("{} vs {}", a.label(), b.label());
        let r = compare(&runs, &a, &b);
        let ids: Vec<&str> = r.evals.iter().map(|e| e.eval_id.as_str()).collect();
        let py_ids: Vec<&str> = c["evals"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        assert_eq!(ids, py_ids, "{what}");
        for (e, d) in r.evals.iter().zip(c["differences"].as_array().unwrap()) {
            close(e.difference, f(d), 1e-9, &what);
        }
        close(r.mean_difference, f(&c["mean_difference"]), 1e-9, &what);
        assert_eq!(r.a_higher, c["a_higher"].as_u64().unwrap(), "{what}");
        assert_eq!(r.b_higher, c["b_higher"].as_u64().unwrap(), "{what}");
        close(r.sign_p, f(&c["sign_p"]), 1e-12, &what);
        // Exact rational arithmetic in Python; scipy's floating-point
        // statistic agrees except where the observed difference is 0 up to
        // rounding (scipy then misses ties and reports p < 1).
        close(r.permutation_p, f(&c["permutation_p"]), 1e-12, &what);
        if r.mean_difference.abs() > 1e-9 {
            close(r.permutation_p, f(&c["scipy_permutation_p"]), 1e-12, &what);
            scipy_checked += 1;
        }
        assert_eq!(
            r.test,
            PairedTest::ExactPermutation,
            "{what}: 3 runs per eval"
        );
        let (lo, hi) = r.interval.expect("interval");
        let (plo, phi) = pair(&c["bootstrap"]).expect("python interval");
        close(lo, plo, 1e-9, &what);
        close(hi, phi, 1e-9, &what);
        // scipy's generator differs: the percentiles may land one per-eval
        // step (100/6 points over 6 evals, 100/5 over 5) apart, no more.
        if let Some((slo, shi)) = pair(&c["scipy_bootstrap"]) {
            let step = 100.0 / r.evals.len() as f64 + 1e-9;
            close(lo, slo, step, &format!("{what} (scipy)"));
            close(hi, shi, step, &format!("{what} (scipy)"));
        }
        differing += usize::from(r.permutation_p < 0.1);
        excluding_zero += usize::from(lo > 0.0 || hi < 0.0);
        let verdict = r.verdict();
        assert_eq!(
            verdict.starts_with("No detectable difference"),
            lo <= 0.0 && hi >= 0.0,
            "{verdict}"
        );
    }
    // Over 5–6 evals the smallest exact p is 1/16 or 1/32: a few pairs reach
    // it, and some bootstrap intervals exclude 0 (the values are not all alike).
    assert_eq!(differing, 4);
    assert!(excluding_zero > 0);
    assert!(scipy_checked > 100, "{scipy_checked}");
}

#[test]
fn accuracy_intervals_and_times_match_python() {
    let fx = fixture();
    let (evals, runs) = runs();
    let rows = accuracy_by_model(&evals, &runs, Grouping::Overall);
    let speed = run_speed(&runs);
    let mut clipped = 0;
    for m in fx["models"].as_array().unwrap() {
        let k = key(&m["key"]);
        let what = k.label();
        let row = rows.iter().find(|r| r.key == k).expect("row");
        let t = m["accuracy_t"].as_array().unwrap();
        close(row.accuracy.mean, f(&t[0]), 1e-9, &what);
        close(row.accuracy.ci_lower.unwrap(), f(&t[1]), 1e-9, &what);
        close(row.accuracy.ci_upper.unwrap(), f(&t[2]), 1e-9, &what);
        let (blo, bhi) = row.bootstrap.expect("bootstrap");
        let (plo, phi) = pair(&m["accuracy_bootstrap"]).unwrap();
        close(blo, plo, 1e-9, &what);
        close(bhi, phi, 1e-9, &what);
        assert!((0.0..=100.0).contains(&blo) && (0.0..=100.0).contains(&bhi));
        let (lo, hi, was) = row.clipped_t().unwrap();
        assert!((0.0..=100.0).contains(&lo) && (0.0..=100.0).contains(&hi));
        assert_eq!(was, f(&t[1]) < 0.0 || f(&t[2]) > 100.0, "{what}");
        clipped += usize::from(was);
        let p = speed.iter().find(|p| p.key == k).expect("speed point");
        let pt = m["time_t"].as_array().unwrap();
        let time = p.time.as_ref().unwrap();
        close(time.mean, f(&pt[0]), 1e-9, &what);
        close(time.ci_lower.unwrap(), f(&pt[1]), 1e-9, &what);
        match (m["cost_t"].as_array(), &p.cost) {
            (Some(pc), Some(c)) => close(c.mean, f(&pc[0]), 1e-12, &what),
            (None, None) => {}
            (py, rs) => panic!("{what}: cost {py:?} vs {rs:?}"),
        }
        close(p.accuracy.mean, row.accuracy.mean, 1e-12, &what);
    }
    // Over 5–6 evals the t interval leaves [0, 100] for most models.
    assert!(clipped >= 10, "{clipped}");
}

#[test]
fn version_ratios_match_python() {
    let fx = fixture();
    let (_, runs) = runs();
    for r in fx["ratios"].as_array().unwrap() {
        let (n, o) = (key(&r["newer"]), key(&r["older"]));
        let m = match r["measure"].as_str().unwrap() {
            "duration" => Measure::Time,
            _ => Measure::Cost,
        };
        let what = format!("{} / {} ({m:?})", n.label(), o.label());
        let v = version_pair(&runs, &n, &o, m);
        assert_eq!(v.n_ratio_evals as u64, r["n_evals"].as_u64().unwrap());
        close(v.ratio.unwrap(), f(&r["ratio"]), 1e-12, &what);
        let (lo, hi) = v.ratio_interval.unwrap();
        let (plo, phi) = pair(&r["bootstrap"]).unwrap();
        close(lo, plo, 1e-12, &what);
        close(hi, phi, 1e-12, &what);
    }
    // The review's headline on these runs: GPT-5.5 is faster than GPT-5.4
    // (interval of the time ratio below 1).
    let v = version_pair(
        &runs,
        &ModelKey::new("gpt-5.5", "mini-swe-agent"),
        &ModelKey::new("gpt-5.4", "mini-swe-agent"),
        Measure::Time,
    );
    assert!(v.ratio_interval.unwrap().1 < 1.0);
}
