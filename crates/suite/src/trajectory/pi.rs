//! pi (pi-coding-agent `--mode json`): a `session` header, then
//! `agent_start`/`turn_start`/`message_start`/`message_end`/
//! `tool_execution_start`/`tool_execution_end`/`turn_end` events.
//!
//! Each message appears up to three times (`message_start` with partial
//! content, `message_end` complete, and inside `turn_end`), and each tool
//! result twice (`tool_execution_end` and a `toolResult` message). Steps come
//! from `message_end` only; a `message_start` never ended (an interrupted
//! stream) is kept when it has content, and a `tool_execution_end` is kept
//! only when no `toolResult` message carries the same call.

use std::collections::HashSet;

use serde_json::Value;

use super::{content_text, push_reasoning, str_field, tool_input_text, Step};

pub(super) fn steps(events: &[Value]) -> Vec<Step> {
    let answered: HashSet<&str> = events
        .iter()
        .filter(|e| str_field(e, "type") == Some("message_end"))
        .filter_map(|e| e.get("message"))
        .filter(|m| str_field(m, "role") == Some("toolResult"))
        .filter_map(|m| str_field(m, "toolCallId"))
        .collect();
    let mut out = Vec::new();
    let mut pending: Option<&Value> = None;
    for e in events {
        match str_field(e, "type").unwrap_or("") {
            "session" => out.push(event(format!(
                "session started: {} (cwd {})",
                str_field(e, "id").unwrap_or("?"),
                str_field(e, "cwd").unwrap_or("?")
            ))),
            "agent_start"
            | "agent_end"
            | "turn_start"
            | "turn_end"
            | "message_update"
            | "tool_execution_start"
            | "tool_execution_update" => {}
            "message_start" => {
                if let Some(p) = pending.take() {
                    message(p, &mut out);
                }
                pending = e.get("message").filter(|m| has_content(m));
            }
            "message_end" => {
                pending = None;
                match e.get("message") {
                    Some(m) => message(m, &mut out),
                    None => out.push(Step::Unknown { raw: e.clone() }),
                }
            }
            "tool_execution_end" => {
                let id = str_field(e, "toolCallId").unwrap_or("");
                if !answered.contains(id) {
                    out.push(Step::ToolOutput {
                        text: e
                            .get("result")
                            .and_then(|r| r.get("content"))
                            .map(content_text)
                            .unwrap_or_default(),
                        is_error: e.get("isError").and_then(Value::as_bool).unwrap_or(false),
                        call_id: Some(id.to_string()),
                    });
                }
            }
            "auto_retry_start" | "auto_retry_end" => {
                let mut fields: Vec<String> = e
                    .as_object()
                    .into_iter()
                    .flatten()
                    .filter(|(k, _)| k.as_str() != "type")
                    .map(|(k, v)| format!("{k} {v}"))
                    .collect();
                fields.sort();
                let what = str_field(e, "type").unwrap_or("").replace('_', " ");
                out.push(event(format!("{what}: {}", fields.join(", "))));
            }
            _ => out.push(Step::Unknown { raw: e.clone() }),
        }
    }
    if let Some(p) = pending {
        message(p, &mut out);
    }
    out
}

fn has_content(m: &Value) -> bool {
    match m.get("content") {
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::String(s)) => !s.is_empty(),
        _ => false,
    }
}

fn message(m: &Value, out: &mut Vec<Step>) {
    let role = str_field(m, "role").unwrap_or("");
    match role {
        "toolResult" => out.push(Step::ToolOutput {
            text: m.get("content").map(content_text).unwrap_or_default(),
            is_error: m.get("isError").and_then(Value::as_bool).unwrap_or(false),
            call_id: str_field(m, "toolCallId").map(str::to_string),
        }),
        "assistant" => {
            if let Some(Value::Array(blocks)) = m.get("content") {
                for b in blocks {
                    block(b, out);
                }
            } else if let Some(Value::String(s)) = m.get("content") {
                out.push(Step::Message {
                    role: "assistant".into(),
                    text: s.clone(),
                });
            }
            if let Some(err) = str_field(m, "errorMessage") {
                out.push(Step::Message {
                    role: "error".into(),
                    text: err.to_string(),
                });
            }
        }
        "user" | "system" => out.push(Step::Message {
            role: role.into(),
            text: m.get("content").map(content_text).unwrap_or_default(),
        }),
        _ => out.push(Step::Unknown { raw: m.clone() }),
    }
}

fn block(b: &Value, out: &mut Vec<Step>) {
    match str_field(b, "type") {
        Some("text") => out.push(Step::Message {
            role: "assistant".into(),
            text: str_field(b, "text").unwrap_or("").into(),
        }),
        Some("thinking") => push_reasoning(out, str_field(b, "thinking").unwrap_or("")),
        Some("toolCall") => out.push(Step::ToolCall {
            name: str_field(b, "name").unwrap_or("tool").into(),
            input: b.get("arguments").map(tool_input_text).unwrap_or_default(),
            call_id: str_field(b, "id").map(str::to_string),
        }),
        _ => out.push(Step::Unknown { raw: b.clone() }),
    }
}

fn event(text: String) -> Step {
    Step::Message {
        role: "event".into(),
        text,
    }
}
