//! The corpus job on the shared benchmark folders, fed exactly what the page
//! sends: each run's bundle part files (split small here so most runs have
//! several parts). Its findings must equal the failure finder called directly
//! on the suite's own parsed trajectory, and the index must find the steps.

use std::path::Path;

use sbx_search::Query;
use sbx_suite::bundle::build_bundle_with;
use sbx_suite::{load_suite, read_folder, Suite};
use spatialbench_explorer::corpus::job::{steps_from_parts, CorpusJob};
use spatialbench_explorer::corpus::summary::summarize;

const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/bench");

fn suite(name: &str) -> Suite {
    let files = read_folder(&Path::new(SHARED).join(name))
        .unwrap_or_else(|e| panic!("../shared/bench/{name} is required for this test: {e}"));
    load_suite(files.into_iter(), &mut |_, _| {}).0
}

/// Every run with a trajectory: (summary, eval JSON, part files).
type Input = (
    sbx_suite::RunSummary,
    serde_json::Value,
    Vec<(String, Vec<u8>)>,
);

fn inputs(suites: &[Suite]) -> Vec<Input> {
    let bundle = build_bundle_with(suites, &[], 20_000).expect("bundle");
    let file = |p: &str| {
        bundle
            .files
            .iter()
            .find(|(f, _)| f == p)
            .map(|(_, b)| b.clone())
            .expect("part file in the bundle")
    };
    let mut out = Vec::new();
    for m in &bundle.manifest.runs {
        let Some(t) = &m.trajectory else { continue };
        let s = suites.iter().find(|s| s.name == m.summary.suite).unwrap();
        let eval = s.evals.iter().find(|e| e.id == m.summary.eval_id);
        let eval = eval.map_or(serde_json::Value::Null, |e| {
            serde_json::to_value(e).unwrap()
        });
        let parts = t
            .parts
            .iter()
            .map(|p| (p.file.clone(), file(&p.file)))
            .collect();
        out.push((m.summary.clone(), eval, parts));
    }
    out
}

#[test]
fn findings_and_search_over_the_shared_trajectories() {
    let suites = vec![suite("scbench"), suite("spatialbench-long")];
    let inputs = inputs(&suites);
    assert_eq!(inputs.len(), 34, "the shared folders hold 34 trajectories");
    assert!(
        inputs.iter().filter(|i| i.2.len() > 1).count() > 10,
        "parts are exercised"
    );
    let clock = std::cell::Cell::new(0.0);
    let now = || {
        clock.set(clock.get() + 1.0);
        clock.get()
    };
    let mut job = CorpusJob::default();
    for (run, eval, parts) in &inputs {
        let added = job.add_run(run.clone(), Some(eval), parts, &now).unwrap();
        let s = suites.iter().find(|s| s.name == run.suite).unwrap();
        let traj = s.trajectory(&run.id).expect("trajectory of the run");
        assert_eq!(added.n_steps, traj.steps.len(), "{}", run.id);
        let task = sbx_findings::Task::from_eval(eval);
        assert_eq!(
            added.findings,
            sbx_findings::detect(&task, &traj.steps),
            "{}",
            run.id
        );
        assert!(!added.kept);
        assert_eq!(
            added.detect_ms, 1.0,
            "the detector is timed with the clock given"
        );
    }
    // Adding a run again computes nothing.
    let (run, eval, parts) = &inputs[0];
    let again = job.add_run(run.clone(), Some(eval), parts, &now).unwrap();
    assert!(again.kept);
    assert_eq!(job.findings().len(), 34);
    assert_eq!(summarize(job.findings())[0].scanned, 34);

    // Search: a call every scanpy run makes, in tool calls only.
    let mut q = Query::words("\"import scanpy\"");
    q.filters.step_kind = Some("tool_call".into());
    q.limit = 10_000;
    let found = job.search(&q, &now).unwrap();
    assert!(found.results.total > 0);
    for hit in &found.results.hits {
        let (_, meta) = found
            .runs
            .iter()
            .find(|(n, _)| *n == hit.run)
            .expect("run of a hit");
        let (_, _, parts) = inputs
            .iter()
            .find(|i| i.0.id == meta.run && i.0.suite == meta.suite)
            .unwrap();
        let steps = steps_from_parts(parts).unwrap();
        assert_eq!(steps[hit.step].kind(), "tool_call");
        let text = sbx_findings::step_text(&steps[hit.step]);
        let matched: String = text
            .chars()
            .skip(hit.start)
            .take(hit.end - hit.start)
            .collect();
        assert_eq!(matched.to_lowercase(), "import scanpy");
    }
    assert!(job.search(&Query::regex("(unclosed"), &now).is_err());
}

