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

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};

use indexmap::IndexMap;

use crate::eval_file::{parse_eval, parse_manifest, ManifestEntry};
use crate::model::{LoadIssue, Run, Suite};
use crate::results::{parse_markdown_results, parse_results_csv, parse_results_json};
use crate::run_file::parse_result;
use crate::trajectory::parse_trajectory;

const RUN_FILES: &[&str] = &[
    "eval_answer.json",
    "result.json",
    "trajectory.json",
    "harness_outputs.jsonl",
];

#[derive(Debug)]
enum Class {
    Eval {
        folder: Option<String>,
    },
    EvalManifest,
    Vocabulary,
    ResultsJson,
    ResultsCsv,
    RunFile {
        run: String,
        parts: [String; 5],
        name: String,
    },
    BadRunPath,
    /// A `README.md` outside the marker folders (used when it sits at the suite root).
    Readme,
    Ignored,
}

fn components(path: &str) -> Vec<&str> {
    path.split(['/', '\\'])
        .filter(|c| !c.is_empty() && *c != ".")
        .collect()
}

fn is_run_dir(c: &str) -> bool {
    c.len() > 1 && c.starts_with('r') && c[1..].bytes().all(|b| b.is_ascii_digit())
}

/// Index of the first marker component (`evals*`, `results`, `trajectories`).
fn marker(comps: &[&str]) -> Option<usize> {
    // The last component is the file name, never a marker.
    let dirs = comps.len().saturating_sub(1);
    comps[..dirs]
        .iter()
        .position(|c| c.starts_with("evals") || *c == "results" || *c == "trajectories")
}

/// The part of a path before its first marker (the suite root), or `None`.
pub fn suite_root(path: &str) -> Option<String> {
    let comps = components(path);
    marker(&comps).map(|i| comps[..i].join("/"))
}

