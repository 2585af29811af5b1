//! The worker's conversion job on a real shared `.h5ad`: the Arrow bytes it hands back
//! decode to the same dataset `sbx_data::prepare` builds directly.

use spatialbench_explorer::worker::jobs::Jobs;
use spatialbench_explorer::worker::{Request, Response};
use std::path::PathBuf;

/// A real `.h5ad` of ../shared (required: the test fails without it).
fn shared_h5ad() -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/spatial-data/visium/giottodata_prostate_ffpe_NP_CP/derived_visium_prostate_NP_CP.h5ad");
    assert!(p.exists(), "{} is required for this test", p.display());
    p
}

#[test]
fn read_then_prepare_round_trips_through_arrow() {
    let path = shared_h5ad();
    let bytes = std::fs::read(&path).unwrap();
    let mut job = Jobs::default();
    let (summary, none) = job.handle(
        Request::Read {
            name: "prostate.h5ad".into(),
        },
        Some(bytes.clone()),
        &|| 0.0,
    );
    assert!(none.is_none());
    let Response::Summary {
        n_units,
        n_genes,
        obs,
        ..
    } = summary
    else {
        panic!("{summary:?}")
    };
    let table = spatialbench_explorer::data::h5ad::read_h5ad_bytes("prostate.h5ad", bytes).unwrap();
    assert_eq!(n_units, table.n_units());
    assert!(
        n_units > 100 && n_genes > 100,
        "{n_units} units, {n_genes} genes"
    );
    let kept: Vec<String> = obs
        .iter()
        .filter(|o| !o.text)
        .map(|o| o.name.clone())
        .collect();
    assert!(!kept.is_empty(), "{obs:?}");

    let req = Request::Prepare {
        obs_columns: kept.clone(),
        genes: vec![],
        top_genes: 5,
        max_points: 200,
        seed: 7,
    };
    let (r, arrow) = job.handle(req, None, &|| 0.0);
    let Response::Prepared { rows, .. } = r else {
        panic!("{r:?}")
    };
    let from_worker = spatialbench_explorer::data::read_ipc(&arrow.expect("Arrow bytes")).unwrap();
    assert_eq!(rows, 200);
    assert_eq!(from_worker.len(), 200);

    let direct = spatialbench_explorer::data::prepare(
        &table,
        &spatialbench_explorer::data::PrepareOptions {
            obs_columns: Some(kept),
            genes: vec![],
            top_genes: 5,
            all_genes: false,
            max_points: Some(200),
            stratify_by: None,
            seed: 7,
            add_total_counts: true,
        },
    )
    .unwrap();
    assert_eq!(from_worker.x, direct.x);
    assert_eq!(from_worker.categorical, direct.categorical);
    assert_eq!(from_worker.numeric.len(), direct.numeric.len());
    assert_eq!(from_worker.genes().count(), 5);
}
