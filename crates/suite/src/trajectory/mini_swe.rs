//! mini-swe-agent: `{"info":…, "messages":[…], "trajectory_format":"mini-swe-agent-1.x"}`.
//!
//! `messages` mixes chat messages (`role` + `content`), raw model responses
//! (OpenAI Responses objects with `output` items, or chat completions with
//! `choices`), `function_call_output` items, and a final `exit` message whose
//! `extra.submission` is the submitted text (often empty: the answer is then
//! in `eval_answer.json`). Responses' `reasoning` items without summary text
//! carry nothing to show and are skipped.

use serde_json::Value;

use super::{content_text, push_reasoning, str_field, tool_input_text, Step};

pub(super) fn steps(doc: &Value) -> Result<Vec<Step>, String> {
    let messages = doc
        .get("messages")
        .and_then(Value::as_array)
        .ok_or("mini-swe-agent trajectory: `messages` must be a list")?;
    let mut out = Vec::new();
    for m in messages {
        message(m, &mut out);
    }
    Ok(out)
}

fn message(m: &Value, out: &mut Vec<Step>) {
    if let Some(role) = str_field(m, "role") {
        return chat_message(role, m, out);
    }
    if m.get("object").and_then(Value::as_str) == Some("response")
        || m.get("output").is_some_and(Value::is_array)
    {
        for item in m
            .get("output")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            response_item(item, out);
        }
        return;
    }
    if let Some(choices) = m.get("choices").and_then(Value::as_array) {
        for c in choices {
            match c.get("message") {
                Some(msg) => chat_message(str_field(msg, "role").unwrap_or("assistant"), msg, out),
                None => out.push(Step::Unknown { raw: c.clone() }),
            }
        }
        return;
    }
    match str_field(m, "type") {
        Some("function_call_output") => out.push(function_output(m)),
        Some(_) => response_item(m, out),
        None => out.push(Step::Unknown { raw: m.clone() }),
    }
}

fn chat_message(role: &str, m: &Value, out: &mut Vec<Step>) {
    let text = m.get("content").map(content_text).unwrap_or_default();
    match role {
        "exit" => {
            let extra = m.get("extra");
            let submission = extra.and_then(|e| str_field(e, "submission")).unwrap_or("");
            let status = extra
                .and_then(|e| str_field(e, "exit_status"))
                .unwrap_or("");
            out.push(Step::Message {
                role: "event".into(),
                text: format!("exit: {status}").trim_end().into(),
            });
            if !submission.trim().is_empty() {
                out.push(Step::FinalAnswer {
                    text: submission.to_string(),
                });
            }
        }
        "tool" => out.push(Step::ToolOutput {
            text,
            is_error: false,
            call_id: str_field(m, "tool_call_id").map(str::to_string),
        }),
        "assistant" => {
            if !text.is_empty() {
                out.push(Step::Message {
                    role: role.into(),
                    text: text.clone(),
                });
            }
            let calls = m.get("tool_calls").and_then(Value::as_array);
            for c in calls.into_iter().flatten() {
                let f = c.get("function").unwrap_or(c);
                out.push(Step::ToolCall {
                    name: str_field(f, "name").unwrap_or("tool").to_string(),
                    input: f.get("arguments").map(tool_input_text).unwrap_or_default(),
                    call_id: str_field(c, "id").map(str::to_string),
                });
            }
            // Text-protocol versions put the command in a fenced bash block.
            if calls.is_none() {
                if let Some(cmd) = last_bash_block(&text) {
                    out.push(Step::ToolCall {
                        name: "bash".into(),
                        input: cmd,
                        call_id: None,
                    });
                }
            }
        }
        // Text-protocol versions return command output as a user message.
        "user" if text.contains("<returncode>") => {
            let is_error = returncode(&text).is_some_and(|c| c != 0);
            out.push(Step::ToolOutput {
                text,
                is_error,
                call_id: None,
            });
        }
        _ => out.push(Step::Message {
            role: role.into(),
            text,
        }),
    }
}

fn response_item(item: &Value, out: &mut Vec<Step>) {
    match str_field(item, "type") {
        Some("function_call") => out.push(Step::ToolCall {
            name: str_field(item, "name").unwrap_or("tool").to_string(),
            input: item
                .get("arguments")
                .map(tool_input_text)
                .unwrap_or_default(),
            call_id: str_field(item, "call_id").map(str::to_string),
        }),
        Some("message") => {
            let text = item.get("content").map(content_text).unwrap_or_default();
            let role = str_field(item, "role").unwrap_or("assistant");
            out.push(Step::Message {
                role: role.into(),
                text,
            });
        }
        Some("reasoning") => push_reasoning(
            out,
            &item.get("summary").map(content_text).unwrap_or_default(),
        ),
        Some("function_call_output") => out.push(function_output(item)),
        _ => out.push(Step::Unknown { raw: item.clone() }),
    }
}

fn function_output(m: &Value) -> Step {
    let extra = m.get("extra");
    // `extra.raw_output` is the plain command output; `output` wraps it in the
    // observation template.
    let text = extra
        .and_then(|e| str_field(e, "raw_output"))
        .map(str::to_string)
        .or_else(|| m.get("output").map(content_text))
        .unwrap_or_default();
    let code = extra
        .and_then(|e| e.get("returncode"))
        .and_then(Value::as_i64);
    let exception = extra
        .and_then(|e| str_field(e, "exception_info"))
        .unwrap_or("");
    Step::ToolOutput {
        text,
        is_error: code.is_some_and(|c| c != 0) || !exception.is_empty(),
        call_id: str_field(m, "call_id").map(str::to_string),
    }
}

fn last_bash_block(text: &str) -> Option<String> {
    let start = text.rfind("```bash")? + "```bash".len();
    let rest = &text[start..];
    let end = rest.find("```")?;
    Some(rest[..end].trim().to_string())
}

fn returncode(text: &str) -> Option<i64> {
    let start = text.find("<returncode>")? + "<returncode>".len();
    let end = text[start..].find("</returncode>")? + start;
    text[start..end].trim().parse().ok()
}
