//! Parsing of eval JSONs and of the eval manifests beside them.

use std::collections::HashMap;

use indexmap::IndexMap;
use serde_json::{Map, Value};

use crate::model::Eval;

/// Parses JSON text, telling non-UTF-8 bytes (a Latin-1 or UTF-16 file) apart from bad JSON.
pub(crate) fn read_json(bytes: &[u8]) -> Result<Value, String> {
    if let Err(e) = std::str::from_utf8(bytes) {
        let at = e.valid_up_to();
        return Err(format!(
            "not UTF-8 text: byte 0x{:02x} at offset {at} is invalid (save the file as UTF-8)",
            bytes[at]
        ));
    }
    serde_json::from_slice(bytes).map_err(|e| format!("invalid JSON: {e}"))
}

/// Category and platform of an eval as listed in a suite manifest.
#[derive(Clone, Debug, Default)]
pub(crate) struct ManifestEntry {
    pub category: Option<String>,
    pub platform: Option<String>,
}

/// Reads `evals/manifest.json` in any of the layouts used by the benchmarks:
/// `{"examples":[{"id","task_cat","platform"}]}`, `[{"eval_id","task","kit"}]`,
/// `{"evals":[{"id","path"}]}`.
pub(crate) fn parse_manifest(bytes: &[u8]) -> Result<HashMap<String, ManifestEntry>, String> {
    let doc: Value = read_json(bytes)?;
    let list = match &doc {
        Value::Array(a) => a,
        Value::Object(o) => ["examples", "evals", "tasks"]
            .iter()
            .find_map(|k| o.get(*k).and_then(Value::as_array))
            .ok_or("expected a list of evals, or an object with an `examples` or `evals` list")?,
        _ => return Err("expected a list or an object".into()),
    };
    let mut out = HashMap::new();
    for (i, item) in list.iter().enumerate() {
        let o = item
            .as_object()
            .ok_or_else(|| format!("entry [{i}] must be an object"))?;
        let s = |keys: &[&str]| {
            keys.iter()
                .find_map(|k| o.get(*k).and_then(Value::as_str))
                .map(str::to_string)
        };
        let id =
            s(&["id", "eval_id"]).ok_or_else(|| format!("entry [{i}] has no `id` or `eval_id`"))?;
        out.insert(
            id,
            ManifestEntry {
                category: s(&["task_cat", "task", "category"]),
                platform: s(&["platform", "kit"]),
            },
        );
    }
    Ok(out)
}

fn opt_string(o: &Map<String, Value>, key: &str) -> Result<Option<String>, String> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(format!("`{key}` must be a string, found {}", kind(other))),
    }
}

pub(crate) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// Parses one eval JSON. `folder` is the name of the directory holding the
/// file, used as the category when neither the file nor a manifest gives one.
pub(crate) fn parse_eval(
    path: &str,
    bytes: &[u8],
    manifest: &HashMap<String, ManifestEntry>,
    folder: Option<&str>,
) -> Result<Eval, String> {
    let doc: Value = read_json(bytes)?;
    let Value::Object(o) = doc else {
        return Err(format!(
            "an eval must be a JSON object, found {}",
            kind(&doc)
        ));
    };
    let id = match o.get("id") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.clone(),
        Some(other) => {
            return Err(format!(
                "`id` must be a non-empty string, found {}",
                kind(other)
            ))
        }
        None => return Err("missing `id` (the eval id, a string)".into()),
    };
    let task = match o.get("task") {
        Some(Value::String(s)) => s.clone(),
        Some(other) => {
            return Err(format!(
                "`task` must be a string (the prompt), found {}",
                kind(other)
            ))
        }
        None => return Err("missing `task` (the prompt text)".into()),
    };
    let data_nodes = match o.get("data_node").or_else(|| o.get("data_nodes")) {
        None | Some(Value::Null) => vec![],
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Array(a)) => a
            .iter()
            .enumerate()
            .map(|(i, v)| {
                v.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| format!("`data_node[{i}]` must be a string"))
            })
            .collect::<Result<_, _>>()?,
        Some(other) => {
            return Err(format!(
                "`data_node` must be a string or a list of strings, found {}",
                kind(other)
            ))
        }
    };
    let grader = match o.get("grader") {
        None | Some(Value::Null) => None,
        Some(g @ Value::Object(_)) => Some(g.clone()),
        Some(other) => {
            return Err(format!(
                "`grader` must be an object with `type` and `config`, found {}",
                kind(other)
            ))
        }
    };
    let graders = match o.get("graders") {
        None | Some(Value::Null) => None,
        Some(g @ (Value::Array(_) | Value::Object(_))) => Some(g.clone()),
        Some(other) => {
            return Err(format!(
                "`graders` must be a list or an object, found {}",
                kind(other)
            ))
        }
    };
    let metadata: IndexMap<String, Value> = match o.get("metadata") {
        None | Some(Value::Null) => IndexMap::new(),
        Some(Value::Object(m)) => m.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
        Some(other) => {
            return Err(format!(
                "`metadata` must be an object, found {}",
                kind(other)
            ))
        }
    };
    let meta_str = |k: &str| metadata.get(k).and_then(Value::as_str).map(str::to_string);
    let entry = manifest.get(&id).cloned().unwrap_or_default();
    let folder_category = folder
        .filter(|f| *f != id && !f.starts_with("evals"))
        .map(str::to_string);
    let known = [
        "id",
        "task",
        "data_node",
        "data_nodes",
        "grader",
        "graders",
        "metadata",
        "notes",
        "canary",
    ];
    Ok(Eval {
        category: meta_str("task").or(entry.category).or(folder_category),
        platform: meta_str("kit")
            .or_else(|| meta_str("platform"))
            .or(entry.platform),
        time_horizon: meta_str("time_horizon"),
        notes: opt_string(&o, "notes")?,
        canary: opt_string(&o, "canary")?,
        extra: o
            .iter()
            .filter(|(k, _)| !known.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
        id,
        task,
        data_nodes,
        grader,
        graders,
        metadata,
        source_path: path.to_string(),
        vocabulary: None,
    })
}
