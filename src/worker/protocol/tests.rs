//! The hand-written page side agrees with the derived worker side on a sample of every
//! request and answer, and the JSON keeps the shape both modules were built against.

use super::*;
use sbx_findings::{Evidence, FailureClass, Finding, Verdict};
use sbx_kernels::cases::niches::PairwiseSummary;
use sbx_kernels::cases::normalization::CorrSummary;
use sbx_kernels::cases::spatial_units::SweepPoint;
use sbx_kernels::cases::Headline;
use sbx_search::{Hit, RunMeta, SearchResults};
use sbx_suite::RunSummary;
use serde_json::{json, Value};

fn s(x: &str) -> String {
    x.to_string()
}

/// One request of every op (and every analysis).
fn requests() -> Vec<Request> {
    let analyses = [
        Analysis::Tissue { dataset: true },
        Analysis::Batch {
            integration: s("harmony"),
        },
        Analysis::De {
            level: s("unit"),
            test: s("wilcoxon"),
        },
        Analysis::Corr { norm: s("raw") },
        Analysis::Oocytes {
            method: s("components"),
            radius: 12.5,
        },
        Analysis::Cumulus,
        Analysis::Sweep,
        Analysis::Proximity { k: 10 },
        Analysis::Niches {
            n: 8,
            k: 15,
            seed: 1,
        },
        Analysis::Headline,
    ];
    let mut all = vec![
        Request::Read {
            name: s("a \"b\".h5ad"),
        },
        Request::Prepare {
            obs_columns: vec![s("x")],
            genes: vec![],
            top_genes: 8,
            max_points: 200_000,
            seed: 1,
        },
        Request::Synthetic {
            n: 1_000_000,
            seed: 1,
        },
    ];
    all.extend(
        analyses
            .into_iter()
            .map(|a| Request::case("niche_discovery", 20251, a)),
    );
    all.push(Request::CorpusAdd {
        run: sample_run(),
        eval: Some(json!({"id": "e", "task": "Visium \"spots\"", "metadata": {"kit": "visium"}})),
        parts: vec![
            PartLen {
                file: s("trajectories/s/r.p0.json"),
                len: 10,
            },
            PartLen {
                file: s("trajectories/s/r.p1.json"),
                len: 0,
            },
        ],
    });
    all.push(Request::CorpusAdd {
        run: RunSummary {
            passed: None,
            score: None,
            trajectory_format: None,
            n_steps: None,
            ..sample_run()
        },
        eval: None,
        parts: vec![],
    });
    let mut query = sbx_search::Query::regex("sc\\.pp\\.(log1p|normalize_total)");
    query.filters.model = Some(s("gpt-5.5"));
    query.filters.class = Some(s("panel_normalization"));
    query.case_sensitive = true;
    all.push(Request::CorpusSearch { query });
    all.push(Request::CorpusSearch {
        query: sbx_search::Query::words(""),
    });
    all
}

fn sample_run() -> RunSummary {
    RunSummary {
        suite: s("scbench"),
        id: s("DE01/openai/gpt-5.5/openai-codex/r1"),
        eval_id: s("DE01"),
        provider: s("openai"),
        model: s("gpt-5.5"),
        harness: s("openai-codex"),
        run_index: 1,
        passed: Some(false),
        score: Some(0.25),
        duration_s: Some(12.5),
        cost_usd: None,
        has_answer: true,
        trajectory_format: Some(s("openai-codex")),
        n_steps: Some(40),
    }
}

/// One answer of every kind (and every analysis).
fn responses() -> Vec<Response> {
    let mut all = case_responses();
    all.extend(corpus_responses());
    all
}

