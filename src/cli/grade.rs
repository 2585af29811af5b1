//! `sbx grade --cases FILE|-`: grade JSON Lines cases
//! (`{"grader": {"type", "config"}, "answer": …}`) and print one verdict per line.

use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use sbx_grade::json::write_str;
use sbx_grade::{decode_nonfinite, grade_value, parse_keeping, DumpOptions, GraderResult, Value};

#[derive(clap::Args)]
pub struct Args {
    /// JSON Lines file of cases, or `-` for standard input. NaN/Infinity tokens are accepted.
    #[arg(long)]
    pub cases: PathBuf,
    /// Decode `{"$nonfinite": "NaN"|"Infinity"|"-Infinity"}` objects (the conformance-file encoding).
    #[arg(long)]
    pub nonfinite_sentinels: bool,
    /// Threads to grade on (default: one per core). Output order is input order.
    #[arg(long)]
    pub jobs: Option<usize>,
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
    write_str(out, msg, opts.ensure_ascii);
    out.push('}');
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let stdin = args.cases.as_os_str() == "-";
    let input: Box<dyn Read> = if stdin {
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
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let mut batch = Batch::default();
    let mut outputs: Vec<(String, usize)> = Vec::new();
    let (mut n, mut errors) = (0usize, 0usize);
    loop {
        let more = batch.read(&mut reader, stdin)?;
        if batch.len() == 0 {
            break;
        }
        grade_batch(&batch, n, args.nonfinite_sentinels, jobs, &mut outputs);
        for (text, e) in &outputs {
            out.write_all(text.as_bytes())?;
            errors += e;
        }
        n += batch.len();
        // Whoever pipes cases in one at a time sees each verdict at once.
        out.flush()?;
        if !more {
            break;
        }
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

/// Lines read but not yet graded: one byte buffer and the end of each line.
#[derive(Default)]
struct Batch {
    bytes: Vec<u8>,
    ends: Vec<usize>,
}

/// Lines per batch: enough work to share between threads, little enough to stream.
const BATCH_LINES: usize = 4096;
/// Below this many lines a batch is graded on the calling thread (a thread costs more).
const MIN_PARALLEL_LINES: usize = 256;

impl Batch {
    fn len(&self) -> usize {
        self.ends.len()
    }

    fn line(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        let mut line = &self.bytes[start..self.ends[i]];
        // Line ends as `BufRead::lines` strips them: "\n" or "\r\n".
        if let Some(l) = line.strip_suffix(b"\n") {
            line = l.strip_suffix(b"\r").unwrap_or(l);
        }
        line
    }

    /// Reads up to `BATCH_LINES` lines; from standard input it stops early when
    /// no more input is waiting, so cases typed or piped one at a time are
    /// answered at once. False at the end of the input.
    fn read<R: Read>(
        &mut self,
        reader: &mut BufReader<R>,
        interactive: bool,
    ) -> std::io::Result<bool> {
        self.bytes.clear();
        self.ends.clear();
        while self.ends.len() < BATCH_LINES {
            if reader.read_until(b'\n', &mut self.bytes)? == 0 {
                return Ok(false);
            }
            self.ends.push(self.bytes.len());
            if interactive && reader.buffer().is_empty() {
                break;
            }
        }
        Ok(true)
    }
}

/// Lines graded as one piece of work: small enough that threads finish
/// together however the costs of lines vary along the file, large enough that
/// claiming a piece costs nothing next to grading it.
const CHUNK_LINES: usize = 32;

/// Grades the lines of `batch` (the first being line `first + 1` of the input)
/// on up to `jobs` threads, the calling thread among them, each claiming the
/// next chunk of lines when done with one; `outputs` gets one entry per chunk,
/// in input order: its verdict lines and its count of error lines.
fn grade_batch(
    batch: &Batch,
    first: usize,
    sentinels: bool,
    jobs: usize,
    outputs: &mut Vec<(String, usize)>,
) {
    let chunks = batch.len().div_ceil(CHUNK_LINES);
    let threads = if batch.len() < MIN_PARALLEL_LINES {
        1
    } else {
        jobs.clamp(1, 64).min(chunks)
    };
    outputs.resize_with(chunks, Default::default);
    let range = |k: usize| k * CHUNK_LINES..((k + 1) * CHUNK_LINES).min(batch.len());
    if threads == 1 {
        for (k, out) in outputs.iter_mut().enumerate() {
            grade_lines(batch, range(k), first, sentinels, out);
        }
        return;
    }
    // Each chunk's slot is taken by exactly one thread (the one that claimed
    // its index), so the locks are never contended.
    let slots: Vec<std::sync::Mutex<(String, usize)>> =
        outputs.drain(..).map(std::sync::Mutex::new).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || loop {
        let k = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let Some(slot) = slots.get(k) else { break };
        // A poisoned slot still holds a buffer to write into.
        let mut out = slot.lock().unwrap_or_else(|p| p.into_inner());
        grade_lines(batch, range(k), first, sentinels, &mut out);
    };
    std::thread::scope(|scope| {
        for _ in 1..threads {
            scope.spawn(work);
        }
        work();
    });
    outputs.extend(
        slots
            .into_iter()
            .map(|m| m.into_inner().unwrap_or_else(|p| p.into_inner())),
    );
}

fn grade_lines(
    batch: &Batch,
    lines: std::ops::Range<usize>,
    first: usize,
    sentinels: bool,
    out: &mut (String, usize),
) {
    let opts = DumpOptions::default();
    let (text, errors) = out;
    text.clear();
    *errors = 0;
    for i in lines {
        match std::str::from_utf8(batch.line(i)) {
            // Invalid UTF-8 on one line: report it on that line and go on.
            Err(_) => {
                let msg = format!(
                    "line {}: cannot read: stream did not contain valid UTF-8",
                    first + i + 1
                );
                write_error(text, &msg, opts);
                *errors += 1;
            }
            Ok(line) => match grade_line(line, sentinels) {
                Ok(r) => r.write_json(text, opts),
                Err(msg) => {
                    write_error(text, &msg, opts);
                    *errors += 1;
                }
            },
        }
        text.push('\n');
    }
}
