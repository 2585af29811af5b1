//! claude-code (`--output-format stream-json`): a list of events
//! `system/init`, `assistant` and `user` messages whose content is a list of
//! blocks (`text`, `thinking`, `tool_use`, `tool_result`), `system/task_*`
//! notifications for background tasks, and a closing `result` event.
//! Thinking blocks whose text is empty (redacted, signature only) are skipped.

use serde_json::Value;

use super::{content_text, push_reasoning, str_field, tool_input_text, Step};

pub(super) fn steps(events: &[Value]) -> Vec<Step> {
    let mut out = Vec::new();
    for e in events {
        let t = str_field(e, "type").unwrap_or("");
        match t {
            "system" => system(e, &mut out),
            "assistant" | "user" => message(t, e, &mut out),
            "result" => out.push(Step::Message {
                role: "event".into(),
                text: result_text(e),
            }),
            // Partial-message deltas (`--include-partial-messages`) repeat the
            // complete `assistant` events that follow them.
            "stream_event" => {}
            _ => out.push(Step::Unknown { raw: e.clone() }),
        }
    }
    out
}

fn system(e: &Value, out: &mut Vec<Step>) {
    let text = match str_field(e, "subtype") {
        Some("init") => {
            let tools: Vec<&str> = e
                .get("tools")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            format!(
                "session started: model {}, cwd {}, tools [{}]",
                str_field(e, "model").unwrap_or("?"),
                str_field(e, "cwd").unwrap_or("?"),
                tools.join(", ")
            )
        }
        Some("task_started") => format!(
            "background task started: {}",
            str_field(e, "description").unwrap_or("")
        ),
        Some("task_notification") => format!(
            "background task {}: {}",
            str_field(e, "status").unwrap_or("?"),
            str_field(e, "summary").unwrap_or("")
        ),
        _ => return out.push(Step::Unknown { raw: e.clone() }),
    };
    out.push(Step::Message {
        role: "event".into(),
        text,
    });
}

fn message(kind: &str, e: &Value, out: &mut Vec<Step>) {
    let Some(msg) = e.get("message") else {
        return out.push(Step::Unknown { raw: e.clone() });
    };
    let role = str_field(msg, "role").unwrap_or(kind);
    let blocks = match msg.get("content") {
        Some(Value::String(s)) => {
            return out.push(Step::Message {
                role: role.into(),
                text: s.clone(),
            });
        }
        Some(Value::Array(blocks)) => blocks,
        _ => return out.push(Step::Unknown { raw: e.clone() }),
    };
    for b in blocks {
        match str_field(b, "type") {
            Some("text") => out.push(Step::Message {
                role: role.into(),
                text: str_field(b, "text").unwrap_or("").to_string(),
            }),
            Some("thinking") => push_reasoning(out, str_field(b, "thinking").unwrap_or("")),
            Some("redacted_thinking") => {}
            Some("tool_use") => out.push(Step::ToolCall {
                name: str_field(b, "name").unwrap_or("tool").to_string(),
                input: b.get("input").map(tool_input_text).unwrap_or_default(),
                call_id: str_field(b, "id").map(str::to_string),
            }),
            Some("tool_result") => out.push(Step::ToolOutput {
                text: b.get("content").map(content_text).unwrap_or_default(),
                is_error: b.get("is_error").and_then(Value::as_bool).unwrap_or(false),
                call_id: str_field(b, "tool_use_id").map(str::to_string),
            }),
            _ => out.push(Step::Unknown { raw: b.clone() }),
        }
    }
}

fn result_text(e: &Value) -> String {
    let mut s = format!("result: {}", str_field(e, "subtype").unwrap_or("?"));
    if let Some(n) = e.get("num_turns").and_then(Value::as_u64) {
        s.push_str(&format!(", {n} turns"));
    }
    if let Some(ms) = e.get("duration_ms").and_then(Value::as_f64) {
        s.push_str(&format!(", {:.1} s", ms / 1000.0));
    }
    if let Some(c) = e.get("total_cost_usd").and_then(Value::as_f64) {
        s.push_str(&format!(", ${c:.4}"));
    }
    if let Some(r) = str_field(e, "result").filter(|r| !r.trim().is_empty()) {
        s.push_str("\n\n");
        s.push_str(r);
    }
    s
}
