//! The `sbx` command line: one module per subcommand, each with its `Args`
//! and a `run` that returns the process exit code.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

pub mod bundle;
pub mod datasets;
pub mod demo;
pub mod findings;
pub mod grade;
pub mod lint;
pub mod prepare;
mod progress;
pub mod regrade;

#[derive(Parser)]
#[command(name = "sbx", version = crate::VERSION, about = "SpatialBench Explorer command line")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Grade JSON Lines cases ({"grader":…, "answer":…}) and print one verdict per line.
    Grade(grade::Args),
    /// Regrade every run found under a benchmark folder.
    Regrade(regrade::Args),
    /// Check eval JSONs for graders that do not do what their task says.
    Lint(lint::Args),
    /// Write a static bundle of a benchmark folder for the site.
    Bundle(bundle::Args),
    /// Find the failure classes in every run with a trajectory (table, or JSON with --json).
    Findings(findings::Args),
    /// Write the simulated demo scenarios (Arrow datasets, evals, runs).
    Demo(demo::Args),
    /// Add the real datasets of a spatial-data collection to a site's dataset folder.
    Datasets(datasets::Args),
    /// Convert and downsample a dataset (h5ad, CSV layouts) to the Arrow dataset format.
    Prepare(prepare::Args),
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Grade(a) => grade::run(a),
        Command::Regrade(a) => regrade::run(a),
        Command::Lint(a) => lint::run(a),
        Command::Bundle(a) => bundle::run(a),
        Command::Findings(a) => findings::run(a),
        Command::Demo(a) => demo::run(a),
        Command::Prepare(a) => prepare::run(a),
        Command::Datasets(a) => datasets::run(a),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("sbx: error: {e:#}");
            ExitCode::from(2)
        }
    }
}
