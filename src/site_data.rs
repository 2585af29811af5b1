//! The real datasets of a site build: every folder of a spatial-data
//! collection (one dataset per folder, with a `SOURCE.txt`) prepared for the
//! viewer, its index entry (platform, unit and physical size, source, licence,
//! citation, first colouring), the panel composition of the targeted ones,
//! and the true-scale panel. Native only; `sbx datasets` writes the files.

use crate::view::true_scale::{true_scale_svg, Drawn, Panel};
use sbx_data::source_txt::{parse_source_txt, SourceInfo};
use sbx_data::table::{ObsColumn, SourceTable};
use sbx_data::{prepare, Dataset, PrepareOptions};
use sbx_kernels::composition::{panel_composition, PanelComposition};
use sbx_kernels::csr::CsrMatrix;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// Above this many gene values (units × genes) only the most variable genes are kept.
const ALL_GENES_CELLS: usize = 600_000;
const TOP_GENES: usize = 100;

/// Dataset folders of a collection: `<platform>/<name>/SOURCE.txt`, sorted.
pub fn dataset_folders(root: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for group in sorted_dirs(root)? {
        for d in sorted_dirs(&group)? {
            if d.join("SOURCE.txt").is_file() {
                out.push(d);
            }
        }
    }
    Ok(out)
}

fn sorted_dirs(p: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(p)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .filter(|p| {
            !p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    v.sort();
    Ok(v)
}

/// A prepared real dataset: the Arrow dataset and its index entry.
pub struct Prepared {
    pub id: String,
    pub ds: Dataset,
    pub entry: Value,
}

/// Reads and prepares one folder: µm coordinates where the platform fixes
/// the pixel size, every gene of small panels (else the most variable ones),
/// every unit.
pub fn prepare_folder(dir: &Path) -> Result<Prepared, String> {
    let id = dir
        .file_name()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let info = std::fs::read_to_string(dir.join("SOURCE.txt"))
        .map(|t| parse_source_txt(&t))
        .unwrap_or_default();
    let mut table = sbx_data::read_input(dir).map_err(|e| e.to_string())?;
    let scale_note = sbx_data::physical::to_micrometres(&mut table);
    if let Some(n) = &scale_note {
        table.meta.extra.insert("sbx:scale".into(), n.clone());
    }
    let n_genes = table.expression.as_ref().map_or(0, |e| e.n_vars());
    let all_genes = n_genes * table.n_units() <= ALL_GENES_CELLS;
    let opts = PrepareOptions {
        all_genes: all_genes && n_genes > 0,
        obs_columns: None,
        genes: vec![],
        top_genes: if all_genes { 0 } else { TOP_GENES },
        max_points: None,
        stratify_by: None,
        seed: 0,
        add_total_counts: true,
    };
    let ds = prepare(&table, &opts).map_err(|e| e.to_string())?;
    let entry = entry(&id, &ds, &info, n_genes, scale_note.as_deref());
    Ok(Prepared { id, ds, entry })
}

/// The index entry of a real dataset (read by the Datasets page).
fn entry(id: &str, ds: &Dataset, info: &SourceInfo, n_genes: usize, scale: Option<&str>) -> Value {
    let m = &ds.meta;
    let size_um = (m.coord_unit == "um").then_some(m.unit_size).flatten();
    json!({
        "id": id,
        "file": format!("datasets/{id}.arrow"),
        "title": id,
        "platform": m.platform,
        "unit_kind": m.unit_kind.as_str(),
        "unit_size_um": size_um,
        "coord_unit": m.coord_unit,
        "y_axis": if m.y_down { "down" } else { "up" },
        "rows": ds.len(),
        "genes_in_source": n_genes,
        "genes_shown": ds.genes().count(),
        "simulated": false,
        "origin": info.origin,
        "licence": info.licence,
        "citation": info.citation,
        "content": info.content,
        "notes": info.notes,
        "scale": scale.unwrap_or_default(),
        "color": first_colour(ds),
    })
}

/// What the viewer opens coloured by: the cell type, else a categorical
/// column that separates units (sample, class …), else the library size.
pub fn first_colour(ds: &Dataset) -> String {
    let named = ["cell_type", "celltype", "cluster", "sample"];
    named
        .iter()
        .find_map(|n| ds.categorical(n).filter(|c| c.categories.len() > 1))
        .or_else(|| ds.categorical.iter().find(|c| c.categories.len() > 1))
        .map(|c| c.name.clone())
        .or_else(|| ds.numeric("total_counts").map(|c| c.name.clone()))
        .or_else(|| ds.numeric.first().map(|c| c.name.clone()))
        .unwrap_or_default()
}

/// The counts of a table as a cells × genes CSR matrix with the gene names.
pub fn counts_csr(t: &SourceTable) -> Option<(CsrMatrix, Vec<String>)> {
    let e = t.expression.as_ref()?;
    let mut rows: Vec<Vec<(u32, f32)>> = vec![Vec::new(); e.n_obs];
    for g in 0..e.n_vars() {
        for k in e.indptr[g]..e.indptr[g + 1] {
            if let Some(r) = rows.get_mut(e.indices[k] as usize) {
                r.push((g as u32, e.data[k]));
            }
        }
    }
    Some((CsrMatrix::from_rows(e.n_vars(), &rows), e.var_names.clone()))
}

/// Whether a platform measures a targeted gene panel (imaging platforms).
pub fn is_targeted(platform: &str) -> bool {
    let p = platform.to_ascii_lowercase();
    p.contains("xenium") || p.contains("merfish") || p.contains("merscope")
}

/// The panel composition of one targeted dataset folder, from its derived
/// `.h5ad` when there is one (the file a reader would load in scanpy), else
/// from the folder's own layout; grouped by cell type when it has one.
pub fn folder_composition(dir: &Path) -> Result<(String, PanelComposition), String> {
    let h5ad = std::fs::read_dir(dir)
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "h5ad"));
    let input = h5ad.clone().unwrap_or_else(|| dir.to_path_buf());
    let t = sbx_data::read_input(&input).map_err(|e| e.to_string())?;
    let (m, genes) = counts_csr(&t).ok_or("no expression matrix")?;
    let labels: Option<Vec<String>> = t.obs.iter().find_map(|c| match c {
        ObsColumn::Categorical(c) if c.name == "cell_type" => Some(
            (0..c.codes.len())
                .map(|r| c.label(r).unwrap_or("").to_string())
                .collect(),
        ),
        _ => None,
    });
    let comp = panel_composition(&m, &genes, labels.as_deref().map(|l| ("cell_type", l)))?;
    let file = input
        .strip_prefix(dir.parent().and_then(Path::parent).unwrap_or(dir))
        .unwrap_or(&input)
        .display()
        .to_string();
    Ok((file, comp))
}

