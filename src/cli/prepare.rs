//! `sbx prepare`: convert an h5ad file, a folder in one of the plain CSV/TXT
//! layouts, or an existing `.arrow` dataset into the Arrow dataset format,
//! choosing columns and genes and downsampling with a seeded stratified sample.
//! An .h5ad file is read in place with X streamed by blocks (sbx_data::prepare_streamed),
//! so memory follows the output rather than the input.

use super::progress::Reporter;
use anyhow::Context;
use sbx_data::{
    prepare, prepare_streamed, read_input, write_ipc, Metadata, PrepareOptions, UnitKind,
};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Input: an .h5ad file, a folder holding a known CSV/TXT layout, or an .arrow dataset.
    pub input: PathBuf,
    /// Output Arrow IPC file.
    #[arg(short, long)]
    pub output: PathBuf,
    /// Obs columns to keep (comma separated); default: every categorical and numeric column.
    #[arg(long, value_delimiter = ',')]
    pub obs: Option<Vec<String>>,
    /// Genes to keep, by name (comma separated).
    #[arg(long, value_delimiter = ',')]
    pub genes: Vec<String>,
    /// Also keep the N most variable genes (variance of log1p counts).
    #[arg(long, default_value_t = 0)]
    pub top_genes: usize,
    /// Keep every gene (default when the input is already an .arrow dataset and no genes are named).
    #[arg(long)]
    pub all_genes: bool,
    /// Downsample to at most this many points.
    #[arg(long)]
    pub max_points: Option<usize>,
    /// Categorical columns whose every category must stay represented when downsampling
    /// (comma separated); default: every kept categorical column.
    #[arg(long, value_delimiter = ',')]
    pub stratify: Option<Vec<String>>,
    /// Seed of the downsampling (recorded in the file's metadata).
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Do not add a `total_counts` column computed from the expression matrix.
    #[arg(long)]
    pub no_total_counts: bool,
    /// Override the platform recorded in the metadata.
    #[arg(long)]
    pub platform: Option<String>,
    /// Override the unit kind: cell, spot, bead or tixel.
    #[arg(long)]
    pub unit_kind: Option<String>,
    /// Override the spot/bead diameter, in coordinate units.
    #[arg(long)]
    pub unit_size: Option<f32>,
    /// Override the coordinate unit (e.g. um, px).
    #[arg(long)]
    pub coord_unit: Option<String>,
    /// Values of X (non-zeros, or cells when dense) read per block from an .h5ad:
    /// memory against the number of reads.
    #[arg(long, default_value_t = sbx_data::h5ad::stream::DEFAULT_BLOCK_VALUES)]
    pub block_values: usize,
    /// Hide the progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut reporter = Reporter::new(args.quiet);
    reporter.stage(&format!("reading {}", args.input.display()));
    let input = args.input.display().to_string();
    let is_arrow = args.input.extension().is_some_and(|e| e == "arrow");
    let all_genes = args.all_genes || (is_arrow && args.genes.is_empty() && args.top_genes == 0);
    let opts = PrepareOptions {
        all_genes,
        obs_columns: args.obs.clone(),
        genes: args.genes.clone(),
        top_genes: args.top_genes,
        max_points: args.max_points,
        stratify_by: args.stratify.clone(),
        seed: args.seed,
        add_total_counts: !args.no_total_counts,
    };
    let mut streamed = None;
    let ds = if is_hdf5_file(&args.input) {
        let (src, mut table) = sbx_data::h5ad::open_h5ad_file(&args.input)
            .with_context(|| format!("reading {input}"))?;
        apply_overrides(&mut table.meta, &args)?;
        let (ds, report) =
            prepare_streamed(&src, &input, &table, &opts, args.block_values, &mut |p| {
                reporter.progress(p)
            })
            .with_context(|| format!("reading {input}"))?;
        streamed = Some(report);
        ds
    } else {
        let mut table = read_input(&args.input).with_context(|| format!("reading {input}"))?;
        apply_overrides(&mut table.meta, &args)?;
        reporter.stage(&format!(
            "selecting columns and sampling {} units",
            table.n_units()
        ));
        prepare(&table, &opts)?
    };
    reporter.stage(&format!("writing {}", args.output.display()));
    let bytes = write_ipc(&ds)?;
    std::fs::write(&args.output, &bytes)
        .with_context(|| format!("writing {}", args.output.display()))?;
    reporter.finish();
    if !args.quiet {
        eprintln!(
            "wrote {}: {} rows, {} categorical and {} numeric columns ({} genes), {:.1} MB",
            args.output.display(),
            ds.len(),
            ds.categorical.len(),
            ds.numeric.len(),
            ds.genes().count(),
            bytes.len() as f64 / 1e6
        );
        if let Some(r) = streamed {
            eprintln!(
                "read X in {} pass(es), largest block {:.1} MB",
                r.passes,
                r.largest_block_bytes as f64 / 1e6
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A file (not a folder) starting with the HDF5 signature: read in place.
fn is_hdf5_file(path: &Path) -> bool {
    use std::io::Read;
    let mut sig = [0u8; 8];
    path.is_file()
        && std::fs::File::open(path)
            .and_then(|mut f| f.read_exact(&mut sig))
            .is_ok()
        && &sig == b"\x89HDF\r\n\x1a\n"
}

fn apply_overrides(meta: &mut Metadata, args: &Args) -> anyhow::Result<()> {
    if let Some(p) = &args.platform {
        meta.platform = p.clone();
    }
    if let Some(k) = args.unit_kind.as_deref() {
        meta.unit_kind = UnitKind::parse(k)
            .with_context(|| format!("--unit-kind `{k}`: expected cell, spot, bead or tixel"))?;
    }
    if let Some(s) = args.unit_size {
        anyhow::ensure!(
            s.is_finite() && s > 0.0,
            "--unit-size must be a positive number"
        );
        meta.unit_size = Some(s);
    }
    if let Some(u) = &args.coord_unit {
        meta.coord_unit = u.clone();
    }
    Ok(())
}
