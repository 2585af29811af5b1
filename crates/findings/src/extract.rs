//! From normalised steps to the code that actually ran: inline shell code,
//! files written (heredocs, write/edit tools, notebooks) and run later, and
//! whether each call's tool output is an error (then its code did not run).

use std::collections::HashMap;

use sbx_suite::trajectory::Step;

use crate::mapped::Mapped;
use crate::shell::{self, file_key, Lang};

/// A piece of code from one step.
#[derive(Debug)]
pub struct Unit {
    pub step: usize,
    pub lang: Lang,
    pub code: Mapped,
    /// It ran without an error (inline code of a successful call, or a
    /// written file that a later successful call ran).
    pub ran: bool,
}

/// How far to look for the output of a call before giving up.
const OUTPUT_WINDOW: usize = 64;

/// The output of the call at `i` (same call id, or the next output before another call).
pub fn output_of(steps: &[Step], i: usize) -> Option<(usize, &str, bool)> {
    let id = match steps.get(i) {
        Some(Step::ToolCall { call_id, .. }) => call_id.as_deref(),
        _ => return None,
    };
    for (j, s) in steps.iter().enumerate().skip(i + 1).take(OUTPUT_WINDOW) {
        match s {
            Step::ToolOutput {
                text,
                is_error,
                call_id,
            } if id.is_none() || call_id.is_none() || call_id.as_deref() == id => {
                return Some((j, text, *is_error));
            }
            Step::ToolCall { .. } if id.is_none() => return None,
            _ => {}
        }
    }
    None
}

const ERROR_MARKS: &[&str] = &[
    "Traceback (most recent call last)",
    "Execution halted",
    "SyntaxError: ",
    "IndentationError: ",
    ": command not found",
    "can't open file",
    "Error in library(",
];

/// The call at `i` failed: its output is flagged as an error or shows a
/// traceback, an R error or a shell failure.
pub fn call_failed(steps: &[Step], i: usize) -> bool {
    match output_of(steps, i) {
        Some((_, text, is_error)) => {
            is_error || ERROR_MARKS.iter().any(|m| text.contains(m)) || r_error(text)
        }
        None => false,
    }
}

fn r_error(text: &str) -> bool {
    text.lines()
        .any(|l| l.starts_with("Error in ") || l.starts_with("Error: "))
        && text.contains("Execution halted")
}

#[derive(Default)]
struct Files {
    /// Per file name: the fragments currently in it, each `(step, code)`.
    content: HashMap<String, Vec<(usize, Lang, Mapped)>>,
}

/// Every code unit of a trajectory, in step order.
pub fn units(steps: &[Step]) -> Vec<Unit> {
    let mut out = Vec::new();
    let mut files = Files::default();
    for (i, step) in steps.iter().enumerate() {
        let Step::ToolCall { name, input, .. } = step else {
            continue;
        };
        let failed = call_failed(steps, i);
        let trimmed = input.trim_start();
        if trimmed.starts_with('{') {
            json_args(i, name, input, failed, &mut files, &mut out);
        } else {
            shell_command(i, &Mapped::verbatim(input, 0), failed, &mut files, &mut out);
        }
    }
    out
}

fn shell_command(i: usize, cmd: &Mapped, failed: bool, files: &mut Files, out: &mut Vec<Unit>) {
    let parts = shell::parse(cmd);
    for (path, body) in parts.writes {
        if let Some(lang) = Lang::of_path(&path) {
            if !failed {
                files.content.insert(file_key(&path), vec![(i, lang, body)]);
            }
        }
    }
    for (lang, code) in parts.inline {
        out.push(Unit {
            step: i,
            lang,
            code,
            ran: !failed,
        });
    }
    out.push(Unit {
        step: i,
        lang: Lang::Shell,
        code: Mapped::verbatim(&parts.rest, 0),
        ran: !failed,
    });
    for path in parts.runs {
        run_file(&path, failed, files, out);
    }
}

fn run_file(path: &str, failed: bool, files: &mut Files, out: &mut Vec<Unit>) {
    let Some(frags) = files.content.get_mut(&file_key(path)) else {
        return;
    };
    for (step, lang, code) in frags.iter() {
        let code = if path.ends_with(".ipynb") {
            notebook_cells(code)
        } else {
            code.clone()
        };
        out.push(Unit {
            step: *step,
            lang: *lang,
            code,
            ran: !failed,
        });
    }
    if !failed {
        // Counted once: a second run of the same content adds nothing.
        frags.clear();
    }
}

const WRITE_KEYS: &[&str] = &["content", "file_text", "contents"];
const EDIT_KEYS: &[&str] = &[
    "new_string",
    "newText",
    "new_str",
    "new_source",
    "newString",
];
const CODE_KEYS: &[&str] = &["code", "script", "cell", "source"];

/// A tool call whose input is JSON arguments (write/edit tools, code tools, shell with extras).
fn json_args(
    i: usize,
    name: &str,
    input: &str,
    failed: bool,
    files: &mut Files,
    out: &mut Vec<Unit>,
) {
    let raw = Mapped::verbatim(input, 0);
    let parsed: Option<serde_json::Value> = serde_json::from_str(input).ok();
    let path = parsed.as_ref().and_then(|v| {
        ["file_path", "path", "notebook_path", "filename", "file"]
            .iter()
            .find_map(|k| v.get(*k).and_then(|p| p.as_str()))
            .map(str::to_string)
    });
    let lang_of_path = path.as_deref().and_then(Lang::of_path);
    for (key, value) in string_values(&raw) {
        if WRITE_KEYS.contains(&key.as_str()) || EDIT_KEYS.contains(&key.as_str()) {
            if let (Some(p), Some(lang), false) = (&path, lang_of_path, failed) {
                let frags = files.content.entry(file_key(p)).or_default();
                if WRITE_KEYS.contains(&key.as_str()) {
                    frags.clear();
                }
                frags.push((i, lang, value));
            }
        } else if key == "command" || key == "cmd" {
            shell_command(i, &value, failed, files, out);
        } else if CODE_KEYS.contains(&key.as_str()) && path.is_none() {
            let lang = if name.to_ascii_lowercase().contains("r_") {
                Lang::R
            } else {
                Lang::Python
            };
            out.push(Unit {
                step: i,
                lang,
                code: value,
                ran: !failed,
            });
        }
    }
}

