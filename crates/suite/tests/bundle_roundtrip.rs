//! Bundling the three folders of ../shared/bench round trips: every eval,
//! run, verdict and trajectory step comes back from the bundle files; large
//! trajectories are split; bad manifests are refused with a clear error.
//! Also the results statistics on the loaded runs, against values computed
//! independently from the raw result files.
//! Fails loudly without ../shared (acceptance test).

use std::path::Path;

use sbx_suite::bundle::{
    build_bundle_with, read_bundle_list, read_manifest, slug, BundleError, PART_BYTES,
};
use sbx_suite::stats::{accuracy_by_model, compare, pass_matrix, Grouping, ModelKey, PairedTest};
use sbx_suite::{build_bundle, load_suites, read_folder, write_bundle, Bundle, LoadIssue, Suite};

const BENCH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/bench");

fn load_all() -> (Vec<Suite>, Vec<LoadIssue>) {
    let mut all = Vec::new();
    for name in ["spatialbench", "scbench", "spatialbench-long"] {
        let files = read_folder(&Path::new(BENCH).join(name))
            .unwrap_or_else(|e| panic!("../shared/bench/{name} is required: {e}"));
        all.extend(files);
    }
    load_suites(all.into_iter(), &mut |_, _| {})
}

#[test]
fn bundle_of_all_three_folders_round_trips() {
    let (suites, issues) = load_all();
    assert!(issues.is_empty(), "{issues:#?}");
    let built = build_bundle(&suites, &issues).expect("bundle");
    let bundle = Bundle::from_files(built.files.clone()).expect("reads back");
    let m = &bundle.manifest;
    assert_eq!(m.format_version, 1);
    let counts: Vec<(&str, usize, usize)> = m
        .suites
        .iter()
        .map(|s| (s.name.as_str(), s.n_evals, s.n_runs))
        .collect();
    assert_eq!(
        counts,
        vec![
            ("scbench", 6, 273),
            ("spatialbench", 10, 0),
            ("spatialbench-long", 4, 16)
        ]
    );
    assert_eq!(m.evals.len(), 20);
    assert_eq!(m.runs.len(), 289);
    assert_eq!(m.results.len(), 8);
    // Every file the manifest lists is in the bundle, with its size.
    for f in &m.files {
        let bytes = bundle
            .files
            .get(&f.path)
            .unwrap_or_else(|| panic!("missing {}", f.path));
        assert_eq!(bytes.len(), f.bytes, "{}", f.path);
    }
    assert_eq!(m.files.len() + 1, built.files.len());

    for s in &suites {
        let evals = bundle.evals(&s.name).expect("evals file");
        assert_eq!(evals, s.evals, "evals of {}", s.name);
        for e in &s.evals {
            let sum = m
                .evals
                .iter()
                .find(|x| x.suite == s.name && x.id == e.id)
                .expect("summary");
            assert_eq!(sum.n_runs, s.runs_of(&e.id).count());
        }
        for r in &s.runs {
            let mr = m
                .run(&s.name, &r.id)
                .unwrap_or_else(|| panic!("run {} in manifest", r.id));
            assert_eq!(mr.summary.passed, r.passed(), "{}", r.id);
            assert_eq!(
                bundle.run(&s.name, &r.id).expect("runs file").as_ref(),
                Some(r)
            );
            let steps = bundle.trajectory(&s.name, &r.id).expect("trajectory files");
            assert_eq!(
                steps.as_deref(),
                s.trajectory(&r.id).map(|t| t.steps.as_slice()),
                "{}",
                r.id
            );
            if let Some(t) = &mr.trajectory {
                assert_eq!(t.parts.iter().map(|p| p.n_steps).sum::<usize>(), t.n_steps);
                for p in &t.parts {
                    assert!(
                        p.bytes <= PART_BYTES + 100_000 || p.n_steps == 1,
                        "{} is {} bytes",
                        p.file,
                        p.bytes
                    );
                }
            }
        }
    }
    // Normalised steps drop pi's repeated events, so the 2 MB raw pi file
    // needs well under 1 MB; splitting itself is exercised with a small part
    // size below.
    let raw = std::fs::metadata(format!(
        "{BENCH}/spatialbench-long/trajectories/visium_perineural_proximity/gemini/gemini-3.5-flash/pi/r2/trajectory.json"
    ))
    .expect("raw trajectory")
    .len() as usize;
    let part = &m
        .run(
            "spatialbench-long",
            "visium_perineural_proximity/gemini/gemini-3.5-flash/pi/r2",
        )
        .expect("run")
        .trajectory;
    let bundled: usize = part
        .as_ref()
        .expect("trajectory")
        .parts
        .iter()
        .map(|p| p.bytes)
        .sum();
    assert!(
        raw > 2_000_000 && bundled * 4 < raw,
        "raw {raw}, bundled {bundled}"
    );
    assert_eq!(m.runs.iter().filter(|r| r.trajectory.is_some()).count(), 34);
}

