//! `sbx bundle DIR... -o OUT/`: load benchmark folders and write the static
//! bundle the site fetches (layout and how to add it to a built site: see
//! `sbx_suite::bundle`).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use sbx_suite::bundle::{build_bundle_with, read_manifest, PART_BYTES};
use sbx_suite::{load_suites, read_folder, unique_suite_name, IssueLevel, LoadIssue, Suite};

#[derive(clap::Args)]
pub struct Args {
    /// Benchmark folders (a clone of spatialbench, scbench, …, or a folder holding several).
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,
    /// Output folder for manifest.json and the bundle files.
    #[arg(short, long)]
    pub out: PathBuf,
    /// Split trajectories into parts of about this many bytes.
    #[arg(long, default_value_t = PART_BYTES)]
    pub part_bytes: usize,
    /// Exit with status 1 when any file could not be loaded (the bundle is still written).
    #[arg(long)]
    pub strict: bool,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let mut suites: Vec<Suite> = Vec::new();
    let mut issues: Vec<LoadIssue> = Vec::new();
    for dir in &args.dirs {
        let files = read_folder(dir).with_context(|| format!("cannot read {}", dir.display()))?;
        let bar = ProgressBar::new(files.len() as u64);
        bar.set_style(
            ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} files")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.set_message(format!("loading {}", dir.display()));
        let (mut loaded, mut found) = load_suites(files.into_iter(), &mut |done, _| {
            bar.set_position(done as u64)
        });
        bar.finish_and_clear();
        if loaded.is_empty() {
            anyhow::bail!(
                "{}: no benchmark files found (expected evals*/, results/ or trajectories/ folders)",
                dir.display()
            );
        }
        // Folders given separately may share a name; suite names must not.
        for s in &mut loaded {
            s.name = unique_suite_name(&s.name, |n| suites.iter().any(|x| x.name == n));
        }
        suites.append(&mut loaded);
        issues.append(&mut found);
    }
    for i in &issues {
        eprintln!("{i}");
    }

    let built = build_bundle_with(&suites, &issues, args.part_bytes.max(1))?;
    remove_previous_bundle(&args.out)?;
    let mut total = 0usize;
    for (path, bytes) in &built.files {
        let dest = args.out.join(path);
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&dest, bytes).with_context(|| format!("cannot write {}", dest.display()))?;
        total += bytes.len();
    }
    for s in &built.manifest.suites {
        println!(
            "{}: {} evals, {} runs, {} trajectories, {} results tables",
            s.name, s.n_evals, s.n_runs, s.n_trajectories, s.n_results_tables
        );
    }
    let errors = issues
        .iter()
        .filter(|i| i.level == IssueLevel::Error)
        .count();
    println!(
        "wrote {} files ({:.1} MB) to {}; {} load errors, {} warnings",
        built.files.len(),
        total as f64 / 1e6,
        args.out.display(),
        errors,
        issues.len() - errors
    );
    Ok(if args.strict && errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Removes the files an earlier bundle in `out` listed, so parts that no
/// longer exist do not linger. Anything else in the folder is left alone.
fn remove_previous_bundle(out: &Path) -> anyhow::Result<()> {
    let Ok(bytes) = std::fs::read(out.join("manifest.json")) else {
        return Ok(());
    };
    let Ok(old) = read_manifest(&bytes) else {
        return Ok(());
    };
    for f in &old.files {
        // read_manifest has checked that paths are relative and without `..`.
        let _ = std::fs::remove_file(out.join(&f.path));
    }
    Ok(())
}
