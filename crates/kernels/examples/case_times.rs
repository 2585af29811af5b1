//! Times every analysis a case page runs live (the wrong and right analyses and every
//! "your choice" option of `cases::spec`) on the default seed, through the same
//! `cases::run` calls as the data worker, and prints one JSON line per analysis:
//! `cargo run --profile native -p sbx-kernels --example case_times [-- --repeat N]`.

use sbx_kernels::cases::run;
use sbx_kernels::sim::{build, ScenarioKind, DEFAULT_SEED};
use std::time::Instant;

/// Best of `repeat` runs, in milliseconds.
fn best<T>(repeat: usize, mut f: impl FnMut() -> Result<T, String>) -> Result<f64, String> {
    let mut ms = f64::INFINITY;
    for _ in 0..repeat {
        let t = Instant::now();
        f()?;
        ms = ms.min(t.elapsed().as_secs_f64() * 1e3);
    }
    Ok(ms)
}

fn line(case: &str, analysis: &str, ms: Result<f64, String>) {
    match ms {
        Ok(ms) => println!(r#"{{"case":"{case}","analysis":"{analysis}","ms":{ms:.1}}}"#),
        Err(e) => println!(r#"{{"case":"{case}","analysis":"{analysis}","error":"{e}"}}"#),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let repeat = args
        .iter()
        .position(|a| a == "--repeat")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let only: Option<&String> = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1));
    let want = |k: ScenarioKind| only.is_none_or(|o| o == k.id());
    if want(ScenarioKind::Pseudoreplication) {
        let s = build(ScenarioKind::Pseudoreplication, DEFAULT_SEED);
        for level in ["unit", "donor"] {
            for test in ["wilcoxon", "welch", "student"] {
                let ms = best(repeat, || run::de(&s, level, test));
                line("pseudoreplication", &format!("de {level} {test}"), ms);
            }
        }
    }
    if want(ScenarioKind::Normalization) {
        let s = build(ScenarioKind::Normalization, DEFAULT_SEED);
        for norm in ["raw", "libsize", "panel", "scale"] {
            line(
                "normalization",
                &format!("corr {norm}"),
                best(repeat, || run::corr(&s, norm)),
            );
        }
    }
    if want(ScenarioKind::BatchIntegration) {
        let s = build(ScenarioKind::BatchIntegration, DEFAULT_SEED);
        for integration in ["none", "scaling", "harmony"] {
            let ms = best(repeat, || run::batch(&s, integration));
            line("batch_integration", &format!("batch {integration}"), ms);
        }
    }
    if want(ScenarioKind::SpatialUnits) {
        let s = build(ScenarioKind::SpatialUnits, DEFAULT_SEED);
        for method in ["components", "dbscan"] {
            for radius in [10.0, 40.0] {
                let ms = best(repeat, || run::oocytes(&s, method, radius));
                line("spatial_units", &format!("oocytes {method} {radius}"), ms);
            }
        }
    }
    if want(ScenarioKind::NicheDiscovery) {
        let s = build(ScenarioKind::NicheDiscovery, DEFAULT_SEED);
        line(
            "niche_discovery",
            "proximity 10",
            best(repeat, || run::proximity(&s, 10)),
        );
        for n in [3, 8, 14] {
            let ms = best(repeat, || run::niches(&s, n, 15, 1));
            line("niche_discovery", &format!("niches {n}"), ms);
        }
    }
}
