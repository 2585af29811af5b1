//! Prints a trajectory's normalised steps (index, kind, text) as the
//! detector and the evidence indices see them:
//! `cargo run -p sbx-findings --example steps -- path/to/trajectory.json [max_chars]`.

use sbx_findings::step_text;
use sbx_suite::trajectory::{parse_trajectory, Step};

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: steps TRAJECTORY [MAX_CHARS]");
        std::process::exit(2);
    };
    let max: usize = args.next().and_then(|m| m.parse().ok()).unwrap_or(2000);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(1);
    });
    let t = parse_trajectory(&path, &bytes).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(1);
    });
    for (i, s) in t.steps.iter().enumerate() {
        let head = match s {
            Step::Message { role, .. } => format!("message/{role}"),
            Step::ToolCall { name, .. } => format!("tool_call/{name}"),
            Step::ToolOutput { is_error, .. } => format!("tool_output error={is_error}"),
            other => other.kind().to_string(),
        };
        let text: String = step_text(s).chars().take(max).collect();
        println!("=== [{i}] {head}\n{text}");
    }
}
