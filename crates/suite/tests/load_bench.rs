//! Loading the three real benchmark folders of ../shared/bench, and
//! malformed files reported by name while the rest loads.
//! Fails loudly without ../shared (acceptance test). Expected counts were
//! taken from the files independently (counting result.json files and their
//! `passed` fields).

use std::path::Path;

use sbx_suite::{load_suite, load_suites, read_folder, IssueLevel, LoadIssue, Suite};

const BENCH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/bench");

fn files(name: &str) -> Vec<(String, Vec<u8>)> {
    read_folder(&Path::new(BENCH).join(name))
        .unwrap_or_else(|e| panic!("../shared/bench/{name} is required: {e}"))
}

fn load(name: &str) -> (Suite, Vec<LoadIssue>) {
    load_suite(files(name).into_iter(), &mut |_, _| {})
}

#[test]
fn scbench_loads_completely() {
    let (s, issues) = load("scbench");
    assert!(issues.is_empty(), "{issues:#?}");
    assert_eq!(s.name, "scbench");
    assert_eq!(s.evals.len(), 6);
    assert_eq!(s.runs.len(), 273);
    assert_eq!(s.trajectories.len(), 18);
    assert_eq!(s.results.len(), 4);
    assert_eq!(
        s.runs.iter().filter(|r| r.passed() == Some(true)).count(),
        133
    );
    assert!(s
        .runs
        .iter()
        .all(|r| s.eval(&r.eval_id).is_some() && r.answer_text.is_some()));
    assert_eq!(s.runs_of("T04a_endothelin_niche_sources").count(), 33);

    let ev = s.eval("DE01_pseudobulk_de").expect("eval");
    assert_eq!(ev.category.as_deref(), Some("differential_expression"));
    assert_eq!(ev.platform.as_deref(), Some("parsebio"));
    assert_eq!(ev.time_horizon.as_deref(), Some("long"));
    assert_eq!(ev.data_nodes, vec!["latch://158542059.node".to_string()]);
    assert!(ev.canary.is_some() && ev.notes.is_some());
    assert_eq!(
        ev.source_path,
        "scbench/evals/differential_expression/DE01_pseudobulk_de.json"
    );

    let r = s
        .run("DE01_pseudobulk_de/xai/grok-4-1-fast-reasoning/mini-swe-agent/r2")
        .expect("run");
    assert_eq!(r.eval_id, "DE01_pseudobulk_de");
    assert_eq!(
        (
            r.provider.as_str(),
            r.model.as_str(),
            r.harness.as_str(),
            r.run_index
        ),
        ("xai", "grok-4-1-fast-reasoning", "mini-swe-agent", 2)
    );
    assert_eq!(r.model_name.as_deref(), Some("xai/grok-4-1-fast-reasoning"));
    let rec = r.recorded.as_ref().expect("recorded");
    assert_eq!(rec.passed, Some(true));
    assert_eq!(rec.score, Some(1.0));
    assert!(rec
        .reasoning
        .as_deref()
        .is_some_and(|t| t.starts_with("Numeric Tolerance Check: PASS")));
    assert_eq!(rec.grader_version.as_deref(), Some("0.3.8"));
    assert_eq!(r.duration_s, Some(122.0));
    assert_eq!(r.cost_usd, Some(0.006_707_149_999_999_999));
    assert_eq!(r.recorded_steps, Some(5));
    assert_eq!(
        r.answer_text.as_deref().map(str::trim),
        Some("{\n  \"n_degs\": 1054\n}")
    );
    assert_eq!(
        s.trajectory(&r.id).map(|t| t.format.as_str()),
        Some("mini-swe-agent")
    );

    // Run index comes from the folder even when trial_index disagrees.
    let r = s
        .run("T04a_endothelin_niche_sources/xai/grok-4.20-beta-0309-reasoning/mini-swe-agent/r3")
        .expect("run");
    assert_eq!((r.run_index, r.trial_index), (3, Some(2)));

    let csv = s
        .results
        .iter()
        .find(|t| t.name == "model_results")
        .expect("csv table");
    let row = &csv.rows[0];
    assert_eq!(
        (row.model.as_str(), row.harness.as_deref()),
        ("gpt-5.5", Some("mini-swe-agent"))
    );
    let acc = &row.metrics["accuracy"];
    assert_eq!(
        (acc.mean, acc.ci_lower, acc.ci_upper),
        (57.95, Some(51.56), Some(64.34))
    );
    assert_eq!(row.metrics["cost_usd"].mean, 1.1136);
    assert_eq!(row.metrics["duration_s"].mean, 707.09);
    assert_eq!(row.n, Some(195.0));
    assert_eq!(csv.rows.len(), 16);

    let cat = s
        .results
        .iter()
        .find(|t| t.name == "category_results")
        .expect("category table");
    assert_eq!(cat.grouping.as_deref(), Some("task"));
    let row = cat
        .rows
        .iter()
        .find(|r| {
            r.id == "claude-opus-4-5-mini-swe-agent" && r.group.as_deref() == Some("cell_typing")
        })
        .expect("row");
    assert_eq!(
        (row.model.as_str(), row.harness.as_deref(), row.n),
        ("claude-opus-4-5", Some("mini-swe-agent"), Some(78.0))
    );
    assert_eq!(row.metrics["accuracy"].mean, 58.97);
    assert_eq!(cat.rows.len(), 6 * 17);
}