#[test]
fn broken_parts_are_errors_not_panics() {
    let mut job = CorpusJob::default();
    let run = sbx_suite::RunSummary {
        suite: "s".into(),
        id: "r".into(),
        eval_id: "e".into(),
        provider: "p".into(),
        model: "m".into(),
        harness: "h".into(),
        run_index: 1,
        passed: None,
        score: None,
        duration_s: None,
        cost_usd: None,
        has_answer: false,
        trajectory_format: None,
        n_steps: None,
    };
    let now = || 0.0;
    for bytes in [
        &b"{not json"[..],
        b"[]",
        b"{\"format\":\"x\"}",
        &[0xff, 0xfe, 0x00],
    ] {
        let parts = vec![("trajectories/s/r.json".to_string(), bytes.to_vec())];
        assert!(job.add_run(run.clone(), None, &parts, &now).is_err());
    }
    // A part that does not continue where the previous one ended.
    let part = |first: usize| {
        serde_json::to_vec(&serde_json::json!({
            "suite": "s", "run_id": "r", "format": "pi", "part": 0, "n_parts": 2,
            "first_step": first, "steps": [{"kind": "final_answer", "text": "42"}]
        }))
        .unwrap()
    };
    let gap = vec![
        ("a.json".to_string(), part(0)),
        ("b.json".to_string(), part(5)),
    ];
    assert!(job
        .add_run(run.clone(), None, &gap, &now)
        .unwrap_err()
        .contains("step 5"));
    let ok = vec![
        ("a.json".to_string(), part(0)),
        ("b.json".to_string(), part(1)),
    ];
    let added = job.add_run(run, None, &ok, &now).unwrap();
    assert_eq!(added.n_steps, 2);
    assert!(job.findings().len() == 1);
}

/// Through the wire, as the page and the worker talk: the request written by
/// the page's hand-written writer, the bytes of the parts one after another,
/// the worker's `Jobs` answering JSON text, read back by the page's reader.
#[test]
fn the_worker_ops_through_the_wire_match_the_finder_called_directly() {
    use spatialbench_explorer::worker::jobs::Jobs;
    use spatialbench_explorer::worker::protocol::{PartLen, Request, Response};
    let suites = vec![suite("scbench"), suite("spatialbench-long")];
    let inputs = inputs(&suites);
    let mut jobs = Jobs::default();
    let now = || 0.0;
    let mut findings_seen = 0;
    for (run, eval, parts) in &inputs {
        let request = Request::CorpusAdd {
            run: run.clone(),
            eval: Some(eval.clone()),
            parts: parts
                .iter()
                .map(|(file, b)| PartLen {
                    file: file.clone(),
                    len: b.len(),
                })
                .collect(),
        };
        let bytes: Vec<u8> = parts.iter().flat_map(|(_, b)| b.iter().copied()).collect();
        let (text, out) = jobs.handle_text(&request.to_json(), Some(bytes), &now);
        assert!(out.is_none());
        let Ok(Response::CorpusAdded(added)) = Response::from_json(&text) else {
            panic!("{}: {text}", run.id)
        };
        let steps = steps_from_parts(parts).unwrap();
        let direct = sbx_findings::detect(&sbx_findings::Task::from_eval(eval), &steps);
        assert_eq!(added.findings, direct, "{}", run.id);
        assert_eq!(added.n_steps, steps.len());
        findings_seen += direct.len();
    }
    println!(
        "{findings_seen} findings over {} runs through the wire",
        inputs.len()
    );
    // Bytes that do not add up to the parts named are an error answer.
    let (run, eval, parts) = &inputs[0];
    let request = Request::CorpusAdd {
        run: sbx_suite::RunSummary {
            id: "other".into(),
            ..run.clone()
        },
        eval: Some(eval.clone()),
        parts: vec![PartLen {
            file: parts[0].0.clone(),
            len: parts[0].1.len() + 1,
        }],
    };
    let (text, _) = jobs.handle_text(&request.to_json(), Some(parts[0].1.clone()), &now);
    assert!(
        matches!(Response::from_json(&text), Ok(Response::Error { .. })),
        "{text}"
    );
    // A search through the wire finds what the job finds directly.
    let mut q = Query::regex(r"sc\.pp\.(normalize_total|log1p)");
    q.filters.suite = Some("scbench".into());
    let (text, _) = jobs.handle_text(
        &Request::CorpusSearch { query: q.clone() }.to_json(),
        None,
        &now,
    );
    let Ok(Response::CorpusFound(found)) = Response::from_json(&text) else {
        panic!("{text}")
    };
    let mut direct = CorpusJob::default();
    for (run, eval, parts) in &inputs {
        direct
            .add_run(run.clone(), Some(eval), parts, &now)
            .unwrap();
    }
    assert_eq!(found, direct.search(&q, &now).unwrap());
    assert!(found.results.total > 0);
    assert!(found.runs.iter().all(|(_, m)| m.suite == "scbench"));
}
