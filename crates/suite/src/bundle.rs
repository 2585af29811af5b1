//! Static bundles: what `sbx bundle` writes and the site fetches.
//!
//! # Layout
//!
//! ```text
//! manifest.json                      Manifest: suites, eval and run summaries with
//!                                    verdicts, results tables, load issues, file list
//! evals/<suite>.json                 [Eval]: prompts, graders, notes of one suite
//! runs/<suite>/<eval>.json           [Run]: answers and recorded results of one eval
//! trajectories/<suite>/<run>.json    TrajectoryPart: the normalised steps of one run;
//! trajectories/<suite>/<run>.p<k>.json   split into parts above ~1 MB
//! ```
//!
//! A page fetches `manifest.json` first and then only the files it shows:
//! the task page one `evals/…` file, the run page one `runs/…` file and the
//! parts of one trajectory. All files are compact JSON.
//!
//! # Adding your own benchmark folder to a built site
//!
//! 1. Bundle your clone (any folder with `evals*/`, `results/` or
//!    `trajectories/<eval>/<provider>/<model>/<harness>/r<N>/` in it):
//!    `sbx bundle ~/src/spatialbench -o mybench/`
//!    (several folders may be given: `sbx bundle ~/src/spatialbench ~/src/scbench -o mybench/`).
//! 2. Copy the output folder next to the site's `index.html`, e.g. to `<site>/extra/mybench/`.
//! 3. Create or edit `<site>/bundles.json` (see [`BundleList`]):
//!    `{"format": "sbx-bundles", "version": 1, "bundles": [{"name": "My spatialbench", "url": "extra/mybench/"}]}`
//!
//! The site always loads `bundle/manifest.json` (the built-in bundle) and
//! then every bundle listed in `bundles.json`; `url` is a folder holding a
//! `manifest.json`, relative to `bundles.json` (or absolute, if the server
//! allows cross-origin requests). Nothing is uploaded anywhere: a folder can
//! also be opened straight from disk in the page.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::model::{Eval, EvalSummary, LoadIssue, Run, RunSummary, Suite};
use crate::results::ResultsTable;
use crate::trajectory::{Step, TrajectoryFormat};

/// `format` of a manifest.
pub const MANIFEST_FORMAT: &str = "sbx-bundle";
/// Current manifest version; readers accept this version and older.
pub const FORMAT_VERSION: u32 = 1;
/// `format` of `bundles.json`.
pub const BUNDLE_LIST_FORMAT: &str = "sbx-bundles";
/// Trajectories are split into parts of about this many bytes.
pub const PART_BYTES: usize = 1_000_000;

#[derive(Debug, Error, PartialEq)]
pub enum BundleError {
    #[error("{file}: invalid JSON: {message}")]
    Json { file: String, message: String },
    #[error("{file}: not a bundle file: `format` is {found:?}, expected {expected:?}")]
    WrongFormat {
        file: String,
        found: Option<String>,
        expected: &'static str,
    },
    #[error("{file}: format version {found} is newer than this explorer understands ({supported}); update the explorer")]
    UnsupportedVersion {
        file: String,
        found: u32,
        supported: u32,
    },
    #[error("{file}: unsafe file path {path:?} (paths must be relative, without `..`)")]
    BadPath { file: String, path: String },
    #[error("bundle has no file {0:?}")]
    MissingFile(String),
    #[error("cannot encode {file}: {message}")]
    Encode { file: String, message: String },
}

/// One suite in a bundle.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SuiteInfo {
    pub name: String,
    pub n_evals: usize,
    pub n_runs: usize,
    pub n_results_tables: usize,
    pub n_trajectories: usize,
    pub ignored_files: usize,
    /// The `evals/<suite>.json` file.
    pub evals_file: String,
    /// Eval id → `runs/<suite>/<eval>.json`.
    pub runs_files: IndexMap<String, String>,
}

/// One part of a trajectory in a bundle.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PartRef {
    pub file: String,
    pub first_step: usize,
    pub n_steps: usize,
    pub bytes: usize,
}

/// Where a run's trajectory is in a bundle.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrajectoryIndex {
    pub format: TrajectoryFormat,
    pub source_path: String,
    pub n_steps: usize,
    pub parts: Vec<PartRef>,
}

