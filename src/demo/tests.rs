//! The demo's evals are answerable and fair: notes never give the answer away, and
//! the kernels' wrong analysis fails while the right one passes at several seeds.

use super::*;
use serde_json::Value;

fn json_files(files: &[DemoFile], dir: &str, suffix: &str) -> Vec<(String, Value)> {
    files
        .iter()
        .filter(|f| f.path.starts_with(dir) && f.path.ends_with(suffix))
        .map(|f| {
            let v = serde_json::from_slice(&f.bytes).expect("demo JSON parses");
            (f.path.clone(), v)
        })
        .collect()
}

/// Every way a number is commonly written (4 significant digits as in the grader,
/// fixed decimals, and the integer when it is one).
fn spellings(v: f64) -> Vec<String> {
    let mut out: Vec<String> = (1..=4).map(|d| format!("{v:.d$}")).collect();
    out.push(format!("{v}"));
    out.push(format!("{}", tasks::round4(v)));
    if v.fract() == 0.0 {
        out.push(format!("{}", v as i64));
    }
    out
}

/// The numbers written in a text: maximal runs of digits and points, with a leading minus.
fn numeric_tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_ascii_digit() || (c == '.' && !cur.is_empty()) || (c == '-' && cur.is_empty()) {
            cur.push(c);
        } else {
            let t = cur.trim_end_matches('.').to_string();
            if t.chars().any(|c| c.is_ascii_digit()) {
                out.push(t);
            }
            cur.clear();
            if c == '-' {
                cur.push(c);
            }
        }
    }
    out
}

#[test]
fn tokens_and_spellings_find_a_stated_answer() {
    let note = "Right analysis gives 0.3398 (window 0.24-0.44), seed 20240611.";
    let tokens = numeric_tokens(note);
    assert!(tokens.contains(&"0.3398".to_string()), "{tokens:?}");
    assert!(spellings(0.33981).iter().any(|s| tokens.contains(s)));
    assert!(!tokens.contains(&"0".to_string()));
}

fn window(tolerance: &Value, truth: f64) -> (f64, f64) {
    let t = tolerance["value"].as_f64().expect("tolerance value");
    let half = match tolerance["type"].as_str() {
        Some("relative") => (truth * t).abs(),
        _ => t,
    };
    (truth - half, truth + half)
}

#[test]
fn no_note_states_the_answer_or_its_window() {
    let files = build_demo(&ScenarioKind::ALL, DEFAULT_SEED, &mut |_| {}).expect("demo builds");
    let evals = json_files(&files, "sbx-demo/evals/", ".json");
    assert_eq!(evals.len(), 9, "one eval per separable headline");
    for (path, e) in &evals {
        let notes = e["notes"].as_str().expect("every demo eval has notes");
        let tokens = numeric_tokens(notes);
        let config = &e["grader"]["config"];
        let truths = config["ground_truth"].as_object().expect("ground truth");
        for (key, truth) in truths {
            let truth = truth.as_f64().expect("numeric truth");
            let (lo, hi) = window(&config["tolerances"][key], truth);
            for v in [truth, lo, hi] {
                for s in spellings(v) {
                    assert!(
                        !tokens.contains(&s),
                        "{path}: the notes state {s} ({key}: truth {truth}, window {lo}..{hi}): {notes}"
                    );
                }
            }
        }
    }
}

/// (eval id, passed) of graded runs.
type Verdicts = Vec<(String, bool)>;

/// The kernels' analyses as graded runs: the wrong and the right runs' verdicts.
fn kernel_verdicts(files: &[DemoFile]) -> (Verdicts, Verdicts) {
    let mut wrong = Vec::new();
    let mut right = Vec::new();
    for (_, r) in json_files(files, "sbx-demo/trajectories/", "result.json") {
        let verdict = (
            r["task"].as_str().unwrap_or_default().to_string(),
            r["result"]["passed"].as_bool().expect("a verdict"),
        );
        match r["model_name"].as_str() {
            Some("sbx-kernels/wrong-analysis") => wrong.push(verdict),
            Some("sbx-kernels/right-analysis") => right.push(verdict),
            _ => {}
        }
    }
    (wrong, right)
}

#[test]
fn wrong_analyses_fail_and_right_ones_pass_at_several_seeds() {
    for seed in [DEFAULT_SEED, 1, 42] {
        let files = build_demo(&ScenarioKind::ALL, seed, &mut |_| {}).expect("demo builds");
        let (wrong, right) = kernel_verdicts(&files);
        assert_eq!(wrong.len(), 9, "seed {seed}: one wrong run per eval");
        assert_eq!(right.len(), 9, "seed {seed}: one right run per eval");
        for (id, passed) in &wrong {
            assert!(!passed, "seed {seed}: the wrong analysis passes {id}");
        }
        for (id, passed) in &right {
            assert!(passed, "seed {seed}: the right analysis fails {id}");
        }
    }
}
