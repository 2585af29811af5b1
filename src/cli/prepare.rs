//! `sbx prepare`: convert an h5ad file, a folder in one of the plain CSV/TXT
//! layouts, or an existing `.arrow` dataset into the Arrow dataset format,
//! choosing columns and genes and downsampling with a seeded stratified sample.

use anyhow::Context;
use sbx_data::{prepare, read_input, write_ipc, PrepareOptions, UnitKind};
use std::path::PathBuf;
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
    /// Hide the progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let bar = if args.quiet {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::new(3)
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} [{bar:20}] {pos}/{len} {msg} ({elapsed})",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar.set_message(format!("reading {}", args.input.display()));
    let mut table =
        read_input(&args.input).with_context(|| format!("reading {}", args.input.display()))?;
    if let Some(p) = args.platform {
        table.meta.platform = p;
    }
    if let Some(k) = args.unit_kind.as_deref() {
        table.meta.unit_kind = UnitKind::parse(k)
            .with_context(|| format!("--unit-kind `{k}`: expected cell, spot, bead or tixel"))?;
    }
    if let Some(s) = args.unit_size {
        anyhow::ensure!(
            s.is_finite() && s > 0.0,
            "--unit-size must be a positive number"
        );
        table.meta.unit_size = Some(s);
    }
    if let Some(u) = args.coord_unit {
        table.meta.coord_unit = u;
    }
    bar.inc(1);
    bar.set_message(format!(
        "selecting columns and sampling {} units",
        table.n_units()
    ));
    let is_arrow = args.input.extension().is_some_and(|e| e == "arrow");
    let all_genes = args.all_genes || (is_arrow && args.genes.is_empty() && args.top_genes == 0);
    let opts = PrepareOptions {
        all_genes,
        obs_columns: args.obs,
        genes: args.genes,
        top_genes: args.top_genes,
        max_points: args.max_points,
        stratify_by: args.stratify,
        seed: args.seed,
        add_total_counts: !args.no_total_counts,
    };
    let ds = prepare(&table, &opts)?;
    bar.inc(1);
    bar.set_message(format!("writing {}", args.output.display()));
    let bytes = write_ipc(&ds)?;
    std::fs::write(&args.output, &bytes)
        .with_context(|| format!("writing {}", args.output.display()))?;
    bar.inc(1);
    bar.finish_and_clear();
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
    }
    Ok(ExitCode::SUCCESS)
}
