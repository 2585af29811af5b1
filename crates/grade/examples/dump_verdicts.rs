//! Print the verdict of every case of a conformance-style JSON Lines file, one
//! JSON line each (`GraderResult::to_value`, Python formatting): a snapshot to
//! diff before and after a change to the graders.
//! Usage: cargo run --release -p sbx-grade --example dump_verdicts -- FILE [--roundtrip] > out.jsonl
//! With `--roundtrip`, each line is parsed and written back instead (to diff
//! against Python's `json.dumps(json.loads(line))`).

use sbx_grade::{decode_nonfinite, grade_value, parse, to_python_json, Value};

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: dump_verdicts FILE");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        eprintln!("cannot read {path}: {e}");
        std::process::exit(2);
    });
    let roundtrip = std::env::args().nth(2).as_deref() == Some("--roundtrip");
    for line in text.lines() {
        if roundtrip {
            match parse(line) {
                Ok(v) => println!("{}", to_python_json(&v)),
                Err(e) => println!("error: {e}"),
            }
            continue;
        }
        let line = match parse(line) {
            Ok(c) => {
                let c = decode_nonfinite(c);
                let g = c.get("grader").cloned().unwrap_or(Value::Null);
                let a = c.get("answer").cloned().unwrap_or(Value::Null);
                let r = grade_value(&g, &a);
                let mut v = r.to_value();
                if let Value::Object(m) = &mut v {
                    m.insert("field_scores".into(), Value::Object(r.field_scores.clone()));
                }
                to_python_json(&v)
            }
            Err(e) => format!("{{\"error\": \"{e}\"}}"),
        };
        println!("{line}");
    }
}
