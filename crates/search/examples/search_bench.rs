//! Index and query timings for bench/search/run.sh: the 34 shared
//! trajectories, then a synthetic collection made from them by seeded
//! mutation. Writes every indexed step's text to `--dump FILE` so the Python
//! peer (bench/search/py_re.py) runs the same queries over the same texts.
//!
//! cargo run --profile native -p sbx-search --example search_bench -- \
//!     --bench ../shared/bench --synthetic 5000 --dump /tmp/texts.bin --out results.json

use sbx_search::{step_text, Index, Query, RunMeta};
use sbx_suite::trajectory::Step;
use std::io::Write;
use std::path::Path;
use std::time::Instant;

/// The queries, as the page would send them (limit 100). Same list in py_re.py.
fn queries() -> Vec<(&'static str, Query)> {
    let cs = |t: &str| Query {
        case_sensitive: true,
        ..Query::words(t)
    };
    vec![
        ("word", Query::words("normalize_total")),
        ("word", Query::words("pydeseq2")),
        ("word", Query::words("harmony")),
        ("word", Query::words("leiden")),
        ("word", Query::words("cell2location")),
        ("2 words", Query::words("adata obs")),
        ("word, case", cs("DESeq2")),
        ("phrase", Query::words("\"sc.pp.normalize_total\"")),
        ("phrase", Query::words("\"import scanpy as sc\"")),
        ("regex", Query::regex(r"sc\.tl\.(leiden|louvain)\(")),
        ("regex", Query::regex(r"n_top_genes\s*=\s*\d+")),
        ("regex", Query::regex(r"\d+\.\d+e-\d+")),
    ]
}

struct Rng(u64);
impl Rng {
    /// splitmix64: seeded, deterministic, no dependency.
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn rss_mb() -> f64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0)
}

fn load(bench: &Path) -> Vec<(RunMeta, Vec<Step>)> {
    let mut out = Vec::new();
    for name in ["scbench", "spatialbench-long"] {
        let files = sbx_suite::read_folder(&bench.join(name)).expect("shared bench folder");
        let (suites, _) = sbx_suite::load_suites(files.into_iter(), &mut |_, _| {});
        for suite in suites {
            for run in &suite.runs {
                if let Some(t) = suite.trajectories.get(&run.id) {
                    let meta = RunMeta {
                        suite: suite.name.clone(),
                        run: run.id.clone(),
                        eval: run.eval_id.clone(),
                        model: run.model.clone(),
                        harness: run.harness.clone(),
                        classes: Vec::new(),
                    };
                    out.push((meta, t.steps.clone()));
                }
            }
        }
    }
    out
}

/// Rewrites digits (new numbers, so the vocabulary grows like real outputs),
/// renames some identifiers and drops about a tenth of the steps.
fn mutate(rng: &mut Rng, i: usize, steps: &[Step]) -> Vec<Step> {
    let renames = [
        ("adata", "ad"),
        ("result", "res"),
        ("genes", "features"),
        ("cluster", "group"),
    ];
    let mut out = Vec::with_capacity(steps.len());
    for step in steps {
        if rng.below(10) == 0 {
            continue;
        }
        let mut text = step_text(step).into_owned();
        if rng.below(3) == 0 {
            let (a, b) = renames[rng.below(renames.len() as u64) as usize];
            text = text.replace(a, &format!("{b}_{}", rng.below(50)));
        }
        let mut bytes = text.into_bytes();
        for b in &mut bytes {
            if b.is_ascii_digit() && rng.below(3) == 0 {
                *b = b'0' + rng.below(10) as u8;
            }
        }
        let mut text = String::from_utf8(bytes).expect("digits swapped for digits");
        text.push_str(&format!("\n# trial {i}"));
        out.push(match step {
            Step::Message { role, .. } => Step::Message {
                role: role.clone(),
                text,
            },
            Step::ToolCall { name, .. } => Step::ToolCall {
                name: name.clone(),
                input: text,
                call_id: None,
            },
            Step::ToolOutput { is_error, .. } => Step::ToolOutput {
                text,
                is_error: *is_error,
                call_id: None,
            },
            Step::FinalAnswer { .. } => Step::FinalAnswer { text },
            Step::Unknown { .. } => Step::Message {
                role: "event".into(),
                text,
            },
        });
    }
    out
}

