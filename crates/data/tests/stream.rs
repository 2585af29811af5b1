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

/// A dense X with no genes, a one-row file and an indptr claiming more entries than a
/// row has genes: clear results or errors, no panic.
#[test]
fn edge_shapes_are_handled() {
    use sbx_data::h5ad::stream::XStream;
    use sbx_data::h5ad::{ElemKind, H5Source, NodeKind};

    /// A dense or CSR X held in memory.
    struct Fake {
        dense: Option<(Vec<u64>, Vec<f64>)>,
        indptr: Vec<i64>,
    }
    impl H5Source for Fake {
        fn kind(&self, path: &str) -> Option<NodeKind> {
            match (path, self.dense.is_some()) {
                ("/X", true)
                | ("/X/data", false)
                | ("/X/indices", false)
                | ("/X/indptr", false) => Some(NodeKind::Dataset),
                ("/X", false) => Some(NodeKind::Group),
                _ => None,
            }
        }
        fn members(&self, _: &str) -> Result<Vec<String>, String> {
            Ok(vec![])
        }
        fn attr_string(&self, path: &str, name: &str) -> Option<String> {
            (path == "/X" && name == "encoding-type").then(|| "csr_matrix".into())
        }
        fn attr_strings(&self, _: &str, _: &str) -> Option<Vec<String>> {
            None
        }
        fn attr_ints(&self, _: &str, _: &str) -> Option<Vec<i64>> {
            None
        }
        fn shape(&self, path: &str) -> Result<Vec<u64>, String> {
            match (path, &self.dense) {
                ("/X", Some((shape, _))) => Ok(shape.clone()),
                ("/X/indptr", _) => Ok(vec![self.indptr.len() as u64]),
                _ => Ok(vec![*self.indptr.last().unwrap() as u64]),
            }
        }
        fn elem_kind(&self, _: &str) -> Result<ElemKind, String> {
            Ok(ElemKind::Float)
        }
        fn read_f64(&self, path: &str) -> Result<Vec<f64>, String> {
            match (path, &self.dense) {
                ("/X", Some((_, v))) => Ok(v.clone()),
                _ => Ok(vec![1.0; *self.indptr.last().unwrap() as usize]),
            }
        }
        fn read_i64(&self, _: &str) -> Result<Vec<i64>, String> {
            Ok(self.indptr.clone())
        }
        fn read_strings(&self, _: &str) -> Result<Vec<String>, String> {
            Ok(vec![])
        }
    }

    let no_genes = Fake {
        dense: Some((vec![3, 0], vec![])),
        indptr: vec![],
    };
    let mut s = XStream::open(&no_genes, 3, 0).unwrap();
    let mut rows = 0;
    s.for_each_block(None, &mut |_, _| {}, &mut |b| rows += b.ptr.len() - 1)
        .unwrap();
    assert_eq!(rows, 3);

    let greedy = Fake {
        dense: None,
        indptr: vec![0, 2, 9],
    };
    let mut s = XStream::open(&greedy, 2, 4).unwrap().with_block_values(1);
    let err = s
        .for_each_block(None, &mut |_, _| {}, &mut |_| {})
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("X rows 1..2 (block 2 of 2; rows 0..1 of 2 were read)"),
        "{err}"
    );
    assert!(
        err.contains("7 entries to one row, more than its 4 genes"),
        "{err}"
    );
}
