//! Loading a suite from an in-memory list of `(relative path, bytes)`: the
//! same code serves a directory read by the command line and files dropped
//! into the page.
//!
//! Files are recognised by where they sit, so any prefix before the markers
//! is allowed (`scbench/evals/…`, `bench/scbench/evals/…`):
//! - `…/evals*/**/*.json`: eval JSONs, plus `manifest.json` (category and
//!   platform per eval) and `vocabulary.json` (attached to the eval in the
//!   same folder);
//! - `…/results/*.json`, `…/results/*.csv`: results tables, and the first
//!   Markdown table under a "Results" heading of a `README.md` at the suite root;
//! - `…/trajectories/<eval>/<provider>/<model>/<harness>/r<N>/` with
//!   `eval_answer.json`, `result.json`, `trajectory.json`, `harness_outputs.jsonl`.
//!
//! Everything else is counted as ignored. A file that cannot be used becomes
//! a [`LoadIssue`] naming the file and what is wrong; the rest still loads.

use std::collections::{BTreeMap, HashMap, HashSet};

use indexmap::IndexMap;

use crate::eval_file::{parse_eval, parse_manifest, ManifestEntry};
use crate::model::{LoadIssue, Run, Suite};
use crate::results::{parse_markdown_results, parse_results_csv, parse_results_json};
use crate::run_file::parse_result;
use crate::trajectory::parse_trajectory;

const RUN_FILES: &[&str] = &["eval_answer.json", "result.json", "trajectory.json", "harness_outputs.jsonl"];

#[derive(Debug)]
enum Class {
    Eval { folder: Option<String> },
    EvalManifest,
    Vocabulary,
    ResultsJson,
    ResultsCsv,
    RunFile { run: String, parts: [String; 5], name: String },
    BadRunPath,
    /// A `README.md` outside the marker folders (used when it sits at the suite root).
    Readme,
    Ignored,
}

fn components(path: &str) -> Vec<&str> {
    path.split(['/', '\\']).filter(|c| !c.is_empty() && *c != ".").collect()
}

fn is_run_dir(c: &str) -> bool {
    c.len() > 1 && c.starts_with('r') && c[1..].bytes().all(|b| b.is_ascii_digit())
}

/// Index of the first marker component (`evals*`, `results`, `trajectories`).
fn marker(comps: &[&str]) -> Option<usize> {
    // The last component is the file name, never a marker.
    let dirs = comps.len().saturating_sub(1);
    comps[..dirs].iter().position(|c| c.starts_with("evals") || *c == "results" || *c == "trajectories")
}

/// The part of a path before its first marker (the suite root), or `None`.
pub fn suite_root(path: &str) -> Option<String> {
    let comps = components(path);
    marker(&comps).map(|i| comps[..i].join("/"))
}

fn classify(path: &str) -> Class {
    let comps = components(path);
    let Some(name) = comps.last() else { return Class::Ignored };
    if name.starts_with('.') || comps.contains(&"__MACOSX") {
        return Class::Ignored;
    }
    let Some(m) = marker(&comps) else {
        return if *name == "README.md" { Class::Readme } else { Class::Ignored };
    };
    let rel = &comps[m + 1..];
    match comps[m] {
        "trajectories" => {
            if !RUN_FILES.contains(name) {
                return Class::Ignored;
            }
            if rel.len() != 6 || !is_run_dir(rel[4]) {
                return Class::BadRunPath;
            }
            Class::RunFile {
                run: comps[..m + 6].join("/"),
                parts: [rel[0], rel[1], rel[2], rel[3], rel[4]].map(str::to_string),
                name: name.to_string(),
            }
        }
        "results" => {
            if name.ends_with(".json") {
                Class::ResultsJson
            } else if name.ends_with(".csv") {
                Class::ResultsCsv
            } else {
                Class::Ignored
            }
        }
        _ => {
            if !name.ends_with(".json") {
                Class::Ignored
            } else if *name == "manifest.json" {
                Class::EvalManifest
            } else if *name == "vocabulary.json" {
                Class::Vocabulary
            } else {
                let folder = if rel.len() >= 2 { Some(rel[rel.len() - 2].to_string()) } else { None };
                Class::Eval { folder }
            }
        }
    }
}

