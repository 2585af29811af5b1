//! Search over the 34 shared trajectories finds known code at the steps a
//! hand reading located (step indices from the finding labels made by
//! reading the normalised trajectories).

use sbx_search::{Filters, Index, Query, RunMeta};
use std::path::Path;

const BENCH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/bench");

fn load() -> Index {
    let mut index = Index::new();
    for name in ["scbench", "spatialbench-long"] {
        let files = sbx_suite::read_folder(&Path::new(BENCH).join(name))
            .unwrap_or_else(|e| panic!("../shared/bench/{name} is required: {e}"));
        let (suites, _) = sbx_suite::load_suites(files.into_iter(), &mut |_, _| {});
        for suite in suites {
            for run in &suite.runs {
                let Some(t) = suite.trajectories.get(&run.id) else {
                    continue;
                };
                let meta = RunMeta {
                    suite: suite.name.clone(),
                    run: run.id.clone(),
                    eval: run.eval_id.clone(),
                    model: run.model.clone(),
                    harness: run.harness.clone(),
                    classes: Vec::new(),
                };
                index.add_run(meta, &t.steps);
            }
        }
    }
    index
}

fn steps_in(index: &Index, q: Query, run_suffix: &str) -> Vec<usize> {
    let run = index
        .runs()
        .iter()
        .position(|m| m.run.ends_with(run_suffix))
        .unwrap_or_else(|| panic!("run {run_suffix} not loaded"));
    let q = Query { limit: 10_000, ..q };
    let r = index.search(&q).unwrap();
    assert!(!r.capped);
    r.hits
        .iter()
        .filter(|h| h.run == run)
        .map(|h| h.step)
        .collect()
}

#[test]
fn known_code_is_found_at_its_step() {
    let index = load();
    assert_eq!(index.runs().len(), 34);
    let claude = "DE01_pseudobulk_de/anthropic/claude-opus-4-7/claude-code/r1";
    assert!(steps_in(&index, Query::words("\"dds = DeseqDataSet(\""), claude).contains(&15));
    assert!(steps_in(&index, Query::words("deseqdataset"), claude).contains(&15));
    let grok = "DE01_pseudobulk_de/xai/grok-4-1-fast-reasoning/mini-swe-agent/r2";
    let q = Query::regex(r"sc\.tl\.rank_genes_groups\(adata_subset");
    assert!(steps_in(&index, q, grok).contains(&8));

    // The filtered search agrees with the unfiltered one restricted by hand.
    let all = index
        .search(&Query {
            limit: 10_000,
            ..Query::words("rank_genes_groups")
        })
        .unwrap();
    let f = Filters {
        suite: Some("scbench".into()),
        step_kind: Some("tool_call".into()),
        ..Filters::default()
    };
    let some = index
        .search(&Query {
            limit: 10_000,
            filters: f,
            ..Query::words("rank_genes_groups")
        })
        .unwrap();
    let by_hand: Vec<_> = all
        .hits
        .iter()
        .filter(|h| index.runs()[h.run].suite == "scbench" && h.kind == "tool_call")
        .collect();
    assert!(!by_hand.is_empty());
    assert_eq!(some.hits.len(), by_hand.len());
    assert_eq!(all.total, all.hits.len());
}