/// The true-scale panel from the datasets of a site: a real spot, bead and
/// cell dataset when there are, else the simulated ones (then `simulated`).
pub fn true_scale(datasets: &[(Value, Dataset)]) -> (String, Value) {
    let real = datasets.iter().any(|(e, _)| e["simulated"] == json!(false));
    let pool: Vec<&(Value, Dataset)> = datasets
        .iter()
        .filter(|(e, d)| (e["simulated"] == json!(false)) == real && d.meta.coord_unit == "um")
        .collect();
    let pick = |kind: &str| {
        let of_kind = pool
            .iter()
            .filter(|(_, d)| d.meta.unit_kind.as_str() == kind);
        // Prefer a dataset with cell types (coloured), then the largest.
        of_kind
            .max_by_key(|(_, d)| (d.categorical("cell_type").is_some(), d.len()))
            .copied()
    };
    let chosen: Vec<&(Value, Dataset)> = ["spot", "bead", "cell"]
        .iter()
        .filter_map(|k| pick(k))
        .chain(pick("tixel").filter(|_| pick("spot").is_none()))
        .collect();
    let parts: Vec<(String, Dataset)> = chosen
        .iter()
        .map(|(_, d)| {
            let (sample, ds) = one_sample(d);
            let title = match sample {
                Some(s) => format!("{} ({s})", d.meta.platform),
                None => d.meta.platform.clone(),
            };
            (title, ds)
        })
        .collect();
    let panels: Vec<Panel> = parts
        .iter()
        .map(|(title, ds)| Panel {
            title: title.clone(),
            ds,
        })
        .collect();
    let (svg, drawn) = true_scale_svg(&panels);
    let about = json!({
        "svg": "datasets/true-scale.svg",
        "simulated": !real,
        "window_um": crate::view::true_scale::WINDOW_UM,
        "panels": drawn.iter().zip(&chosen).map(|(d, (e, _))| panel_json(d, e)).collect::<Vec<_>>(),
    });
    (svg, about)
}

/// The rows of a dataset's largest sample when it has several (replicates
/// may share coordinates), with that sample's name; else the whole dataset.
fn one_sample(d: &Dataset) -> (Option<String>, Dataset) {
    let Some(c) = d.categorical("sample").filter(|c| c.categories.len() > 1) else {
        return (None, d.clone());
    };
    let counts = c.counts();
    let Some(k) = (0..counts.len()).max_by_key(|&k| (counts[k], std::cmp::Reverse(k))) else {
        return (None, d.clone());
    };
    let rows: Vec<usize> = (0..d.len()).filter(|&r| c.codes[r] as usize == k).collect();
    (c.categories.get(k).cloned(), d.take(&rows))
}

fn panel_json(d: &Drawn, e: &Value) -> Value {
    json!({
        "id": e["id"], "title": d.title, "unit_kind": d.unit_kind,
        "diameter_um": (d.diameter_um * 10.0).round() / 10.0,
        "diameter_estimated": d.diameter_estimated, "units": d.units_in_window,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use sbx_data::CategoricalColumn;

    #[test]
    fn first_colour_prefers_cell_type_then_a_split_then_counts() {
        let mut ds = crate::view::fixture::small();
        ds.categorical.retain(|c| c.name != "cell_type");
        ds.categorical.push(CategoricalColumn::from_labels(
            "in_tissue",
            &vec!["1"; ds.len()],
        ));
        let got = first_colour(&ds);
        assert_ne!(got, "in_tissue", "a one-category column colours nothing");
        let mut labels = vec!["a"; ds.len()];
        labels[0] = "b";
        ds.categorical
            .push(CategoricalColumn::from_labels("cell_type", &labels));
        assert_eq!(first_colour(&ds), "cell_type");
    }

    #[test]
    fn targeted_platforms() {
        assert!(is_targeted("Xenium"));
        assert!(is_targeted("MERFISH (Vizgen MERSCOPE)"));
        assert!(!is_targeted("Visium FFPE"));
        assert!(!is_targeted("Slide-seq"));
    }
}
