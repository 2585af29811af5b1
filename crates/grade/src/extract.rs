//! Answer extraction as the reference harness does it.

use crate::json;
use crate::py;
use crate::value::Value;

const OPEN: &str = "<EVAL_ANSWER>";
const CLOSE: &str = "</EVAL_ANSWER>";

/// Outcome of looking for tags in one text.
#[derive(Debug)]
pub enum TagMatch {
    /// No `<EVAL_ANSWER>…</EVAL_ANSWER>` pair.
    NoTags,
    /// Tags found; the JSON inside is the answer (`null` when it did not parse).
    Parsed(Option<Value>),
}

/// The first `<EVAL_ANSWER>(.*?)</EVAL_ANSWER>` pair (case-sensitive, across
/// lines, non-greedy), stripped and parsed as JSON. A bad JSON payload gives
/// `Parsed(None)`; later tag pairs are never tried.
pub fn match_tags(text: &str) -> TagMatch {
    let Some(start) = text.find(OPEN) else {
        return TagMatch::NoTags;
    };
    let body_start = start + OPEN.len();
    let Some(len) = text[body_start..].find(CLOSE) else {
        // An opening tag without a close after it: a later opening tag cannot
        // have a close either, so there is no match at all.
        return TagMatch::NoTags;
    };
    let body = py::strip(&text[body_start..body_start + len]);
    TagMatch::Parsed(json::parse(body).ok())
}

/// The answer inside `<EVAL_ANSWER>` tags of an agent's text, if any.
pub fn extract_answer_from_text(text: &str) -> Option<Value> {
    match match_tags(text) {
        TagMatch::NoTags => None,
        TagMatch::Parsed(v) => v.filter(|v| !v.is_null()),
    }
}

/// The contents of `eval_answer.json` / `analysis_output.json`: the whole text
/// parsed as JSON (nothing stripped, no tags); `None` when it does not parse.
pub fn extract_answer_from_file(text: &str) -> Option<Value> {
    json::parse(text).ok().filter(|v| !v.is_null())
}

/// Scan a conversation (newest message first, blocks in order) for a
/// `submit_response` tool call whose summary carries the answer tags.
pub fn extract_answer_from_conversation(conversation: &Value) -> Option<Value> {
    let msgs = conversation.as_array()?;
    for msg in msgs.iter().rev() {
        if msg.get("type").and_then(Value::as_str) != Some("anthropic_message")
            || msg.get("role").and_then(Value::as_str) != Some("assistant")
        {
            continue;
        }
        let Some(content) = msg.get("content").and_then(Value::as_array) else {
            continue;
        };
        for block in content {
            if block.get("type").and_then(Value::as_str) != Some("tool_use")
                || block.get("name").and_then(Value::as_str) != Some("submit_response")
            {
                continue;
            }
            let summary = block
                .get("input")
                .and_then(|i| i.get("summary"))
                .and_then(Value::as_str)
                .unwrap_or("");
            match match_tags(summary) {
                TagMatch::NoTags => continue,
                TagMatch::Parsed(v) => return v.filter(|v| !v.is_null()),
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_pair_only_and_strip() {
        assert_eq!(
            json::to_python_json(
                &extract_answer_from_text("x <EVAL_ANSWER>\n {\"a\": 1}\t</EVAL_ANSWER>").unwrap()
            ),
            "{\"a\": 1}"
        );
        assert!(extract_answer_from_text(
            "<EVAL_ANSWER>oops</EVAL_ANSWER><EVAL_ANSWER>{}</EVAL_ANSWER>"
        )
        .is_none());
        assert!(extract_answer_from_text("<eval_answer>{}</eval_answer>").is_none());
        assert!(extract_answer_from_text("<EVAL_ANSWER>{}").is_none());
    }

    #[test]
    fn file_is_not_stripped_of_tags() {
        assert!(extract_answer_from_file("<EVAL_ANSWER>{}</EVAL_ANSWER>").is_none());
        assert!(extract_answer_from_file(" {\"a\": NaN} \n").is_some());
    }
}
