//! openai-codex (`codex exec --json`): `thread.started`, `turn.*` and
//! `item.started`/`item.updated`/`item.completed` events. An item's
//! `started` event repeats its `completed` one with less in it, so each item
//! gives one tool call (at the position it started, with the completed
//! fields) and, for commands, one output.

use std::collections::{HashMap, HashSet};

use serde_json::Value;

use super::{str_field, tool_input_text, Step};

const TOOL_ITEMS: &[&str] = &[
    "command_execution",
    "file_change",
    "web_search",
    "mcp_tool_call",
];

pub(super) fn steps(events: &[Value]) -> Vec<Step> {
    let mut completed: HashMap<&str, &Value> = HashMap::new();
    for e in events {
        if str_field(e, "type") == Some("item.completed") {
            if let Some(item) = e.get("item") {
                if let Some(id) = str_field(item, "id") {
                    completed.insert(id, item);
                }
            }
        }
    }
    let mut called: HashSet<String> = HashSet::new();
    let mut out = Vec::new();
    for e in events {
        let t = str_field(e, "type").unwrap_or("");
        let item = e.get("item");
        let id = item.and_then(|i| str_field(i, "id"));
        let itype = item.and_then(|i| str_field(i, "type")).unwrap_or("");
        match t {
            "thread.started" => out.push(event(format!(
                "thread started: {}",
                str_field(e, "thread_id").unwrap_or("?")
            ))),
            "turn.started" => {}
            "turn.completed" => out.push(event(turn_completed(e))),
            "turn.failed" | "error" => out.push(Step::Message {
                role: "error".into(),
                text: error_text(e),
            }),
            "item.started" | "item.updated" if TOOL_ITEMS.contains(&itype) => {
                let Some(item) = item else { continue };
                let key = id.unwrap_or("").to_string();
                if !key.is_empty() && called.contains(&key) {
                    continue;
                }
                let full = id.and_then(|i| completed.get(i).copied()).unwrap_or(item);
                out.push(tool_call(full));
                called.insert(key);
            }
            // Progress of message-like items: their completed event carries all of it.
            "item.started" | "item.updated" if id.is_some_and(|i| completed.contains_key(i)) => {}
            "item.completed" => {
                let Some(item) = item else {
                    out.push(Step::Unknown { raw: e.clone() });
                    continue;
                };
                completed_item(e, item, &mut called, &mut out);
            }
            _ => out.push(Step::Unknown { raw: e.clone() }),
        }
    }
    out
}

fn completed_item(e: &Value, item: &Value, called: &mut HashSet<String>, out: &mut Vec<Step>) {
    let itype = str_field(item, "type").unwrap_or("");
    let id = str_field(item, "id").unwrap_or("").to_string();
    match itype {
        "agent_message" => out.push(Step::Message {
            role: "assistant".into(),
            text: str_field(item, "text").unwrap_or("").into(),
        }),
        "reasoning" => out.push(Step::Message {
            role: "reasoning".into(),
            text: str_field(item, "text").unwrap_or("").into(),
        }),
        "todo_list" => {
            let items: Vec<String> = item
                .get("items")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|i| {
                    let done = i.get("completed").and_then(Value::as_bool).unwrap_or(false);
                    format!(
                        "[{}] {}",
                        if done { "x" } else { " " },
                        str_field(i, "text").unwrap_or("")
                    )
                })
                .collect();
            out.push(event(format!("todo list:\n{}", items.join("\n"))));
        }
        "error" => out.push(Step::Message {
            role: "error".into(),
            text: str_field(item, "message").unwrap_or("").into(),
        }),
        t if TOOL_ITEMS.contains(&t) => {
            if id.is_empty() || !called.contains(&id) {
                out.push(tool_call(item));
                called.insert(id.clone());
            }
            let failed = str_field(item, "status") == Some("failed");
            match t {
                "command_execution" => {
                    let code = item.get("exit_code").and_then(Value::as_i64);
                    out.push(Step::ToolOutput {
                        text: str_field(item, "aggregated_output").unwrap_or("").into(),
                        is_error: failed || code.is_some_and(|c| c != 0),
                        call_id: Some(id),
                    });
                }
                "mcp_tool_call" => {
                    let (text, is_err) = match (item.get("result"), item.get("error")) {
                        (_, Some(err)) if !err.is_null() => (tool_input_text(err), true),
                        (Some(r), _) => (tool_input_text(r), failed),
                        _ => (String::new(), failed),
                    };
                    out.push(Step::ToolOutput {
                        text,
                        is_error: is_err,
                        call_id: Some(id),
                    });
                }
                _ if failed => out.push(Step::ToolOutput {
                    text: "failed".into(),
                    is_error: true,
                    call_id: Some(id),
                }),
                _ => {}
            }
        }
        _ => out.push(Step::Unknown { raw: e.clone() }),
    }
}