#[test]
fn small_part_size_splits_and_still_round_trips() {
    let (suites, issues) = load_all();
    let built = build_bundle_with(&suites, &issues, 5_000).expect("bundle");
    let bundle = Bundle::from_files(built.files).expect("reads back");
    let s = suites
        .iter()
        .find(|s| s.name == "scbench")
        .expect("scbench");
    let id = "dr_05_pca_preprocessing_sentinels/anthropic/claude-opus-4-7/claude-code/r1";
    let mr = bundle.manifest.run("scbench", id).expect("run");
    let t = mr.trajectory.as_ref().expect("trajectory");
    assert!(t.parts.len() > 1);
    assert!(t
        .parts
        .windows(2)
        .all(|w| w[0].first_step + w[0].n_steps == w[1].first_step));
    assert_eq!(
        bundle.trajectory("scbench", id).expect("ok").as_deref(),
        Some(s.trajectory(id).expect("t").steps.as_slice())
    );
}

#[test]
fn write_bundle_hands_every_file_to_the_writer() {
    let (suites, issues) = load_all();
    let mut written: Vec<(String, usize)> = Vec::new();
    let m = write_bundle(&suites, &issues, &mut |p: &str,
                                                 b: &[u8]|
     -> Result<(), String> {
        written.push((p.to_string(), b.len()));
        Ok(())
    })
    .expect("built")
    .expect("written");
    assert_eq!(written[0].0, "manifest.json");
    assert_eq!(written.len(), m.files.len() + 1);
    // A failing writer stops with its error.
    let r =
        write_bundle(&suites, &issues, &mut |_: &str, _: &[u8]| Err("disk full")).expect("built");
    assert_eq!(r.err(), Some("disk full"));
}

#[test]
fn issues_travel_in_the_manifest() {
    let mut files = read_folder(&Path::new(BENCH).join("scbench"))
        .expect("../shared/bench/scbench is required");
    files.push(("scbench/evals/qc/broken.json".into(), b"[1, 2".to_vec()));
    let (suites, issues) = load_suites(files.into_iter(), &mut |_, _| {});
    let b = Bundle::from_suites(&suites, &issues).expect("bundle");
    assert_eq!(b.manifest.issues.len(), 1);
    assert_eq!(b.manifest.issues[0].path, "scbench/evals/qc/broken.json");
    assert_eq!(b.manifest.evals.len(), 6);
}

