//! Clustering pooled samples without integration or a batch check.
//!
//! Applies when clustering ran (Leiden, Louvain, Seurat `FindClusters`,
//! KMeans on expression or PCs) and the data pools several samples,
//! sections, batches, conditions or timepoints (from the task, or the run
//! concatenating datasets). Avoided: an integration (Harmony, scVI, BBKNN,
//! ComBat, Scanorama, Seurat anchors, fastMNN) or a table of clusters /
//! cluster-derived labels against a batch column. Committed otherwise.

use crate::class::{FailureClass, Verdict};
use crate::finding::{Evidence, Finding};
use crate::lex::Tok;
use crate::program::{mentions, Analysed, Program};
use crate::rules::{finding, BATCH, CLUSTER};
use crate::task::Task;

const CLASS: FailureClass = FailureClass::UnintegratedClustering;
const CLUSTERING: &[&str] = &["leiden", "louvain", "FindClusters", "phenograph"];
const KMEANS: &[&str] = &[
    "KMeans",
    "MiniBatchKMeans",
    "kmeans",
    "AgglomerativeClustering",
    "GaussianMixture",
];
const INTEGRATION: &[&str] = &[
    "harmony_integrate",
    "run_harmony",
    "RunHarmony",
    "HarmonyMatrix",
    "IntegrateData",
    "FindIntegrationAnchors",
    "IntegrateLayers",
    "bbknn",
    "combat",
    "scanorama_integrate",
    "integrate_scanpy",
    "correct_scanpy",
    "mnn_correct",
    "SCVI",
    "SCANVI",
    "fastMNN",
    "RunFastMNN",
    "RunHarmony2",
    "harmonize",
];
const TABLES: &[&str] = &[
    "crosstab",
    "groupby",
    "table",
    "value_counts",
    "pivot_table",
    "count",
    "size",
];

pub fn check(task: &Task, prog: &Program) -> Option<Finding> {
    let clustering: Vec<Evidence> = prog
        .calls()
        .filter(|(a, c)| {
            CLUSTERING.contains(&c.last()) || (KMEANS.contains(&c.last()) && on_expression(a, c))
        })
        .take(3)
        .filter_map(|(a, c)| prog.call_evidence(a, c))
        .collect();
    if clustering.is_empty() {
        return None;
    }
    let pooled_in_code = prog.calls().any(|(_, c)| {
        (c.last() == "concat" && matches!(c.root(), "anndata" | "scanpy"))
            || c.name == "merge"
            || c.last() == "concatenate"
    });
    if !task.multi_sample && !pooled_in_code {
        return None;
    }
    if let Some(e) = prog
        .calls_named(INTEGRATION)
        .find_map(|(a, c)| prog.call_evidence(a, c))
    {
        return Some(finding(
            CLASS,
            Verdict::Avoided,
            "integration",
            "The pooled samples are integrated before clustering.",
            vec![e],
        ));
    }
    if let Some(e) = prog.ran().find_map(|a| batch_table(prog, a)) {
        return Some(finding(CLASS, Verdict::Avoided, "batch_check", "Clusters or the labels derived from them are tabulated against the sample/batch variable.", vec![e]));
    }
    let mut e = clustering;
    e.truncate(3);
    Some(finding(CLASS, Verdict::Committed, "pooled_clustering", "Cells pooled from several samples, sections or conditions are clustered with no integration and no check of clusters against the batch.", e))
}

/// KMeans and friends count as cell clustering when fed expression or PCs,
/// not neighbourhood compositions (that is niche calling).
fn on_expression(a: &Analysed, c: &crate::code::Call) -> bool {
    let stmt_words = statement_words(a, c.start);
    let niche = stmt_words.iter().any(|w| {
        mentions(
            w,
            &["neigh", "niche", "comp", "frac", "knn", "spatial", "window"],
        )
    });
    let expr = stmt_words
        .iter()
        .any(|w| mentions(w, &["pca", "expr", "emb", "latent", "scaled", "counts"]) || w == "x");
    expr && !niche
}

