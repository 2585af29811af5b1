//! `sbx datasets`: a small collection with one good and one broken folder is
//! added to a site's dataset folder; the good one is prepared and listed with
//! its SOURCE.txt, the broken one is reported and the rest goes on; the
//! real ../shared/spatial-data gives nine datasets in µm and the three
//! targeted panels' composition.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("sbx-datasets-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn run(out: &Path, data: &Path) -> (String, Value) {
    let o = Command::new(env!("CARGO_BIN_EXE_sbx"))
        .arg("datasets")
        .arg(out)
        .arg("--spatial-data")
        .arg(data)
        .output()
        .expect("run sbx");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let index = std::fs::read(out.join("index.json")).unwrap();
    (
        String::from_utf8_lossy(&o.stdout).to_string(),
        serde_json::from_slice(&index).unwrap(),
    )
}

#[test]
fn a_broken_folder_is_reported_and_the_rest_is_prepared() {
    let data = tmp("data");
    let good = data.join("merfish/tiny");
    std::fs::create_dir_all(&good).unwrap();
    std::fs::write(
        good.join("SOURCE.txt"),
        "Origin: example.org @ 1\nLicense: CC0. Underlying: Someone et al. 2020.\nContent: three cells.\n",
    )
    .unwrap();
    std::fs::write(good.join("coords.csv"), ",x,y\nc1,0,0\nc2,10,0\nc3,0,10\n").unwrap();
    std::fs::write(
        good.join("counts.csv"),
        ",c1,c2,c3\nA,5,1,0\nB,1,4,2\nC,0,1,6\n",
    )
    .unwrap();
    let bad = data.join("visium/broken");
    std::fs::create_dir_all(&bad).unwrap();
    std::fs::write(bad.join("SOURCE.txt"), "Origin: nowhere\n").unwrap();
    let out = tmp("out");
    std::fs::write(
        out.join("index.json"),
        r#"{"datasets":[{"id":"sim","file":"datasets/sim.arrow","simulated":true}]}"#,
    )
    .unwrap();

    let (stdout, index) = run(&out, &data);
    assert!(
        stdout.contains("not prepared: ") && stdout.contains("broken"),
        "{stdout}"
    );
    assert_eq!(index["not_prepared"].as_array().unwrap().len(), 1);
    let ds = index["datasets"].as_array().unwrap();
    assert_eq!(
        ds.len(),
        2,
        "the simulated entry stays, the good folder is added"
    );
    let tiny = ds.iter().find(|e| e["id"] == "tiny").unwrap();
    assert_eq!(tiny["licence"], "CC0");
    assert_eq!(tiny["citation"], "Someone et al. 2020.");
    assert_eq!(tiny["simulated"], false);
    assert_eq!(tiny["rows"], 3);
    assert!(out.join("tiny.arrow").is_file());
    let comp: Value =
        serde_json::from_slice(&std::fs::read(out.join("panel-composition.json")).unwrap())
            .unwrap();
    // MERFISH is a targeted panel: per-cell shares of the three cells' own top gene are
    // 5/6, 4/6 and 6/8; their median is 6/8.
    let g = &comp["datasets"][0]["composition"]["groups"][0];
    assert!(
        (g["median_cell_top1"].as_f64().unwrap() - 6.0 / 8.0).abs() < 1e-12,
        "{g}"
    );
    assert!(out.join("true-scale.svg").is_file());
}

#[test]
fn the_shared_collection_gives_nine_datasets_in_micrometres() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/spatial-data");
    assert!(
        data.is_dir(),
        "../shared/spatial-data is missing: this acceptance test needs it"
    );
    let out = tmp("shared");
    let (_, index) = run(&out, &data);
    let ds = index["datasets"].as_array().unwrap();
    assert_eq!(ds.len(), 9);
    assert_eq!(index["not_prepared"].as_array().unwrap().len(), 0);
    for e in ds {
        assert!(!e["licence"].as_str().unwrap().is_empty(), "{}", e["id"]);
        assert!(!e["origin"].as_str().unwrap().is_empty(), "{}", e["id"]);
    }
    let by = |id: &str| ds.iter().find(|e| e["id"] == id).unwrap().clone();
    // Visium spots 55 µm and Slide-seq beads 10 µm, once the pixels are put in µm.
    assert_eq!(by("giottodata_mouse_brain_mini")["unit_size_um"], 55.0);
    assert_eq!(by("meringue_purkinje_slideseq")["unit_size_um"], 10.0);
    assert_eq!(by("jazzPanda_breast_rep1_rep2")["color"], "cell_type");
    assert_eq!(by("crawdad_cerebellum_puck190926_08")["color"], "cell_type");
    assert_eq!(by("giottodata_prostate_ffpe_NP_CP")["color"], "sample");
    assert_eq!(index["true_scale"]["simulated"], false);
    let comp: Value =
        serde_json::from_slice(&std::fs::read(out.join("panel-composition.json")).unwrap())
            .unwrap();
    assert_eq!(comp["datasets"].as_array().unwrap().len(), 3);
}
