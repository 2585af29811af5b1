//! The built-in demo content: the five simulated case-study scenarios turned
//! into Arrow datasets, SpatialBench-format eval JSONs (graded against the
//! right analysis) and runs (the published model answers, and the wrong and
//! right analyses computed by the project's kernels), all recorded with the
//! project's grader. Pure: returns files in memory; `sbx demo` writes them.

mod dataset;
mod published;
mod tasks;

pub use dataset::{scenario_dataset, scenario_dataset_full};
pub use published::{published_answers, PublishedAnswer};
pub use tasks::{case_category, demo_eval, tolerance_for};

use sbx_kernels::cases::headlines;
use sbx_kernels::sim::{build, dbit, Scenario, ScenarioKind};

/// The seed of the built-in content: the simulator's own default, so `sbx demo`, the
/// case pages and the kernels' tests describe one and the same tissue.
pub use sbx_kernels::sim::DEFAULT_SEED;

/// Genes of the site's pseudoreplication scenario: the published task has 24,919, whose
/// every count would make a 35 MB dataset; half of them (with the same donors, barcodes
/// and 1.2% share of true sex genes) keep it under 20 MB.
pub const SITE_DBIT_GENES: usize = 12_000;

/// The scenario the site shows and grades: the simulator's, at the published size
/// except for [`SITE_DBIT_GENES`]. The demo's datasets and evals and the case pages
/// both come from here, so they agree.
pub fn site_scenario(kind: ScenarioKind, seed: u64) -> Scenario {
    match kind {
        ScenarioKind::Pseudoreplication => dbit::simulate(
            &dbit::DbitConfig {
                n_genes: SITE_DBIT_GENES,
                ..Default::default()
            },
            seed,
        ),
        _ => build(kind, seed),
    }
}

/// How the site's scenario differs from the published task, for the eval's notes.
pub fn differs_from_published(kind: ScenarioKind) -> &'static str {
    match kind {
        ScenarioKind::Pseudoreplication => {
            "Differs from the published task: 12,000 simulated genes instead of 24,919 (same 8 donors, ~10,000 barcodes and 1.2% of genes with a true sex effect), so that every gene fits the dataset."
        }
        _ => "Simulated with the published task's design.",
    }
}

/// One file of the demo content: a path relative to the output folder.
pub struct DemoFile {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Everything `sbx demo` writes, for the given scenarios. `progress` is told
/// each scenario's id as it starts.
pub fn build_demo(
    kinds: &[ScenarioKind],
    seed: u64,
    progress: &mut dyn FnMut(&str),
) -> Result<Vec<DemoFile>, String> {
    let mut files = Vec::new();
    let mut index = Vec::new();
    for &kind in kinds {
        progress(kind.id());
        let scenario = site_scenario(kind, seed);
        let ds = scenario_dataset_full(&scenario);
        let arrow = sbx_data::write_ipc(&ds).map_err(|e| format!("{}: {e}", kind.id()))?;
        let file = format!("datasets/{}.arrow", kind.id());
        index.push(serde_json::json!({
            "id": kind.id(),
            "file": file,
            "title": scenario.title,
            "platform": scenario.platform,
            "unit_kind": ds.meta.unit_kind.as_str(),
            "rows": ds.len(),
            "bytes": arrow.len(),
            "simulated": true,
            "description": scenario.description,
            "seed": seed,
        }));
        files.push(DemoFile {
            path: file,
            bytes: arrow,
        });

        // The case page's first view, precomputed by the worker's own job (a zero
        // clock: the files do not depend on how long the build took).
        for f in crate::worker::case::precompute(kind.id(), seed, &|| 0.0)? {
            files.push(DemoFile {
                path: format!("cases/{}", f.name),
                bytes: f.bytes,
            });
        }

        let lines = headlines(&scenario).map_err(|e| format!("{}: {e}", kind.id()))?;
        for h in lines.iter().filter(|h| tasks::is_demo_eval(&h.key)) {
            let eval = demo_eval(&scenario, h);
            let id = eval["id"].as_str().unwrap_or_default().to_string();
            let category = case_category(kind);
            files.push(DemoFile {
                path: format!("sbx-demo/evals/{category}/{id}.json"),
                bytes: serde_json::to_vec_pretty(&eval).map_err(|e| e.to_string())?,
            });
            for run in tasks::demo_runs(h, &eval)? {
                files.push(run);
            }
        }
    }
    files.push(DemoFile {
        path: "datasets/index.json".into(),
        bytes: serde_json::to_vec_pretty(&serde_json::json!({ "datasets": index }))
            .map_err(|e| e.to_string())?,
    });
    files.push(DemoFile {
        path: "sbx-demo/README.md".into(),
        bytes: tasks::SUITE_README.as_bytes().to_vec(),
    });
    Ok(files)
}

#[cfg(test)]
mod tests;
