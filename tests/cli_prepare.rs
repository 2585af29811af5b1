//! `sbx prepare` on every dataset in ../shared/spatial-data: row counts,
//! categories and a few gene values checked against the source files
//! (numbers from each SOURCE.txt and values read from the raw text here).
//! This is an acceptance test: it fails if ../shared is absent.

use sbx_data::{read_ipc, Dataset, UnitKind};
use std::path::{Path, PathBuf};
use std::process::Command;

fn shared() -> PathBuf {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/spatial-data");
    assert!(
        p.is_dir(),
        "../shared/spatial-data is missing: this acceptance test needs it ({})",
        p.display()
    );
    p
}

fn prepare(input: &Path, extra: &[&str]) -> Dataset {
    let out = std::env::temp_dir().join(format!(
        "sbx-prepare-{}-{}.arrow",
        std::process::id(),
        input.file_name().unwrap().to_string_lossy()
    ));
    let status = Command::new(env!("CARGO_BIN_EXE_sbx"))
        .arg("prepare")
        .arg(input)
        .arg("-o")
        .arg(&out)
        .arg("--quiet")
        .args(extra)
        .output()
        .expect("run sbx");
    assert!(
        status.status.success(),
        "sbx prepare {} failed: {}",
        input.display(),
        String::from_utf8_lossy(&status.stderr)
    );
    let bytes = std::fs::read(&out).unwrap();
    let _ = std::fs::remove_file(&out);
    read_ipc(&bytes).unwrap_or_else(|e| panic!("{}: {e}", input.display()))
}

fn counts_of(ds: &Dataset, col: &str) -> Vec<(String, usize)> {
    let c = ds
        .categorical(col)
        .unwrap_or_else(|| panic!("no column {col}"));
    let mut v: Vec<(String, usize)> = c.categories.iter().cloned().zip(c.counts()).collect();
    v.sort();
    v
}

fn count(ds: &Dataset, col: &str, label: &str) -> usize {
    counts_of(ds, col)
        .into_iter()
        .find(|(l, _)| l == label)
        .map(|x| x.1)
        .unwrap_or(0)
}

fn gene<'a>(ds: &'a Dataset, name: &str) -> &'a [f32] {
    &ds.numeric(name)
        .unwrap_or_else(|| panic!("no gene column {name}"))
        .values
}

#[test]
fn visium_prostate_two_samples() {
    let d = shared().join("visium/giottodata_prostate_ffpe_NP_CP");
    let ds = prepare(&d, &["--genes", "A4GALT"]);
    assert_eq!(ds.len(), 2327);
    assert_eq!(
        (count(&ds, "sample", "NP"), count(&ds, "sample", "CP")),
        (987, 1340)
    );
    assert_eq!(ds.meta.unit_kind, UnitKind::Spot);
    // First five NP spots in expression_matrix.txt.gz: A4GALT 0 0 0 0 1; spatial_locs lists the same spots first.
    assert_eq!(&gene(&ds, "A4GALT")[..5], &[0.0, 0.0, 0.0, 0.0, 1.0]);
    assert_eq!((ds.x[0], ds.y[0]), (11334.0, -4450.0));
    // Same data through the derived h5ad.
    let h = prepare(
        &d.join("derived_visium_prostate_NP_CP.h5ad"),
        &["--genes", "A4GALT"],
    );
    assert_eq!(h.len(), 2327);
    let total_plain: f64 = gene(&ds, "A4GALT").iter().map(|&v| v as f64).sum();
    let total_h5: f64 = gene(&h, "A4GALT").iter().map(|&v| v as f64).sum();
    assert_eq!(total_plain, total_h5);
}