/// Every `"key": "string"` pair in a JSON text, decoded and mapped, at any depth.
fn string_values(raw: &Mapped) -> Vec<(String, Mapped)> {
    let mut out = Vec::new();
    let b = raw.text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'"' {
            i += 1;
            continue;
        }
        let Some((key, after)) = raw.json_string_at(i) else {
            break;
        };
        let mut j = after;
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        if b.get(j) != Some(&b':') {
            i = after;
            continue;
        }
        j += 1;
        while j < b.len() && b[j].is_ascii_whitespace() {
            j += 1;
        }
        if b.get(j) == Some(&b'"') {
            if let Some((value, end)) = raw.json_string_at(j) {
                out.push((key.text, value));
                i = end;
                continue;
            }
            break;
        }
        i = j;
    }
    out
}

/// The code cells of a notebook's JSON text, joined.
pub fn notebook_cells(nb: &Mapped) -> Mapped {
    let mut parts = Vec::new();
    let b = nb.text.as_bytes();
    let mut from = 0;
    while let Some(p) = nb.text[from..].find("\"source\"") {
        let mut j = from + p + 8;
        from = j;
        while j < b.len() && (b[j].is_ascii_whitespace() || b[j] == b':') {
            j += 1;
        }
        match b.get(j) {
            Some(b'"') => {
                if let Some((s, end)) = nb.json_string_at(j) {
                    parts.push(s);
                    from = end;
                }
            }
            Some(b'[') => {
                let mut k = j + 1;
                let mut cell = Vec::new();
                loop {
                    while k < b.len() && (b[k].is_ascii_whitespace() || b[k] == b',') {
                        k += 1;
                    }
                    if b.get(k) != Some(&b'"') {
                        break;
                    }
                    match nb.json_string_at(k) {
                        Some((s, end)) => {
                            cell.push(s);
                            k = end;
                        }
                        None => break,
                    }
                }
                parts.push(Mapped::join(cell, ""));
                from = k;
            }
            _ => {}
        }
    }
    Mapped::join(parts, "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(name: &str, input: &str) -> Step {
        Step::ToolCall {
            name: name.into(),
            input: input.into(),
            call_id: None,
        }
    }
    fn output(text: &str, is_error: bool) -> Step {
        Step::ToolOutput {
            text: text.into(),
            is_error,
            call_id: None,
        }
    }

    #[test]
    fn failed_calls_do_not_run() {
        let steps = vec![
            call("bash", "python -c 'import scanpy as sc; sc.tl.leiden(a)'"),
            output("Traceback (most recent call last):\n  KeyError", false),
            call("bash", "python -c 'x = 1'"),
            output("ok", false),
        ];
        let u: Vec<_> = units(&steps)
            .into_iter()
            .filter(|u| u.lang == Lang::Python)
            .collect();
        assert_eq!(u.len(), 2);
        assert!(!u[0].ran && u[1].ran);
    }

    #[test]
    fn written_then_run_files_count_from_the_writing_step() {
        let steps = vec![
            call(
                "write",
                r#"{"path":"/w/a.py","content":"import scanpy as sc\nsc.pp.log1p(a)\n"}"#,
            ),
            output("Successfully wrote", false),
            call(
                "edit",
                r#"{"path":"/w/a.py","edits":[{"oldText":"x","newText":"sc.tl.leiden(a)"}]}"#,
            ),
            output("ok", false),
            call("bash", "cd /w && python3 a.py"),
            output("done", false),
        ];
        let u: Vec<_> = units(&steps)
            .into_iter()
            .filter(|u| u.lang == Lang::Python)
            .collect();
        assert_eq!(u.len(), 2);
        assert_eq!((u[0].step, u[1].step), (0, 2));
        assert!(u.iter().all(|u| u.ran));
        assert_eq!(u[1].code.text, "sc.tl.leiden(a)");
        // Never run: nothing.
        assert!(units(&steps[..4]).iter().all(|u| u.lang == Lang::Shell));
    }

    #[test]
    fn notebooks_give_their_cells() {
        let nb = r#"{"cells":[{"cell_type":"code","source":["import scanpy as sc\n","sc.pp.log1p(a)"]}]}"#;
        let input =
            serde_json::to_string(&serde_json::json!({"file_path": "/w/n.ipynb", "content": nb}))
                .unwrap();
        let steps = vec![
            call("Write", &input),
            output("ok", false),
            call(
                "Bash",
                "jupyter nbconvert --to notebook --execute /w/n.ipynb",
            ),
            output("ok", false),
        ];
        let u: Vec<_> = units(&steps)
            .into_iter()
            .filter(|u| u.lang == Lang::Python)
            .collect();
        assert_eq!(u.len(), 1);
        assert_eq!(u[0].code.text, "import scanpy as sc\nsc.pp.log1p(a)\n");
        let (s, e) = u[0].code.raw_span(20, 34);
        assert_eq!(&input[s..e], "sc.pp.log1p(a)");
    }
}