fn parent(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(p, _)| p)
}

/// Loads one suite. The suite is named after the folder holding the markers
/// (`scbench` for `scbench/evals/…`), or `suite` when paths start at the markers.
/// `progress(done, total)` is called after each file.
pub fn load_suite(
    files: impl Iterator<Item = (String, Vec<u8>)>,
    progress: &mut dyn FnMut(usize, usize),
) -> (Suite, Vec<LoadIssue>) {
    let files: Vec<(String, Vec<u8>)> = files.map(|(p, b)| (p.replace('\\', "/"), b)).collect();
    let name = files
        .iter()
        .find_map(|(p, _)| suite_root(p))
        .and_then(|r| r.rsplit('/').next().map(str::to_string))
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "suite".to_string());
    let total = files.len();
    let mut done = 0usize;
    let mut tick = |n: usize| {
        done += n;
        progress(done, total);
    };
    load_files(name, files, &mut tick)
}

/// Loads several suites from one list of files (for example a dropped folder
/// holding `spatialbench/`, `scbench/` and `spatialbench-long/`): files are
/// grouped by their suite root. Files outside any suite are ignored.
pub fn load_suites(
    files: impl Iterator<Item = (String, Vec<u8>)>,
    progress: &mut dyn FnMut(usize, usize),
) -> (Vec<Suite>, Vec<LoadIssue>) {
    let mut groups: BTreeMap<String, Vec<(String, Vec<u8>)>> = BTreeMap::new();
    let mut readmes: Vec<(String, Vec<u8>)> = Vec::new();
    let mut outside = 0usize;
    for (p, b) in files {
        let p = p.replace('\\', "/");
        match suite_root(&p) {
            Some(root) => groups.entry(root).or_default().push((p, b)),
            None if p.ends_with("README.md") => readmes.push((p, b)),
            None => outside += 1,
        }
    }
    // A README beside a suite's folders may hold its results table.
    for (p, b) in readmes {
        match groups.get_mut(parent(&p)) {
            Some(g) => g.push((p, b)),
            None => outside += 1,
        }
    }
    let total = outside + groups.values().map(Vec::len).sum::<usize>();
    let mut done = outside;
    progress(done, total);
    let mut suites = Vec::new();
    let mut issues = Vec::new();
    let mut used_names: HashSet<String> = HashSet::new();
    for (root, files) in groups {
        let base = root.rsplit('/').next().filter(|n| !n.is_empty()).unwrap_or("suite").to_string();
        // Two roots ending in the same folder name get distinct suite names.
        let mut name = base.clone();
        let mut k = 2;
        while !used_names.insert(name.clone()) {
            name = format!("{base}-{k}");
            k += 1;
        }
        let mut tick = |n: usize| {
            done += n;
            progress(done, total);
        };
        let (s, mut iss) = load_files(name, files, &mut tick);
        suites.push(s);
        issues.append(&mut iss);
    }
    (suites, issues)
}

#[derive(Default)]
struct RunParts {
    parts: [String; 5],
    files: HashMap<String, (String, Vec<u8>)>,
}

