//! The text of a step that search (and the finding detector) reads.

use sbx_suite::trajectory::Step;
use std::borrow::Cow;

/// Message text, tool-call input, tool-output text, final-answer text, or an
/// unknown event's raw JSON.
pub fn step_text(step: &Step) -> Cow<'_, str> {
    match step {
        Step::Message { text, .. } => Cow::Borrowed(text),
        Step::ToolCall { input, .. } => Cow::Borrowed(input),
        Step::ToolOutput { text, .. } => Cow::Borrowed(text),
        Step::FinalAnswer { text } => Cow::Borrowed(text),
        Step::Unknown { raw } => Cow::Owned(serde_json::to_string(raw).unwrap_or_default()),
    }
}

/// Step kinds in a fixed order, so a kind is stored as one byte.
pub const KINDS: [&str; 5] = [
    "message",
    "tool_call",
    "tool_output",
    "final_answer",
    "unknown",
];

pub fn kind_code(kind: &str) -> Option<u8> {
    KINDS.iter().position(|k| *k == kind).map(|i| i as u8)
}
