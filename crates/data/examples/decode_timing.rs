//! Writes the 1M-row synthetic dataset to a file and prints the median decode time
//! of `sbx_data::read_ipc` over the same bytes (used by bench/data/run.sh).
//! Usage: decode_timing OUT.arrow [ROWS] [REPEATS]
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let out = args
        .get(1)
        .cloned()
        .unwrap_or_else(|| "synthetic_1M.arrow".into());
    let rows: usize = args
        .get(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let repeats: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(30);
    let bytes = sbx_data::write_ipc(&sbx_data::synthetic::synthetic(rows, 1)).expect("write");
    std::fs::write(&out, &bytes).expect("write file");
    let bytes = std::fs::read(&out).expect("read file");
    let mut times = Vec::with_capacity(repeats);
    for _ in 0..repeats {
        let t = std::time::Instant::now();
        let ds = sbx_data::read_ipc(&bytes).expect("decode");
        times.push(t.elapsed().as_secs_f64() * 1e3);
        std::hint::black_box(ds);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{{\"rows\": {rows}, \"bytes\": {}, \"median_ms\": {:.3}, \"min_ms\": {:.3}}}",
        bytes.len(),
        times[repeats / 2],
        times[0]
    );
}
