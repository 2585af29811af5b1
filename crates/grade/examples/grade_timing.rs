//! Time grading of a conformance-style JSON Lines file: parsed cases (the
//! graders alone), raw lines to verdict lines (parse, grade, write; no I/O),
//! and per grader type.
//! Usage: cargo run --profile native -p sbx-grade --example grade_timing -- FILE [REPEATS] [TYPE]

use sbx_grade::{decode_nonfinite, grade_value, parse, parse_keeping, DumpOptions, Value};
use std::collections::BTreeMap;
use std::time::Instant;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: grade_timing FILE [REPEATS]");
        std::process::exit(2);
    };
    let repeats: u32 = args.next().and_then(|r| r.parse().ok()).unwrap_or(20);
    let only: Option<String> = args.next();
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("cannot read {path}: {e}");
            std::process::exit(2);
        }
    };
    let cases: Vec<(String, Value, Value)> = text
        .lines()
        .filter_map(|l| parse(l).ok())
        .map(decode_nonfinite)
        .map(|c| {
            let g = c.get("grader").cloned().unwrap_or(Value::Null);
            let t = g
                .get("type")
                .and_then(Value::as_str)
                .unwrap_or("?")
                .to_string();
            (t, g, c.get("answer").cloned().unwrap_or(Value::Null))
        })
        .filter(|(t, _, _)| only.as_deref().is_none_or(|o| o == t))
        .collect();
    // Headline rate: the best of `repeats` passes over every case, without
    // per-case timers.
    let mut best = f64::INFINITY;
    for _ in 0..repeats {
        let t0 = Instant::now();
        for (_, g, a) in &cases {
            std::hint::black_box(grade_value(g, a));
        }
        best = best.min(t0.elapsed().as_secs_f64());
    }
    println!(
        "{} cases x {repeats}: {:.0} cases/s",
        cases.len(),
        cases.len() as f64 / best
    );
    // The same on every core, each thread claiming the next 32 cases when done
    // with its last, as `sbx grade` shares out its lines.
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut best_par = f64::INFINITY;
    for _ in 0..repeats {
        let t0 = Instant::now();
        let next = std::sync::atomic::AtomicUsize::new(0);
        let work = || loop {
            let k = next.fetch_add(32, std::sync::atomic::Ordering::Relaxed);
            let Some(part) = cases.get(k..(k + 32).min(cases.len())) else {
                break;
            };
            if part.is_empty() {
                break;
            }
            for (_, g, a) in part {
                std::hint::black_box(grade_value(g, a));
            }
        };
        std::thread::scope(|scope| {
            for _ in 1..threads {
                scope.spawn(work);
            }
            work();
        });
        best_par = best_par.min(t0.elapsed().as_secs_f64());
    }
    println!(
        "{} cases x {repeats} on {threads} threads: {:.0} cases/s",
        cases.len(),
        cases.len() as f64 / best_par
    );
    // Raw lines to verdict lines, as `sbx grade` does them between its reads and writes.
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let mut out = String::new();
    let mut best_lines = f64::INFINITY;
    for _ in 0..repeats {
        let t0 = Instant::now();
        out.clear();
        for l in &lines {
            let Ok(c) = parse_keeping(l, &["grader", "answer"]).map(decode_nonfinite) else {
                continue;
            };
            let (Some(g), Some(a)) = (c.get("grader"), c.get("answer")) else {
                continue;
            };
            grade_value(g, a).write_json(&mut out, DumpOptions::default());
            out.push('\n');
        }
        std::hint::black_box(out.len());
        best_lines = best_lines.min(t0.elapsed().as_secs_f64());
    }
    println!(
        "{} lines x {repeats}: {:.0} lines/s (parse, grade, write verdict line)",
        lines.len(),
        lines.len() as f64 / best_lines
    );
    // The same work phase by phase: parsing alone, and writing already graded verdicts.
    let mut best_parse = f64::INFINITY;
    for _ in 0..repeats {
        let t0 = Instant::now();
        for l in &lines {
            std::hint::black_box(
                parse_keeping(l, &["grader", "answer"])
                    .map(decode_nonfinite)
                    .ok(),
            );
        }
        best_parse = best_parse.min(t0.elapsed().as_secs_f64());
    }
    // The same lines through serde_json (a DOM with order kept), for scale:
    // what a mainstream Rust parser costs for the parsing alone.
    let mut best_serde = f64::INFINITY;
    for _ in 0..repeats {
        let t0 = Instant::now();
        for l in &lines {
            std::hint::black_box(serde_json::from_str::<serde_json::Value>(l).ok());
        }
        best_serde = best_serde.min(t0.elapsed().as_secs_f64());
    }
    let verdicts: Vec<_> = cases.iter().map(|(_, g, a)| grade_value(g, a)).collect();
    let mut best_write = f64::INFINITY;
    for _ in 0..repeats {
        let t0 = Instant::now();
        out.clear();
        for v in &verdicts {
            v.write_json(&mut out, DumpOptions::default());
            out.push('\n');
        }
        std::hint::black_box(out.len());
        best_write = best_write.min(t0.elapsed().as_secs_f64());
    }
    println!(
        "  phases: parse {:.2} us/line (serde_json, whole line: {:.2}), grade {:.2} us/case, write {:.2} us/verdict",
        best_parse / lines.len() as f64 * 1e6,
        best_serde / lines.len() as f64 * 1e6,
        best / cases.len() as f64 * 1e6,
        best_write / verdicts.len() as f64 * 1e6
    );
    let mut per_type: BTreeMap<&str, (usize, f64)> = BTreeMap::new();
    for _ in 0..repeats {
        for (t, g, a) in &cases {
            let t0 = Instant::now();
            std::hint::black_box(grade_value(g, a));
            let e = per_type.entry(t.as_str()).or_default();
            e.0 += 1;
            e.1 += t0.elapsed().as_secs_f64();
        }
    }
    for (t, (n, s)) in per_type {
        println!("  {t:32} {:8.2} us/case", s / n as f64 * 1e6);
    }
}