#[test]
fn bad_manifests_are_refused_with_a_reason() {
    assert!(matches!(
        read_manifest(b"\x00\xffnot json"),
        Err(BundleError::Json { .. })
    ));
    assert!(matches!(
        read_manifest(b"{\"format\": \"sbx-bundle\", \"format_version\": 1"),
        Err(BundleError::Json { .. })
    ));
    assert!(matches!(
        read_manifest(br#"{"format": "something-else"}"#),
        Err(BundleError::WrongFormat { found: Some(f), .. }) if f == "something-else"
    ));
    assert!(matches!(
        read_manifest(br#"{"format": "sbx-bundle", "format_version": 99}"#),
        Err(BundleError::UnsupportedVersion { found: 99, .. })
    ));
    // Right header, wrong body: the serde message names the missing field.
    let e = read_manifest(br#"{"format": "sbx-bundle", "format_version": 1, "suites": []}"#)
        .unwrap_err();
    assert!(e.to_string().contains("missing field"), "{e}");

    let (suites, issues) = load_all();
    let built = build_bundle(&suites, &issues).expect("bundle");
    let mut m = built.manifest.clone();
    m.files[0].path = "../../etc/passwd".into();
    let bytes = serde_json::to_vec(&m).expect("encode");
    assert!(
        matches!(read_manifest(&bytes), Err(BundleError::BadPath { path, .. }) if path == "../../etc/passwd")
    );
    assert!(matches!(
        Bundle::from_files(vec![]),
        Err(BundleError::MissingFile(_))
    ));
}

#[test]
fn bundle_list_file() {
    let list = read_bundle_list(
        br#"{"format": "sbx-bundles", "version": 1, "bundles": [{"name": "Mine", "url": "extra/mybench/"}]}"#,
    )
    .expect("valid");
    assert_eq!(
        list.bundles[0].manifest_url(),
        "extra/mybench/manifest.json"
    );
    assert_eq!(
        list.bundles[0].file_url("evals/x.json"),
        "extra/mybench/evals/x.json"
    );
    assert!(matches!(
        read_bundle_list(br#"{"bundles": []}"#),
        Err(BundleError::WrongFormat { .. })
    ));
    assert!(matches!(
        read_bundle_list(b"[}"),
        Err(BundleError::Json { .. })
    ));
    assert!(matches!(
        read_bundle_list(br#"{"format": "sbx-bundles", "version": 1, "bundles": [{"name": "x", "url": "../up/"}]}"#),
        Err(BundleError::BadPath { .. })
    ));
}

#[test]
fn slugs_are_safe_and_distinct() {
    assert_eq!(slug("DE01_pseudobulk_de"), "DE01_pseudobulk_de");
    assert_ne!(slug("a/b"), slug("a_b"));
    assert_ne!(slug("a b"), slug("a?b"));
    assert!(!slug("../x").contains(".."));
    assert!(!slug("..").is_empty());
}

#[test]
fn statistics_of_the_loaded_runs() {
    let (suites, _) = load_all();
    let s = suites
        .iter()
        .find(|s| s.name == "scbench")
        .expect("scbench");
    let (evals, runs) = (s.eval_summaries(), s.run_summaries());
    let rows = accuracy_by_model(&evals, &runs, Grouping::Overall);
    assert_eq!(rows.len(), 16);
    // Computed from the result files directly: 6 per-eval means of 3 runs, t(0.975, 5).
    let cc = rows
        .iter()
        .find(|r| r.key == ModelKey::new("claude-opus-4-7", "claude-code"))
        .expect("row");
    assert_eq!((cc.n_evals, cc.n_runs), (6, 18));
    assert!((cc.accuracy.mean - 55.555_555_555_555_56).abs() < 1e-9);
    assert!((cc.accuracy.ci_lower.expect("lo") - 2.889_792_169_379_582).abs() < 1e-6);
    assert!((cc.accuracy.ci_upper.expect("hi") - 108.221_318_941_731_54).abs() < 1e-6);
    let codex = rows
        .iter()
        .find(|r| r.key == ModelKey::new("gpt-5.5", "openai-codex"))
        .expect("row");
    assert!((codex.accuracy.mean - 88.888_888_888_888_9).abs() < 1e-9);
    assert!((codex.accuracy.ci_lower.expect("lo") - 70.824_681_076_530_25).abs() < 1e-6);
    // Sorted by accuracy within the (single) group.
    assert!(rows
        .windows(2)
        .all(|w| w[0].accuracy.mean >= w[1].accuracy.mean));

    let by_platform = accuracy_by_model(&evals, &runs, Grouping::Platform);
    // One eval per platform: means without intervals.
    assert!(by_platform
        .iter()
        .all(|r| r.n_evals == 1 && r.accuracy.ci_lower.is_none()));
    assert_eq!(
        by_platform
            .iter()
            .filter_map(|r| r.group.clone())
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        6
    );

    let m = pass_matrix(&runs);
    assert_eq!((m.models.len(), m.evals.len()), (16, 6));
    let total: usize = m.cells.iter().flatten().flatten().map(|c| c.graded).sum();
    assert_eq!(total, 273);

    let c = compare(
        &runs,
        &ModelKey::new("claude-opus-4-7", "claude-code"),
        &ModelKey::new("claude-opus-4-7", "mini-swe-agent"),
    );
    // Three runs per eval: the unit is the eval, not a run-index pair.
    assert_eq!(c.test, PairedTest::ExactPermutation);
    assert!(c.mcnemar_p.is_none());
    assert_eq!(
        c.a_higher + c.b_higher,
        c.evals.iter().filter(|e| e.difference != 0.0).count() as u64
    );
    // claude-code has no graded run of one eval (15 pairs over 5 evals).
    assert_eq!(c.evals.len(), 5);
}

#[test]
fn groups_add_up_even_without_metadata() {
    let (suites, _) = load_all();
    let s = suites
        .iter()
        .find(|s| s.name == "spatialbench-long")
        .expect("long");
    let (evals, runs) = (s.eval_summaries(), s.run_summaries());
    let overall = accuracy_by_model(&evals, &runs, Grouping::Overall);
    let by_cat = accuracy_by_model(&evals, &runs, Grouping::Category);
    for o in &overall {
        let parts: Vec<_> = by_cat.iter().filter(|r| r.key == o.key).collect();
        assert_eq!(
            parts.iter().map(|r| r.n_runs).sum::<usize>(),
            o.n_runs,
            "{:?}",
            o.key
        );
    }
    // The lineage eval has no category in its metadata.
    assert!(by_cat
        .iter()
        .any(|r| r.group.as_deref() == Some(sbx_suite::stats::UNSPECIFIED)));
    assert!(by_cat
        .iter()
        .any(|r| r.group.as_deref() == Some("spatial_analysis")));
}

#[test]
fn run_ids_that_meet_after_flattening_get_distinct_files() {
    let answer = br#"{"x": 1}"#.to_vec();
    let traj = br#"[{"type": "thread.started", "thread_id": "t"}]"#.to_vec();
    let files = vec![
        (
            "s/trajectories/x__y/p/m/h/r1/eval_answer.json".to_string(),
            answer.clone(),
        ),
        (
            "s/trajectories/x__y/p/m/h/r1/trajectory.json".to_string(),
            traj.clone(),
        ),
        (
            "s/trajectories/x/y__p/m/h/r1/eval_answer.json".to_string(),
            answer,
        ),
        (
            "s/trajectories/x/y__p/m/h/r1/trajectory.json".to_string(),
            traj,
        ),
    ];
    let (suites, issues) = load_suites(files.into_iter(), &mut |_, _| {});
    assert!(issues.is_empty(), "{issues:#?}");
    let b = Bundle::from_suites(&suites, &issues).expect("bundle");
    let paths: Vec<&str> = b
        .manifest
        .runs
        .iter()
        .map(|r| r.trajectory.as_ref().expect("t").parts[0].file.as_str())
        .collect();
    assert_eq!(paths.len(), 2);
    assert_ne!(paths[0], paths[1]);
    for r in &b.manifest.runs {
        assert_eq!(
            b.trajectory("s", &r.summary.id)
                .expect("ok")
                .map(|s| s.len()),
            Some(1)
        );
    }
}
