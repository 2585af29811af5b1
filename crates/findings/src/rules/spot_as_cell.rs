//! Spots (Visium), beads (Slide-seq/Seeker) or tixels (DBiT) treated as cells.
//!
//! Applies to spot-based data (from the task, or code reading Visium).
//! Avoided: deconvolution (cell2location, RCTD, Tangram, SPOTlight, CARD,
//! stereoscope, DestVI), a cells-per-spot estimate, or analysis that ran and
//! names its units as spots. Committed: code or words that count or call
//! spots cells (one cell type per spot counted as cells, "each spot is a
//! cell"). Unclear: no spot analysis ran.

use crate::class::{FailureClass, Verdict};
use crate::finding::{Evidence, Finding};
use crate::program::Program;
use crate::rules::finding;
use crate::task::Task;

const CLASS: FailureClass = FailureClass::SpotAsCell;
const DECONVOLUTION: &[&str] = &[
    "Cell2location",
    "RegressionModel",
    "run_rctd",
    "RCTD",
    "create.RCTD",
    "run.RCTD",
    "map_cells_to_space",
    "SPOTlight",
    "CARD_deconvolution",
    "createCARDObject",
    "RNAStereoscope",
    "SpatialStereoscope",
    "DestVI",
    "deconvolve",
    "run_cell2location",
];
const READ_SPOTS: &[&str] = &["read_visium", "Load10X_Spatial", "visium", "read_slideseq"];
/// Computation on the data (not just listing files or columns).
const ANALYSIS: &[&str] = &[
    "score_genes",
    "cKDTree",
    "KDTree",
    "BallTree",
    "NearestNeighbors",
    "cdist",
    "distance_matrix",
    "spatial_neighbors",
    "normalize_total",
    "log1p",
    "rank_genes_groups",
    "leiden",
    "argmax",
    "idxmax",
    "median",
    "percentile",
    "quantile",
    "AddModuleScore",
    "FindClusters",
];

pub fn check(task: &Task, prog: &Program) -> Option<Finding> {
    let spots = task.spots || prog.calls_named(READ_SPOTS).next().is_some();
    if !spots {
        return None;
    }
    if let Some(e) = prog
        .calls_named(DECONVOLUTION)
        .find_map(|(a, c)| prog.call_evidence(a, c))
    {
        return Some(finding(
            CLASS,
            Verdict::Avoided,
            "deconvolution",
            "Spot composition is deconvolved into cell types.",
            vec![e],
        ));
    }
    let analysed = prog.calls_named(ANALYSIS).next().is_some();
    if !analysed {
        return Some(finding(
            CLASS,
            Verdict::Unclear,
            "no_spot_analysis",
            "No analysis of the spots ran, so how the units were treated cannot be seen.",
            Vec::new(),
        ));
    }
    let mut as_cells = spots_called_cells(prog);
    if as_cells.is_empty() {
        as_cells = cell_types_counted(prog);
    }
    let as_spots = spot_framing(prog);
    match (as_cells.is_empty(), as_spots.is_empty()) {
        (false, true) => Some(finding(CLASS, Verdict::Committed, "spots_as_cells", "Spots are counted or described as single cells with no deconvolution or cells-per-spot estimate.", as_cells)),
        (true, false) => Some(finding(CLASS, Verdict::Avoided, "spot_level", "The analysis is framed and counted at spot level (per-spot scores and counts), not as cells.", as_spots)),
        (false, false) => {
            let mut e = as_cells;
            e.extend(as_spots);
            Some(finding(CLASS, Verdict::Unclear, "mixed", "The run both treats spots as spots and counts them as cells.", e))
        }
        (true, true) => Some(finding(CLASS, Verdict::Unclear, "no_unit_evidence", "The analysis ran but nothing shows whether spots were read as spots or as cells.", Vec::new())),
    }
}

/// Ran code naming its units spots (`per_spot`, `spot_scores`, `cells_per_spot`), or the agent saying so.
fn spot_framing(prog: &Program) -> Vec<Evidence> {
    let mut out = Vec::new();
    for a in prog.ran() {
        // Identifiers first: they name the unit of the analysis; strings are often only printed labels.
        if let Some((t, _)) = a.code.names().chain(a.code.strings()).find(|(_, n)| {
            let n = n.to_ascii_lowercase();
            n.contains("spot") && !n.contains("cells_as") || n.contains("per_spot")
        }) {
            out.extend(prog.code_evidence(a, t.start, t.end));
            break;
        }
    }
    for (step, text) in prog.words() {
        let lower = text.to_ascii_lowercase();
        for key in [
            "spot-level",
            "spot level",
            "per-spot",
            "per spot",
            "each spot",
            "cells per spot",
            "tumor spots",
            "spots to",
            "spots as spots",
        ] {
            if let Some(p) = lower.find(key) {
                if lower[p..].starts_with("each spot")
                    && lower[p..].get(..40).is_some_and(|w| w.contains(" cell"))
                {
                    continue;
                }
                out.extend(prog.evidence(step, p, p + key.len()));
                break;
            }
        }
        if out.len() >= 3 {
            break;
        }
    }
    out
}

