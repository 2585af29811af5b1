//! The case-study job against the kernels called directly: every headline matches
//! `sbx_kernels::cases::headlines` (the independent path `sbx demo` uses), answers
//! carry the kernels' numbers, kept results are reused, and bad requests are error
//! answers rather than panics.

use super::*;
use crate::worker::jobs::Jobs;
use crate::worker::protocol::{Request, Response};
use sbx_kernels::cases::headlines;
use serde_json::Value;

const SEED: u64 = crate::demo::DEFAULT_SEED;

fn clock() -> f64 {
    0.0
}

/// The answer to `a` as JSON, after checking that the page's reader reads it.
fn ask(job: &mut Jobs, case: &str, a: Analysis) -> (Value, Option<Vec<u8>>) {
    let text = Request::case(case, SEED, a).to_json();
    let (answer, bytes) = job.handle_text(&text, None, &clock);
    match Response::from_json(&answer) {
        Ok(Response::Case(_) | Response::Error { .. }) => {}
        other => panic!("{text} -> {other:?}"),
    }
    (
        serde_json::from_str(&answer).expect("answers are JSON"),
        bytes,
    )
}

fn num(v: &Value, k: &str) -> f64 {
    v.get(k).and_then(|x| x.as_f64()).unwrap_or(f64::NAN)
}

fn same(a: f64, b: f64) -> bool {
    a == b || (a.is_nan() && b.is_nan())
}

fn s(x: &str) -> String {
    x.to_string()
}

/// The headline of `kind` equals the kernels' own headline with the same key, and
/// its eval's grader holds the right analysis's value.
fn check_headline(kind: ScenarioKind, job: &mut Jobs) -> Value {
    let (v, _) = ask(job, kind.id(), Analysis::Headline);
    assert_eq!(v["kind"], "case", "{v}");
    let key = v["key"].as_str().unwrap_or_default().to_string();
    let reference = headlines(&crate::demo::site_scenario(kind, SEED)).unwrap();
    let h = reference
        .iter()
        .find(|h| h.key == key)
        .unwrap_or_else(|| panic!("no kernel headline {key}"));
    assert!(
        same(num(&v, "wrong"), h.wrong),
        "{key}: wrong {} vs {}",
        v["wrong"],
        h.wrong
    );
    assert!(
        same(num(&v, "right"), h.right),
        "{key}: right {} vs {}",
        v["right"],
        h.right
    );
    assert!(
        same(num(&v, "truth"), h.truth),
        "{key}: truth {} vs {}",
        v["truth"],
        h.truth
    );
    assert_eq!(v["eval"]["id"], format!("demo_{}_{key}", kind.id()));
    assert!(v["eval"].to_string().contains(&key));
    v
}

#[test]
fn pseudoreplication_and_normalization_match_the_kernels() {
    let mut job = Jobs::default();
    let v = check_headline(ScenarioKind::Pseudoreplication, &mut job);
    // the failure class: tens of percent called per barcode, ~1% by donor
    assert!(num(&v, "wrong") > 20.0 && num(&v, "right") < 5.0, "{v}");
    // "your choice" at donor level with Welch, against the kernel directly
    let (d, _) = ask(
        &mut job,
        "pseudoreplication",
        Analysis::De {
            level: s("donor"),
            test: s("welch"),
        },
    );
    let sc = crate::demo::site_scenario(ScenarioKind::Pseudoreplication, SEED);
    let direct = case_pseudoreplication_direct(&sc);
    assert_eq!(
        num(&d, "pct_genes_significant"),
        direct.pct_genes_significant
    );
    assert_eq!(d["n_significant"], direct.n_significant);
    assert_eq!(d["p"].as_array().map(|p| p.len()), Some(direct.p.len()));
    assert_eq!(d["cached"], false);

    let v = check_headline(ScenarioKind::Normalization, &mut job);
    assert!(
        num(&v, "wrong") < 0.0 && num(&v, "right") > 0.0,
        "the sign flips: {v}"
    );
    let (c, _) = ask(
        &mut job,
        "normalization",
        Analysis::Corr { norm: s("panel") },
    );
    assert!(num(&c, "spearman") > 0.0, "{c}");
    let a = c["a"].as_array().map(|x| x.len()).unwrap_or(0);
    assert!(
        a > 100 && Some(a) == c["b"].as_array().map(|x| x.len()),
        "{c}"
    );
    assert_eq!(c["n_cells"].as_u64(), Some(a as u64));
}

fn case_pseudoreplication_direct(
    sc: &Scenario,
) -> sbx_kernels::cases::pseudoreplication::DeSummary {
    use sbx_kernels::cases::pseudoreplication::{case_pseudoreplication, TestLevel};
    case_pseudoreplication(
        sc,
        TestLevel::Replicate,
        sbx_kernels::de::TestKind::Welch,
        0.05,
    )
    .unwrap()
}

