//! Matching semantics of the public API on small hand-made trajectories.

use sbx_search::{Filters, Index, Query, RunMeta};
use sbx_suite::trajectory::Step;

fn msg(text: &str) -> Step {
    Step::Message {
        role: "assistant".into(),
        text: text.into(),
    }
}
fn call(input: &str) -> Step {
    Step::ToolCall {
        name: "bash".into(),
        input: input.into(),
        call_id: None,
    }
}
fn out(text: &str) -> Step {
    Step::ToolOutput {
        text: text.into(),
        is_error: false,
        call_id: None,
    }
}
fn meta(suite: &str, eval: &str, model: &str, harness: &str) -> RunMeta {
    RunMeta {
        suite: suite.into(),
        run: format!("{eval}/{model}/{harness}/r1"),
        eval: eval.into(),
        model: model.into(),
        harness: harness.into(),
        classes: Vec::new(),
    }
}

fn index() -> Index {
    let mut ix = Index::new();
    ix.add_run(
        meta("scbench", "DE01", "gpt-5.5", "openai-codex"),
        &[
            msg("I will pseudobulk per donor and use PyDESeq2."),
            call("python - <<'EOF'\nimport scanpy as sc\nsc.pp.normalize_total(adata, target_sum=1e4)\nEOF"),
            out("Traceback: ModuleNotFoundError: No module named 'pydeseq2'"),
            Step::FinalAnswer { text: "{\"n_genes\": 42}".into() },
        ],
    );
    ix.add_run(
        meta(
            "spatialbench-long",
            "NICHE02",
            "claude-opus-4-7",
            "claude-code",
        ),
        &[
            msg("Integrate sections with Harmony before clustering."),
            call("sc.external.pp.harmony_integrate(adata, 'section')\nsc.tl.leiden(adata)"),
            Step::Unknown {
                raw: serde_json::json!({"type": "ping", "note": "harmony"}),
            },
        ],
    );
    ix
}

fn steps(ix: &Index, q: &Query) -> Vec<(usize, usize)> {
    ix.search(q)
        .unwrap()
        .hits
        .iter()
        .map(|h| (h.run, h.step))
        .collect()
}

#[test]
fn words_are_case_insensitive_substrings_and_all_must_occur() {
    let ix = index();
    assert_eq!(steps(&ix, &Query::words("pydeseq2")), [(0, 0), (0, 2)]);
    assert_eq!(steps(&ix, &Query::words("normalize")), [(0, 1)]);
    assert_eq!(
        steps(&ix, &Query::words("harmony")),
        [(1, 0), (1, 1), (1, 2)]
    );
    assert_eq!(steps(&ix, &Query::words("harmony leiden")), [(1, 1)]);
    assert_eq!(steps(&ix, &Query::words("harmony pydeseq2")), []);
    let r = ix.search(&Query::words("HARMONY")).unwrap();
    assert_eq!((r.total, r.runs_matched, r.capped), (3, 1, false));
}

#[test]
fn case_sensitive_and_phrases() {
    let ix = index();
    let q = Query {
        case_sensitive: true,
        ..Query::words("PyDESeq2")
    };
    assert_eq!(steps(&ix, &q), [(0, 0)]);
    assert_eq!(
        steps(&ix, &Query::words("\"sc.pp.normalize_total(adata\"")),
        [(0, 1)]
    );
    // A phrase is the exact sequence, not its words in any order.
    assert_eq!(steps(&ix, &Query::words("\"per donor\"")), [(0, 0)]);
    assert_eq!(steps(&ix, &Query::words("\"donor per\"")), []);
    // Punctuation-only words have no token: found by scanning.
    assert_eq!(steps(&ix, &Query::words("<<'EOF'")), [(0, 1)]);
}

#[test]
fn regular_expressions() {
    let ix = index();
    assert_eq!(
        steps(&ix, &Query::regex(r"sc\.(pp|tl)\.\w+\(")),
        [(0, 1), (1, 1)]
    );
    assert_eq!(steps(&ix, &Query::regex(r"^EOF$")), [(0, 1)]);
    assert_eq!(steps(&ix, &Query::regex(r"\d{2}\}")), [(0, 3)]);
    let q = Query {
        case_sensitive: true,
        ..Query::regex("harmony")
    };
    assert_eq!(steps(&ix, &q), [(1, 1), (1, 2)]);
    let r = ix.search(&Query::regex(r"harmony_(integrate)")).unwrap();
    assert_eq!((r.hits[0].start, r.hits[0].end), (15, 32));
}

#[test]
fn bad_regex_is_an_error_not_a_panic() {
    let ix = index();
    for bad in ["(", "[z-a]", r"\p{NoSuchClass}", "a{99999}{99999}"] {
        let err = ix.search(&Query::regex(bad)).unwrap_err();
        assert!(err.contains("regular expression"), "{bad}: {err}");
    }
    // The same text as words is a literal.
    assert_eq!(steps(&ix, &Query::words("(")), [(0, 1), (1, 1)]);
    let q = Query {
        filters: Filters {
            step_kind: Some("tool".into()),
            ..Filters::default()
        },
        ..Query::words("x")
    };
    assert!(ix.search(&q).unwrap_err().contains("tool_call"));
}