/// Every kind but the corpus answers.
fn case_responses() -> Vec<Response> {
    let case = |answer| {
        Response::Case(CaseReply {
            case: s("normalization"),
            ms: 12.25,
            cached: true,
            kept: false,
            digest: s("00c0ffee00c0ffee"),
            answer,
        })
    };
    vec![
        Response::Ready,
        Response::Summary {
            name: s("p.h5ad"),
            n_units: 5,
            n_genes: 7,
            obs: vec![
                ObsInfo {
                    name: s("sample"),
                    text: false,
                },
                ObsInfo {
                    name: s("barcode"),
                    text: true,
                },
            ],
            read_ms: 12.5,
        },
        Response::Prepared { rows: 3, ms: 0.25 },
        Response::Error {
            message: s("broken"),
        },
        case(CaseAnswer::Tissue(TissueInfo {
            title: s("t"),
            platform: s("Visium"),
            description: s("d"),
            n_units: 9,
            build_ms: 1.5,
        })),
        case(CaseAnswer::Batch(BatchAnswer {
            mean_max_fraction: 0.75,
            n_clusters: 2,
            mean_cell_type_purity: 0.5,
            shares: vec![vec![0.25, 0.75], vec![1.0, 0.0]],
            timepoints: vec![s("E10"), s("E12")],
        })),
        case(CaseAnswer::De(DeAnswer {
            test: s("wilcoxon"),
            pct_genes_significant: 12.5,
            n_significant: 3,
            housekeeping_called: vec![s("Actb")],
            p: vec![0.01, 0.5],
        })),
        case(CaseAnswer::Corr(CorrSummary {
            normalization: s("raw"),
            gene_a: s("Mbp"),
            gene_b: s("Plp1"),
            cell_type: s("Oligodendrocyte"),
            n_cells: 2,
            spearman: 0.625,
            top_share: [0.5, 0.625, 0.75],
            a: vec![1.0, 2.5],
            b: vec![0.1, 3.0],
        })),
        case(CaseAnswer::Oocytes(OocyteAnswer {
            total: 7,
            true_total: 6,
            per_timepoint: vec![TimepointCount {
                timepoint: s("day 1"),
                count: 7,
                true_count: 6,
            }],
        })),
        case(CaseAnswer::Cumulus(CumulusAnswer {
            timepoint: s("day 1"),
            any_marker: 40,
            coherent: 30,
            true_beads: 31,
        })),
        case(CaseAnswer::Sweep(SweepAnswer {
            timepoint: s("day 1"),
            true_count: 5,
            points: vec![SweepPoint {
                radius: 7.5,
                components: 9,
                dbscan: 5,
            }],
        })),
        case(CaseAnswer::Proximity(PairwiseSummary {
            timepoints: vec![s("a"), s("b")],
            score: vec![0.125, 0.25],
            fold: 2.0,
        })),
        case(CaseAnswer::Niches(NicheAnswer {
            n_niches: 8,
            timepoints: vec![s("a")],
            niche_fraction: vec![0.375],
            fold: 3.5,
        })),
        case(CaseAnswer::Headline(HeadlineAnswer {
            headline: Headline {
                key: s("k"),
                question: s("q"),
                wrong: 1.0,
                wrong_method: s("w"),
                right: 2.0,
                right_method: s("r"),
                truth: 2.5,
            },
            eval: json!({"id": "x", "grader": {"type": "numeric_tolerance"}}),
        })),
    ]
}

#[test]
fn every_request_written_by_hand_reads_back_with_the_derives() {
    let all = requests();
    let mut ops: Vec<&str> = all.iter().map(Request::op).collect();
    ops.dedup();
    assert_eq!(
        ops,
        [
            "read",
            "prepare",
            "synthetic",
            "case",
            "corpus_add",
            "corpus_search"
        ]
    );
    for r in all {
        let text = r.to_json();
        assert_eq!(serde_json::from_str::<Request>(&text).unwrap(), r, "{text}");
        assert_eq!(
            serde_json::to_string(&r).unwrap().len(),
            text.len(),
            "{text}"
        );
    }
}

#[test]
fn every_answer_written_by_the_derives_reads_back_by_hand() {
    let all = responses();
    let mut kinds: Vec<&str> = all.iter().map(Response::kind).collect();
    kinds.dedup();
    assert_eq!(
        kinds,
        [
            "ready",
            "summary",
            "prepared",
            "error",
            "case",
            "corpus_added",
            "corpus_found"
        ]
    );
    let mut analyses = Vec::new();
    for r in all {
        let text = r.to_json();
        let back = Response::from_json(&text).unwrap_or_else(|e| panic!("{text}: {e}"));
        assert_eq!(back.to_json(), text);
        // and the derives read it the same
        let derived: Response = serde_json::from_str(&text).unwrap();
        assert_eq!(derived.to_json(), text);
        if let Response::Case(c) = back {
            analyses.push(c.answer.name());
        }
    }
    assert_eq!(analyses.len(), 10, "{analyses:?}");
}