/// A run in the manifest: its summary and where its details are.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ManifestRun {
    #[serde(flatten)]
    pub summary: RunSummary,
    /// The `runs/<suite>/<eval>.json` file holding the full [`Run`].
    pub detail_file: String,
    pub trajectory: Option<TrajectoryIndex>,
}

/// A results table and the suite it came from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SuiteTable {
    pub suite: String,
    pub table: ResultsTable,
}

/// A file of the bundle.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FileEntry {
    pub path: String,
    pub bytes: usize,
    /// `evals`, `runs` or `trajectory`.
    pub kind: String,
}

/// `manifest.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    /// What wrote the bundle (`sbx-suite <version>`).
    pub generator: String,
    pub suites: Vec<SuiteInfo>,
    pub evals: Vec<EvalSummary>,
    pub runs: Vec<ManifestRun>,
    pub results: Vec<SuiteTable>,
    pub issues: Vec<LoadIssue>,
    /// Every file besides `manifest.json`.
    pub files: Vec<FileEntry>,
}

impl Manifest {
    pub fn run_summaries(&self) -> Vec<RunSummary> {
        self.runs.iter().map(|r| r.summary.clone()).collect()
    }
    pub fn run(&self, suite: &str, id: &str) -> Option<&ManifestRun> {
        self.runs
            .iter()
            .find(|r| r.summary.suite == suite && r.summary.id == id)
    }
    pub fn suite(&self, name: &str) -> Option<&SuiteInfo> {
        self.suites.iter().find(|s| s.name == name)
    }
}

/// One part of a trajectory file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrajectoryPart {
    pub suite: String,
    pub run_id: String,
    pub format: TrajectoryFormat,
    pub part: usize,
    pub n_parts: usize,
    pub first_step: usize,
    pub steps: Vec<Step>,
}

/// A bundle's files built in memory: `files` includes `manifest.json`.
#[derive(Clone, Debug)]
pub struct BundleFiles {
    pub manifest: Manifest,
    pub files: Vec<(String, Vec<u8>)>,
}

/// File-name-safe form of a name: `[A-Za-z0-9._-]` kept, anything else
/// `_`, plus a hash of the original when anything changed (so distinct
/// names never share a file).
pub fn slug(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let s = s.trim_start_matches('.').to_string();
    if s == name && !s.is_empty() {
        return s;
    }
    // FNV-1a: small, stable across platforms and versions.
    let mut h: u32 = 0x811c_9dc5;
    for b in name.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    format!("{s}~{h:08x}")
}

fn encode<T: Serialize>(file: &str, v: &T) -> Result<Vec<u8>, BundleError> {
    serde_json::to_vec(v).map_err(|e| BundleError::Encode {
        file: file.into(),
        message: e.to_string(),
    })
}

/// Splits steps into consecutive chunks of about `limit` bytes (a single
/// larger step gets a chunk of its own).
fn split_steps(steps: &[Step], limit: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let (mut start, mut size) = (0usize, 0usize);
    for (i, s) in steps.iter().enumerate() {
        let sz = s.approx_size();
        if i > start && size + sz > limit {
            out.push((start, i));
            start = i;
            size = 0;
        }
        size += sz;
    }
    if start < steps.len() || out.is_empty() {
        out.push((start, steps.len()));
    }
    out
}

/// Builds every file of a bundle in memory (pure: no file system).
pub fn build_bundle(suites: &[Suite], issues: &[LoadIssue]) -> Result<BundleFiles, BundleError> {
    build_bundle_with(suites, issues, PART_BYTES)
}

