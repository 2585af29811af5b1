//! `sbx demo`: writes the simulated demo content (Arrow datasets, eval JSONs,
//! runs) that the site's built-in bundle is made from.

use crate::demo::{build_demo, DEFAULT_SEED};
use anyhow::Context;
use sbx_kernels::sim::ScenarioKind;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Output folder (created; files in it are overwritten).
    #[arg(short, long)]
    out: PathBuf,
    /// Seed of the simulation.
    #[arg(long, default_value_t = DEFAULT_SEED)]
    seed: u64,
    /// Only these scenarios (pseudoreplication, normalization,
    /// batch_integration, spatial_units, niche_discovery).
    #[arg(long, value_delimiter = ',')]
    only: Vec<String>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let kinds: Vec<ScenarioKind> = if args.only.is_empty() {
        ScenarioKind::ALL.to_vec()
    } else {
        args.only
            .iter()
            .map(|id| {
                ScenarioKind::ALL
                    .into_iter()
                    .find(|k| k.id() == id)
                    .with_context(|| format!("unknown scenario '{id}'"))
            })
            .collect::<anyhow::Result<_>>()?
    };
    let bar = indicatif::ProgressBar::new(kinds.len() as u64);
    bar.set_style(indicatif::ProgressStyle::with_template(
        "{bar:30} {pos}/{len} scenarios  {msg}",
    )?);
    let mut first = true;
    let files = build_demo(&kinds, args.seed, &mut |id| {
        if !first {
            bar.inc(1);
        }
        first = false;
        bar.set_message(format!("simulating and analysing {id}"));
    })
    .map_err(anyhow::Error::msg)?;
    bar.finish_and_clear();
    for f in &files {
        let path = args.out.join(&f.path);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("creating {}", parent.display()))?;
        }
        std::fs::write(&path, &f.bytes).with_context(|| format!("writing {}", path.display()))?;
    }
    let bytes: usize = files.iter().map(|f| f.bytes.len()).sum();
    println!(
        "wrote {} files ({:.1} MB) of simulated demo content for {} scenarios (seed {}) to {}",
        files.len(),
        bytes as f64 / 1e6,
        kinds.len(),
        args.seed,
        args.out.display()
    );
    Ok(ExitCode::SUCCESS)
}
