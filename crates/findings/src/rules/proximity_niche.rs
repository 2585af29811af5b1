//! A de-novo niche question answered only with pairwise proximity.
//!
//! Applies when the task asks to discover niches. Avoided: niches from each
//! cell's spatial neighbourhood (a neighbour query whose results are
//! aggregated per cell, then clustered or assigned). Committed: pairwise
//! cell-type proximity / co-localisation scores (squidpy `nhood_enrichment`,
//! `co_occurrence`, `interaction_matrix`, Ripley) and no neighbourhood
//! niches. Unclear: neither (niches from expression alone, or no analysis).

use crate::class::{FailureClass, Verdict};
use crate::finding::{Evidence, Finding};
use crate::program::{mentions, Analysed, Program};
use crate::rules::finding;
use crate::task::Task;

const CLASS: FailureClass = FailureClass::ProximityNiche;
const NEIGHBOURS: &[&str] = &[
    "NearestNeighbors",
    "kneighbors",
    "query",
    "query_ball_point",
    "query_ball_tree",
    "spatial_neighbors",
    "radius_neighbors",
    "kneighbors_graph",
    "radius_neighbors_graph",
    "Delaunay",
    "get.knn",
    "nn2",
];
const AGGREGATE: &[&str] = &[
    "mean",
    "sum",
    "get_dummies",
    "crosstab",
    "dot",
    "bincount",
    "average",
    "value_counts",
    "add_at",
];
const ASSIGN: &[&str] = &[
    "KMeans",
    "MiniBatchKMeans",
    "leiden",
    "louvain",
    "AgglomerativeClustering",
    "GaussianMixture",
    "kmeans",
    "argmax",
    "idxmax",
    "fit_predict",
];
/// Neighbourhood-composition niche tools (squidpy, CellCharter, UTAG, Banksy).
const PACKAGED: &[&str] = &[
    "calculate_niche",
    "aggregate_neighbors",
    "utag",
    "run_banksy",
    "RunBanksy",
    "BuildNicheAssay",
];
const PAIRWISE: &[&str] = &[
    "nhood_enrichment",
    "co_occurrence",
    "interaction_matrix",
    "ripley",
    "centrality_scores",
    "cooccurrence",
];

pub fn check(task: &Task, prog: &Program) -> Option<Finding> {
    if !task.niche_question {
        return None;
    }
    let packaged = prog
        .calls_named(PACKAGED)
        .find_map(|(a, c)| prog.call_evidence(a, c));
    if let Some(e) = packaged.or_else(|| prog.ran().find_map(|a| neighbourhood_niches(prog, a))) {
        return Some(finding(CLASS, Verdict::Avoided, "neighbourhood_composition", "Niches come from each cell's spatial neighbourhood aggregated and clustered, not from pairwise proximity.", vec![e]));
    }
    let pairwise: Vec<Evidence> = prog
        .calls_named(PAIRWISE)
        .filter_map(|(a, c)| prog.call_evidence(a, c))
        .take(3)
        .collect();
    if !pairwise.is_empty() {
        return Some(finding(
            CLASS,
            Verdict::Committed,
            "pairwise_proximity",
            "The niche question is answered with pairwise cell-type proximity scores only.",
            pairwise,
        ));
    }
    Some(finding(
        CLASS,
        Verdict::Unclear,
        "no_spatial_niches",
        "No neighbourhood-based niche analysis and no pairwise proximity scoring ran.",
        Vec::new(),
    ))
}

/// One script that queries spatial neighbours, aggregates over them and assigns niches.
fn neighbourhood_niches(prog: &Program, a: &Analysed) -> Option<Evidence> {
    let calls = &a.code.calls;
    let nb = calls.iter().find(|c| NEIGHBOURS.contains(&c.last()))?;
    let spatial = a
        .code
        .names()
        .chain(a.code.strings())
        .any(|(_, n)| mentions(n, &["spatial", "coord", "x_centroid", "xy", "centroid"]));
    let aggregated = calls
        .iter()
        .any(|c| AGGREGATE.contains(&c.last()) && c.start > nb.start)
        || a.code.src.contains("@");
    let assign = calls
        .iter()
        .find(|c| ASSIGN.contains(&c.last()) && c.start > nb.start)?;
    let niche_words = a
        .code
        .names()
        .chain(a.code.strings())
        .any(|(_, n)| mentions(n, &["niche", "neigh", "composition", "comp", "frac"]));
    (spatial && aggregated && niche_words)
        .then(|| prog.call_evidence(a, assign))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::{failed, py};

    fn task() -> Task {
        Task::from_text("Xenium organoids. Return the top 3 niche changes across WT, PRO and MES.")
    }
    fn verdict(steps: &[sbx_suite::trajectory::Step]) -> Option<Verdict> {
        check(&task(), &Program::new(steps)).map(|f| f.verdict)
    }

    const COMPOSITION: &str = "from sklearn.neighbors import NearestNeighbors\nfrom sklearn.cluster import KMeans\nimport pandas as pd\nnn = NearestNeighbors(n_neighbors=15).fit(a.obsm['spatial'])\n_, ind = nn.kneighbors(a.obsm['spatial'])\nonehot = pd.get_dummies(a.obs['cell_type']).values\nneigh_comp = onehot[ind].mean(axis=1)\nniche = KMeans(n_clusters=8).fit_predict(neigh_comp)";

    #[test]
    fn neighbourhood_composition_niches_are_avoided() {
        assert_eq!(verdict(&py(COMPOSITION)), Some(Verdict::Avoided));
    }

    #[test]
    fn packaged_niche_tools_are_avoided() {
        let s = py("import squidpy as sq\nsq.gr.calculate_niche(\n    a, flavor='neighborhood', groups='cell_type', n_neighbors=15)");
        assert_eq!(verdict(&s), Some(Verdict::Avoided));
    }

    #[test]
    fn pairwise_enrichment_only_is_committed() {
        let s = py("import squidpy as sq\nsq.gr.spatial_neighbors(a)\nsq.gr.nhood_enrichment(\n    a, cluster_key='cell_type')");
        assert_eq!(verdict(&s), Some(Verdict::Committed));
    }

    #[test]
    fn expression_only_or_failed_is_unclear_and_other_tasks_absent() {
        let s = failed(&format!("python - <<'EOF'\n{COMPOSITION}\nEOF"));
        assert_eq!(verdict(&s), Some(Verdict::Unclear));
        let s = py("import scanpy as sc\nsc.tl.score_genes(a, niche_genes)");
        assert_eq!(verdict(&s), Some(Verdict::Unclear));
        assert!(check(
            &Task::from_text("identify co-localized cell-type pairs"),
            &Program::new(&py(COMPOSITION))
        )
        .is_none());
    }
}
