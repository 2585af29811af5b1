//! The suite model: what one benchmark folder holds once loaded.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::results::ResultsTable;
use crate::trajectory::Trajectory;

/// One problem found while loading: the file (path relative to the loaded
/// root) and what is wrong with it. Loading continues past every issue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LoadIssue {
    pub path: String,
    pub message: String,
    /// `error`: the file (or part of it) could not be used.
    /// `warning`: the file was used, but something in it looks off.
    #[serde(default)]
    pub level: IssueLevel,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IssueLevel {
    #[default]
    Error,
    Warning,
}

impl LoadIssue {
    pub fn error(path: impl Into<String>, message: impl Into<String>) -> Self {
        LoadIssue {
            path: path.into(),
            message: message.into(),
            level: IssueLevel::Error,
        }
    }
    pub fn warning(path: impl Into<String>, message: impl Into<String>) -> Self {
        LoadIssue {
            path: path.into(),
            message: message.into(),
            level: IssueLevel::Warning,
        }
    }
}

impl std::fmt::Display for LoadIssue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let level = match self.level {
            IssueLevel::Error => "error",
            IssueLevel::Warning => "warning",
        };
        write!(f, "{level}: {}: {}", self.path, self.message)
    }
}

/// One eval (task) specification, as in `evals/<category>/<id>.json`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Eval {
    pub id: String,
    /// The prompt given to the agent (`task` in the file). Plain text.
    pub task: String,
    /// `data_node` (a string or a list of strings) as a list.
    pub data_nodes: Vec<String>,
    /// The `grader` object, verbatim, when the file has one.
    pub grader: Option<Value>,
    /// The `graders` value, verbatim, when the file has one.
    pub graders: Option<Value>,
    /// `metadata.task`, else the suite manifest's category, else the folder name.
    pub category: Option<String>,
    /// `metadata.kit` (or `metadata.platform`), else the suite manifest's platform.
    pub platform: Option<String>,
    /// `metadata.time_horizon`.
    pub time_horizon: Option<String>,
    /// The whole `metadata` object, verbatim.
    pub metadata: IndexMap<String, Value>,
    pub notes: Option<String>,
    pub canary: Option<String>,
    /// Path of the eval file, relative to the suite root.
    pub source_path: String,
    /// `vocabulary.json` beside the eval file (spatialbench-long), verbatim.
    pub vocabulary: Option<Value>,
    /// Top-level keys not listed above, verbatim.
    pub extra: IndexMap<String, Value>,
}

impl Eval {
    /// Grader type names (`grader.type`, or each `graders[*].type`), in order.
    pub fn grader_types(&self) -> Vec<String> {
        fn type_of(v: &Value) -> Option<String> {
            v.get("type").and_then(Value::as_str).map(str::to_string)
        }
        let mut out = Vec::new();
        if let Some(g) = &self.grader {
            out.extend(type_of(g));
        }
        match &self.graders {
            Some(Value::Array(items)) => out.extend(items.iter().filter_map(type_of)),
            Some(Value::Object(map)) => {
                for (name, v) in map {
                    out.push(type_of(v).unwrap_or_else(|| name.clone()));
                }
            }
            _ => {}
        }
        out
    }

    /// Whether the grader config is published (spatialbench-long withholds it).
    pub fn has_grader(&self) -> bool {
        self.grader.is_some() || self.graders.is_some()
    }

    pub fn summary(&self, suite: &str, runs: &[Run]) -> EvalSummary {
        let mine: Vec<&Run> = runs.iter().filter(|r| r.eval_id == self.id).collect();
        EvalSummary {
            suite: suite.to_string(),
            id: self.id.clone(),
            category: self.category.clone(),
            platform: self.platform.clone(),
            time_horizon: self.time_horizon.clone(),
            grader_types: self.grader_types(),
            has_grader: self.has_grader(),
            prompt_preview: preview(&self.task, 240),
            n_runs: mine.len(),
            n_passed: mine.iter().filter(|r| r.passed() == Some(true)).count(),
            n_graded: mine.iter().filter(|r| r.passed().is_some()).count(),
            source_path: self.source_path.clone(),
        }
    }
}

/// What a results table, the tasks table and the leaderboard need of one eval.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EvalSummary {
    pub suite: String,
    pub id: String,
    pub category: Option<String>,
    pub platform: Option<String>,
    pub time_horizon: Option<String>,
    pub grader_types: Vec<String>,
    pub has_grader: bool,
    /// The first characters of the prompt (full text is in the evals file).
    pub prompt_preview: String,
    pub n_runs: usize,
    pub n_passed: usize,
    /// Runs with a recorded verdict.
    pub n_graded: usize,
    pub source_path: String,
}

