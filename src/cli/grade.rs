//! `sbx grade --cases FILE|-`: grade JSON Lines cases
//! (`{"grader": {"type", "config"}, "answer": …}`) and print one verdict per line.

use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use sbx_grade::json::write_json;
use sbx_grade::{decode_nonfinite, grade_value, parse_keeping, DumpOptions, GraderResult, Value};

#[derive(clap::Args)]
pub struct Args {
    /// JSON Lines file of cases, or `-` for standard input. NaN/Infinity tokens are accepted.
    #[arg(long)]
    pub cases: PathBuf,
    /// Decode `{"$nonfinite": "NaN"|"Infinity"|"-Infinity"}` objects (the conformance-file encoding).
    #[arg(long)]
    pub nonfinite_sentinels: bool,
}

/// The verdict for one input line, or the message of its `{"error": …}` line.
pub fn grade_line(line: &str, sentinels: bool) -> Result<GraderResult, String> {
    // Only the two keys read are built; the rest of the line is still checked.
    let case = match parse_keeping(line, &["grader", "answer"]) {
        Ok(v) if sentinels => decode_nonfinite(v),
        Ok(v) => v,
        Err(e) => return Err(format!("not valid JSON: {e}")),
    };
    let Some(obj) = case.as_object() else {
        return Err(format!("expected a JSON object, got {}", case.type_name()));
    };
    let Some(grader) = obj.get("grader") else {
        return Err("missing key \"grader\" ({\"type\": …, \"config\": …})".into());
    };
    let answer = obj.get("answer").unwrap_or(&Value::Null);
    Ok(grade_value(grader, answer))
}

/// Append `{"error": msg}` to `out`.
fn write_error(out: &mut String, msg: &str, opts: DumpOptions) {
    out.push_str(if opts.compact {
        "{\"error\":"
    } else {
        "{\"error\": "
    });
    write_json(out, &Value::Str(msg.to_string()), opts);
    out.push('}');
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let input: Box<dyn Read> = if args.cases.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(
            std::fs::File::open(&args.cases)
                .with_context(|| format!("cannot open {}", args.cases.display()))?,
        )
    };
    let mut reader = BufReader::with_capacity(1 << 16, input);
    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let opts = DumpOptions::default();
    let (mut n, mut errors) = (0usize, 0usize);
    // One input and one output buffer, reused for every line.
    let mut raw: Vec<u8> = Vec::new();
    let mut text = String::new();
    loop {
        raw.clear();
        if reader.read_until(b'\n', &mut raw)? == 0 {
            break;
        }
        // Line ends as `BufRead::lines` strips them: "\n" or "\r\n".
        let mut line: &[u8] = &raw;
        if let Some(l) = line.strip_suffix(b"\n") {
            line = l.strip_suffix(b"\r").unwrap_or(l);
        }
        text.clear();
        match std::str::from_utf8(line) {
            // Invalid UTF-8 on one line: report it on that line and go on.
            Err(_) => {
                let msg = format!(
                    "line {}: cannot read: stream did not contain valid UTF-8",
                    n + 1
                );
                write_error(&mut text, &msg, opts);
                errors += 1;
            }
            Ok(line) => match grade_line(line, args.nonfinite_sentinels) {
                Ok(r) => r.write_json(&mut text, opts),
                Err(msg) => {
                    write_error(&mut text, &msg, opts);
                    errors += 1;
                }
            },
        }
        text.push('\n');
        out.write_all(text.as_bytes())?;
        n += 1;
    }
    out.flush()?;
    if errors > 0 {
        eprintln!(
            "sbx grade: {errors} of {} lines could not be graded (see their \"error\" lines)",
            n.max(errors)
        );
    }
    Ok(ExitCode::SUCCESS)
}