#[test]
fn the_wire_shape_is_flat_and_tagged() {
    // The page and the worker are separate wasm modules: the JSON is their contract.
    let req: Request = serde_json::from_str(r#"{"op":"read","name":"a.h5ad"}"#).unwrap();
    assert_eq!(req, Request::Read { name: s("a.h5ad") });
    assert_eq!(
        Response::Prepared { rows: 3, ms: 1.5 }.to_json(),
        r#"{"kind":"prepared","rows":3,"ms":1.5}"#
    );
    let cumulus = &responses()[9];
    let v: Value = serde_json::from_str(&cumulus.to_json()).unwrap();
    assert_eq!(
        v,
        json!({"kind": "case", "case": "normalization", "ms": 12.25, "cached": true, "digest": "00c0ffee00c0ffee",
               "analysis": "cumulus", "timepoint": "day 1", "any_marker": 40,
               "coherent": 30, "true_beads": 31})
    );
}

#[test]
fn a_missing_truth_reads_as_nan_and_broken_answers_are_errors() {
    let mut v: Value = serde_json::from_str(&responses()[13].to_json()).unwrap();
    v["truth"] = Value::Null;
    match Response::from_json(&v.to_string()) {
        Ok(Response::Case(CaseReply {
            answer: CaseAnswer::Headline(h),
            ..
        })) => assert!(h.headline.truth.is_nan()),
        other => panic!("{other:?}"),
    }
    v["wrong"] = json!("many");
    let e = Response::from_json(&v.to_string()).unwrap_err();
    assert!(
        e.contains("headline answer") && e.contains("`wrong`"),
        "{e}"
    );
    let mut batch: Value = serde_json::from_str(&responses()[5].to_json()).unwrap();
    batch["shares"] = json!([[0.5], "x"]);
    assert!(Response::from_json(&batch.to_string()).is_err());
    for bad in [
        r#"{"kind":"later"}"#,
        "not json",
        r#"{"kind":"case","analysis":"dance","case":"x","ms":1,"cached":false}"#,
        r#"{"kind":"summary","name":"a","n_units":-1,"n_genes":0,"obs":[],"read_ms":0}"#,
        "[]",
    ] {
        assert!(Response::from_json(bad).is_err(), "{bad}");
    }
}

#[test]
fn a_case_answer_is_taken_by_type_or_named_when_it_is_another() {
    let Response::Case(c) = responses().swap_remove(9) else {
        panic!("not a case answer");
    };
    let cumulus: CumulusAnswer = c.answer.clone().into_typed().unwrap();
    assert_eq!(cumulus.coherent, 30);
    let e = c.answer.into_typed::<BatchAnswer>().unwrap_err();
    assert!(e.contains("`cumulus`") && e.contains("BatchAnswer"), "{e}");
}

/// The corpus answers.
fn corpus_responses() -> Vec<Response> {
    vec![
        Response::CorpusAdded(CorpusAdded {
            findings: vec![
                Finding {
                    class: FailureClass::Pseudoreplication,
                    verdict: Verdict::Committed,
                    rule: s("cell_level_test"),
                    reason: s("A Wilcoxon test over cells of 4 donors."),
                    evidence: vec![Evidence {
                        step: 14,
                        excerpt: s("rank_genes_groups(ad, 'cond')"),
                        start: 3,
                        end: 32,
                    }],
                },
                Finding {
                    class: FailureClass::AnswerLookup,
                    verdict: Verdict::Unclear,
                    rule: s("r"),
                    reason: s("µ \"quoted\""),
                    evidence: vec![],
                },
            ],
            n_steps: 40,
            detect_ms: 1.25,
            index_ms: 0.5,
            kept: false,
        }),
        Response::CorpusFound(CorpusFound {
            results: SearchResults {
                hits: vec![Hit {
                    run: 3,
                    step: 7,
                    kind: s("tool_call"),
                    snippet: s("…import scanpy as sc…"),
                    spans: vec![(1, 7), (8, 14)],
                    start: 120,
                    end: 133,
                }],
                total: 12,
                capped: true,
                runs_matched: 2,
            },
            runs: vec![(
                3,
                RunMeta {
                    suite: s("scbench"),
                    run: s("r"),
                    eval: s("e"),
                    model: s("m"),
                    harness: s("h"),
                    classes: vec![s("pseudoreplication")],
                },
            )],
            ms: 0.75,
        }),
    ]
}