/// The verdict the reference grader recorded in `result.json`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct RecordedResult {
    pub passed: Option<bool>,
    pub score: Option<f64>,
    pub reasoning: Option<String>,
    pub metrics: Option<Value>,
    pub field_scores: Option<Value>,
    /// The answer as the grader saw it (`result.agent_answer`).
    pub agent_answer: Option<Value>,
    /// `latch_eval_tools_version`: the grader package that gave the verdict.
    pub grader_version: Option<String>,
}

/// One agent's attempt at one eval:
/// `trajectories/<eval>/<provider>/<model>/<harness>/r<N>/`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Run {
    /// `<eval folder>/<provider>/<model>/<harness>/r<N>`: unique within a suite.
    pub id: String,
    /// The eval this run answers (the result's task id, else the folder name).
    pub eval_id: String,
    pub provider: String,
    /// Model as named by the folder (the result file may add a provider prefix).
    pub model: String,
    /// `model_name` from result.json, verbatim.
    pub model_name: Option<String>,
    pub harness: String,
    /// N of the `r<N>` folder.
    pub run_index: u32,
    /// `trial_index` from result.json (it does not always equal N).
    pub trial_index: Option<u32>,
    /// `eval_answer.json` as text, unchanged (graders re-parse it with
    /// Python-compatible rules, so it is not normalised here).
    pub answer_text: Option<String>,
    pub recorded: Option<RecordedResult>,
    /// Wall time of the agent in seconds (`metadata.duration_s`, else `agent_runtime_seconds`).
    pub duration_s: Option<f64>,
    /// USD, when the harness recorded it (`metadata.total_cost`).
    pub cost_usd: Option<f64>,
    /// Agent steps or turns as recorded by the harness.
    pub recorded_steps: Option<u64>,
    pub timed_out: Option<bool>,
    /// Relative path of the trajectory file, when there is one.
    pub trajectory_path: Option<String>,
    /// Run folder, relative to the suite root.
    pub folder: String,
}

impl Run {
    pub fn passed(&self) -> Option<bool> {
        self.recorded.as_ref().and_then(|r| r.passed)
    }
}

/// Everything the runs table, the task page and the statistics need of a run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunSummary {
    pub suite: String,
    pub id: String,
    pub eval_id: String,
    pub provider: String,
    pub model: String,
    pub harness: String,
    pub run_index: u32,
    pub passed: Option<bool>,
    pub score: Option<f64>,
    pub duration_s: Option<f64>,
    pub cost_usd: Option<f64>,
    pub has_answer: bool,
    /// Detected trajectory format (`mini-swe-agent`, `claude-code`, …) when a trajectory exists.
    pub trajectory_format: Option<String>,
    /// Normalised steps in the trajectory.
    pub n_steps: Option<usize>,
}

/// A loaded suite: one benchmark folder.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Suite {
    /// Short name (the folder name, e.g. `scbench`).
    pub name: String,
    pub evals: Vec<Eval>,
    pub results: Vec<ResultsTable>,
    pub runs: Vec<Run>,
    /// Parsed trajectories by run id.
    pub trajectories: IndexMap<String, Trajectory>,
    /// Files that were not part of any eval, result or run (not an error).
    pub ignored_files: usize,
}

impl Suite {
    pub fn eval(&self, id: &str) -> Option<&Eval> {
        self.evals.iter().find(|e| e.id == id)
    }
    pub fn run(&self, id: &str) -> Option<&Run> {
        self.runs.iter().find(|r| r.id == id)
    }
    pub fn runs_of<'a>(&'a self, eval_id: &'a str) -> impl Iterator<Item = &'a Run> + 'a {
        self.runs.iter().filter(move |r| r.eval_id == eval_id)
    }
    pub fn trajectory(&self, run_id: &str) -> Option<&Trajectory> {
        self.trajectories.get(run_id)
    }
    pub fn eval_summaries(&self) -> Vec<EvalSummary> {
        self.evals
            .iter()
            .map(|e| e.summary(&self.name, &self.runs))
            .collect()
    }
    pub fn run_summaries(&self) -> Vec<RunSummary> {
        self.runs.iter().map(|r| self.run_summary(r)).collect()
    }
    pub fn run_summary(&self, r: &Run) -> RunSummary {
        let traj = self.trajectories.get(&r.id);
        RunSummary {
            suite: self.name.clone(),
            id: r.id.clone(),
            eval_id: r.eval_id.clone(),
            provider: r.provider.clone(),
            model: r.model.clone(),
            harness: r.harness.clone(),
            run_index: r.run_index,
            passed: r.passed(),
            score: r.recorded.as_ref().and_then(|x| x.score),
            duration_s: r.duration_s,
            cost_usd: r.cost_usd,
            has_answer: r.answer_text.is_some(),
            trajectory_format: traj.map(|t| t.format.as_str().to_string()),
            n_steps: traj.map(|t| t.steps.len()),
        }
    }
}

/// The first `max` characters of `text` (on a char boundary), with an ellipsis when cut.
pub fn preview(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_string(),
    }
}