#[test]
fn visium_mouse_brain_mini() {
    let d = shared().join("visium/giottodata_mouse_brain_mini");
    let ds = prepare(&d, &["--genes", "Gna12", "--top-genes", "5"]);
    assert_eq!(ds.len(), 624);
    assert_eq!(ds.genes().count(), 6);
    // visium_DG_expr.txt.gz: Gna12 1 2 1 1 9 …; visium_DG_locs.txt first row 5477 -4125.
    assert_eq!(&gene(&ds, "Gna12")[..5], &[1.0, 2.0, 1.0, 1.0, 9.0]);
    assert_eq!((ds.x[0], ds.y[0]), (5477.0, -4125.0));
    let spot = ds.meta.unit_size.unwrap();
    assert!((spot - 89.444_76).abs() < 1e-3, "{spot}");
    let h = prepare(
        &d.join("derived_visium_mouse_brain_DG.h5ad"),
        &["--genes", "Gna12"],
    );
    assert_eq!(h.len(), 624);
}

#[test]
fn merfish_vizgen_polygons_match_the_derived_h5ad() {
    let d = shared().join("merfish/giottodata_vizgen_mouse_brain_mini");
    let ds = prepare(&d, &["--top-genes", "494"]);
    // SOURCE.txt: 481 cells x 494 features after point-in-polygon.
    assert_eq!(ds.len(), 481);
    assert_eq!(ds.genes().count(), 494);
    let h = prepare(
        &d.join("derived_vizgen_cell_by_gene.h5ad"),
        &["--top-genes", "494"],
    );
    assert_eq!(h.len(), 481);
    for i in [0usize, 100, 480] {
        assert!(
            (ds.x[i] - h.x[i]).abs() < 1e-2 && (ds.y[i] - h.y[i]).abs() < 1e-2,
            "centroid {i}"
        );
    }
    for g in ["Gprc5b", "Mlc1"] {
        assert_eq!(gene(&ds, g), gene(&h, g), "gene {g}");
    }
    // derived h5ad: the first three cells hold 55, 132 and 53 transcripts.
    assert_eq!(
        &ds.numeric("total_counts").unwrap().values[..3],
        &[55.0, 132.0, 53.0]
    );
}

#[test]
fn merfish_moffitt() {
    let d = shared().join("merfish/spacexr_moffitt_hypothalamus_vignette");
    let ds = prepare(&d, &["--top-genes", "3"]);
    assert_eq!(ds.len(), 750);
    assert!((ds.x[0] - 1_225.409_6).abs() < 1e-3 && (ds.y[0] + 3825.6948).abs() < 1e-3);
    let h = prepare(
        &d.join("derived_merfish_vignette.h5ad"),
        &["--top-genes", "3"],
    );
    assert_eq!(h.len(), 750);
    assert_eq!(
        ds.genes().collect::<Vec<_>>(),
        h.genes().collect::<Vec<_>>()
    );
}

#[test]
fn xenium_two_replicates() {
    let d = shared().join("xenium/jazzPanda_breast_rep1_rep2");
    let ds = prepare(&d, &["--genes", "AQP1,CCDC80"]);
    assert_eq!(ds.len(), 1705 + 1815);
    assert_eq!(
        (count(&ds, "sample", "rep1"), count(&ds, "sample", "rep2")),
        (1705, 1815)
    );
    let types: Vec<String> = counts_of(&ds, "cell_type")
        .into_iter()
        .map(|x| x.0)
        .collect();
    assert_eq!(
        types,
        [
            "B_Cells",
            "DCIS",
            "Endothelial",
            "Macrophages",
            "Myoepithelial",
            "Stromal",
            "T_Cells",
            "Tumor"
        ]
    );
    // rep1_clusters.csv rows 1-2 are cells 163 and 166; rep1 counts: AQP1 0 and 4, CCDC80 0 and 0.
    assert_eq!(&gene(&ds, "AQP1")[..2], &[0.0, 4.0]);
    assert_eq!(&gene(&ds, "CCDC80")[..2], &[0.0, 0.0]);
    // Downsampled, both replicates and all 8 types stay.
    let small = prepare(&d, &["--max-points", "40", "--seed", "3"]);
    assert_eq!(small.len(), 40);
    assert_eq!(counts_of(&small, "cell_type").len(), 8);
    assert_eq!(counts_of(&small, "sample").len(), 2);
    assert_eq!(small.meta.downsampling.as_ref().unwrap().seed, 3);
}