fn classify(path: &str) -> Class {
    let comps = components(path);
    let Some(name) = comps.last() else {
        return Class::Ignored;
    };
    if name.starts_with('.') || comps.contains(&"__MACOSX") {
        return Class::Ignored;
    }
    let Some(m) = marker(&comps) else {
        return if *name == "README.md" {
            Class::Readme
        } else {
            Class::Ignored
        };
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
                let folder = if rel.len() >= 2 {
                    Some(rel[rel.len() - 2].to_string())
                } else {
                    None
                };
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
    let mut load = SuiteLoad::new(name, files);
    let total = load.total;
    while !load.step() {
        progress(load.done, total);
    }
    progress(load.done, total);
    load.finish()
}

/// Loads several suites from one list of files (for example a dropped folder
/// holding `spatialbench/`, `scbench/` and `spatialbench-long/`): files are
/// grouped by their suite root. Files outside any suite are ignored.
/// `progress(done, total)` is called after each file.
pub fn load_suites(
    files: impl Iterator<Item = (String, Vec<u8>)>,
    progress: &mut dyn FnMut(usize, usize),
) -> (Vec<Suite>, Vec<LoadIssue>) {
    let mut loader = Loader::new(files);
    let total = loader.total();
    progress(loader.done(), total);
    while !loader.step(1) {
        progress(loader.done(), total);
    }
    progress(loader.done(), total);
    loader.finish()
}

/// Incremental loading for the page: [`Loader::step`] parses a few files and
/// returns, so the page can repaint its progress bar between calls.
///
/// ```
/// let files = vec![("mybench/evals/qc/a.json".to_string(), br#"{"id":"a","task":"t"}"#.to_vec())];
/// let mut loader = sbx_suite::load::Loader::new(files.into_iter());
/// while !loader.step(50) {
///     // show loader.done() of loader.total(), yield to the browser
/// }
/// let (suites, issues) = loader.finish();
/// assert_eq!((suites.len(), suites[0].evals.len(), issues.len()), (1, 1, 0));
/// ```
pub struct Loader {
    loads: Vec<SuiteLoad>,
    current: usize,
    outside: usize,
}

impl Loader {
    /// Groups the files by suite root (cheap: nothing is parsed yet).
    pub fn new(files: impl Iterator<Item = (String, Vec<u8>)>) -> Loader {
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
        let mut used_names: HashSet<String> = HashSet::new();
        let mut loads = Vec::new();
        for (root, files) in groups {
            let base = root
                .rsplit('/')
                .next()
                .filter(|n| !n.is_empty())
                .unwrap_or("suite")
                .to_string();
            // Two roots ending in the same folder name get distinct suite names.
            let name = crate::unique_suite_name(&base, |n| used_names.contains(n));
            used_names.insert(name.clone());
            loads.push(SuiteLoad::new(name, files));
        }
        Loader {
            loads,
            current: 0,
            outside,
        }
    }

    /// Files in total (including ignored ones).
    pub fn total(&self) -> usize {
        self.outside + self.loads.iter().map(|l| l.total).sum::<usize>()
    }

    /// Files handled so far.
    pub fn done(&self) -> usize {
        self.outside + self.loads.iter().map(|l| l.done).sum::<usize>()
    }

    /// Parses up to `budget` items (an item is one file, or one run folder);
    /// `true` once everything is loaded.
    pub fn step(&mut self, budget: usize) -> bool {
        let mut left = budget.max(1);
        while left > 0 {
            let Some(load) = self.loads.get_mut(self.current) else {
                return true;
            };
            if load.step() {
                self.current += 1;
            }
            left -= 1;
        }
        self.current >= self.loads.len()
    }

    /// The suites (in root order) and every issue. Call after `step` returned `true`;
    /// anything not yet parsed is parsed now.
    pub fn finish(mut self) -> (Vec<Suite>, Vec<LoadIssue>) {
        while !self.step(usize::MAX) {}
        let mut suites = Vec::new();
        let mut issues = Vec::new();
        for l in self.loads {
            let (s, mut iss) = l.finish();
            suites.push(s);
            issues.append(&mut iss);
        }
        (suites, issues)
    }
}

#[derive(Default)]
struct RunParts {
    parts: [String; 5],
    files: HashMap<String, (String, Vec<u8>)>,
}

/// The loading of one suite, one item at a time, in dependency order:
/// manifests (they give evals their categories), evals, vocabularies,
/// results tables, READMEs, then runs (matched against the loaded evals).
struct SuiteLoad {
    suite: Suite,
    issues: Vec<LoadIssue>,
    manifests: VecDeque<(String, Vec<u8>)>,
    evals: VecDeque<(String, Vec<u8>, Option<String>)>,
    vocabularies: VecDeque<(String, Vec<u8>)>,
    results: VecDeque<(String, Vec<u8>)>,
    readmes: VecDeque<(String, Vec<u8>)>,
    runs: VecDeque<(String, RunParts)>,
    manifest: HashMap<String, ManifestEntry>,
    seen: HashMap<String, String>,
    eval_ids: Option<HashSet<String>>,
    total: usize,
    done: usize,
    finished: bool,
}

impl SuiteLoad {
    fn new(name: String, files: Vec<(String, Vec<u8>)>) -> SuiteLoad {
        let mut l = SuiteLoad {
            suite: Suite {
                name,
                ..Default::default()
            },
            issues: Vec::new(),
            manifests: VecDeque::new(),
            evals: VecDeque::new(),
            vocabularies: VecDeque::new(),
            results: VecDeque::new(),
            readmes: VecDeque::new(),
            runs: VecDeque::new(),
            manifest: HashMap::new(),
            seen: HashMap::new(),
            eval_ids: None,
            total: files.len(),
            done: 0,
            finished: false,
        };
        let roots: HashSet<String> = files.iter().filter_map(|(p, _)| suite_root(p)).collect();
        let mut runs: IndexMap<String, RunParts> = IndexMap::new();
        let (mut evals, mut results) = (Vec::new(), Vec::new());
        for (path, bytes) in files {
            match classify(&path) {
                Class::Eval { folder } => evals.push((path, bytes, folder)),
                Class::EvalManifest => l.manifests.push_back((path, bytes)),
                Class::Vocabulary => l.vocabularies.push_back((path, bytes)),
                Class::ResultsJson | Class::ResultsCsv => results.push((path, bytes)),
                Class::RunFile { run, parts, name } => {
                    let entry = runs.entry(run).or_insert_with(|| RunParts {
                        parts,
                        ..Default::default()
                    });
                    entry.files.insert(name, (path, bytes));
                }
                Class::BadRunPath => {
                    l.issues.push(LoadIssue::error(
                        &path,
                        "run file outside a run folder: expected trajectories/<eval>/<provider>/<model>/<harness>/r<N>/<file>",
                    ));
                    l.done += 1;
                }
                Class::Readme if roots.contains(parent(&path)) => {
                    l.readmes.push_back((path, bytes))
                }
                Class::Readme | Class::Ignored => {
                    l.suite.ignored_files += 1;
                    l.done += 1;
                }
            }
        }
        evals.sort_by(|a, b| a.0.cmp(&b.0));
        results.sort_by(|a, b| a.0.cmp(&b.0));
        runs.sort_keys();
        l.evals = evals.into();
        l.results = results.into();
        l.runs = runs.into_iter().collect();
        l
    }

    /// Handles one item; `true` when nothing is left.
    fn step(&mut self) -> bool {
        if self.finished {
            return true;
        }
        if let Some((path, bytes)) = self.manifests.pop_front() {
            match parse_manifest(&bytes) {
                Ok(m) => self.manifest.extend(m),
                Err(e) => self.issues.push(LoadIssue::warning(
                    &path,
                    format!("eval manifest not used: {e}"),
                )),
            }
            self.done += 1;
        } else if let Some((path, bytes, folder)) = self.evals.pop_front() {
            match parse_eval(&path, &bytes, &self.manifest, folder.as_deref()) {
                Ok(ev) => {
                    if let Some(first) = self.seen.get(&ev.id) {
                        self.issues.push(LoadIssue::error(
                            &path,
                            format!(
                                "duplicate eval id `{}` (first defined in {first}); skipped",
                                ev.id
                            ),
                        ));
                    } else {
                        self.seen.insert(ev.id.clone(), path.clone());
                        self.suite.evals.push(ev);
                    }
                }
                Err(e) => self
                    .issues
                    .push(LoadIssue::error(&path, format!("eval not loaded: {e}"))),
            }
            self.done += 1;
        } else if let Some((path, bytes)) = self.vocabularies.pop_front() {
            let dir = parent(&path);
            match serde_json::from_slice::<serde_json::Value>(&bytes) {
                Ok(v) => match self
                    .suite
                    .evals
                    .iter_mut()
                    .find(|e| parent(&e.source_path) == dir)
                {
                    Some(ev) => ev.vocabulary = Some(v),
                    None => self.issues.push(LoadIssue::warning(
                        &path,
                        "vocabulary file with no eval JSON beside it",
                    )),
                },
                Err(e) => self.issues.push(LoadIssue::error(
                    &path,
                    format!("vocabulary not loaded: invalid JSON: {e}"),
                )),
            }
            self.done += 1;
        } else if let Some((path, bytes)) = self.results.pop_front() {
            let parsed = if path.ends_with(".csv") {
                parse_results_csv(&path, &bytes)
            } else {
                parse_results_json(&path, &bytes)
            };
            match parsed {
                Ok(t) => self.suite.results.push(t),
                Err(e) => self.issues.push(LoadIssue::error(
                    &path,
                    format!("results table not loaded: {e}"),
                )),
            }
            self.done += 1;
        } else if let Some((path, bytes)) = self.readmes.pop_front() {
            // A README without a results table is not an error.
            match std::str::from_utf8(&bytes)
                .ok()
                .and_then(|t| parse_markdown_results(&path, t))
            {
                Some(t) => self.suite.results.push(t),
                None => self.suite.ignored_files += 1,
            }
            self.done += 1;
        } else if let Some((folder, parts)) = self.runs.pop_front() {
            let eval_ids = self
                .eval_ids
                .get_or_insert_with(|| self.suite.evals.iter().map(|e| e.id.clone()).collect());
            let n = parts.files.len();
            let (run, traj) = build_run(folder, parts, eval_ids, &mut self.issues);
            if let Some(t) = traj {
                self.suite.trajectories.insert(run.id.clone(), t);
            }
            self.suite.runs.push(run);
            self.done += n;
        } else {
            self.warn_unmatched_runs();
            self.finished = true;
        }
        self.finished
    }

    /// Runs of evals that are not in the suite still load; say so once per eval.
    fn warn_unmatched_runs(&mut self) {
        if self.suite.evals.is_empty() {
            return;
        }
        let eval_ids: HashSet<&str> = self.suite.evals.iter().map(|e| e.id.as_str()).collect();
        let mut missing: IndexMap<String, (usize, String)> = IndexMap::new();
        for r in self
            .suite
            .runs
            .iter()
            .filter(|r| !eval_ids.contains(r.eval_id.as_str()))
        {
            missing
                .entry(r.eval_id.clone())
                .or_insert((0, r.folder.clone()))
                .0 += 1;
        }
        for (id, (n, folder)) in missing {
            self.issues.push(LoadIssue::warning(
                folder,
                format!("{n} run(s) of eval `{id}`, which is not in this suite"),
            ));
        }
    }

    fn finish(mut self) -> (Suite, Vec<LoadIssue>) {
        while !self.step() {}
        (self.suite, self.issues)
    }
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
                    issues.push(LoadIssue::warning(
                        &path,
                        format!(
                            "harness `{h}` differs from the folder name `{}`",
                            run.harness
                        ),
                    ));
                }
            }
            Err(e) => issues.push(LoadIssue::error(
                &path,
                format!("recorded result not loaded: {e}"),
            )),
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
            Err(e) => issues.push(LoadIssue::error(
                &path,
                format!("answer not loaded: not UTF-8 text ({e})"),
            )),
        }
    }
    let traj_file = rp
        .files
        .remove("trajectory.json")
        .or_else(|| rp.files.remove("harness_outputs.jsonl"));
    let mut traj = None;
    if let Some((path, bytes)) = traj_file {
        run.trajectory_path = Some(path.clone());
        match parse_trajectory(&path, &bytes) {
            Ok(t) => {
                if t.format == crate::trajectory::TrajectoryFormat::Unknown {
                    issues.push(LoadIssue::warning(
                        &path,
                        "trajectory in an unrecognised format: events are shown raw",
                    ));
                }
                traj = Some(t);
            }
            Err(e) => issues.push(LoadIssue::error(
                &path,
                format!("trajectory not loaded: {e}"),
            )),
        }
    }
    (run, traj)
}

/// Reads every file under `dir` as `(path, bytes)` with paths starting at
/// the folder's own name (`scbench/evals/…` for `…/bench/scbench`), sorted,
/// ready for [`load_suite`]. Files are listed by [`crate::walk::walk_files`]
/// (hidden ones skipped). For the command line and tests; the page gets its
/// files from the browser.
#[cfg(not(target_arch = "wasm32"))]
pub fn read_folder(dir: &std::path::Path) -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let base = dir
        .canonicalize()?
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "suite".to_string());
    let mut out = Vec::new();
    for path in crate::walk::walk_files(dir)? {
        let Ok(rel) = path.strip_prefix(dir) else {
            continue;
        };
        let parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let bytes = std::fs::read(&path)
            .map_err(|e| std::io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
        out.push((format!("{base}/{}", parts.join("/")), bytes));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(out)
}