#[test]
fn spatialbench_loads_completely() {
    let (s, issues) = load("spatialbench");
    assert!(issues.is_empty(), "{issues:#?}");
    assert_eq!(s.evals.len(), 10);
    assert_eq!(s.runs.len(), 0);
    assert_eq!(s.results.len(), 3);
    let ev = s
        .eval("bone_visium_c2l_niche_bone_formation_markers")
        .expect("eval");
    assert_eq!(ev.category.as_deref(), Some("clustering"));
    assert_eq!(ev.platform.as_deref(), Some("visium"));
    // `data_node` is a one-element list in this file.
    assert_eq!(ev.data_nodes, vec!["latch://153444295.node".to_string()]);
    assert_eq!(
        ev.grader_types(),
        vec!["marker_gene_precision_recall".to_string()]
    );
    let bench = s
        .results
        .iter()
        .find(|t| t.name == "benchmark_results")
        .expect("table");
    assert_eq!(bench.grouping, None);
    let row = bench
        .rows
        .iter()
        .find(|r| r.id == "opus-4-5-claude-code")
        .expect("row");
    assert_eq!(
        (row.model.as_str(), row.harness.as_deref()),
        ("opus-4-5", Some("claude-code"))
    );
    assert_eq!(
        row.display_name.as_deref(),
        Some("Claude Opus 4.5 (Claude Code)")
    );
    let acc = &row.metrics["accuracy"];
    assert_eq!(
        (acc.mean, acc.ci_lower, acc.ci_upper),
        (48.1, Some(40.8), Some(55.3))
    );
    assert_eq!(row.metrics["cost_usd"].mean, 0.388);
    let by_platform = s
        .results
        .iter()
        .find(|t| t.name == "results_by_platform")
        .expect("table");
    assert_eq!(by_platform.grouping.as_deref(), Some("platform"));
}

#[test]
fn spatialbench_long_loads_completely() {
    let (s, issues) = load("spatialbench-long");
    assert!(issues.is_empty(), "{issues:#?}");
    assert_eq!(s.evals.len(), 4);
    assert_eq!(s.runs.len(), 16);
    assert_eq!(s.trajectories.len(), 16);
    assert_eq!(
        s.runs.iter().filter(|r| r.passed() == Some(true)).count(),
        3
    );
    for e in &s.evals {
        assert!(!e.has_grader(), "graders are withheld upstream");
        assert!(e.vocabulary.is_some(), "{} has its vocabulary", e.id);
    }
    // One of the four has only `graded_biological_result` in its metadata.
    assert_eq!(
        s.evals
            .iter()
            .filter(|e| e.time_horizon.as_deref() == Some("long"))
            .count(),
        3
    );
    let lineage = s
        .eval("lineage_metastasis_multilayer_niche_mapping")
        .expect("eval");
    assert_eq!(
        (lineage.category.as_deref(), lineage.platform.as_deref()),
        (None, None)
    );
    // The results table of the README.
    assert_eq!(s.results.len(), 1);
    let t = &s.results[0];
    assert_eq!(
        (t.path.as_str(), t.rows.len()),
        ("spatialbench-long/README.md", 17)
    );
    let r = &t.rows[0];
    assert_eq!(
        (r.model.as_str(), r.harness.as_deref()),
        ("claude-opus-4-8", Some("claude-code"))
    );
    assert_eq!(
        (
            r.metrics["runs"].mean,
            r.metrics["passed"].mean,
            r.metrics["pass_rate"].mean
        ),
        (72.0, 8.0, 11.11)
    );
    let last = &t.rows[16];
    assert_eq!(
        (
            last.model.as_str(),
            last.harness.as_deref(),
            last.metrics["pass_rate"].mean
        ),
        ("gemini-2.5-pro", Some("pi"), 1.39)
    );
    let mut formats: Vec<&str> = s.trajectories.values().map(|t| t.format.as_str()).collect();
    formats.sort();
    formats.dedup();
    assert_eq!(formats, vec!["claude-code", "openai-codex", "pi"]);
}