#[test]
fn batch_integration_matches_the_kernels_and_colours_the_tissue() {
    use sbx_kernels::cases::batch::{case_batch_integration, ClusterOptions, Integration};
    let mut job = Jobs::default();
    let (t, bytes) = ask(
        &mut job,
        "batch_integration",
        Analysis::Tissue { dataset: true },
    );
    let n = t["n_units"].as_u64().unwrap() as usize;
    assert!(
        t["description"].as_str().unwrap().starts_with("Simulated"),
        "{t}"
    );
    let tissue = sbx_data::read_ipc(&bytes.unwrap()).unwrap();
    assert_eq!(tissue.len(), n);
    assert!(tissue.categorical("timepoint").is_some());

    let (w, _) = ask(
        &mut job,
        "batch_integration",
        Analysis::Batch {
            integration: s("none"),
        },
    );
    let v = check_headline(ScenarioKind::BatchIntegration, &mut job);
    assert_eq!(num(&v, "wrong"), num(&w, "mean_max_fraction"));
    assert!(
        num(&v, "wrong") > 0.8 && num(&v, "right") < num(&v, "wrong") - 0.2,
        "{v}"
    );
    // the headline carries both clusterings, for the tissue the page has (not a copy of it)
    let (_, bytes) = ask(&mut job, "batch_integration", Analysis::Headline);
    let d = sbx_data::read_ipc(&bytes.unwrap()).unwrap();
    assert_eq!(d.len(), n);
    assert_computed_columns_only(&d, ScenarioKind::BatchIntegration);
    let pooled = d.categorical("cluster (no integration)").unwrap();
    assert_eq!(pooled.categories.len() as f64, num(&w, "n_clusters"));
    assert!(d.categorical("cluster (integrated)").is_some());
    // each cluster's timepoint shares sum to one
    for row in w["shares"].as_array().unwrap() {
        let sum: f64 = row
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|x| x.as_f64())
            .sum();
        assert!((sum - 1.0).abs() < 1e-9, "{row}");
    }
    assert_eq!(w["timepoints"].as_array().unwrap().len(), row_len(&w));

    let sc = crate::demo::site_scenario(ScenarioKind::BatchIntegration, SEED);
    let direct = case_batch_integration(
        &sc,
        Integration::PerBatchScaling,
        &ClusterOptions::default(),
    )
    .unwrap();
    let (m, _) = ask(
        &mut job,
        "batch_integration",
        Analysis::Batch {
            integration: s("scaling"),
        },
    );
    assert_eq!(num(&m, "mean_max_fraction"), direct.mean_max_fraction);
    assert_eq!(
        num(&m, "mean_cell_type_purity"),
        direct.mean_cell_type_purity
    );
    assert_eq!(m["n_clusters"].as_u64(), Some(direct.n_clusters as u64));
    // asked again: the kept result, with the time it took then
    let (again, _) = ask(
        &mut job,
        "batch_integration",
        Analysis::Batch {
            integration: s("scaling"),
        },
    );
    assert_eq!(again["cached"], true);
    assert_eq!(again["mean_max_fraction"], m["mean_max_fraction"]);
}

fn row_len(w: &Value) -> usize {
    w["shares"][0].as_array().map_or(0, |r| r.len())
}

