//! Times every analysis a case page runs live (the wrong and right analyses and every
//! "your choice" option of `cases::spec`) on the default seed, through the same
//! `cases::run` calls as the data worker, and prints one JSON line per analysis:
//! `cargo run --profile native -p sbx-kernels --example case_times [-- --repeat N]`;
//! `-- --export DIR` writes the inputs of bench/kernels/case_peers.py instead.

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

/// Plain little-endian dump for bench/kernels/case_peers.py.
fn dump<T: Copy>(path: std::path::PathBuf, v: &[T], le: fn(T) -> Vec<u8>) {
    let bytes: Vec<u8> = v.iter().flat_map(|&x| le(x)).collect();
    if let Err(e) = std::fs::write(&path, bytes) {
        eprintln!("{}: {e}", path.display());
    }
}

/// Writes the batch scenario's counts and timepoints and the niche scenario's cells.
fn export(dir: &std::path::Path) {
    let _ = std::fs::create_dir_all(dir);
    let b = build(ScenarioKind::BatchIntegration, DEFAULT_SEED);
    let c = &b.counts;
    let u64le = |x: u64| x.to_le_bytes().to_vec();
    let u32le = |x: u32| x.to_le_bytes().to_vec();
    let f32le = |x: f32| x.to_le_bytes().to_vec();
    let indptr: Vec<u64> = c.indptr.iter().map(|&v| v as u64).collect();
    dump(dir.join("batch_indptr.u64"), &indptr, u64le);
    dump(dir.join("batch_indices.u32"), &c.indices, u32le);
    dump(dir.join("batch_data.f32"), &c.data, f32le);
    let codes = |s: &sbx_kernels::sim::Scenario, k: &str| {
        s.obs(k).map(|o| o.codes.clone()).unwrap_or_default()
    };
    dump(
        dir.join("batch_timepoint.u32"),
        &codes(&b, "timepoint"),
        u32le,
    );
    dump(
        dir.join("batch_celltype.u32"),
        &codes(&b, "cell_type"),
        u32le,
    );
    let n = build(ScenarioKind::NicheDiscovery, DEFAULT_SEED);
    dump(dir.join("niche_x.f32"), &n.x, f32le);
    dump(dir.join("niche_y.f32"), &n.y, f32le);
    dump(
        dir.join("niche_celltype.u32"),
        &codes(&n, "cell_type"),
        u32le,
    );
    let shape = format!(
        r#"{{"batch_rows": {}, "batch_cols": {}, "niche_cells": {}}}"#,
        c.nrows,
        c.ncols,
        n.n_units()
    );
    if let Err(e) = std::fs::write(dir.join("case_shape.json"), shape) {
        eprintln!("{e}");
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(dir) = args
        .iter()
        .position(|a| a == "--export")
        .and_then(|i| args.get(i + 1))
    {
        export(std::path::Path::new(dir));
        return;
    }
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
        for integration in ["none", "scaling", "harmony", "harmony_defaults"] {
            let ms = best(repeat, || run::batch(&s, integration));
            if let Ok(b) = run::batch(&s, integration) {
                eprintln!("{integration}: mean max fraction {:.4}, {} clusters, purity {:.4}, {} harmony rounds", b.mean_max_fraction, b.n_clusters, b.mean_cell_type_purity, b.harmony_rounds);
            }
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