fn load_files(name: String, files: Vec<(String, Vec<u8>)>, tick: &mut dyn FnMut(usize)) -> (Suite, Vec<LoadIssue>) {
    let mut suite = Suite { name, ..Default::default() };
    let mut issues = Vec::new();

    let mut evals = Vec::new();
    let mut manifests = Vec::new();
    let mut vocabularies = Vec::new();
    let mut results = Vec::new();
    let mut readmes = Vec::new();
    let mut runs: IndexMap<String, RunParts> = IndexMap::new();
    let roots: HashSet<String> = files.iter().filter_map(|(p, _)| suite_root(p)).collect();
    for (path, bytes) in files {
        match classify(&path) {
            Class::Eval { folder } => evals.push((path, bytes, folder)),
            Class::EvalManifest => manifests.push((path, bytes)),
            Class::Vocabulary => vocabularies.push((path, bytes)),
            Class::ResultsJson | Class::ResultsCsv => results.push((path, bytes)),
            Class::RunFile { run, parts, name } => {
                let entry = runs.entry(run).or_insert_with(|| RunParts { parts, ..Default::default() });
                entry.files.insert(name, (path, bytes));
            }
            Class::BadRunPath => {
                issues.push(LoadIssue::error(
                    &path,
                    "run file outside a run folder: expected trajectories/<eval>/<provider>/<model>/<harness>/r<N>/<file>",
                ));
                tick(1);
            }
            Class::Readme if roots.contains(parent(&path)) => readmes.push((path, bytes)),
            Class::Readme | Class::Ignored => {
                suite.ignored_files += 1;
                tick(1);
            }
        }
    }

    // Manifests first: they fill in categories and platforms of evals.
    let mut manifest: HashMap<String, ManifestEntry> = HashMap::new();
    for (path, bytes) in &manifests {
        match parse_manifest(bytes) {
            Ok(m) => manifest.extend(m),
            Err(e) => issues.push(LoadIssue::warning(path, format!("eval manifest not used: {e}"))),
        }
        tick(1);
    }
    evals.sort_by(|a, b| a.0.cmp(&b.0));
    let mut seen: HashMap<String, String> = HashMap::new();
    for (path, bytes, folder) in &evals {
        match parse_eval(path, bytes, &manifest, folder.as_deref()) {
            Ok(ev) => {
                if let Some(first) = seen.get(&ev.id) {
                    issues.push(LoadIssue::error(path, format!("duplicate eval id `{}` (first defined in {first}); skipped", ev.id)));
                } else {
                    seen.insert(ev.id.clone(), path.clone());
                    suite.evals.push(ev);
                }
            }
            Err(e) => issues.push(LoadIssue::error(path, format!("eval not loaded: {e}"))),
        }
        tick(1);
    }
    for (path, bytes) in &vocabularies {
        let dir = parent(path);
        match serde_json::from_slice::<serde_json::Value>(bytes) {
            Ok(v) => match suite.evals.iter_mut().find(|e| parent(&e.source_path) == dir) {
                Some(ev) => ev.vocabulary = Some(v),
                None => issues.push(LoadIssue::warning(path, "vocabulary file with no eval JSON beside it")),
            },
            Err(e) => issues.push(LoadIssue::error(path, format!("vocabulary not loaded: invalid JSON: {e}"))),
        }
        tick(1);
    }

    results.sort_by(|a, b| a.0.cmp(&b.0));
    for (path, bytes) in &results {
        let parsed = if path.ends_with(".csv") { parse_results_csv(path, bytes) } else { parse_results_json(path, bytes) };
        match parsed {
            Ok(t) => suite.results.push(t),
            Err(e) => issues.push(LoadIssue::error(path, format!("results table not loaded: {e}"))),
        }
        tick(1);
    }

    for (path, bytes) in &readmes {
        // A README without a results table is not an error.
        match std::str::from_utf8(bytes).ok().and_then(|t| parse_markdown_results(path, t)) {
            Some(t) => suite.results.push(t),
            None => suite.ignored_files += 1,
        }
        tick(1);
    }

    let eval_ids: HashSet<String> = suite.evals.iter().map(|e| e.id.clone()).collect();
    runs.sort_keys();
    for (folder, parts) in runs {
        let n = parts.files.len();
        let (run, traj) = build_run(folder, parts, &eval_ids, &mut issues);
        if let Some(t) = traj {
            suite.trajectories.insert(run.id.clone(), t);
        }
        suite.runs.push(run);
        tick(n);
    }
    // Runs of evals that are not in the suite still load; say so once per eval.
    if !suite.evals.is_empty() {
        let mut missing: IndexMap<String, (usize, String)> = IndexMap::new();
        for r in suite.runs.iter().filter(|r| !eval_ids.contains(&r.eval_id)) {
            missing.entry(r.eval_id.clone()).or_insert((0, r.folder.clone())).0 += 1;
        }
        for (id, (n, folder)) in missing {
            issues.push(LoadIssue::warning(folder, format!("{n} run(s) of eval `{id}`, which is not in this suite")));
        }
    }
    (suite, issues)
}

