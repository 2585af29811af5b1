//! Agent trajectories: every harness writes its own event shape; each is
//! normalised here into a list of [`Step`]s. Events whose kind is not known
//! are kept as [`Step::Unknown`] with their raw JSON, never dropped.
//!
//! Known events that only repeat what another event already carries (pi's
//! `message_start`/`turn_end`/`tool_execution_*`, codex's `item.started`) are
//! folded into one step; see each format module for the exact rules.

mod claude_code;
mod codex;
mod mini_swe;
mod pi;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One normalised step of an agent's trajectory.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Step {
    /// Text from a participant: `system`, `user`, `assistant`, `reasoning`
    /// (model thinking), or `event` (harness bookkeeping such as session start).
    Message { role: String, text: String },
    /// The agent invoking a tool; `input` is the shell command when the tool
    /// runs one, otherwise the arguments as JSON text.
    ToolCall {
        name: String,
        input: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        call_id: Option<String>,
    },
    /// What a tool returned.
    ToolOutput {
        text: String,
        is_error: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        call_id: Option<String>,
    },
    /// The answer the agent submitted (from `<EVAL_ANSWER>` tags, a
    /// submission field, or a write to `eval_answer.json`).
    FinalAnswer { text: String },
    /// An event this parser does not know, verbatim.
    Unknown { raw: Value },
}

impl Step {
    pub fn kind(&self) -> &'static str {
        match self {
            Step::Message { .. } => "message",
            Step::ToolCall { .. } => "tool_call",
            Step::ToolOutput { .. } => "tool_output",
            Step::FinalAnswer { .. } => "final_answer",
            Step::Unknown { .. } => "unknown",
        }
    }

    /// Rough size in bytes once serialised, used to split bundles into parts.
    pub fn approx_size(&self) -> usize {
        32 + match self {
            Step::Message { role, text } => role.len() + text.len(),
            Step::ToolCall {
                name,
                input,
                call_id,
            } => name.len() + input.len() + call_id.as_ref().map_or(0, String::len),
            Step::ToolOutput { text, call_id, .. } => {
                text.len() + call_id.as_ref().map_or(0, String::len)
            }
            Step::FinalAnswer { text } => text.len(),
            Step::Unknown { raw } => serde_json::to_string(raw).map_or(0, |s| s.len()),
        }
    }
}

/// The harness formats recognised.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TrajectoryFormat {
    #[serde(rename = "mini-swe-agent")]
    MiniSweAgent,
    #[serde(rename = "claude-code")]
    ClaudeCode,
    #[serde(rename = "openai-codex")]
    OpenaiCodex,
    #[serde(rename = "pi")]
    Pi,
    /// Valid JSON in no known shape: every element is kept as an unknown step.
    #[serde(rename = "unknown")]
    Unknown,
}

impl TrajectoryFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            TrajectoryFormat::MiniSweAgent => "mini-swe-agent",
            TrajectoryFormat::ClaudeCode => "claude-code",
            TrajectoryFormat::OpenaiCodex => "openai-codex",
            TrajectoryFormat::Pi => "pi",
            TrajectoryFormat::Unknown => "unknown",
        }
    }
}

/// A parsed trajectory.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Trajectory {
    pub format: TrajectoryFormat,
    /// Source file, relative to the suite root.
    pub source_path: String,
    pub steps: Vec<Step>,
}

impl Trajectory {
    /// The last final-answer step's text.
    pub fn final_answer(&self) -> Option<&str> {
        self.steps.iter().rev().find_map(|s| match s {
            Step::FinalAnswer { text } => Some(text.as_str()),
            _ => None,
        })
    }
    pub fn count(&self, kind: &str) -> usize {
        self.steps.iter().filter(|s| s.kind() == kind).count()
    }
}

/// Parses a trajectory file: a JSON document (`trajectory.json`) or JSON
/// Lines (`harness_outputs.jsonl`, one event per line). The format is
/// detected from the content, not the file name.
///
/// Errors name what is wrong (with line numbers for JSON Lines). A document
/// that is valid JSON but in no known shape is not an error: it comes back as
/// [`TrajectoryFormat::Unknown`] with every element kept raw.
pub fn parse_trajectory(source_path: &str, bytes: &[u8]) -> Result<Trajectory, String> {
    let text = std::str::from_utf8(bytes).map_err(|e| format!("not UTF-8 text ({e})"))?;
    let doc = if source_path.ends_with(".jsonl") {
        parse_json_lines(text)?
    } else {
        serde_json::from_str::<Value>(text).map_err(|e| format!("invalid JSON: {e}"))?
    };
    let format = detect_format(&doc);
    let mut steps = match format {
        TrajectoryFormat::MiniSweAgent => mini_swe::steps(&doc)?,
        TrajectoryFormat::ClaudeCode => claude_code::steps(as_events(&doc)),
        TrajectoryFormat::OpenaiCodex => codex::steps(as_events(&doc)),
        TrajectoryFormat::Pi => pi::steps(as_events(&doc)),
        TrajectoryFormat::Unknown => match &doc {
            Value::Array(items) => items
                .iter()
                .map(|v| Step::Unknown { raw: v.clone() })
                .collect(),
            other => vec![Step::Unknown { raw: other.clone() }],
        },
    };
    add_final_answer(&mut steps);
    Ok(Trajectory {
        format,
        source_path: source_path.to_string(),
        steps,
    })
}

fn parse_json_lines(text: &str) -> Result<Value, String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: Value =
            serde_json::from_str(line).map_err(|e| format!("line {}: invalid JSON: {e}", i + 1))?;
        out.push(v);
    }
    Ok(Value::Array(out))
}

