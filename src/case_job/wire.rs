//! The messages between a case-study page and the worker. The page names the case,
//! the seed and one analysis; the worker answers with a JSON object (and sometimes
//! Arrow bytes beside it). The worker reads requests with serde's derives; the page
//! writes them by hand (`to_json`), because derived code would cost the page's wasm
//! kilobytes of its size budget. Choices are plain strings (the values of the page's
//! `<select>`s), checked by the worker, so a wrong one is an error answer.

use serde::{Deserialize, Serialize};

/// The `op` of every case-study request (the worker routes on it).
pub const OP: &str = "case";

#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct CaseRequest {
    pub op: String,
    /// `ScenarioKind::id()`, e.g. "batch_integration".
    pub case: String,
    pub seed: u64,
    pub analysis: Analysis,
}

/// One piece of a case study's work.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
#[serde(tag = "name", rename_all = "snake_case")]
pub enum Analysis {
    /// The scenario's description and, if asked for, the tissue as an Arrow dataset.
    Tissue { dataset: bool },
    /// Clustering with integration "none", "harmony" or "scaling".
    Batch { integration: String },
    /// Sex test at level "unit" or "donor" with test "wilcoxon", "welch" or "student".
    De { level: String, test: String },
    /// Mbp–Plp1 Spearman in oligodendrocytes under "raw", "libsize", "panel" or "scale".
    Corr { norm: String },
    /// Oocytes over all timepoints by "components" or "dbscan" at `radius` µm,
    /// with the bead map of the first timepoint.
    Oocytes { method: String, radius: f32 },
    /// Cumulus beads at the first timepoint, by any marker and by coherent clusters.
    Cumulus,
    /// Oocyte counts at the first timepoint as the radius changes.
    Sweep,
    /// Immune share among the `k` nearest neighbours of fibroblast-lineage cells.
    Proximity { k: usize },
    /// `n` k-means niches on each cell's `k`-NN composition.
    Niches { n: usize, k: usize, seed: u64 },
    /// The case's wrong and right analysis as a SpatialBench eval (and, for the
    /// clustering cases, the tissue with the computed columns).
    Headline,
}

impl Analysis {
    pub fn name(&self) -> &'static str {
        match self {
            Analysis::Tissue { .. } => "tissue",
            Analysis::Batch { .. } => "batch",
            Analysis::De { .. } => "de",
            Analysis::Corr { .. } => "corr",
            Analysis::Oocytes { .. } => "oocytes",
            Analysis::Cumulus => "cumulus",
            Analysis::Sweep => "sweep",
            Analysis::Proximity { .. } => "proximity",
            Analysis::Niches { .. } => "niches",
            Analysis::Headline => "headline",
        }
    }

    fn to_value(&self) -> serde_json::Value {
        use serde_json::json;
        let name = self.name();
        match self {
            Analysis::Tissue { dataset } => json!({"name": name, "dataset": dataset}),
            Analysis::Batch { integration } => json!({"name": name, "integration": integration}),
            Analysis::De { level, test } => json!({"name": name, "level": level, "test": test}),
            Analysis::Corr { norm } => json!({"name": name, "norm": norm}),
            Analysis::Oocytes { method, radius } => {
                json!({"name": name, "method": method, "radius": radius})
            }
            Analysis::Proximity { k } => json!({"name": name, "k": k}),
            Analysis::Niches { n, k, seed } => json!({"name": name, "n": n, "k": k, "seed": seed}),
            Analysis::Cumulus | Analysis::Sweep | Analysis::Headline => json!({ "name": name }),
        }
    }
}

impl CaseRequest {
    pub fn new(case: &str, seed: u64, analysis: Analysis) -> Self {
        CaseRequest {
            op: OP.into(),
            case: case.into(),
            seed,
            analysis,
        }
    }

    /// The request as the page sends it (written by hand; see the module comment).
    pub fn to_json(&self) -> String {
        serde_json::json!({
            "op": self.op, "case": self.case, "seed": self.seed, "analysis": self.analysis.to_value(),
        })
        .to_string()
    }
}

/// Whether a request text is for the case-study job (the other requests are the
/// Datasets page's, `crate::data_job`).
pub fn is_case_request(text: &str) -> bool {
    serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .is_some_and(|v| v.get("op").and_then(|o| o.as_str()) == Some(OP))
}
