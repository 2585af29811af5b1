//! The case studies' part of the protocol: the analysis a case page asks for, and
//! the typed answer the worker sends back. Choices are plain strings (the values of
//! the page's `<select>`s), checked by the worker, so a wrong one is an error answer.
//! Answers reuse the kernels' summary structs where those are small enough to send
//! whole; the others keep only what the page shows (no per-cell vectors).

use sbx_kernels::cases::niches::PairwiseSummary;
use sbx_kernels::cases::normalization::CorrSummary;
use sbx_kernels::cases::spatial_units::SweepPoint;
use sbx_kernels::cases::spec::CaseAnalysis;
use sbx_kernels::cases::Headline;
use serde::{Deserialize, Serialize};

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

impl From<CaseAnalysis> for Analysis {
    /// A wrong or right analysis of the kernels' table (`sbx_kernels::cases::spec`).
    fn from(a: CaseAnalysis) -> Self {
        match a {
            CaseAnalysis::De { level, test } => Analysis::De {
                level: level.into(),
                test: test.into(),
            },
            CaseAnalysis::Corr { norm } => Analysis::Corr { norm: norm.into() },
            CaseAnalysis::Batch { integration } => Analysis::Batch {
                integration: integration.into(),
            },
            CaseAnalysis::Oocytes { method, radius } => Analysis::Oocytes {
                method: method.into(),
                radius,
            },
            CaseAnalysis::Proximity { k } => Analysis::Proximity { k },
            CaseAnalysis::Niches { n, k, seed } => Analysis::Niches { n, k, seed },
        }
    }
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

    pub(super) fn to_value(&self) -> serde_json::Value {
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

/// The worker's answer to a `Case` request: which case, how long the analysis took
/// (or took when it first ran, if `cached`), and the analysis's own answer.
#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct CaseReply {
    pub case: String,
    pub ms: f64,
    /// The worker had run this analysis on this scenario before.
    pub cached: bool,
    /// Set by the page: shown from the answers kept since an earlier visit.
    #[serde(skip)]
    pub kept: bool,
    /// A digest of the answer's content and Arrow bytes, timings left out
    /// (`worker::case::digest`): equal digests mean identical results.
    pub digest: String,
    #[serde(flatten)]
    pub answer: CaseAnswer,
}

/// The simulated scenario (its tissue may come beside it as Arrow bytes).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct TissueInfo {
    pub title: String,
    pub platform: String,
    pub description: String,
    pub n_units: usize,
    pub build_ms: f64,
}

/// One clustering (`BatchSummary` without its per-cell vectors).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct BatchAnswer {
    pub mean_max_fraction: f64,
    pub n_clusters: usize,
    pub mean_cell_type_purity: f64,
    /// Per cluster (largest first, at most 20), the share of each timepoint.
    pub shares: Vec<Vec<f64>>,
    pub timepoints: Vec<String>,
}

/// One sex test (`DeSummary` without the adjusted p-values and effects).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct DeAnswer {
    pub test: String,
    pub pct_genes_significant: f64,
    pub n_significant: usize,
    pub housekeeping_called: Vec<String>,
    /// Raw p-value per gene.
    pub p: Vec<f32>,
}

/// Oocytes counted at every timepoint; the bead map of the first comes beside it.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct OocyteAnswer {
    pub total: usize,
    pub true_total: usize,
    pub per_timepoint: Vec<TimepointCount>,
}

/// `StructureCount` without its per-bead labels.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct TimepointCount {
    pub timepoint: String,
    pub count: usize,
    pub true_count: usize,
}

/// Cumulus beads at the first timepoint by the two rules.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct CumulusAnswer {
    pub timepoint: String,
    pub any_marker: usize,
    pub coherent: usize,
    pub true_beads: usize,
}

/// Oocyte counts at the first timepoint as the radius changes.
#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct SweepAnswer {
    pub timepoint: String,
    pub true_count: usize,
    pub points: Vec<SweepPoint>,
}

/// The niches (`NicheSummary` without centroids and per-cell labels).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct NicheAnswer {
    pub n_niches: usize,
    pub timepoints: Vec<String>,
    pub niche_fraction: Vec<f64>,
    pub fold: f64,
}

/// The case's headline from the kernels and its SpatialBench eval (for the clustering
/// cases the tissue with the computed columns comes beside it).
#[derive(Serialize, Deserialize, Debug, Clone)]
pub struct HeadlineAnswer {
    #[serde(flatten)]
    pub headline: Headline,
    pub eval: serde_json::Value,
}

/// The answer types a page can ask for by type (`CaseAnswer::into_typed`).
pub trait FromCaseAnswer: Sized {
    /// The answer if it is of this type.
    fn from_answer(a: CaseAnswer) -> Option<Self>;
}

macro_rules! case_answers {
    ($($variant:ident($t:ty) = $name:literal),* $(,)?) => {
        /// One analysis's answer, tagged by the analysis's name.
        #[derive(Serialize, Deserialize, Debug, Clone)]
        #[serde(tag = "analysis", rename_all = "snake_case")]
        pub enum CaseAnswer {
            $($variant($t),)*
        }

        impl CaseAnswer {
            /// The name of the analysis answered (`Analysis::name`).
            pub fn name(&self) -> &'static str {
                match self {
                    $(CaseAnswer::$variant(_) => $name,)*
                }
            }
        }

        $(impl FromCaseAnswer for $t {
            fn from_answer(a: CaseAnswer) -> Option<Self> {
                match a {
                    CaseAnswer::$variant(x) => Some(x),
                    _ => None,
                }
            }
        })*
    };
}
// The analyses answered, each named once: the enum, its names and the
// typed access (`FromCaseAnswer`) come from this one list.
case_answers!(
    Tissue(TissueInfo) = "tissue",
    Batch(BatchAnswer) = "batch",
    De(DeAnswer) = "de",
    Corr(CorrSummary) = "corr",
    Oocytes(OocyteAnswer) = "oocytes",
    Cumulus(CumulusAnswer) = "cumulus",
    Sweep(SweepAnswer) = "sweep",
    Proximity(PairwiseSummary) = "proximity",
    Niches(NicheAnswer) = "niches",
    Headline(HeadlineAnswer) = "headline",
);

impl CaseAnswer {
    /// The answer as `T`, or an error naming both when it is another analysis's.
    pub fn into_typed<T: FromCaseAnswer>(self) -> Result<T, String> {
        let name = self.name();
        T::from_answer(self).ok_or_else(|| {
            format!(
                "the worker answered with `{name}`, not a {}",
                std::any::type_name::<T>().rsplit("::").next().unwrap_or("")
            )
        })
    }
}
