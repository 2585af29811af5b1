//! `sbx grade --cases FILE|-`: grade JSON Lines cases
//! (`{"grader": {"type", "config"}, "answer": …}`) and print one verdict per line.

use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use sbx_grade::{decode_nonfinite, grade_value, parse, to_json, DumpOptions, Map, Value};

#[derive(clap::Args)]
pub struct Args {
    /// JSON Lines file of cases, or `-` for standard input. NaN/Infinity tokens are accepted.
    #[arg(long)]
    pub cases: PathBuf,
    /// Decode `{"$nonfinite": "NaN"|"Infinity"|"-Infinity"}` objects (the conformance-file encoding).
    #[arg(long)]
    pub nonfinite_sentinels: bool,
}

/// The verdict line for one input line (`{"error": …}` when the line is unusable).
pub fn grade_line(line: &str, sentinels: bool) -> Value {
    let err = |msg: String| Value::Object(sbx_grade::obj! {"error" => msg});
    let case = match parse(line) {
        Ok(v) if sentinels => decode_nonfinite(v),
        Ok(v) => v,
        Err(e) => return err(format!("not valid JSON: {e}")),
    };
    let Some(obj) = case.as_object() else {
        return err(format!("expected a JSON object, got {}", case.type_name()));
    };
    let Some(grader) = obj.get("grader") else {
        return err("missing key \"grader\" ({\"type\": …, \"config\": …})".into());
    };
    let answer = obj.get("answer").unwrap_or(&Value::Null);
    grade_value(grader, answer).to_value()
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
    let reader = BufReader::new(input);
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let opts = DumpOptions::default();
    let (mut n, mut errors) = (0usize, 0usize);
    for (i, line) in reader.lines().enumerate() {
        let line = match line {
            Ok(l) => l,
            Err(e) => {
                // Invalid UTF-8 on one line: report it on that line and go on.
                let m: Map =
                    sbx_grade::obj! {"error" => format!("line {}: cannot read: {e}", i + 1)};
                writeln!(out, "{}", to_json(&Value::Object(m), opts))?;
                errors += 1;
                continue;
            }
        };
        let v = grade_line(&line, args.nonfinite_sentinels);
        if v.get("error").is_some() {
            errors += 1;
        }
        writeln!(out, "{}", to_json(&v, opts))?;
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
