//! The detector against the hand labels of the 34 shared trajectories
//! (tests/fixtures/labels.json, method in LABELS.md): precision and recall
//! per class and verdict. Fails without ../shared.

use std::collections::BTreeMap;
use std::path::Path;

use sbx_findings::{detect_suite, step_text, FailureClass, Verdict};
use sbx_suite::{load_suite, read_folder, Suite};
use serde_json::Value;

const BENCH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/bench");
const LABELS: &str = include_str!("fixtures/labels.json");

fn suite(name: &str) -> Suite {
    let files = read_folder(&Path::new(BENCH).join(name))
        .unwrap_or_else(|e| panic!("../shared/bench/{name} is required: {e}"));
    load_suite(files.into_iter(), &mut |_, _| {}).0
}

type Key = (String, String, FailureClass);

#[derive(Default)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
}

#[test]
fn detector_matches_the_hand_labels() {
    let labels: Value = serde_json::from_str(LABELS).unwrap();
    let mut truth: BTreeMap<Key, Verdict> = BTreeMap::new();
    let mut labelled_runs = Vec::new();
    for r in labels["runs"].as_array().unwrap() {
        let folder = r["folder"].as_str().unwrap().to_string();
        let run = r["run"].as_str().unwrap().to_string();
        labelled_runs.push((folder.clone(), run.clone()));
        for l in r["labels"].as_array().unwrap() {
            let class = FailureClass::from_id(l["class"].as_str().unwrap()).unwrap();
            let verdict = Verdict::from_id(l["verdict"].as_str().unwrap()).unwrap();
            truth.insert((folder.clone(), run.clone(), class), verdict);
        }
    }
    let mut predicted: BTreeMap<Key, Verdict> = BTreeMap::new();
    let mut seen = 0;
    let mut explain: BTreeMap<Key, String> = BTreeMap::new();
    for name in ["scbench", "spatialbench-long"] {
        let s = suite(name);
        for (run, findings) in detect_suite(&s) {
            let key_run = run
                .folder
                .find("trajectories/")
                .map_or(run.folder.clone(), |p| run.folder[p..].to_string());
            if !labelled_runs.contains(&(name.to_string(), key_run.clone())) {
                continue;
            }
            seen += 1;
            let steps = &s.trajectory(&run.id).unwrap().steps;
            for f in findings {
                for e in &f.evidence {
                    let chars: Vec<char> = step_text(&steps[e.step]).chars().collect();
                    assert_eq!(
                        chars[e.start..e.end].iter().collect::<String>(),
                        e.excerpt,
                        "{}: {:?}",
                        run.id,
                        f.rule
                    );
                }
                let why = format!(
                    "{} {:?}",
                    f.rule,
                    f.evidence
                        .iter()
                        .map(|e| (e.step, e.excerpt.chars().take(80).collect::<String>()))
                        .collect::<Vec<_>>()
                );
                explain.insert((name.to_string(), key_run.clone(), f.class), why);
                predicted.insert((name.to_string(), key_run.clone(), f.class), f.verdict);
            }
        }
    }
    assert_eq!(
        seen,
        labelled_runs.len(),
        "every labelled run is loaded with its trajectory"
    );

    let mut table: BTreeMap<(FailureClass, Verdict), Counts> = BTreeMap::new();
    for c in FailureClass::ALL {
        for v in Verdict::ALL {
            table.insert((c, v), Counts::default());
        }
    }
    let keys: std::collections::BTreeSet<&Key> = truth.keys().chain(predicted.keys()).collect();
    let mut disagreements = Vec::new();
    for k in keys {
        let (t, p) = (truth.get(k), predicted.get(k));
        if t == p {
            table.get_mut(&(k.2, *t.unwrap())).unwrap().tp += 1;
            continue;
        }
        disagreements.push(format!(
            "{} {} {}: label {:?}, detector {:?} {}",
            k.0,
            k.1,
            k.2.id(),
            t,
            p,
            explain.get(k).map_or("", String::as_str)
        ));
        if let Some(t) = t {
            table.get_mut(&(k.2, *t)).unwrap().fn_ += 1;
        }
        if let Some(p) = p {
            table.get_mut(&(k.2, *p)).unwrap().fp += 1;
        }
    }
    println!(
        "{:<24} {:<10} {:>4} {:>4} {:>4} {:>9} {:>7}",
        "class", "verdict", "tp", "fp", "fn", "precision", "recall"
    );
    let mut failures = Vec::new();
    for ((c, v), n) in &table {
        let precision = ratio(n.tp, n.tp + n.fp);
        let recall = ratio(n.tp, n.tp + n.fn_);
        println!(
            "{:<24} {:<10} {:>4} {:>4} {:>4} {:>9} {:>7}",
            c.id(),
            v.id(),
            n.tp,
            n.fp,
            n.fn_,
            show(precision),
            show(recall)
        );
        if *v != Verdict::Unclear && precision.is_some_and(|p| p < 0.9) {
            failures.push(format!(
                "{} {} precision {:.2}",
                c.id(),
                v.id(),
                precision.unwrap()
            ));
        }
        if recall.is_some_and(|r| r < 0.8) {
            failures.push(format!(
                "{} {} recall {:.2}",
                c.id(),
                v.id(),
                recall.unwrap()
            ));
        }
    }
    for d in &disagreements {
        println!("  {d}");
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

fn ratio(a: usize, b: usize) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

fn show(x: Option<f64>) -> String {
    x.map_or("-".into(), |x| format!("{x:.2}"))
}
