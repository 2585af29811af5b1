//! Decode time of a 1,000,000-row dataset (x, y, two categorical, two float columns).
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

fn decode(c: &mut Criterion) {
    let bytes = sbx_data::write_ipc(&sbx_data::synthetic::synthetic(1_000_000, 1)).unwrap();
    let mut g = c.benchmark_group("decode");
    g.sample_size(30);
    g.bench_function("read_ipc_1M_rows", |b| {
        b.iter(|| black_box(sbx_data::read_ipc(black_box(&bytes)).unwrap()))
    });
    let small = sbx_data::write_ipc(&sbx_data::synthetic::synthetic(100_000, 1)).unwrap();
    g.bench_function("read_ipc_100k_rows", |b| {
        b.iter(|| black_box(sbx_data::read_ipc(black_box(&small)).unwrap()))
    });
    g.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);
