//! Times `detect` over every trajectory of the given benchmark folders:
//! `cargo run --release -p sbx-findings --example detect_time -- ../shared/bench/scbench ../shared/bench/spatialbench-long`.

use std::time::Instant;

use sbx_findings::{detect, Task};
use sbx_suite::{load_suite, read_folder};

fn main() {
    let mut work = Vec::new();
    for dir in std::env::args().skip(1) {
        let files = read_folder(std::path::Path::new(&dir)).unwrap_or_else(|e| {
            eprintln!("{dir}: {e}");
            std::process::exit(1);
        });
        let suite = load_suite(files.into_iter(), &mut |_, _| {}).0;
        for run in &suite.runs {
            if let Some(t) = suite.trajectory(&run.id) {
                let task = suite
                    .eval(&run.eval_id)
                    .and_then(|e| serde_json::to_value(e).ok())
                    .map(|v| Task::from_eval(&v))
                    .unwrap_or_default();
                work.push((task, t.steps.clone()));
            }
        }
    }
    let rounds = 20;
    let mut times = Vec::new();
    for (task, steps) in &work {
        let start = Instant::now();
        for _ in 0..rounds {
            std::hint::black_box(detect(task, steps));
        }
        times.push(start.elapsed().as_secs_f64() * 1e3 / f64::from(rounds));
    }
    times.sort_by(f64::total_cmp);
    let total: f64 = times.iter().sum();
    let n = times.len().max(1);
    println!(
        "{} trajectories: mean {:.2} ms, median {:.2} ms, max {:.2} ms per trajectory",
        times.len(),
        total / n as f64,
        times[n / 2],
        times[n - 1]
    );
}