#[test]
fn several_suites_from_one_drop_with_progress() {
    let mut all = Vec::new();
    for name in ["spatialbench", "scbench", "spatialbench-long"] {
        all.extend(
            files(name)
                .into_iter()
                .map(|(p, b)| (format!("bench/{p}"), b)),
        );
    }
    all.push(("bench/SOURCES.md".into(), b"notes".to_vec()));
    let total = all.len();
    let mut seen = Vec::new();
    let (suites, issues) = load_suites(all.into_iter(), &mut |d, t| seen.push((d, t)));
    assert!(issues.is_empty(), "{issues:#?}");
    let names: Vec<&str> = suites.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, vec!["scbench", "spatialbench", "spatialbench-long"]);
    assert_eq!(suites.iter().map(|s| s.evals.len()).sum::<usize>(), 20);
    assert_eq!(suites.iter().map(|s| s.runs.len()).sum::<usize>(), 289);
    assert!(
        seen.windows(2).all(|w| w[0].0 <= w[1].0),
        "progress never goes back"
    );
    assert!(seen.iter().all(|(_, t)| *t == total));
    assert_eq!(seen.last(), Some(&(total, total)));
}

fn replace(files: &mut [(String, Vec<u8>)], suffix: &str, bytes: &[u8]) -> String {
    let f = files
        .iter_mut()
        .find(|(p, _)| p.ends_with(suffix))
        .unwrap_or_else(|| panic!("no file {suffix}"));
    f.1 = bytes.to_vec();
    f.0.clone()
}

fn issue_for<'a>(issues: &'a [LoadIssue], path: &str) -> &'a LoadIssue {
    issues
        .iter()
        .find(|i| i.path == path)
        .unwrap_or_else(|| panic!("no issue for {path}: {issues:#?}"))
}