#[test]
fn slideseq_crawdad_classes() {
    let d = shared().join("slideseq/crawdad_cerebellum_puck190926_08");
    let ds = prepare(&d, &[]);
    assert_eq!(ds.len(), 10098);
    assert_eq!(ds.categorical("cell_type").unwrap().categories.len(), 19);
    assert_eq!(count(&ds, "cell_type", "Granule"), 5643);
    assert_eq!(count(&ds, "cell_type", "Bergmann"), 933);
    assert_eq!(count(&ds, "cell_type", "Purkinje"), 571);
    assert_eq!(ds.meta.unit_kind, UnitKind::Bead);
    // Every class survives a 200-point sample, rare ones included.
    let small = prepare(&d, &["--max-points", "200"]);
    assert_eq!(small.len(), 200);
    assert_eq!(
        small
            .categorical("cell_type")
            .unwrap()
            .counts()
            .iter()
            .filter(|&&c| c > 0)
            .count(),
        19
    );
}

#[test]
fn slideseq_meringue_and_spacexr() {
    let ds = prepare(
        &shared().join("slideseq/meringue_purkinje_slideseq"),
        &["--top-genes", "2"],
    );
    assert_eq!(ds.len(), 883);
    assert!((ds.x[0] - 3473.5538).abs() < 1e-2 && (ds.y[0] - 4668.7384).abs() < 1e-2);
    let v = prepare(
        &shared().join("slideseq/spacexr_vignette_cerebellum"),
        &["--top-genes", "2"],
    );
    // SOURCE.txt says 99 beads, but both BeadLocationsForR.csv and MappedDGEForR.csv hold 100
    // (header of 100 barcodes, the same set in both files), so 100 is the source's truth.
    assert_eq!(v.len(), 100);
    assert!((v.x[0] - 3411.2727).abs() < 1e-2);
}

#[test]
fn dbit_tixels() {
    let ds = prepare(&shared().join("dbit/atlasxomics_barcodeqc_example"), &[]);
    assert_eq!(ds.len(), 48400);
    assert_eq!(count(&ds, "on_tissue", "on"), 44509);
    assert_eq!(ds.meta.unit_kind, UnitKind::Tixel);
    // Row 0 of the chip is drawn at the top.
    assert!(ds.meta.y_down);
    assert_eq!(ds.bounds().unwrap(), [0.0, 0.0, 219.0, 219.0]);
}

#[test]
fn unknown_gene_and_folder_are_clear_errors() {
    let out = Command::new(env!("CARGO_BIN_EXE_sbx"))
        .args(["prepare", "--quiet", "-o", "/dev/null", "--genes", "NOPE"])
        .arg(shared().join("slideseq/spacexr_vignette_cerebellum"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("gene `NOPE` not found"));
}

/// The h5ad fixture of tests/fixtures/h5ad/make_rows.py: X is written last, so the cut
/// falls in X/data and the pass over X stops part-way.
#[test]
fn truncated_h5ad_says_how_far_it_got() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/h5ad/stream_csr.h5ad");
    let mut bytes = std::fs::read(fixture).unwrap();
    bytes.truncate(205_000);
    let input = std::env::temp_dir().join(format!("sbx-truncated-{}.h5ad", std::process::id()));
    std::fs::write(&input, bytes).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_sbx"))
        .args([
            "prepare",
            "-o",
            "/dev/null",
            "--top-genes",
            "3",
            "--block-values",
            "500",
        ])
        .arg(&input)
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&input);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    // Progress lines (stderr is not a terminal here), then the error naming the block.
    assert!(stderr.contains("rows read"), "{stderr}");
    assert!(
        stderr.contains("reading X rows 870..931 (block 15 of 33; rows 0..870 of 2000 were read)"),
        "{stderr}"
    );
    assert!(stderr.contains("unexpected end of data"), "{stderr}");
}