/// [`build_bundle`] with a chosen trajectory part size.
pub fn build_bundle_with(
    suites: &[Suite],
    issues: &[LoadIssue],
    part_bytes: usize,
) -> Result<BundleFiles, BundleError> {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let mut entries: Vec<FileEntry> = Vec::new();
    let mut push =
        |files: &mut Vec<(String, Vec<u8>)>, path: String, bytes: Vec<u8>, kind: &str| {
            entries.push(FileEntry {
                path: path.clone(),
                bytes: bytes.len(),
                kind: kind.into(),
            });
            files.push((path, bytes));
        };
    let mut manifest = Manifest {
        format: MANIFEST_FORMAT.into(),
        format_version: FORMAT_VERSION,
        generator: format!("sbx-suite {}", env!("CARGO_PKG_VERSION")),
        suites: vec![],
        evals: vec![],
        runs: vec![],
        results: vec![],
        issues: issues.to_vec(),
        files: vec![],
    };
    // Distinct names can still meet after `/` → `__` in run ids; number repeats.
    let mut used: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut unique = |base: String| -> String {
        let mut candidate = base.clone();
        let mut k = 2;
        while !used.insert(candidate.clone()) {
            candidate = format!("{base}~{k}");
            k += 1;
        }
        candidate
    };
    for suite in suites {
        let sslug = unique(slug(&suite.name));
        let evals_file = format!("evals/{sslug}.json");
        push(
            &mut files,
            evals_file.clone(),
            encode(&evals_file, &suite.evals)?,
            "evals",
        );
        manifest.evals.extend(suite.eval_summaries());

        // Runs grouped by eval, in the suite's order.
        let mut by_eval: IndexMap<String, Vec<&Run>> = IndexMap::new();
        for r in &suite.runs {
            by_eval.entry(r.eval_id.clone()).or_default().push(r);
        }
        let mut runs_files = IndexMap::new();
        for (eval_id, runs) in &by_eval {
            let file = format!("runs/{sslug}/{}.json", slug(eval_id));
            push(&mut files, file.clone(), encode(&file, runs)?, "runs");
            runs_files.insert(eval_id.clone(), file.clone());
            for r in runs {
                let trajectory = match suite.trajectory(&r.id) {
                    None => None,
                    Some(t) => {
                        let base = unique(format!(
                            "trajectories/{sslug}/{}",
                            slug(&r.id.replace('/', "__"))
                        ));
                        let chunks = split_steps(&t.steps, part_bytes);
                        let mut parts = Vec::new();
                        for (k, (a, b)) in chunks.iter().enumerate() {
                            let file = if chunks.len() == 1 {
                                format!("{base}.json")
                            } else {
                                format!("{base}.p{k}.json")
                            };
                            let part = TrajectoryPart {
                                suite: suite.name.clone(),
                                run_id: r.id.clone(),
                                format: t.format,
                                part: k,
                                n_parts: chunks.len(),
                                first_step: *a,
                                steps: t.steps[*a..*b].to_vec(),
                            };
                            let bytes = encode(&file, &part)?;
                            parts.push(PartRef {
                                file: file.clone(),
                                first_step: *a,
                                n_steps: b - a,
                                bytes: bytes.len(),
                            });
                            push(&mut files, file, bytes, "trajectory");
                        }
                        Some(TrajectoryIndex {
                            format: t.format,
                            source_path: t.source_path.clone(),
                            n_steps: t.steps.len(),
                            parts,
                        })
                    }
                };
                manifest.runs.push(ManifestRun {
                    summary: suite.run_summary(r),
                    detail_file: file.clone(),
                    trajectory,
                });
            }
        }
        manifest
            .results
            .extend(suite.results.iter().map(|t| SuiteTable {
                suite: suite.name.clone(),
                table: t.clone(),
            }));
        manifest.suites.push(SuiteInfo {
            name: suite.name.clone(),
            n_evals: suite.evals.len(),
            n_runs: suite.runs.len(),
            n_results_tables: suite.results.len(),
            n_trajectories: suite.trajectories.len(),
            ignored_files: suite.ignored_files,
            evals_file,
            runs_files,
        });
    }
    manifest.files = entries;
    let mbytes = encode("manifest.json", &manifest)?;
    files.insert(0, ("manifest.json".into(), mbytes));
    Ok(BundleFiles { manifest, files })
}

/// Builds a bundle and hands each file to `write(path, bytes)` (the command
/// line writes them under the output folder, creating directories).
pub fn write_bundle<E, W>(
    suites: &[Suite],
    issues: &[LoadIssue],
    write: &mut W,
) -> Result<Result<Manifest, E>, BundleError>
where
    W: FnMut(&str, &[u8]) -> Result<(), E>,
{
    let built = build_bundle(suites, issues)?;
    for (path, bytes) in &built.files {
        if let Err(e) = write(path, bytes) {
            return Ok(Err(e));
        }
    }
    Ok(Ok(built.manifest))
}