#[test]
fn spatial_units_match_the_kernels_with_a_bead_map() {
    use sbx_kernels::cases::spatial_units::{case_oocyte_count, CountMethod};
    let mut job = Jobs::default();
    let v = check_headline(ScenarioKind::SpatialUnits, &mut job);
    let (w, t) = (num(&v, "wrong"), num(&v, "truth"));
    assert!(
        w > t * 1.2 && (num(&v, "right") - t).abs() / t < 0.15,
        "{v}"
    );

    let sc = crate::demo::site_scenario(ScenarioKind::SpatialUnits, SEED);
    let tp = sc.obs("timepoint").unwrap();
    let first = tp.categories[0].clone();
    let (o, bytes) = ask(
        &mut job,
        "spatial_units",
        Analysis::Oocytes {
            method: s("dbscan"),
            radius: 20.0,
        },
    );
    let direct: usize = tp
        .categories
        .iter()
        .map(|c| {
            case_oocyte_count(
                &sc,
                c,
                CountMethod::Dbscan {
                    eps: 20.0,
                    min_samples: 3,
                },
            )
            .unwrap()
            .count
        })
        .sum();
    assert_eq!(num(&o, "total"), direct as f64);
    assert_eq!(num(&o, "true_total"), t);
    let map = sbx_data::read_ipc(&bytes.unwrap()).unwrap();
    let rows = tp.codes.iter().filter(|&&c| c == 0).count();
    assert_eq!(
        map.len(),
        rows,
        "the bead map is the first timepoint's beads"
    );
    let structures = map.categorical("structure").unwrap();
    let first_count = case_oocyte_count(
        &sc,
        &first,
        CountMethod::Dbscan {
            eps: 20.0,
            min_samples: 3,
        },
    )
    .unwrap();
    let in_structure = first_count.labels.iter().filter(|&&l| l >= 0).count();
    assert_eq!(
        structures.codes.iter().filter(|&&c| c > 0).count(),
        in_structure
    );

    let (c, _) = ask(&mut job, "spatial_units", Analysis::Cumulus);
    assert_eq!(
        c["true_beads"], 0,
        "no cumulus cells before stimulation: {c}"
    );
    assert!(
        num(&c, "any_marker") > 100.0 && num(&c, "coherent") <= 5.0,
        "{c}"
    );
    let (sw, _) = ask(&mut job, "spatial_units", Analysis::Sweep);
    assert_eq!(sw["timepoint"], first.as_str());
    assert_eq!(
        sw["points"].as_array().unwrap().len(),
        outcome::SWEEP_RADII.len()
    );
    assert_eq!(
        sw["points"][2]["components"].as_u64(),
        Some(
            case_oocyte_count(&sc, &first, CountMethod::Components { radius: 10.0 })
                .unwrap()
                .count as u64
        )
    );
}

#[test]
fn niche_discovery_matches_the_kernels_with_the_niche_column() {
    use sbx_kernels::cases::niches::case_niches;
    let mut job = Jobs::default();
    let v = check_headline(ScenarioKind::NicheDiscovery, &mut job);
    assert!(
        num(&v, "right") > 3.0 && num(&v, "wrong") < num(&v, "right"),
        "{v}"
    );
    let (_, bytes) = ask(&mut job, "niche_discovery", Analysis::Headline);
    let d = sbx_data::read_ipc(&bytes.unwrap()).unwrap();
    assert_computed_columns_only(&d, ScenarioKind::NicheDiscovery);
    let niche = d.categorical("niche").unwrap();
    assert!(
        niche
            .categories
            .iter()
            .any(|c| c == "fibro-inflammatory niche"),
        "{:?}",
        niche.categories
    );
    let sc = crate::demo::site_scenario(ScenarioKind::NicheDiscovery, SEED);
    let direct = case_niches(&sc, 5, 15, 1).unwrap();
    let (m, _) = ask(
        &mut job,
        "niche_discovery",
        Analysis::Niches {
            n: 5,
            k: 15,
            seed: 1,
        },
    );
    assert_eq!(num(&m, "fold"), direct.fold);
    assert_eq!(m["n_niches"], 5);
    assert_eq!(
        m["niche_fraction"].as_array().unwrap().len(),
        direct.niche_fraction.len()
    );
}

