//! `sbx lint PATH...`: check eval JSONs for graders that do not do what
//! their task says. Exit status 1 when any finding is an error.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use sbx_grade::lint::{is_eval, lint_eval, Severity};
use sbx_grade::parse;
use sbx_suite::walk::walk_files_with_extension;

#[derive(clap::Args)]
pub struct Args {
    /// Eval JSON files, or folders searched for eval JSONs.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let (mut checked, mut errors, mut warnings) = (0usize, 0usize, 0usize);
    for root in &args.paths {
        let explicit = root.is_file();
        let files = if explicit {
            vec![root.clone()]
        } else {
            walk_files_with_extension(root, "json")
                .with_context(|| format!("cannot read folder {}", root.display()))?
        };
        for path in files {
            let label = path.display().to_string();
            let text = match std::fs::read_to_string(&path) {
                Ok(t) => t,
                Err(e) => {
                    println!("{label}: error [unreadable] $: {e}");
                    errors += 1;
                    continue;
                }
            };
            let eval = match parse(&text) {
                Ok(v) => v,
                Err(e) if explicit => {
                    println!("{label}: error [invalid-json] $: {e}");
                    errors += 1;
                    continue;
                }
                Err(_) => continue,
            };
            if !is_eval(&eval) {
                if explicit {
                    println!("{label}: error [not-an-eval] $: expected an object with \"id\" and \"grader\" or \"graders\"");
                    errors += 1;
                }
                continue;
            }
            checked += 1;
            for f in lint_eval(&label, &eval) {
                match f.severity {
                    Severity::Error => errors += 1,
                    Severity::Warning => warnings += 1,
                }
                println!("{f}");
            }
        }
    }
    println!("{checked} evals checked: {errors} errors, {warnings} warnings");
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
