//! Conformance of the trajectory parsers against the real trajectories in
//! `../shared/bench` (these fail loudly when the folder is absent: they are
//! the format conformance tests). Expected counts were taken from the raw
//! files independently (counting the harness's own call/result events).

use super::*;

const BENCH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/bench");

fn load(rel: &str) -> (Trajectory, serde_json::Value) {
    let path = format!("{BENCH}/{rel}/trajectory.json");
    let bytes = std::fs::read(&path)
        .unwrap_or_else(|e| panic!("../shared/bench is required for this test: {path}: {e}"));
    let t = parse_trajectory(&path, &bytes).unwrap_or_else(|e| panic!("{path}: {e}"));
    let ans = std::fs::read(format!("{BENCH}/{rel}/eval_answer.json"))
        .expect("eval_answer.json beside the trajectory");
    (t, serde_json::from_slice(&ans).expect("answer is JSON"))
}

fn calls(t: &Trajectory) -> Vec<&str> {
    t.steps
        .iter()
        .filter_map(|s| match s {
            Step::ToolCall { input, .. } => Some(input.as_str()),
            _ => None,
        })
        .collect()
}

fn final_json(t: &Trajectory) -> serde_json::Value {
    let text = t.final_answer().expect("a final answer step");
    serde_json::from_str(text).unwrap_or_else(|e| panic!("final answer is not JSON ({e}): {text}"))
}

#[test]
fn mini_swe_agent_responses_format() {
    let (t, _) = load(
        "scbench/trajectories/DE01_pseudobulk_de/xai/grok-4-1-fast-reasoning/mini-swe-agent/r2",
    );
    assert_eq!(t.format, TrajectoryFormat::MiniSweAgent);
    let c = calls(&t);
    assert_eq!(c.len(), 5);
    assert_eq!(c[0], "ls -la /workspace/data");
    assert_eq!(c[4], "echo COMPLETE_TASK_AND_SUBMIT_FINAL_OUTPUT");
    assert_eq!(t.count("tool_output"), 4);
    // system + user prompt, then the exit event.
    assert!(matches!(&t.steps[0], Step::Message { role, .. } if role == "system"));
    assert!(
        matches!(&t.steps[1], Step::Message { role, text } if role == "user" && text.contains("IFN-beta"))
    );
    assert!(
        matches!(t.steps.last(), Some(Step::Message { role, text }) if role == "event" && text == "exit: Submitted")
    );
    // The submission is empty: the answer is only in eval_answer.json.
    assert_eq!(t.final_answer(), None);
    assert_eq!(t.count("unknown"), 0);
    // Command output is the plain text, not the observation template.
    let Some(Step::ToolOutput {
        text,
        is_error,
        call_id,
    }) = t.steps.iter().find(|s| s.kind() == "tool_output")
    else {
        panic!("no output")
    };
    assert!(text.starts_with("total 1553300\n"));
    assert!(!is_error);
    assert_eq!(call_id.as_deref(), Some("call_15473197"));
}

#[test]
fn mini_swe_agent_errors_and_messages() {
    let (t, _) = load("scbench/trajectories/bd_rhapsody_tnbc_panel_aware_qc/xai/grok-4-1-fast-reasoning/mini-swe-agent/r1");
    assert_eq!(calls(&t).len(), 20);
    assert_eq!(t.count("tool_output"), 18);
    let errors = t
        .steps
        .iter()
        .filter(|s| matches!(s, Step::ToolOutput { is_error: true, .. }))
        .count();
    assert_eq!(errors, 8, "outputs with a non-zero return code");
    let assistant = t
        .steps
        .iter()
        .filter(|s| matches!(s, Step::Message { role, .. } if role == "assistant"))
        .count();
    assert_eq!(assistant, 1);
}

#[test]
fn claude_code_format() {
    let (t, answer) = load("scbench/trajectories/dr_05_pca_preprocessing_sentinels/anthropic/claude-opus-4-7/claude-code/r1");
    assert_eq!(t.format, TrajectoryFormat::ClaudeCode);
    let c = calls(&t);
    assert_eq!(c.len(), 5);
    assert_eq!(c[0], "ls -la /workspace/data/");
    assert_eq!(c[3], "cat /workspace/eval_answer.json");
    assert_eq!(t.count("tool_output"), 5);
    assert!(
        matches!(&t.steps[0], Step::Message { role, text } if role == "event" && text.contains("model claude-opus-4-7"))
    );
    assert_eq!(final_json(&t), answer);
    assert_eq!(t.count("unknown"), 0);
}

