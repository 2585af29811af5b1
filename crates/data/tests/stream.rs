//! `prepare_streamed` (h5ad read in place, X by blocks) against `prepare` on the
//! whole file: same datasets, a bounded block buffer, and errors that say how far
//! the pass got. stream_csr.h5ad comes from tests/fixtures/h5ad/make_rows.py
//! (2000 x 40 CSR, 15922 non-zeros, gzip chunks of 1000 values, X written last).

use sbx_data::h5ad::{open_h5ad_file, read_h5ad_bytes};
use sbx_data::{prepare, prepare_streamed, Dataset, PrepareOptions, StreamReport};
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/h5ad")
        .join(name)
}

fn streamed(
    path: &Path,
    opts: &PrepareOptions,
    block: usize,
) -> sbx_data::error::Result<(Dataset, StreamReport)> {
    let (src, table) = open_h5ad_file(path)?;
    prepare_streamed(&src, "f.h5ad", &table, opts, block, &mut |_| {})
}

fn in_memory(path: &Path, opts: &PrepareOptions) -> Dataset {
    let mut t = read_h5ad_bytes("f.h5ad", std::fs::read(path).unwrap()).unwrap();
    t.meta.name = path.file_stem().unwrap().to_string_lossy().into();
    t.meta.source = path.file_name().unwrap().to_string_lossy().into();
    prepare(&t, opts).unwrap()
}

fn option_sets() -> Vec<PrepareOptions> {
    let base = PrepareOptions {
        add_total_counts: true,
        seed: 5,
        ..Default::default()
    };
    vec![
        PrepareOptions {
            top_genes: 4,
            max_points: Some(37),
            ..base.clone()
        },
        PrepareOptions {
            genes: vec!["g3".into(), "Gene3".into()],
            ..base.clone()
        },
        PrepareOptions {
            all_genes: true,
            max_points: Some(25),
            ..base.clone()
        },
        PrepareOptions {
            add_total_counts: false,
            max_points: Some(10),
            ..base
        },
    ]
}

#[test]
fn same_dataset_as_the_whole_file_read_for_every_layout() {
    for name in [
        "stream_csr.h5ad",
        "csr_lzf.h5ad",
        "csc_lzf.h5ad",
        "dense_gzip.h5ad",
    ] {
        let path = fixture(name);
        for (i, mut opts) in option_sets().into_iter().enumerate() {
            // Named genes differ between the two generators: keep those that exist.
            let prefix = if name == "stream_csr.h5ad" {
                "g"
            } else {
                "Gene"
            };
            opts.genes
                .retain(|g| g.starts_with(prefix) && g[prefix.len()..].parse::<u32>().is_ok());
            let want = in_memory(&path, &opts);
            for block in [1, 7, 100, 1 << 20] {
                let (got, _) = streamed(&path, &opts, block).unwrap();
                assert_eq!(got, want, "{name}, options #{i}, block {block}");
            }
        }
    }
}

#[test]
fn the_block_buffer_stays_within_its_budget() {
    let path = fixture("stream_csr.h5ad");
    let opts = PrepareOptions {
        top_genes: 5,
        max_points: Some(100),
        add_total_counts: true,
        ..Default::default()
    };
    let nnz = 15922;
    let x_bytes = nnz * 16; // data and indices decoded as 8-byte values
    let (ds, r) = streamed(&path, &opts, 500).unwrap();
    assert_eq!(ds.len(), 100);
    assert_eq!(r.passes, 2);
    // A block holds whole rows up to 500 values; rows have at most 40.
    assert!(
        r.largest_block_bytes > 0 && r.largest_block_bytes <= 500 * 16,
        "{r:?}"
    );
    assert!(r.largest_block_bytes * 20 < x_bytes, "{r:?}");
    // The accounting is real: with a budget above nnz, the one block is all of X.
    let (_, whole) = streamed(&path, &opts, 1 << 20).unwrap();
    assert_eq!(whole.largest_block_bytes, x_bytes);
}

#[test]
fn progress_reaches_every_row() {
    let (src, table) = open_h5ad_file(&fixture("stream_csr.h5ad")).unwrap();
    let opts = PrepareOptions {
        genes: vec!["g1".into()],
        ..Default::default()
    };
    let mut seen = Vec::new();
    prepare_streamed(&src, "f", &table, &opts, 1000, &mut |p| {
        seen.push((p.done, p.total, p.unit))
    })
    .unwrap();
    assert_eq!(seen.first(), Some(&(0, 2000, "rows")));
    assert_eq!(seen.last(), Some(&(2000, 2000, "rows")));
    assert!(seen.len() > 10 && seen.windows(2).all(|w| w[0].0 <= w[1].0));
}

fn damaged(tag: &str, edit: impl FnOnce(&mut Vec<u8>)) -> PathBuf {
    let mut bytes = std::fs::read(fixture("stream_csr.h5ad")).unwrap();
    edit(&mut bytes);
    let p = std::env::temp_dir().join(format!("sbx-stream-{tag}-{}.h5ad", std::process::id()));
    std::fs::write(&p, bytes).unwrap();
    p
}

/// The error of a pass over X names the rows of the block it failed on and how many came before.
fn assert_says_how_far(msg: &str) {
    let at = msg
        .find("reading X rows ")
        .unwrap_or_else(|| panic!("{msg}"));
    let rest = &msg[at + "reading X rows ".len()..];
    let first: usize = rest.split("..").next().unwrap().parse().unwrap();
    assert!(first > 0 && first < 2000, "{msg}");
    assert!(
        msg.contains(&format!("rows 0..{first} of 2000 were read")),
        "{msg}"
    );
    assert!(msg.contains("(block "), "{msg}");
}

#[test]
fn a_truncated_file_says_which_rows_it_reached() {
    // X/data's chunks are the last bytes of the file; cut in the middle of them.
    let p = damaged("trunc", |b| b.truncate(205_000));
    let err = streamed(
        &p,
        &PrepareOptions {
            top_genes: 2,
            ..Default::default()
        },
        500,
    )
    .unwrap_err()
    .to_string();
    let _ = std::fs::remove_file(&p);
    assert_says_how_far(&err);
}

#[test]
fn a_corrupt_chunk_says_which_rows_it_reached() {
    // Garbage over one compressed chunk of X/data (chunk 8 of 16 starts past byte 204 000).
    let p = damaged("corrupt", |b| {
        for x in &mut b[204_500..204_700] {
            *x ^= 0x5a;
        }
    });
    let err = streamed(
        &p,
        &PrepareOptions {
            genes: vec!["g0".into()],
            ..Default::default()
        },
        500,
    )
    .unwrap_err()
    .to_string();
    let _ = std::fs::remove_file(&p);
    assert_says_how_far(&err);
}