#[test]
fn filters_restrict_runs_and_steps() {
    let mut ix = index();
    let with = |f: Filters, text: &str| Query {
        filters: f,
        ..Query::words(text)
    };
    let f = Filters {
        suite: Some("scbench".into()),
        ..Filters::default()
    };
    assert_eq!(steps(&ix, &with(f, "")), [(0, 0), (0, 1), (0, 2), (0, 3)]);
    let f = Filters {
        step_kind: Some("tool_output".into()),
        ..Filters::default()
    };
    assert_eq!(steps(&ix, &with(f, "pydeseq2")), [(0, 2)]);
    let f = Filters {
        model: Some("claude-opus-4-7".into()),
        step_kind: Some("unknown".into()),
        ..Filters::default()
    };
    assert_eq!(steps(&ix, &with(f, "harmony")), [(1, 2)]);
    let f = Filters {
        eval: Some("DE01".into()),
        harness: Some("claude-code".into()),
        ..Filters::default()
    };
    assert_eq!(steps(&ix, &with(f, "")), []);
    let f = Filters {
        class: Some("unintegrated_clustering".into()),
        ..Filters::default()
    };
    assert_eq!(steps(&ix, &with(f.clone(), "sc")), []);
    ix.set_classes(0, vec!["unintegrated_clustering".into()]);
    ix.set_classes(99, vec!["ignored".into()]);
    assert_eq!(steps(&ix, &with(f, "sc")), [(0, 1)]);
    assert_eq!(ix.runs()[0].classes, ["unintegrated_clustering"]);
}

#[test]
fn limit_caps_hits_but_not_the_total() {
    let mut ix = Index::new();
    for r in 0..30 {
        let steps: Vec<Step> = (0..10)
            .map(|s| out(&format!("cluster {r}-{s} leiden")))
            .collect();
        ix.add_run(RunMeta::default(), &steps);
    }
    for q in [
        Query::words("leiden"),
        Query::words("\"0 leiden\""),
        Query::regex(r"\d+-\d leiden"),
    ] {
        let q = Query { limit: 7, ..q };
        let r = ix.search(&q).unwrap();
        assert_eq!(r.hits.len(), 7, "{}", q.text);
        let want = if q.text.contains('"') { 30 } else { 300 };
        assert_eq!((r.total, r.capped), (want, false), "{}", q.text);
        assert_eq!(r.runs_matched, 30, "{}", q.text);
        assert!(r
            .hits
            .windows(2)
            .all(|w| (w[0].run, w[0].step) < (w[1].run, w[1].step)));
    }
    assert_eq!(
        ix.search(&Query {
            limit: 0,
            ..Query::words("leiden")
        })
        .unwrap()
        .total,
        300
    );
}

#[test]
fn scanning_stops_at_its_budget_and_says_so() {
    let mut ix = Index::new();
    // 80 steps of 30 kB that no token narrows: the scan reads at most its budget.
    let big = "ab ".repeat(10_000);
    let steps: Vec<Step> = (0..80).map(|_| out(&big)).collect();
    ix.add_run(RunMeta::default(), &steps);
    ix.set_scan_budget(300_000);
    let r = ix.search(&Query::regex(r"b\s")).unwrap();
    assert!(r.capped);
    assert_eq!((r.total, r.runs_matched), (10, 1));
    ix.set_scan_budget(0);
    let r = ix.search(&Query::regex(r"b\s")).unwrap();
    assert_eq!((r.total, r.capped), (80, false));
}

#[test]
fn offsets_are_in_characters() {
    let mut ix = Index::new();
    ix.add_run(
        RunMeta::default(),
        &[msg(
            "Zellen → Größe: 3 µm; Ωmega ΣΊΣΥΦΟΣ réglé 🧬 normalize_total",
        )],
    );
    let text = "Zellen → Größe: 3 µm; Ωmega ΣΊΣΥΦΟΣ réglé 🧬 normalize_total";
    let check = |q: Query, want: &str| {
        let r = ix.search(&q).unwrap();
        assert_eq!(r.hits.len(), 1, "{}", q.text);
        let h = &r.hits[0];
        let at: String = text.chars().skip(h.start).take(h.end - h.start).collect();
        assert_eq!(at.to_lowercase(), want.to_lowercase(), "{}", q.text);
        let (s, e) = h.spans[0];
        let shown: String = h.snippet.chars().skip(s).take(e - s).collect();
        assert_eq!(shown, at);
    };
    check(Query::words("größe"), "Größe");
    // Case folding is simple (one character to one): ß is not SS.
    assert_eq!(ix.search(&Query::words("GRÖSSE")).unwrap().total, 0);
    check(Query::words("σίσυφος"), "ΣΊΣΥΦΟΣ");
    check(Query::words("RÉGLÉ"), "réglé");
    check(Query::words("normalize_total"), "normalize_total");
    check(Query::regex("🧬 \\w+"), "🧬 normalize_total");
    let r = ix.search(&Query::words("normalize_total")).unwrap();
    assert_eq!(r.hits[0].start, 44);
}

#[test]
fn phrase_pieces_inside_separators_are_whole_tokens_and_edges_are_substrings() {
    let mut ix = Index::new();
    ix.add_run(
        meta("s", "e", "m", "h"),
        &[
            call("import scanpy as sc"),
            call("reimport scanpyx as sc"),
            call("reimport scanpy as scx"),
            call("IMPORT SCANPY AS SC"),
        ],
    );
    let q = Query::words("\"import scanpy as sc\"");
    // The interior `scanpy` and `as` must be whole tokens; `import` may end a
    // longer token and `sc` may begin one, as in the text they are substrings.
    assert_eq!(steps(&ix, &q), vec![(0, 0), (0, 2), (0, 3)]);
}
