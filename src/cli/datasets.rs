//! `sbx datasets OUT/ [--spatial-data DIR]`: adds the real datasets of a
//! spatial-data collection to a site's dataset folder (each prepared as
//! `sbx prepare` does, listed in `index.json` with what its SOURCE.txt says),
//! writes the panel composition of the targeted ones
//! (`panel-composition.json`) and the true-scale panel (`true-scale.svg`).
//! A folder that cannot be prepared is reported and left out; the rest go on.

use crate::site_data::{folder_composition, is_targeted, prepare_folder, true_scale};
use anyhow::Context;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The site's dataset folder holding `index.json` (written by `sbx demo`).
    pub out: PathBuf,
    /// A collection of real datasets: `<platform>/<name>/` folders with a SOURCE.txt.
    #[arg(long)]
    pub spatial_data: Option<PathBuf>,
}

pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    let index_path = args.out.join("index.json");
    let mut entries: Vec<Value> = match std::fs::read(&index_path) {
        Ok(b) => serde_json::from_slice::<Value>(&b)
            .with_context(|| format!("{} is not JSON", index_path.display()))?["datasets"]
            .as_array()
            .cloned()
            .unwrap_or_default(),
        Err(_) => Vec::new(),
    };
    let mut failed: Vec<String> = Vec::new();
    let mut compositions: Vec<Value> = Vec::new();
    if let Some(root) = &args.spatial_data {
        let folders = crate::site_data::dataset_folders(root)
            .with_context(|| format!("cannot list {}", root.display()))?;
        for dir in folders {
            add_folder(
                &dir,
                &args.out,
                &mut entries,
                &mut compositions,
                &mut failed,
            )?;
        }
    }
    let loaded = load_all(&args.out, &entries);
    let (svg, about) = true_scale(&loaded);
    std::fs::write(args.out.join("true-scale.svg"), svg)?;
    let index = json!({ "datasets": entries, "true_scale": about, "not_prepared": failed });
    std::fs::write(&index_path, serde_json::to_vec_pretty(&index)?)?;
    std::fs::write(
        args.out.join("panel-composition.json"),
        serde_json::to_vec_pretty(&json!({
            "target_sum": 1e4,
            "method": "cells with no counts left out; top genes ranked by their total in the group; Spearman ρ with average ranks, raw counts and after counts / library × 10⁴ then log1p",
            "datasets": compositions,
        }))?,
    )?;
    let real = entries
        .iter()
        .filter(|e| e["simulated"] == json!(false))
        .count();
    println!(
        "datasets: {} real, {} simulated; true-scale panel from {} data; {} panel compositions",
        real,
        entries.len() - real,
        if about["simulated"] == json!(true) {
            "simulated"
        } else {
            "real"
        },
        compositions.len()
    );
    for f in &failed {
        println!("not prepared: {f}");
    }
    Ok(ExitCode::SUCCESS)
}

/// Prepares one folder into `out` and lists it; a failure is recorded, not fatal.
fn add_folder(
    dir: &Path,
    out: &Path,
    entries: &mut Vec<Value>,
    compositions: &mut Vec<Value>,
    failed: &mut Vec<String>,
) -> anyhow::Result<()> {
    let t0 = std::time::Instant::now();
    let p = match prepare_folder(dir) {
        Ok(p) => p,
        Err(e) => {
            failed.push(format!("{}: {e}", dir.display()));
            return Ok(());
        }
    };
    let bytes = sbx_data::write_ipc(&p.ds).map_err(|e| anyhow::anyhow!("{}: {e}", p.id))?;
    std::fs::write(out.join(format!("{}.arrow", p.id)), &bytes)?;
    let mut entry = p.entry;
    entry["bytes"] = json!(bytes.len());
    entries.retain(|e| e["id"] != entry["id"]);
    println!(
        "prepared {} ({}, {} {}s, {:.0} kB) in {} ms",
        p.id,
        entry["platform"].as_str().unwrap_or(""),
        p.ds.len(),
        p.ds.meta.unit_kind.as_str(),
        bytes.len() as f64 / 1e3,
        t0.elapsed().as_millis()
    );
    if is_targeted(&p.ds.meta.platform) {
        match folder_composition(dir) {
            Ok((file, c)) => compositions.push(json!({
                "id": p.id, "platform": p.ds.meta.platform, "file": file, "composition": c,
            })),
            Err(e) => failed.push(format!("{} (panel composition): {e}", dir.display())),
        }
    }
    entries.push(entry);
    Ok(())
}

/// Every listed dataset decoded (those that do not read are skipped).
fn load_all(out: &Path, entries: &[Value]) -> Vec<(Value, sbx_data::Dataset)> {
    entries
        .iter()
        .filter_map(|e| {
            let file = e["file"].as_str()?.strip_prefix("datasets/")?;
            let bytes = std::fs::read(out.join(file)).ok()?;
            let ds = sbx_data::read_ipc_owned(bytes, &sbx_data::Limits::default()).ok()?;
            Some((e.clone(), ds))
        })
        .collect()
}
