//! Grading throughput on the public conformance cases, already parsed (the
//! cost of the graders alone), parsing + grading of the raw lines, and raw
//! lines to verdict lines (`sbx grade` without its file I/O).
//! `cargo bench -p sbx-grade --bench grade` (the bench profile is opt-level 3).

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use sbx_grade::{decode_nonfinite, grade_value, parse, parse_keeping, DumpOptions, Value};
use std::hint::black_box;

/// Raw lines and parsed `(grader, answer)` pairs.
type Corpus = (Vec<String>, Vec<(Value, Value)>);

fn load() -> Option<Corpus> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../../shared/conformance/public.jsonl"
    );
    let Ok(text) = std::fs::read_to_string(path) else {
        eprintln!("skipping grading benchmarks: {path} not found");
        return None;
    };
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    let cases = lines
        .iter()
        .filter_map(|l| parse(l).ok())
        .map(decode_nonfinite)
        .map(|c| {
            (
                c.get("grader").cloned().unwrap_or(Value::Null),
                c.get("answer").cloned().unwrap_or(Value::Null),
            )
        })
        .collect();
    Some((lines, cases))
}

fn bench(c: &mut Criterion) {
    let Some((lines, cases)) = load() else { return };
    let mut g = c.benchmark_group("public_conformance");
    g.throughput(Throughput::Elements(cases.len() as u64));
    g.bench_function("grade_parsed", |b| {
        b.iter(|| {
            for (grader, answer) in &cases {
                black_box(grade_value(grader, answer));
            }
        })
    });
    g.bench_function("parse_and_grade", |b| {
        b.iter(|| {
            for l in &lines {
                let c = decode_nonfinite(parse(l).expect("valid line"));
                let (Some(gr), Some(a)) = (c.get("grader"), c.get("answer")) else {
                    continue;
                };
                black_box(grade_value(gr, a));
            }
        })
    });
    // What `sbx grade` does per line, I/O aside: parse, decode the sentinels,
    // grade, and write the verdict line (metrics and reasoning) into a reused buffer.
    g.bench_function("end_to_end_lines", |b| {
        let mut out = String::new();
        b.iter(|| {
            out.clear();
            for l in &lines {
                let c =
                    decode_nonfinite(parse_keeping(l, &["grader", "answer"]).expect("valid line"));
                let (Some(gr), Some(a)) = (c.get("grader"), c.get("answer")) else {
                    continue;
                };
                grade_value(gr, a).write_json(&mut out, DumpOptions::default());
                out.push('\n');
            }
            black_box(out.len())
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
