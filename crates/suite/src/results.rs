//! Published results tables: `results/*.json` and `results/*.csv`.
//!
//! Layouts found in the benchmarks:
//! - `{"metadata":…, "models":[{"id", "accuracy":{"mean","ci_lower","ci_upper"}, "cost_usd":{…}, …}]}`
//! - `{"metadata":…, "tasks"|"platforms"|"categories": {group: {"n_evals", "models"|"model": {id: estimate}}}}`
//!   where an estimate is `{"mean"|"passed", "ci_lower"|"ci_low", "ci_upper"|"ci_high"}`
//! - a list of row objects (per-eval or per-model rows)
//! - CSV with a model column, optional harness/eval/group columns, metric
//!   columns each optionally followed by `ci_lower`,`ci_upper`, and `N`.
//!
//! Every table becomes a list of [`ResultRow`]s with named metrics.

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Harness names recognised as a suffix of combined model ids such as
/// `claude-opus-4-7-claude-code`.
pub const KNOWN_HARNESSES: &[&str] = &["mini-swe-agent", "claude-code", "openai-codex", "pi"];

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    pub mean: f64,
    pub ci_lower: Option<f64>,
    pub ci_upper: Option<f64>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResultRow {
    /// The model id as written in the file.
    pub id: String,
    /// The model, without a harness suffix when the id had one.
    pub model: String,
    pub harness: Option<String>,
    pub display_name: Option<String>,
    pub provider: Option<String>,
    /// The platform / category this row is about, for grouped tables.
    pub group: Option<String>,
    pub eval_id: Option<String>,
    /// Number of evals (or runs) behind the row, when given.
    pub n: Option<f64>,
    /// Metric name → estimate. Accuracy is `accuracy`, in percent as published.
    pub metrics: IndexMap<String, Estimate>,
    /// Other columns, verbatim.
    pub extra: IndexMap<String, Value>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResultsTable {
    /// Path relative to the suite root.
    pub path: String,
    /// File name without extension.
    pub name: String,
    /// `task`, `platform`, `category`, … for grouped tables; `None` when overall.
    pub grouping: Option<String>,
    /// The file's `metadata` object (JSON) when present.
    pub metadata: Option<Value>,
    pub rows: Vec<ResultRow>,
}

impl ResultsTable {
    /// Distinct metric names in row order.
    pub fn metric_names(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for r in &self.rows {
            for k in r.metrics.keys() {
                if !out.contains(k) {
                    out.push(k.clone());
                }
            }
        }
        out
    }
}

fn file_stem(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.rsplit_once('.').map_or(name, |(s, _)| s).to_string()
}

/// Splits `claude-opus-4-7-claude-code` into (`claude-opus-4-7`, `claude-code`).
pub fn split_harness(id: &str) -> (String, Option<String>) {
    for h in KNOWN_HARNESSES {
        if let Some(m) = id.strip_suffix(h).and_then(|m| m.strip_suffix('-')) {
            if !m.is_empty() {
                return (m.to_string(), Some((*h).to_string()));
            }
        }
    }
    (id.to_string(), None)
}

fn num(v: Option<&Value>) -> Option<f64> {
    match v? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn estimate_of(v: &Value) -> Option<Estimate> {
    let o = v.as_object()?;
    let mean = ["mean", "passed", "accuracy", "value"]
        .iter()
        .find_map(|k| num(o.get(*k)))?;
    Some(Estimate {
        mean,
        ci_lower: num(o.get("ci_lower")).or_else(|| num(o.get("ci_low"))),
        ci_upper: num(o.get("ci_upper")).or_else(|| num(o.get("ci_high"))),
    })
}

fn new_row(id: &str) -> ResultRow {
    let (model, harness) = split_harness(id);
    ResultRow {
        id: id.to_string(),
        model,
        harness,
        display_name: None,
        provider: None,
        group: None,
        eval_id: None,
        n: None,
        metrics: IndexMap::new(),
        extra: IndexMap::new(),
    }
}

/// Parses a JSON results file. Errors name the JSON path that is wrong.
pub fn parse_results_json(path: &str, bytes: &[u8]) -> Result<ResultsTable, String> {
    let doc: Value = crate::eval_file::read_json(bytes)?;
    let mut table = ResultsTable {
        path: path.into(),
        name: file_stem(path),
        grouping: None,
        metadata: None,
        rows: vec![],
    };
    match &doc {
        Value::Object(top) => {
            table.metadata = top.get("metadata").cloned();
            if let Some(models) = top.get("models") {
                let list = models
                    .as_array()
                    .ok_or("`models` must be a list of model objects")?;
                for (i, m) in list.iter().enumerate() {
                    let o = m
                        .as_object()
                        .ok_or_else(|| format!("`models[{i}]` must be an object"))?;
                    table.rows.push(
                        row_from_object(o)
                            .ok_or_else(|| format!("`models[{i}]` has no `id` or `model`"))?,
                    );
                }
                return Ok(table);
            }
            let group_key = ["tasks", "platforms", "categories", "groups"]
                .into_iter()
                .find(|k| top.contains_key(*k));
            let Some(group_key) = group_key else {
                return Err("unrecognised layout: expected a `models` list or a `tasks`/`platforms`/`categories` map".into());
            };
            table.grouping = Some(match group_key {
                "tasks" => "task".to_string(),
                "platforms" => "platform".to_string(),
                "categories" => "category".to_string(),
                _ => "group".to_string(),
            });
            let groups = top[group_key]
                .as_object()
                .ok_or_else(|| format!("`{group_key}` must be an object"))?;
            for (g, gv) in groups {
                let go = gv
                    .as_object()
                    .ok_or_else(|| format!("`{group_key}.{g}` must be an object"))?;
                let n = num(go.get("n_evals")).or_else(|| num(go.get("n")));
                let mkey = if go.contains_key("models") {
                    "models"
                } else {
                    "model"
                };
                let models = go
                    .get(mkey)
                    .and_then(Value::as_object)
                    .ok_or_else(|| format!("`{group_key}.{g}` has no `models` object"))?;
                for (id, est) in models {
                    let e = estimate_of(est).ok_or_else(|| {
                        format!("`{group_key}.{g}.{mkey}.{id}` must be an object with `mean` (or `passed`) and CI bounds")
                    })?;
                    let mut row = new_row(id);
                    row.group = Some(g.clone());
                    row.n = n;
                    row.metrics.insert("accuracy".into(), e);
                    table.rows.push(row);
                }
            }
            Ok(table)
        }
        Value::Array(items) => {
            for (i, it) in items.iter().enumerate() {
                let o = it
                    .as_object()
                    .ok_or_else(|| format!("`[{i}]` must be an object"))?;
                table.rows.push(
                    row_from_object(o).ok_or_else(|| format!("`[{i}]` has no model column"))?,
                );
            }
            Ok(table)
        }
        _ => Err("expected a JSON object or list".into()),
    }
}

fn row_from_object(o: &Map<String, Value>) -> Option<ResultRow> {
    let id = ["id", "model", "model_name", "model_id"]
        .iter()
        .find_map(|k| o.get(*k).and_then(Value::as_str))?;
    let mut row = new_row(id);
    for (k, v) in o {
        match k.as_str() {
            "id" | "model" | "model_name" | "model_id" => {}
            "display_name" => row.display_name = v.as_str().map(str::to_string),
            "provider" => row.provider = v.as_str().map(str::to_string),
            "harness" => {
                if let Some(h) = v.as_str() {
                    row.harness = Some(h.to_string());
                    if let Some(m) = row.id.strip_suffix(h).and_then(|m| m.strip_suffix('-')) {
                        row.model = m.to_string();
                    }
                }
            }
            "eval_id" | "task_id" | "test_id" | "eval" => {
                row.eval_id = v.as_str().map(str::to_string)
            }
            "platform" | "category" | "group" | "kit" => row.group = v.as_str().map(str::to_string),
            "n" | "N" | "n_evals" => row.n = num(Some(v)),
            _ => {
                if let Some(e) = estimate_of(v) {
                    row.metrics.insert(metric_key(k), e);
                } else if let Some(x) = v.as_f64() {
                    row.metrics.insert(
                        metric_key(k),
                        Estimate {
                            mean: x,
                            ci_lower: None,
                            ci_upper: None,
                        },
                    );
                } else if let Some(b) = v.as_bool() {
                    row.metrics.insert(
                        metric_key(k),
                        Estimate {
                            mean: f64::from(u8::from(b)),
                            ci_lower: None,
                            ci_upper: None,
                        },
                    );
                } else {
                    row.extra.insert(k.clone(), v.clone());
                }
            }
        }
    }
    Some(row)
}

/// `Accuracy (%)` → `accuracy`, `Cost ($)` → `cost_usd`, `Duration (s)` →
/// `duration_s`, `Steps (mean)` → `steps`; otherwise a lower-case slug.
pub fn metric_key(header: &str) -> String {
    let h = header.trim();
    let (base, unit) = match h.split_once('(') {
        Some((b, u)) => (b.trim(), u.trim_end_matches(')').trim()),
        None => (h, ""),
    };
    let mut slug: String = base
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    while slug.contains("__") {
        slug = slug.replace("__", "_");
    }
    let slug = slug.trim_matches('_').to_string();
    match unit {
        "$" | "usd" | "USD" => format!("{slug}_usd"),
        "s" | "sec" | "seconds" => format!("{slug}_s"),
        _ => slug,
    }
}

/// Parses a CSV results file. Errors name the line.
pub fn parse_results_csv(path: &str, bytes: &[u8]) -> Result<ResultsTable, String> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(bytes);
    let headers: Vec<String> = rdr
        .headers()
        .map_err(|e| format!("cannot read the header line: {e}"))?
        .iter()
        .map(str::to_string)
        .collect();
    let lower: Vec<String> = headers
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let find = |names: &[&str]| lower.iter().position(|h| names.contains(&h.as_str()));
    let model_col = find(&["model_name", "model", "model_id", "id"]).ok_or_else(|| {
        format!("no model column (expected `model_name` or `model`); columns are {headers:?}")
    })?;
    let harness_col = find(&["harness"]);
    let eval_col = find(&["eval_id", "task_id", "test_id", "eval"]);
    let group_col = find(&["platform", "category", "kit", "group"]);
    let display_col = find(&["display_name"]);
    let provider_col = find(&["provider"]);
    let n_col = find(&["n", "n_evals"]);
    let is_lo = |h: &str| h == "ci_lower" || h == "ci_low";
    let is_hi = |h: &str| h == "ci_upper" || h == "ci_high";
    let special = [
        Some(model_col),
        harness_col,
        eval_col,
        group_col,
        display_col,
        provider_col,
        n_col,
    ];

    let mut table = ResultsTable {
        path: path.into(),
        name: file_stem(path),
        grouping: group_col.map(|c| lower[c].clone()),
        metadata: None,
        rows: vec![],
    };
    for (i, rec) in rdr.records().enumerate() {
        let line = i + 2;
        let rec = rec.map_err(|e| format!("line {line}: {e}"))?;
        let get = |c: Option<usize>| {
            c.and_then(|c| rec.get(c))
                .map(str::trim)
                .filter(|s| !s.is_empty())
        };
        let Some(id) = get(Some(model_col)) else {
            return Err(format!(
                "line {line}: empty model column `{}`",
                headers[model_col]
            ));
        };
        let mut row = new_row(id);
        if let Some(h) = get(harness_col) {
            row.harness = Some(h.to_string());
            if let Some(m) = row.id.strip_suffix(h).and_then(|m| m.strip_suffix('-')) {
                row.model = m.to_string();
            }
        }
        row.eval_id = get(eval_col).map(str::to_string);
        row.group = get(group_col).map(str::to_string);
        row.display_name = get(display_col).map(str::to_string);
        row.provider = get(provider_col).map(str::to_string);
        row.n = get(n_col).and_then(|s| s.parse().ok());
        let mut last_metric: Option<String> = None;
        for (c, h) in lower.iter().enumerate() {
            if special.contains(&Some(c)) {
                continue;
            }
            let cell = rec.get(c).unwrap_or("").trim();
            if is_lo(h) || is_hi(h) {
                let Some(m) = last_metric.as_ref().and_then(|m| row.metrics.get_mut(m)) else {
                    row.extra
                        .insert(headers[c].clone(), Value::String(cell.into()));
                    continue;
                };
                let x = cell.parse::<f64>().ok();
                if is_lo(h) {
                    m.ci_lower = x;
                } else {
                    m.ci_upper = x;
                }
                continue;
            }
            match cell.parse::<f64>() {
                Ok(x) => {
                    let key = metric_key(&headers[c]);
                    row.metrics.insert(
                        key.clone(),
                        Estimate {
                            mean: x,
                            ci_lower: None,
                            ci_upper: None,
                        },
                    );
                    last_metric = Some(key);
                }
                Err(_) => {
                    row.extra
                        .insert(headers[c].clone(), Value::String(cell.into()));
                    last_metric = None;
                }
            }
        }
        table.rows.push(row);
    }
    Ok(table)
}

/// The first Markdown table under a heading mentioning "results" (as in
/// spatialbench-long's README: `| Model | Harness | Runs | Passed | Pass Rate |`).
/// Percent signs and thousands separators are dropped from numbers;
/// `Pass Rate` becomes the metric `pass_rate` (percent). `None` when the
/// text has no such table with a model column.
pub fn parse_markdown_results(path: &str, text: &str) -> Option<ResultsTable> {
    let lines: Vec<&str> = text.lines().collect();
    let heading = lines.iter().position(|l| {
        l.trim_start().starts_with('#') && l.to_ascii_lowercase().contains("result")
    })?;
    let start = heading
        + lines[heading..]
            .iter()
            .position(|l| l.trim_start().starts_with('|'))?;
    let cells = |l: &str| -> Vec<String> {
        l.trim()
            .trim_matches('|')
            .split('|')
            .map(|c| c.trim().to_string())
            .collect()
    };
    let headers = cells(lines[start]);
    let lower: Vec<String> = headers.iter().map(|h| h.to_ascii_lowercase()).collect();
    let model_col = lower
        .iter()
        .position(|h| h == "model" || h == "model_name")?;
    let harness_col = lower.iter().position(|h| h == "harness");
    let mut table = ResultsTable {
        path: path.into(),
        name: file_stem(path),
        grouping: None,
        metadata: None,
        rows: vec![],
    };
    for l in lines[start + 1..]
        .iter()
        .take_while(|l| l.trim_start().starts_with('|'))
    {
        let row_cells = cells(l);
        // The |---|:--:| separator line.
        if row_cells
            .iter()
            .all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')))
        {
            continue;
        }
        let Some(id) = row_cells.get(model_col).filter(|s| !s.is_empty()) else {
            continue;
        };
        let mut row = new_row(id);
        if let Some(h) = harness_col
            .and_then(|c| row_cells.get(c))
            .filter(|s| !s.is_empty())
        {
            row.harness = Some(h.clone());
        }
        for (c, cell) in row_cells.iter().enumerate() {
            if c == model_col || Some(c) == harness_col {
                continue;
            }
            let Some(h) = headers.get(c) else { continue };
            let cleaned: String = cell.chars().filter(|ch| !matches!(ch, '%' | ',')).collect();
            match cleaned.trim().parse::<f64>() {
                Ok(x) => {
                    row.metrics.insert(
                        metric_key(h),
                        Estimate {
                            mean: x,
                            ci_lower: None,
                            ci_upper: None,
                        },
                    );
                }
                Err(_) => {
                    row.extra.insert(h.clone(), Value::String(cell.clone()));
                }
            }
        }
        table.rows.push(row);
    }
    (!table.rows.is_empty()).then_some(table)
}
