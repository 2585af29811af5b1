//! Criterion benchmarks of the workloads named in the case-studies issue:
//! donor- vs barcode-level DE over ~25,000 genes x ~10,000 barcodes, k-NN
//! (k = 10) over ~100,000 cells, neighbourhood enrichment with 1,000
//! permutations, Moran's I for 10 genes. `cargo bench -p sbx-kernels`.

use criterion::{criterion_group, criterion_main, Criterion};
use sbx_kernels::cases::pseudoreplication::{case_pseudoreplication, TestLevel};
use sbx_kernels::de::TestKind;
use sbx_kernels::sim::{build, ScenarioKind, DEFAULT_SEED};
use sbx_kernels::spatial::{knn, morans_i, nhood_enrichment};
use std::hint::black_box;
use std::time::Duration;

fn de(c: &mut Criterion) {
    let s = build(ScenarioKind::Pseudoreplication, DEFAULT_SEED);
    let mut g = c.benchmark_group("de_25k_genes_10k_barcodes");
    g.sample_size(10).measurement_time(Duration::from_secs(8));
    g.bench_function("barcode_level_wilcoxon", |b| {
        b.iter(|| {
            black_box(case_pseudoreplication(
                &s,
                TestLevel::Unit,
                TestKind::Wilcoxon,
                0.05,
            ))
        })
    });
    g.bench_function("barcode_level_welch", |b| {
        b.iter(|| {
            black_box(case_pseudoreplication(
                &s,
                TestLevel::Unit,
                TestKind::Welch,
                0.05,
            ))
        })
    });
    g.bench_function("donor_level_pseudobulk_t", |b| {
        b.iter(|| {
            black_box(case_pseudoreplication(
                &s,
                TestLevel::Replicate,
                TestKind::Student,
                0.05,
            ))
        })
    });
    g.finish();
}

fn spatial(c: &mut Criterion) {
    let s = build(ScenarioKind::NicheDiscovery, DEFAULT_SEED);
    let labels = s
        .obs("cell_type")
        .map(|c| c.codes.clone())
        .unwrap_or_default();
    let mut g = c.benchmark_group("spatial_100k_cells");
    g.sample_size(10).measurement_time(Duration::from_secs(8));
    g.bench_function("knn_k10", |b| b.iter(|| black_box(knn(&s.x, &s.y, 10))));
    let nb = knn(&s.x, &s.y, 6);
    g.bench_function("nhood_enrichment_1000_perms", |b| {
        b.iter(|| black_box(nhood_enrichment(&nb, &labels, 8, 1000, 0)))
    });
    let genes: Vec<Vec<f64>> = (0..10)
        .map(|gi| s.counts.col_dense(gi).iter().map(|&v| v as f64).collect())
        .collect();
    g.bench_function("morans_i_10_genes", |b| {
        b.iter(|| {
            black_box(
                genes
                    .iter()
                    .map(|v| morans_i(&nb, v, true))
                    .collect::<Vec<_>>(),
            )
        })
    });
    g.finish();
}

criterion_group!(benches, de, spatial);
criterion_main!(benches);