/// Words that read a spot as one cell.
/// Counting calls: a per-unit label tallied into "how many of each".
const COUNTS: &[&str] = &["value_counts", "table", "size", "count", "Counter"];

/// A cell-type label written onto each unit of spot data (`obs["cell_type"] =`,
/// `$celltype <-`) and then tallied: each spot is taken for one cell.
fn cell_types_counted(prog: &Program) -> Vec<Evidence> {
    if prog.calls_named(COUNTS).next().is_none() {
        return Vec::new();
    }
    for a in prog.ran() {
        let src = &a.code.src;
        for (t, key) in a.code.strings().chain(a.code.names()) {
            let k = key.to_ascii_lowercase().replace([' ', '.'], "_");
            if !(k == "cell_type" || k == "celltype" || k == "cell_types" || k == "celltypes") {
                continue;
            }
            // Assigned: the next tokens close the subscript/field and assign.
            let rest = src.get(t.end..).unwrap_or("");
            let rest = rest.trim_start_matches(['"', '\'', ']', ' ']);
            let assigned =
                (rest.starts_with('=') && !rest.starts_with("==")) || rest.starts_with("<-");
            if assigned {
                return prog.code_evidence(a, t.start, t.end).into_iter().collect();
            }
        }
    }
    Vec::new()
}

fn spots_called_cells(prog: &Program) -> Vec<Evidence> {
    let mut out = Vec::new();
    for (step, text) in prog.words() {
        let lower = text.to_ascii_lowercase();
        for key in [
            "each spot is a cell",
            "each spot as a cell",
            "spots as cells",
            "spots as single cells",
            "treat each spot as a single cell",
            "one cell per spot",
        ] {
            if let Some(p) = lower.find(key) {
                let before = &lower[p.saturating_sub(12)..p];
                if before.contains("not") || before.contains("n't") {
                    continue;
                }
                out.extend(prog.evidence(step, p, p + key.len()));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::{py, r, say};

    fn visium() -> Task {
        Task::from_text("PDAC tumors profiled by Visium")
    }
    fn verdict(steps: &[sbx_suite::trajectory::Step]) -> Option<Verdict> {
        check(&visium(), &Program::new(steps)).map(|f| f.verdict)
    }

    #[test]
    fn deconvolution_is_avoided() {
        let s = py("import cell2location\nmod = cell2location.models.Cell2location(adata_vis, cell_state_df=inf)");
        assert_eq!(
            verdict(&s),
            Some(Verdict::Avoided),
            "{:?}",
            Program::new(&s)
                .calls()
                .map(|c| c.1.name.clone())
                .collect::<Vec<_>>()
        );
        let s = r(
            "library(spacexr); myRCTD <- create.RCTD(puck, reference); myRCTD <- run.RCTD(myRCTD)",
        );
        assert_eq!(verdict(&s), Some(Verdict::Avoided));
    }

    #[test]
    fn spot_level_analysis_is_avoided_and_no_analysis_is_unclear() {
        let s = py("import scanpy as sc\nsc.tl.score_genes(a, genes)\nspot_state = a.obs[cols].idxmax(axis=1)");
        assert_eq!(verdict(&s), Some(Verdict::Avoided));
        let s = py("import anndata as ad\nprint(ad.read_h5ad('v.h5ad').obs.columns)");
        assert_eq!(verdict(&s), Some(Verdict::Unclear));
        assert_eq!(
            check(&Task::from_text("MERFISH cells"), &Program::new(&s)),
            None
        );
    }

    #[test]
    fn spots_read_as_cells_is_committed() {
        let mut s = say("I will treat each spot as a single cell and count cell types.");
        s.extend(py(
            "import scanpy as sc\nsc.tl.leiden(a)\nprint(a.obs['leiden'].value_counts())",
        ));
        assert_eq!(verdict(&s), Some(Verdict::Committed));
        let mut s = say("We should not treat spots as cells here.");
        s.extend(py("import scanpy as sc\nsc.tl.leiden(a)"));
        assert_eq!(verdict(&s), Some(Verdict::Unclear));
    }

    #[test]
    fn a_cell_type_per_spot_counted_is_committed() {
        let s = py("import scanpy as sc\nsc.tl.leiden(ad)\nad.obs['cell_type'] = ad.obs['leiden'].map(names)\nprint(ad.obs['cell_type'].value_counts())");
        assert_eq!(verdict(&s), Some(Verdict::Committed));
        // Read, not assigned: nothing shows spots taken for cells.
        let s =
            py("import scanpy as sc\nsc.tl.leiden(ad)\nprint(ad.obs['cell_type'].value_counts())");
        assert_eq!(verdict(&s), Some(Verdict::Unclear));
        let s = r("library(Seurat)\nobj <- FindClusters(obj)\nobj$celltype <- labels[obj$seurat_clusters]\nprint(table(obj$celltype))");
        assert_eq!(verdict(&s), Some(Verdict::Committed));
    }
}