fn parse<T: serde::de::DeserializeOwned>(file: &str, bytes: &[u8]) -> Result<T, BundleError> {
    serde_json::from_slice(bytes).map_err(|e| BundleError::Json {
        file: file.into(),
        message: e.to_string(),
    })
}

/// A path a bundle may name: relative, `/`-separated, no `..`, no empty parts.
pub fn is_safe_path(p: &str) -> bool {
    !p.is_empty()
        && !p.starts_with('/')
        && !p.contains('\\')
        && !p.contains(':')
        && p.split('/').all(|c| !c.is_empty() && c != "." && c != "..")
}

/// Reads and checks `manifest.json`: valid JSON of the right shape, the
/// right `format`, a version this code understands, and only safe file paths.
pub fn read_manifest(bytes: &[u8]) -> Result<Manifest, BundleError> {
    const FILE: &str = "manifest.json";
    // Check format and version first so an old or foreign file gets a clear message.
    let v: serde_json::Value = parse(FILE, bytes)?;
    let found = v.get("format").and_then(|f| f.as_str()).map(str::to_string);
    if found.as_deref() != Some(MANIFEST_FORMAT) {
        return Err(BundleError::WrongFormat {
            file: FILE.into(),
            found,
            expected: MANIFEST_FORMAT,
        });
    }
    let version = v
        .get("format_version")
        .and_then(serde_json::Value::as_u64)
        .unwrap_or(0);
    if version > u64::from(FORMAT_VERSION) {
        return Err(BundleError::UnsupportedVersion {
            file: FILE.into(),
            found: u32::try_from(version).unwrap_or(u32::MAX),
            supported: FORMAT_VERSION,
        });
    }
    let m: Manifest = serde_json::from_value(v).map_err(|e| BundleError::Json {
        file: FILE.into(),
        message: e.to_string(),
    })?;
    let mut paths: Vec<&str> = m.files.iter().map(|f| f.path.as_str()).collect();
    for s in &m.suites {
        paths.push(&s.evals_file);
        paths.extend(s.runs_files.values().map(String::as_str));
    }
    for r in &m.runs {
        paths.push(&r.detail_file);
        if let Some(t) = &r.trajectory {
            paths.extend(t.parts.iter().map(|p| p.file.as_str()));
        }
    }
    if let Some(bad) = paths.into_iter().find(|p| !is_safe_path(p)) {
        return Err(BundleError::BadPath {
            file: FILE.into(),
            path: bad.into(),
        });
    }
    Ok(m)
}

/// Reads an `evals/<suite>.json` file.
pub fn read_evals_file(file: &str, bytes: &[u8]) -> Result<Vec<Eval>, BundleError> {
    parse(file, bytes)
}

/// Reads a `runs/<suite>/<eval>.json` file.
pub fn read_runs_file(file: &str, bytes: &[u8]) -> Result<Vec<Run>, BundleError> {
    parse(file, bytes)
}

/// Reads one trajectory part.
pub fn read_trajectory_part(file: &str, bytes: &[u8]) -> Result<TrajectoryPart, BundleError> {
    parse(file, bytes)
}

/// `bundles.json` beside the site's `index.html`: extra bundles to load
/// after the built-in one.
///
/// ```json
/// {"format": "sbx-bundles", "version": 1,
///  "bundles": [{"name": "My spatialbench", "url": "extra/mybench/"}]}
/// ```
/// `url` is the folder holding the bundle's `manifest.json`, relative to
/// `bundles.json` or absolute. `name` is shown in the page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BundleList {
    pub format: String,
    pub version: u32,
    pub bundles: Vec<BundleRef>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BundleRef {
    pub name: String,
    pub url: String,
}