#[test]
fn openai_codex_format() {
    let (t, answer) = load(
        "scbench/trajectories/dr_05_pca_preprocessing_sentinels/openai/gpt-5.5/openai-codex/r3",
    );
    assert_eq!(t.format, TrajectoryFormat::OpenaiCodex);
    let c = calls(&t);
    // Each command once, although codex reports it started and completed.
    assert_eq!(c.len(), 11);
    assert_eq!(c[0], "find /workspace/data -maxdepth 3 -type f | sed 's#^#/##' | head -100 && du -sh /workspace/data");
    assert_eq!(t.count("tool_output"), 11);
    assert_eq!(final_json(&t), answer);
    assert_eq!(t.count("unknown"), 0);
}

#[test]
fn openai_codex_web_search_and_file_change() {
    let (t, answer) =
        load("scbench/trajectories/bd_rhapsody_tnbc_panel_aware_qc/openai/gpt-5.5/openai-codex/r2");
    let names: Vec<&str> = t
        .steps
        .iter()
        .filter_map(|s| match s {
            Step::ToolCall { name, .. } => Some(name.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(names.len(), 32);
    assert_eq!(names.iter().filter(|n| **n == "web_search").count(), 10);
    assert_eq!(names.iter().filter(|n| **n == "file_change").count(), 1);
    assert_eq!(t.count("tool_output"), 21);
    // The started event of a search has an empty query; the step shows the completed one.
    assert!(calls(&t)
        .iter()
        .any(|c| c.contains("SCABDJUR1309_SampleTag08_hs_PBMC3")));
    assert_eq!(final_json(&t), answer);
}

#[test]
fn pi_format_without_duplicates() {
    let (t, answer) = load("spatialbench-long/trajectories/lineage_metastasis_multilayer_niche_mapping/xai/grok-4.3/pi/r1");
    assert_eq!(t.format, TrajectoryFormat::Pi);
    let c = calls(&t);
    // Each call and result appears 2–3 times in the raw events; once here.
    assert_eq!(c.len(), 7);
    assert_eq!(c[0], "ls -la /workspace/data");
    assert_eq!(t.count("tool_output"), 7);
    let users = t
        .steps
        .iter()
        .filter(|s| matches!(s, Step::Message { role, .. } if role == "user"))
        .count();
    assert_eq!(users, 1);
    // The answer was written with the `write` tool.
    assert_eq!(final_json(&t), answer);
    assert_eq!(t.count("unknown"), 0);
}

#[test]
fn pi_retries_are_kept() {
    let (t, _) = load("spatialbench-long/trajectories/opticnerve_merfish_spatial_colocalization_enrichment/gemini/gemini-3.5-flash/pi/r1");
    assert_eq!(calls(&t).len(), 127);
    assert_eq!(t.count("tool_output"), 127);
    assert!(t
        .steps
        .iter()
        .any(|s| matches!(s, Step::Message { text, .. } if text.starts_with("auto retry end"))));
}

#[test]
fn every_trajectory_in_shared_parses_in_its_harness_format() {
    let mut n = 0;
    for suite in ["scbench", "spatialbench-long"] {
        let root = format!("{BENCH}/{suite}/trajectories");
        let mut stack = vec![std::path::PathBuf::from(&root)];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).expect("../shared/bench is required") {
                let p = entry.expect("dir entry").path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.file_name().is_some_and(|f| f == "trajectory.json") {
                    let bytes = std::fs::read(&p).expect("read");
                    let t = parse_trajectory(&p.to_string_lossy(), &bytes).expect("parses");
                    let harness = p
                        .parent()
                        .and_then(|r| r.parent())
                        .and_then(|h| h.file_name())
                        .expect("harness dir");
                    assert_eq!(
                        t.format.as_str(),
                        harness.to_string_lossy(),
                        "{}",
                        p.display()
                    );
                    assert_eq!(t.count("unknown"), 0, "{}", p.display());
                    assert!(t.count("tool_call") > 0, "{}", p.display());
                    n += 1;
                }
            }
        }
    }
    assert_eq!(n, 34);
}

#[test]
fn unknown_events_are_kept_raw() {
    let doc = r#"[{"type":"system","subtype":"init","model":"m","cwd":"/w","tools":[]},
        {"type":"assistant","message":{"role":"assistant","content":[{"type":"text","text":"hi"},{"type":"image","source":"x"}]}},
        {"type":"telemetry","payload":{"a":1}}]"#;
    let t = parse_trajectory("t.json", doc.as_bytes()).expect("parses");
    assert_eq!(t.format, TrajectoryFormat::ClaudeCode);
    assert_eq!(t.count("unknown"), 2);
    assert!(t.steps.contains(&Step::Unknown {
        raw: serde_json::json!({"type":"telemetry","payload":{"a":1}})
    }));
    assert!(t.steps.contains(&Step::Unknown {
        raw: serde_json::json!({"type":"image","source":"x"})
    }));
}

