//! Input dispatch and option errors of the converter (no ../shared needed).

use sbx_data::synthetic::synthetic;
use sbx_data::{prepare, read_input, write_ipc, PrepareOptions};

fn tmp(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("sbx-data-inputs-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn unknown_folder_layout_is_explained() {
    let d = tmp("empty");
    std::fs::write(d.join("notes.txt"), "hello").unwrap();
    let e = read_input(&d).unwrap_err().to_string();
    assert!(e.contains("no known layout"), "{e}");
}

#[test]
fn arrow_input_can_be_downsampled_again_with_strata_kept() {
    let d = tmp("arrow");
    let p = d.join("syn.arrow");
    std::fs::write(&p, write_ipc(&synthetic(5000, 2)).unwrap()).unwrap();
    let t = read_input(&p).unwrap();
    assert_eq!(t.n_units(), 5000);
    let opts = PrepareOptions {
        max_points: Some(300),
        seed: 9,
        all_genes: true,
        ..Default::default()
    };
    let ds = prepare(&t, &opts).unwrap();
    assert_eq!(ds.len(), 300);
    // 24 cell types x 4 samples all survive.
    assert!(ds
        .categorical("cell_type")
        .unwrap()
        .counts()
        .iter()
        .all(|&c| c > 0));
    assert!(ds
        .categorical("sample")
        .unwrap()
        .counts()
        .iter()
        .all(|&c| c > 0));
    let down = ds.meta.downsampling.as_ref().unwrap();
    assert_eq!((down.seed, down.source_rows), (9, 5000));
    assert_eq!(down.strata, ["cell_type", "sample"]);
    // The gene column stays a gene.
    assert_eq!(ds.genes().collect::<Vec<_>>(), ["GeneA"]);
}

#[test]
fn option_errors_name_the_culprit() {
    let t = sbx_data::prepare::dataset_to_table(synthetic(100, 1));
    let e = prepare(
        &t,
        &PrepareOptions {
            genes: vec!["genea".into()],
            ..Default::default()
        },
    )
    .unwrap_err();
    assert!(e.to_string().contains("did you mean GeneA"), "{e}");
    let e = prepare(
        &t,
        &PrepareOptions {
            obs_columns: Some(vec!["nope".into()]),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert!(e.to_string().contains("obs column `nope` not found"), "{e}");
    let e = prepare(
        &t,
        &PrepareOptions {
            max_points: Some(0),
            ..Default::default()
        },
    )
    .unwrap_err();
    assert!(e.to_string().contains("at least 1"), "{e}");
}
