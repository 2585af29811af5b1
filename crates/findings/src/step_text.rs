//! The text of a step that evidence spans point into.

use std::borrow::Cow;

use sbx_suite::trajectory::Step;

/// `Message.text`, `ToolCall.input`, `ToolOutput.text`, `FinalAnswer.text`;
/// an unknown event's raw JSON as compact text.
pub fn step_text(step: &Step) -> Cow<'_, str> {
    match step {
        Step::Message { text, .. } | Step::ToolOutput { text, .. } | Step::FinalAnswer { text } => {
            Cow::Borrowed(text)
        }
        Step::ToolCall { input, .. } => Cow::Borrowed(input),
        Step::Unknown { raw } => Cow::Owned(serde_json::to_string(raw).unwrap_or_default()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_kind_gives_its_text() {
        let call = Step::ToolCall {
            name: "bash".into(),
            input: "ls".into(),
            call_id: None,
        };
        assert_eq!(step_text(&call), "ls");
        let out = Step::ToolOutput {
            text: "a\nb".into(),
            is_error: false,
            call_id: None,
        };
        assert_eq!(step_text(&out), "a\nb");
        let unk = Step::Unknown {
            raw: serde_json::json!({"type": "x", "n": 1}),
        };
        assert_eq!(step_text(&unk), r#"{"type":"x","n":1}"#);
    }
}