#[test]
fn bad_requests_are_error_answers() {
    let mut job = Jobs::default();
    let err = |job: &mut Jobs, text: &str| {
        let (a, bytes) = job.handle_text(text, None, &clock);
        let v: Value = serde_json::from_str(&a).unwrap();
        assert_eq!(v["kind"], "error", "{text} -> {a}");
        assert!(bytes.is_none());
        v["message"].as_str().unwrap_or_default().to_string()
    };
    assert!(err(&mut job, "not json").contains("malformed"));
    assert!(err(
        &mut job,
        r#"{"op":"case","case":"x","seed":1,"analysis":{"name":"headline"}}"#
    )
    .contains("unknown case study `x`"));
    assert!(err(
        &mut job,
        r#"{"op":"case","case":"normalization","seed":1,"analysis":{"name":"dance"}}"#
    )
    .contains("malformed"));
    let bad = [
        (Analysis::Corr { norm: s("sqrt") }, "unknown normalization"),
        (
            Analysis::Batch {
                integration: s("combat"),
            },
            "unknown integration",
        ),
        (
            Analysis::De {
                level: s("cell"),
                test: s("welch"),
            },
            "unknown test level",
        ),
        (
            Analysis::De {
                level: s("unit"),
                test: s("anova"),
            },
            "unknown test",
        ),
        (
            Analysis::Oocytes {
                method: s("dbscan"),
                radius: 1e9,
            },
            "outside",
        ),
        (
            Analysis::Oocytes {
                method: s("watershed"),
                radius: 10.0,
            },
            "unknown counting method",
        ),
        (
            Analysis::Niches {
                n: 0,
                k: 15,
                seed: 1,
            },
            "niches must be",
        ),
        (Analysis::Proximity { k: 0 }, "outside"),
    ];
    for (a, want) in bad {
        let text = Request::case("normalization", 7, a).to_json();
        let m = err(&mut job, &text);
        assert!(m.contains(want), "{text}: {m}");
    }
    // an analysis of another case is an error from the kernels, not a panic
    let text = Request::case("normalization", 7, Analysis::Sweep).to_json();
    err(&mut job, &text);
    // and the job still answers afterwards
    let (ok, _) = job.handle_text(
        &Request::case("normalization", 7, Analysis::Tissue { dataset: false }).to_json(),
        None,
        &clock,
    );
    assert!(ok.contains(r#""kind":"case""#), "{ok}");
}

/// The answer without what depends on the run (timings, whether it was reused).
fn without_timings(mut v: Value) -> Value {
    if let Some(o) = v.as_object_mut() {
        for k in ["ms", "cached", "build_ms"] {
            o.remove(k);
        }
    }
    v
}

#[test]
fn an_answer_depends_only_on_its_request() {
    // The page keeps answers by request text (`answers`): the same request must
    // get the same answer whatever was asked before it, in whichever job.
    let case = ScenarioKind::Normalization.id();
    let corr = |norm: &str| Analysis::Corr { norm: s(norm) };
    let mut first = Jobs::default();
    let asked_first: Vec<_> = [
        Analysis::Tissue { dataset: true },
        corr("libsize"),
        Analysis::Headline,
        corr("scale"),
    ]
    .into_iter()
    .map(|a| {
        (
            Request::case(case, SEED, a.clone()).to_json(),
            ask(&mut first, case, a),
        )
    })
    .collect();
    let mut second = Jobs::default();
    for a in [
        corr("scale"),
        Analysis::Headline,
        corr("raw"),
        corr("libsize"),
    ] {
        ask(&mut second, case, a);
    }
    let (t, _) = ask(&mut second, case, Analysis::Tissue { dataset: true });
    assert_eq!(t["kind"], "case", "{t}");
    for (text, (v, bytes)) in asked_first {
        let Ok(Request::Case { analysis, .. }) = serde_json::from_str(&text) else {
            panic!("not a case request: {text}");
        };
        let (v2, bytes2) = ask(&mut second, case, analysis);
        assert_eq!(without_timings(v), without_timings(v2), "{text}");
        assert_eq!(bytes, bytes2, "{text}: Arrow bytes differ");
    }
}

/// The kernels' table names every wrong and right analysis; as requests they travel
/// from the page's writer to the worker's reader unchanged, and the worker runs them.
#[test]
fn the_tables_wrong_and_right_are_worker_analyses() {
    use sbx_kernels::cases::spec::spec;
    for kind in ScenarioKind::ALL {
        let (w, r) = wrong_and_right(kind);
        assert_eq!(w, Analysis::from(spec(kind).wrong.analysis));
        assert_eq!(r, Analysis::from(spec(kind).right.analysis));
        for a in [w, r] {
            let request = Request::case(kind.id(), SEED, a.clone());
            let back: Request = serde_json::from_str(&request.to_json()).expect("a request");
            assert_eq!(back, request, "{}", kind.id());
            assert!(
                !matches!(
                    a,
                    Analysis::Tissue { .. }
                        | Analysis::Headline
                        | Analysis::Cumulus
                        | Analysis::Sweep
                ),
                "{}: {a:?} is not a kernel analysis",
                kind.id()
            );
        }
    }
    // The cheapest case runs both through the job.
    let mut job = Jobs::default();
    let (w, r) = wrong_and_right(ScenarioKind::Normalization);
    for a in [w, r] {
        let (v, _) = ask(&mut job, "normalization", a);
        assert_eq!(v["analysis"], "corr", "{v}");
    }
}

/// A headline's bytes: the computed columns and the units' coordinates, which join onto
/// the tissue the page was sent (the same units, bit for bit) and nothing of it again.
fn assert_computed_columns_only(d: &sbx_data::Dataset, kind: ScenarioKind) {
    let tissue = crate::demo::scenario_dataset(&crate::demo::site_scenario(kind, SEED));
    assert!(d.numeric.is_empty(), "no gene or count columns");
    for c in &d.categorical {
        assert!(
            tissue.categorical(&c.name).is_none(),
            "`{}` is the tissue's",
            c.name
        );
    }
    let joined = tissue.with_columns_of(d).unwrap();
    assert_eq!(joined.numeric, tissue.numeric);
    assert_eq!(
        joined.categorical.len(),
        tissue.categorical.len() + d.categorical.len()
    );
}