#[test]
fn malformed_files_are_named_and_the_rest_loads() {
    let mut fs = files("scbench");
    let eval = replace(
        &mut fs,
        "evals/qc/bd_rhapsody_tnbc_panel_aware_qc.json",
        b"{\"id\": \"bd\", \"task\": ",
    );
    let run = "trajectories/DE01_pseudobulk_de/xai/grok-4-1-fast-reasoning/mini-swe-agent/r2";
    let result = replace(
        &mut fs,
        &format!("{run}/result.json"),
        br#"{"task": "DE01_pseudobulk_de", "result": {"passed": "yes"}}"#,
    );
    let traj_suffix = "dr_05_pca_preprocessing_sentinels/anthropic/claude-opus-4-7/claude-code/r1/trajectory.json";
    let original = fs
        .iter()
        .find(|(p, _)| p.ends_with(traj_suffix))
        .expect("trajectory")
        .1
        .clone();
    let traj = replace(&mut fs, traj_suffix, &original[..original.len() / 2]);
    let csv = replace(
        &mut fs,
        "results/model_results.csv",
        b"model_name,harness,Accuracy (%)\ngpt,mini-swe-agent,50,extra\n",
    );
    fs.push((
        "scbench/evals/qc/no_id.json".into(),
        br#"{"task": "count cells"}"#.to_vec(),
    ));
    fs.push((
        "scbench/trajectories/DE01_pseudobulk_de/result.json".into(),
        b"{}".to_vec(),
    ));

    let (s, issues) = load_suite(fs.into_iter(), &mut |_, _| {});
    assert_eq!(
        issues
            .iter()
            .filter(|i| i.level == IssueLevel::Error)
            .count(),
        6,
        "{issues:#?}"
    );

    let i = issue_for(&issues, &eval);
    assert!(
        i.message.starts_with("eval not loaded: invalid JSON"),
        "{i}"
    );
    let i = issue_for(&issues, "scbench/evals/qc/no_id.json");
    assert_eq!(
        i.message,
        "eval not loaded: missing `id` (the eval id, a string)"
    );
    let i = issue_for(&issues, &result);
    assert_eq!(
        i.message,
        "recorded result not loaded: `result.passed` must be true or false, found a string"
    );
    let i = issue_for(&issues, &traj);
    assert!(
        i.message
            .starts_with("trajectory not loaded: invalid JSON: EOF while parsing"),
        "{i}"
    );
    let i = issue_for(&issues, &csv);
    assert!(
        i.message.starts_with("results table not loaded: line 2:"),
        "{i}"
    );
    let i = issue_for(
        &issues,
        "scbench/trajectories/DE01_pseudobulk_de/result.json",
    );
    assert!(
        i.message
            .contains("trajectories/<eval>/<provider>/<model>/<harness>/r<N>/"),
        "{i}"
    );
    // The broken eval's 48 runs still load and say their eval is missing.
    let w = issues
        .iter()
        .find(|i| i.level == IssueLevel::Warning)
        .expect("a warning");
    assert!(
        w.message
            .contains("48 run(s) of eval `bd_rhapsody_tnbc_panel_aware_qc`"),
        "{w}"
    );

    assert_eq!(s.evals.len(), 5);
    assert_eq!(s.runs.len(), 273);
    assert_eq!(s.trajectories.len(), 17);
    assert_eq!(s.results.len(), 3);
    let r = s
        .run(&run.replace("trajectories/", ""))
        .expect("run still loads");
    assert!(r.recorded.is_none() && r.answer_text.is_some());
    assert_eq!(r.eval_id, "DE01_pseudobulk_de");
}

/// Every real file cut short at several points, or with bytes flipped, loads
/// without a panic and with at most issues for that one file.
#[test]
fn damaged_copies_of_real_files_never_panic() {
    let mut all = Vec::new();
    for name in ["spatialbench", "scbench", "spatialbench-long"] {
        all.extend(files(name));
    }
    // All evals, results and trajectories, and every 10th run file.
    let picked: Vec<&(String, Vec<u8>)> = all
        .iter()
        .enumerate()
        .filter(|(i, (p, _))| {
            !p.contains("/trajectories/") || p.ends_with("trajectory.json") || i % 10 == 0
        })
        .map(|(_, f)| f)
        .collect();
    assert!(picked.len() > 80, "{}", picked.len());
    let mut damaged_loads = 0;
    for (path, bytes) in picked {
        for k in 1..8 {
            let cut = bytes.len() * k / 8;
            let mut flipped = bytes.clone();
            if let Some(b) = flipped.get_mut(cut) {
                *b ^= 0x5a;
            }
            for variant in [bytes[..cut].to_vec(), flipped] {
                let (_, issues) =
                    load_suite(std::iter::once((path.clone(), variant)), &mut |_, _| {});
                assert!(
                    issues
                        .iter()
                        .all(|i| i.path == *path || i.level == IssueLevel::Warning),
                    "{issues:#?}"
                );
                damaged_loads += 1;
            }
        }
    }
    assert!(damaged_loads > 1000);
}

/// The page's incremental loader gives the same suites, with progress in between.
#[test]
fn incremental_loader_matches_one_shot_loading() {
    let mut all = Vec::new();
    for name in ["scbench", "spatialbench-long"] {
        all.extend(files(name));
    }
    let (expected, expected_issues) = load_suites(all.clone().into_iter(), &mut |_, _| {});
    let mut loader = sbx_suite::Loader::new(all.into_iter());
    let total = loader.total();
    let mut seen = vec![loader.done()];
    while !loader.step(25) {
        seen.push(loader.done());
    }
    assert!(seen.len() > 10, "several steps: {seen:?}");
    assert!(
        seen.windows(2).all(|w| w[0] < w[1]),
        "progress moves on every step"
    );
    assert_eq!(loader.done(), total);
    let (suites, issues) = loader.finish();
    assert_eq!(suites, expected);
    assert_eq!(issues, expected_issues);
}