fn as_events(doc: &Value) -> &[Value] {
    match doc {
        Value::Array(a) => a,
        _ => &[],
    }
}

/// Detects the harness from the shape of the events (votes over all events,
/// so one odd event does not decide).
pub fn detect_format(doc: &Value) -> TrajectoryFormat {
    if let Value::Object(map) = doc {
        let fmt = map
            .get("trajectory_format")
            .and_then(Value::as_str)
            .unwrap_or("");
        if fmt.starts_with("mini-swe-agent") || map.get("messages").is_some_and(Value::is_array) {
            return TrajectoryFormat::MiniSweAgent;
        }
        return TrajectoryFormat::Unknown;
    }
    let Value::Array(events) = doc else {
        return TrajectoryFormat::Unknown;
    };
    let (mut claude, mut codex, mut pi) = (0usize, 0usize, 0usize);
    for e in events {
        let t = e.get("type").and_then(Value::as_str).unwrap_or("");
        match t {
            "thread.started" | "turn.started" | "turn.completed" | "turn.failed" => codex += 1,
            t if t.starts_with("item.") => codex += 1,
            "session"
            | "agent_start"
            | "agent_end"
            | "turn_start"
            | "turn_end"
            | "message_start"
            | "message_end"
            | "message_update"
            | "tool_execution_start"
            | "tool_execution_end" => pi += 1,
            "assistant" | "user" | "result" if e.get("message").is_some() || t == "result" => {
                claude += 1
            }
            "system" if e.get("subtype").is_some() => claude += 1,
            _ => {}
        }
    }
    let best = claude.max(codex).max(pi);
    if best == 0 {
        TrajectoryFormat::Unknown
    } else if best == claude {
        TrajectoryFormat::ClaudeCode
    } else if best == codex {
        TrajectoryFormat::OpenaiCodex
    } else {
        TrajectoryFormat::Pi
    }
}

/// The text between the last `<EVAL_ANSWER>` and its closing tag, trimmed.
pub fn extract_eval_answer(text: &str) -> Option<&str> {
    let start = text.rfind("<EVAL_ANSWER>")? + "<EVAL_ANSWER>".len();
    let rest = &text[start..];
    let end = rest.find("</EVAL_ANSWER>")?;
    Some(rest[..end].trim())
}

/// Appends a final-answer step when the harness did not record one
/// explicitly: the last assistant message with `<EVAL_ANSWER>` tags, else
/// the last tool call that wrote `eval_answer.json`.
fn add_final_answer(steps: &mut Vec<Step>) {
    if steps.iter().any(|s| matches!(s, Step::FinalAnswer { .. })) {
        return;
    }
    let mut found: Option<String> = None;
    for s in steps.iter() {
        match s {
            Step::Message { role, text } if role == "assistant" => {
                if let Some(a) = extract_eval_answer(text) {
                    found = Some(a.to_string());
                }
            }
            Step::ToolCall { input, .. } => {
                if let Some(a) = written_answer(input) {
                    found = Some(a);
                }
            }
            _ => {}
        }
    }
    if let Some(text) = found {
        steps.push(Step::FinalAnswer { text });
    }
}

/// When a tool call's JSON arguments write a file named `eval_answer.json`
/// (`{"path"|"file_path": ".../eval_answer.json", "content": "..."}`), the content.
fn written_answer(input: &str) -> Option<String> {
    if !input.contains("eval_answer.json") || !input.trim_start().starts_with('{') {
        return None;
    }
    let v: Value = serde_json::from_str(input).ok()?;
    let path = v.get("path").or_else(|| v.get("file_path"))?.as_str()?;
    if !path.ends_with("eval_answer.json") {
        return None;
    }
    v.get("content").and_then(Value::as_str).map(str::to_string)
}

/// Text of a tool-call argument object: the `command` when there is one,
/// else the arguments as JSON.
pub(crate) fn tool_input_text(args: &Value) -> String {
    match args {
        Value::String(s) => {
            // Some harnesses pass arguments as a JSON string.
            match serde_json::from_str::<Value>(s) {
                Ok(v @ Value::Object(_)) => tool_input_text(&v),
                _ => s.clone(),
            }
        }
        Value::Object(map) => match map.get("command") {
            Some(Value::String(c)) if map.len() == 1 || !map.contains_key("content") => c.clone(),
            _ => serde_json::to_string(args).unwrap_or_default(),
        },
        Value::Null => String::new(),
        other => serde_json::to_string(other).unwrap_or_default(),
    }
}

/// Concatenated text of a content value: a string, or a list of blocks
/// with `text` fields.
pub(crate) fn content_text(content: &Value) -> String {
    match content {
        Value::String(s) => s.clone(),
        Value::Array(items) => {
            let parts: Vec<String> = items
                .iter()
                .filter_map(|b| match b {
                    Value::String(s) => Some(s.clone()),
                    _ => b.get("text").and_then(Value::as_str).map(str::to_string),
                })
                .collect();
            parts.join("\n")
        }
        Value::Null => String::new(),
        other => serde_json::to_string(other).unwrap_or_default(),
    }
}

/// A reasoning (thinking) step, dropped when blank.
pub(crate) fn push_reasoning(out: &mut Vec<Step>, text: &str) {
    if !text.trim().is_empty() {
        out.push(Step::Message {
            role: "reasoning".into(),
            text: text.to_string(),
        });
    }
}

pub(crate) fn str_field<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

#[cfg(test)]
mod tests;