/// Names and strings of the statement containing byte `at`.
fn statement_words(a: &Analysed, at: usize) -> Vec<String> {
    let toks = &a.code.tokens;
    let k = toks.partition_point(|t| t.end <= at);
    let s = toks[..k]
        .iter()
        .rposition(|t| t.kind == Tok::Newline)
        .map_or(0, |p| p + 1);
    let e = toks[k..]
        .iter()
        .position(|t| t.kind == Tok::Newline)
        .map_or(toks.len(), |p| k + p);
    toks[s..e]
        .iter()
        .filter(|t| matches!(t.kind, Tok::Name | Tok::Str))
        .map(|t| {
            if t.kind == Tok::Str {
                t.inner_text(&a.code.src)
            } else {
                t.text(&a.code.src)
            }
            .to_ascii_lowercase()
        })
        .collect()
}

/// A statement that tabulates cluster-like labels against a batch-like column.
fn batch_table(prog: &Program, a: &Analysed) -> Option<Evidence> {
    for c in &a.code.calls {
        if !TABLES.contains(&c.last()) {
            continue;
        }
        let words = statement_words(a, c.start);
        let cluster = words.iter().any(|w| mentions(w, CLUSTER));
        let batch = words.iter().any(|w| mentions(w, BATCH));
        if cluster && batch {
            let toks = &a.code.tokens;
            let k = toks.partition_point(|t| t.end <= c.start);
            let s = toks[..k]
                .iter()
                .rposition(|t| t.kind == Tok::Newline)
                .map_or(0, |p| p + 1);
            let e = toks[k..]
                .iter()
                .position(|t| t.kind == Tok::Newline)
                .map_or(toks.len(), |p| k + p);
            return prog.code_evidence(a, toks[s].start, toks[e.saturating_sub(1).max(s)].end);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::{failed, py, r};

    fn pooled() -> Task {
        Task::from_text("Mouse optic nerve, 11 sections in three conditions")
    }
    fn verdict(task: &Task, steps: &[sbx_suite::trajectory::Step]) -> Option<Verdict> {
        check(task, &Program::new(steps)).map(|f| f.verdict)
    }

    #[test]
    fn leiden_on_pooled_sections_is_committed() {
        let s = py("import scanpy as sc\nsc.pp.neighbors(a)\nsc.tl.leiden(\n  a, resolution=0.5)");
        assert_eq!(verdict(&pooled(), &s), Some(Verdict::Committed));
        assert_eq!(verdict(&Task::from_text("one PBMC library"), &s), None);
        let s = r("library(Seurat); obj <- FindClusters(obj, resolution = 0.5)");
        assert_eq!(verdict(&pooled(), &s), Some(Verdict::Committed));
    }

    #[test]
    fn integration_or_a_batch_table_is_avoided() {
        let s = py(
            "import scanpy as sc\nsc.external.pp.harmony_integrate(a, 'section')\nsc.tl.leiden(a)",
        );
        assert_eq!(verdict(&pooled(), &s), Some(Verdict::Avoided));
        let s = py("import scanpy as sc\nimport pandas as pd\nsc.tl.leiden(a)\nprint(pd.crosstab(a.obs['leiden'], a.obs['section']))");
        assert_eq!(verdict(&pooled(), &s), Some(Verdict::Avoided));
        let s = r("library(harmony); obj <- RunHarmony(obj, \"sample\"); obj <- FindClusters(obj)");
        assert_eq!(verdict(&pooled(), &s), Some(Verdict::Avoided));
    }

    #[test]
    fn concatenating_datasets_makes_it_pooled() {
        let s = py("import anndata as ad\nimport scanpy as sc\na = ad.concat([wt, pro, mes], label='genotype')\nsc.tl.leiden(a)");
        assert_eq!(
            verdict(&Task::from_text("brain organoids"), &s),
            Some(Verdict::Committed)
        );
    }

    #[test]
    fn kmeans_on_neighbourhood_composition_is_not_cell_clustering_and_failed_runs_do_not_count() {
        let s = py("from sklearn.cluster import KMeans\nniche = KMeans(n_clusters=8).fit_predict(neigh_comp)");
        assert_eq!(verdict(&pooled(), &s), None);
        let s = failed("python -c 'import scanpy as sc; sc.tl.leiden(a)'");
        assert_eq!(verdict(&pooled(), &s), None);
    }
}