fn build_run(
    folder: String,
    mut rp: RunParts,
    eval_ids: &HashSet<String>,
    issues: &mut Vec<LoadIssue>,
) -> (Run, Option<crate::trajectory::Trajectory>) {
    let [eval_dir, provider, model, harness, rdir] = rp.parts.clone();
    let mut run = Run {
        id: rp.parts.join("/"),
        eval_id: eval_dir.clone(),
        provider,
        model,
        model_name: None,
        harness,
        run_index: rdir[1..].parse().unwrap_or(0),
        trial_index: None,
        answer_text: None,
        recorded: None,
        duration_s: None,
        cost_usd: None,
        recorded_steps: None,
        timed_out: None,
        trajectory_path: None,
        folder,
    };
    let mut result_ids: Vec<String> = Vec::new();
    if let Some((path, bytes)) = rp.files.remove("result.json") {
        match parse_result(&bytes) {
            Ok(r) => {
                for w in &r.warnings {
                    issues.push(LoadIssue::warning(&path, w.clone()));
                }
                result_ids.extend(r.task.clone());
                result_ids.extend(r.test_id.clone());
                run.model_name = r.model_name;
                run.trial_index = r.trial_index;
                run.duration_s = r.duration_s;
                run.cost_usd = r.cost_usd;
                run.recorded_steps = r.steps;
                run.timed_out = r.timed_out;
                run.recorded = Some(r.recorded);
                if let Some(h) = r.harness.filter(|h| *h != run.harness) {
                    issues.push(LoadIssue::warning(&path, format!("harness `{h}` differs from the folder name `{}`", run.harness)));
                }
            }
            Err(e) => issues.push(LoadIssue::error(&path, format!("recorded result not loaded: {e}"))),
        }
    }
    // The result's task id decides, when it names a loaded eval; else the folder.
    if let Some(id) = result_ids.iter().find(|id| eval_ids.contains(*id)) {
        run.eval_id = id.clone();
    } else if !eval_ids.contains(&run.eval_id) {
        if let Some(id) = result_ids.first() {
            run.eval_id = id.clone();
        }
    }
    if let Some((path, bytes)) = rp.files.remove("eval_answer.json") {
        match String::from_utf8(bytes) {
            Ok(t) => run.answer_text = Some(t),
            Err(e) => issues.push(LoadIssue::error(&path, format!("answer not loaded: not UTF-8 text ({e})"))),
        }
    }
    let traj_file = rp.files.remove("trajectory.json").or_else(|| rp.files.remove("harness_outputs.jsonl"));
    let mut traj = None;
    if let Some((path, bytes)) = traj_file {
        run.trajectory_path = Some(path.clone());
        match parse_trajectory(&path, &bytes) {
            Ok(t) => {
                if t.format == crate::trajectory::TrajectoryFormat::Unknown {
                    issues.push(LoadIssue::warning(&path, "trajectory in an unrecognised format: events are shown raw"));
                }
                traj = Some(t);
            }
            Err(e) => issues.push(LoadIssue::error(&path, format!("trajectory not loaded: {e}"))),
        }
    }
    (run, traj)
}

/// Reads every file under `dir` as `(path, bytes)` with paths starting at
/// the folder's own name (`scbench/evals/…` for `…/bench/scbench`), sorted,
/// ready for [`load_suite`]. Hidden files and folders are skipped. For the
/// command line and tests; the page gets its files from the browser.
pub fn read_folder(dir: &std::path::Path) -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let base = dir
        .canonicalize()?
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "suite".to_string());
    let mut out = Vec::new();
    let mut stack = vec![(dir.to_path_buf(), base)];
    while let Some((d, rel)) = stack.pop() {
        for entry in std::fs::read_dir(&d)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            let path = entry.path();
            let rel_path = format!("{rel}/{name}");
            if path.is_dir() {
                stack.push((path, rel_path));
            } else {
                out.push((rel_path, std::fs::read(&path)?));
            }
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}