fn dump(w: &mut impl Write, run: usize, steps: &[Step]) {
    for (i, s) in steps.iter().enumerate() {
        let t = step_text(s);
        writeln!(w, "{run}\t{i}\t{}\t{}", s.kind(), t.len()).unwrap();
        w.write_all(t.as_bytes()).unwrap();
    }
}

fn time_queries(index: &Index, reps: usize) -> Vec<serde_json::Value> {
    let mut rows = Vec::new();
    for (what, q) in queries() {
        let mut ms = Vec::new();
        let mut last = None;
        for _ in 0..reps {
            let t = Instant::now();
            let r = index.search(&q).expect("valid query");
            ms.push(t.elapsed().as_secs_f64() * 1e3);
            last = Some(r);
        }
        ms.sort_by(f64::total_cmp);
        let r = last.expect("at least one repetition");
        rows.push(serde_json::json!({
            "what": what, "query": q.text, "case_sensitive": q.case_sensitive,
            "median_ms": ms[ms.len() / 2], "max_ms": ms[ms.len() - 1],
            "total": r.total, "capped": r.capped, "runs_matched": r.runs_matched, "hits": r.hits.len(),
        }));
    }
    rows
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |k: &str| {
        args.iter()
            .position(|a| a == k)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let bench = arg("--bench").unwrap_or_else(|| "../shared/bench".into());
    let synthetic: usize = arg("--synthetic").map_or(5000, |s| s.parse().expect("--synthetic N"));
    let dump_path = arg("--dump");
    let shared = load(Path::new(&bench));
    let mut results = serde_json::Map::new();
    for (label, count) in [("shared", 0usize), ("synthetic", synthetic)] {
        let rss0 = rss_mb();
        let mut index = Index::new();
        let mut writer = dump_path.as_ref().map(|p| {
            std::io::BufWriter::new(
                std::fs::File::create(format!("{p}.{label}")).expect("dump file"),
            )
        });
        let mut text_bytes = 0usize;
        let mut steps = 0usize;
        let mut index_s = 0.0;
        let n = if count == 0 { shared.len() } else { count };
        let mut rng = Rng(0x5BE_ACE5 ^ count as u64);
        for i in 0..n {
            let (meta, base) = &shared[i % shared.len()];
            let st = if count == 0 {
                base.clone()
            } else {
                // A long session: three mutated trajectories end to end (~1 GB at 5,000).
                let k = shared.len();
                let mut st = mutate(&mut rng, i, base);
                st.extend(mutate(&mut rng, i, &shared[(i * 7 + 3) % k].1));
                st.extend(mutate(&mut rng, i, &shared[(i * 13 + 5) % k].1));
                st
            };
            text_bytes += st.iter().map(|s| step_text(s).len()).sum::<usize>();
            steps += st.len();
            if let Some(w) = writer.as_mut() {
                dump(w, i, &st);
            }
            let meta = RunMeta {
                run: format!("{}#{i}", meta.run),
                ..meta.clone()
            };
            let t = Instant::now();
            index.add_run(meta, &st);
            index_s += t.elapsed().as_secs_f64();
        }
        index.shrink();
        drop(writer);
        let rows = time_queries(&index, if count == 0 { 9 } else { 5 });
        let summary = serde_json::json!({
            "trajectories": n, "steps": steps, "text_mb": text_bytes as f64 / 1e6,
            "index_s": index_s, "index_mb_per_s": text_bytes as f64 / 1e6 / index_s,
            "memory_bytes_mb": index.memory_bytes() as f64 / 1e6,
            "vocabulary": index.vocabulary_len(),
            "rss_mb": rss_mb(), "rss_added_mb": rss_mb() - rss0,
            "queries": rows,
        });
        eprintln!(
            "{label}: {}",
            serde_json::to_string_pretty(&summary).unwrap()
        );
        results.insert(label.into(), summary);
    }
    let out = arg("--out").unwrap_or_else(|| "/dev/stdout".into());
    std::fs::write(out, serde_json::to_string_pretty(&results).unwrap()).expect("write results");
}