impl BundleRef {
    /// URL of the bundle's manifest (`url` + `manifest.json`).
    pub fn manifest_url(&self) -> String {
        let base = self.url.trim_end_matches('/');
        if base.is_empty() {
            "manifest.json".into()
        } else {
            format!("{base}/manifest.json")
        }
    }
    /// URL of a file named in the bundle's manifest.
    pub fn file_url(&self, path: &str) -> String {
        let base = self.url.trim_end_matches('/');
        if base.is_empty() {
            path.into()
        } else {
            format!("{base}/{path}")
        }
    }
}

/// Reads and checks `bundles.json`.
pub fn read_bundle_list(bytes: &[u8]) -> Result<BundleList, BundleError> {
    const FILE: &str = "bundles.json";
    let v: serde_json::Value = parse(FILE, bytes)?;
    let found = v.get("format").and_then(|f| f.as_str()).map(str::to_string);
    if found.as_deref() != Some(BUNDLE_LIST_FORMAT) {
        return Err(BundleError::WrongFormat {
            file: FILE.into(),
            found,
            expected: BUNDLE_LIST_FORMAT,
        });
    }
    let list: BundleList = serde_json::from_value(v).map_err(|e| BundleError::Json {
        file: FILE.into(),
        message: e.to_string(),
    })?;
    if list.version > FORMAT_VERSION {
        return Err(BundleError::UnsupportedVersion {
            file: FILE.into(),
            found: list.version,
            supported: FORMAT_VERSION,
        });
    }
    for b in &list.bundles {
        if b.url.contains("..") && !b.url.contains("://") {
            return Err(BundleError::BadPath {
                file: FILE.into(),
                path: b.url.clone(),
            });
        }
    }
    Ok(list)
}

/// A bundle held in memory (built from a dropped folder, or all files
/// fetched): the same accessors the pages use on a fetched bundle.
#[derive(Clone, Debug)]
pub struct Bundle {
    pub manifest: Manifest,
    pub files: IndexMap<String, Vec<u8>>,
}

impl Bundle {
    pub fn from_files(files: Vec<(String, Vec<u8>)>) -> Result<Bundle, BundleError> {
        let files: IndexMap<String, Vec<u8>> = files.into_iter().collect();
        let m = files
            .get("manifest.json")
            .ok_or_else(|| BundleError::MissingFile("manifest.json".into()))?;
        Ok(Bundle {
            manifest: read_manifest(m)?,
            files,
        })
    }
    pub fn from_suites(suites: &[Suite], issues: &[LoadIssue]) -> Result<Bundle, BundleError> {
        let b = build_bundle(suites, issues)?;
        Ok(Bundle {
            manifest: b.manifest,
            files: b.files.into_iter().collect(),
        })
    }
    fn file(&self, path: &str) -> Result<&[u8], BundleError> {
        self.files
            .get(path)
            .map(Vec::as_slice)
            .ok_or_else(|| BundleError::MissingFile(path.into()))
    }
    pub fn evals(&self, suite: &str) -> Result<Vec<Eval>, BundleError> {
        let s = self
            .manifest
            .suite(suite)
            .ok_or_else(|| BundleError::MissingFile(format!("evals of suite {suite}")))?;
        read_evals_file(&s.evals_file, self.file(&s.evals_file)?)
    }
    pub fn eval(&self, suite: &str, id: &str) -> Result<Option<Eval>, BundleError> {
        Ok(self.evals(suite)?.into_iter().find(|e| e.id == id))
    }
    pub fn run(&self, suite: &str, id: &str) -> Result<Option<Run>, BundleError> {
        let Some(r) = self.manifest.run(suite, id) else {
            return Ok(None);
        };
        let runs = read_runs_file(&r.detail_file, self.file(&r.detail_file)?)?;
        Ok(runs.into_iter().find(|x| x.id == id))
    }
    /// All steps of a run's trajectory (all parts joined), or `None` without one.
    pub fn trajectory(&self, suite: &str, id: &str) -> Result<Option<Vec<Step>>, BundleError> {
        let Some(t) = self
            .manifest
            .run(suite, id)
            .and_then(|r| r.trajectory.as_ref())
        else {
            return Ok(None);
        };
        let mut steps = Vec::with_capacity(t.n_steps);
        for p in &t.parts {
            steps.extend(read_trajectory_part(&p.file, self.file(&p.file)?)?.steps);
        }
        Ok(Some(steps))
    }
}