#[test]
fn json_lines_and_unknown_formats() {
    let jsonl = "{\"type\":\"thread.started\",\"thread_id\":\"t1\"}\n\n{\"type\":\"item.completed\",\"item\":{\"id\":\"i\",\"type\":\"agent_message\",\"text\":\"<EVAL_ANSWER>{\\\"x\\\": 1}</EVAL_ANSWER>\"}}\n";
    let t = parse_trajectory("r1/harness_outputs.jsonl", jsonl.as_bytes()).expect("parses");
    assert_eq!(t.format, TrajectoryFormat::OpenaiCodex);
    assert_eq!(t.final_answer(), Some("{\"x\": 1}"));
    let bad = "{\"type\":\"thread.started\"}\nnot json\n";
    let e = parse_trajectory("harness_outputs.jsonl", bad.as_bytes()).unwrap_err();
    assert!(e.starts_with("line 2: invalid JSON"), "{e}");
    let t = parse_trajectory("t.json", br#"[{"foo":1},{"bar":2}]"#).expect("valid JSON");
    assert_eq!(t.format, TrajectoryFormat::Unknown);
    assert_eq!(t.count("unknown"), 2);
    assert!(parse_trajectory("t.json", b"{\"messages\": [").is_err());
}

#[test]
fn shell_wrapper_is_unquoted() {
    assert_eq!(
        codex::unwrap_shell(r#"/bin/bash -lc 'ls -la /w'"#),
        "ls -la /w"
    );
    assert_eq!(
        codex::unwrap_shell(r#"/bin/bash -lc "echo \"a\" \$HOME""#),
        r#"echo "a" $HOME"#
    );
    // Two words: not a single script, left as is.
    assert_eq!(
        codex::unwrap_shell("/bin/bash -lc ls -la"),
        "/bin/bash -lc ls -la"
    );
}

#[test]
fn mini_swe_agent_text_protocol() {
    let doc = r#"{"info": {}, "trajectory_format": "mini-swe-agent-1", "messages": [
        {"role": "system", "content": "You are a helpful assistant."},
        {"role": "user", "content": "Count the cells."},
        {"role": "assistant", "content": "THOUGHT: look first.\n\n```bash\nls /data\n```"},
        {"role": "user", "content": "<returncode>2</returncode>\n<output>\nls: cannot access\n</output>"},
        {"role": "assistant", "content": "Done. <EVAL_ANSWER>{\"n_cells\": 5}</EVAL_ANSWER>"},
        {"role": "exit", "content": "", "extra": {"exit_status": "Submitted", "submission": "{\"n_cells\": 5}"}}
    ]}"#;
    let t = parse_trajectory("t.json", doc.as_bytes()).expect("parses");
    assert_eq!(t.format, TrajectoryFormat::MiniSweAgent);
    assert_eq!(calls(&t), vec!["ls /data"]);
    assert!(matches!(
        &t.steps[4],
        Step::ToolOutput { is_error: true, .. }
    ));
    assert_eq!(t.final_answer(), Some("{\"n_cells\": 5}"));
    assert_eq!(t.count("final_answer"), 1);
}