fn tool_call(item: &Value) -> Step {
    let id = str_field(item, "id").map(str::to_string);
    let (name, input) = match str_field(item, "type").unwrap_or("") {
        "command_execution" => (
            "shell".to_string(),
            unwrap_shell(str_field(item, "command").unwrap_or("")),
        ),
        "file_change" => {
            let changes: Vec<String> = item
                .get("changes")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|c| {
                    format!(
                        "{} {}",
                        str_field(c, "kind").unwrap_or("?"),
                        str_field(c, "path").unwrap_or("?")
                    )
                })
                .collect();
            ("file_change".to_string(), changes.join("\n"))
        }
        "web_search" => {
            let queries: Vec<&str> = item
                .get("action")
                .and_then(|a| a.get("queries"))
                .and_then(Value::as_array)
                .map(|q| q.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let q = str_field(item, "query").unwrap_or("");
            let text = if queries.len() > 1 {
                queries.join("\n")
            } else {
                q.to_string()
            };
            ("web_search".to_string(), text)
        }
        "mcp_tool_call" => (
            format!(
                "{}.{}",
                str_field(item, "server").unwrap_or("mcp"),
                str_field(item, "tool").unwrap_or("tool")
            ),
            item.get("arguments")
                .map(tool_input_text)
                .unwrap_or_default(),
        ),
        other => (
            other.to_string(),
            serde_json::to_string(item).unwrap_or_default(),
        ),
    };
    Step::ToolCall {
        name,
        input,
        call_id: id,
    }
}

fn event(text: String) -> Step {
    Step::Message {
        role: "event".into(),
        text,
    }
}

fn turn_completed(e: &Value) -> String {
    let mut s = "turn completed".to_string();
    if let Some(u) = e.get("usage").and_then(Value::as_object) {
        let parts: Vec<String> = u.iter().map(|(k, v)| format!("{k} {v}")).collect();
        s.push_str(&format!(" ({})", parts.join(", ")));
    }
    s
}

fn error_text(e: &Value) -> String {
    e.get("error")
        .and_then(|x| str_field(x, "message").or(x.as_str()))
        .or_else(|| str_field(e, "message"))
        .map(str::to_string)
        .unwrap_or_else(|| serde_json::to_string(e).unwrap_or_default())
}

/// `/bin/bash -lc "<script>"` → `<script>` when the argument is a single
/// shell word; otherwise the command unchanged.
pub(crate) fn unwrap_shell(cmd: &str) -> String {
    for prefix in [
        "/bin/bash -lc ",
        "bash -lc ",
        "/bin/sh -c ",
        "/bin/zsh -lc ",
    ] {
        if let Some(rest) = cmd.strip_prefix(prefix) {
            if let Some(word) = shell_word(rest) {
                return word;
            }
        }
    }
    cmd.to_string()
}

/// Unquotes exactly one POSIX shell word (quotes and backslashes); `None`
/// when the text holds more than one word or unbalanced quotes.
fn shell_word(s: &str) -> Option<String> {
    let mut out = String::new();
    let mut chars = s.trim().chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => loop {
                match chars.next()? {
                    '\'' => break,
                    ch => out.push(ch),
                }
            },
            '"' => loop {
                match chars.next()? {
                    '"' => break,
                    '\\' => match chars.next()? {
                        ch @ ('"' | '\\' | '$' | '`') => out.push(ch),
                        '\n' => {}
                        ch => {
                            out.push('\\');
                            out.push(ch);
                        }
                    },
                    ch => out.push(ch),
                }
            },
            '\\' => out.push(chars.next()?),
            c if c.is_whitespace() => return None,
            c => out.push(c),
        }
    }
    Some(out)
}
