//! The one table of the case studies: for each scenario, its wrong and its right
//! analysis, the headline its page grades, the words the page shows for them, and
//! the choices the reader is offered. The kernels' `headlines`, the data worker's case
//! job and the case pages all read it, so a case's analyses are named here only.
//!
//! Analyses are named as the worker's protocol names them (strings for the choices a
//! page's `<select>` sends); `super::parse` turns those names into the kernels' own options.

use super::parse;
use crate::sim::ScenarioKind;

/// One analysis a case page can ask the worker for, with the choices made.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum CaseAnalysis {
    /// Sex test at `level` ("unit", "donor") with `test` ("wilcoxon", "welch", "student").
    De {
        level: &'static str,
        test: &'static str,
    },
    /// Mbp–Plp1 Spearman in oligodendrocytes under `norm` ("raw", "libsize", "panel", "scale").
    Corr { norm: &'static str },
    /// Clustering with `integration` ("none", "harmony", "scaling").
    Batch { integration: &'static str },
    /// Oocytes over all timepoints by `method` ("components", "dbscan") at `radius` µm.
    Oocytes { method: &'static str, radius: f32 },
    /// Immune share among the `k` nearest neighbours of fibroblast-lineage cells.
    Proximity { k: usize },
    /// `n` k-means niches on each cell's `k`-NN composition.
    Niches { n: usize, k: usize, seed: u64 },
}

/// How a page shows one side (wrong or right) of its case.
#[derive(Clone, Copy, Debug)]
pub struct SideSpec {
    pub analysis: CaseAnalysis,
    /// The card's heading, e.g. "Wrong: every barcode is a sample".
    pub heading: &'static str,
    /// The method in a sentence, under the heading.
    pub method: &'static str,
    /// What the page says while the worker runs it.
    pub step: &'static str,
}

/// A control of the reader's "your choice" section.
#[derive(Clone, Copy, Debug)]
pub enum Control {
    /// A `<select>` of (value, label) options.
    Select {
        label: &'static str,
        testid: &'static str,
        options: &'static [(&'static str, &'static str)],
        default: &'static str,
    },
    /// An `<input type=range>`.
    Range {
        label: &'static str,
        testid: &'static str,
        min: f64,
        max: f64,
        step: f64,
        default: f64,
        /// Shown after the value, e.g. " µm".
        unit: &'static str,
    },
}

impl Control {
    pub fn testid(&self) -> &'static str {
        match self {
            Control::Select { testid, .. } | Control::Range { testid, .. } => testid,
        }
    }
}

/// Everything the project says about one case study's analyses.
#[derive(Clone, Copy, Debug)]
pub struct CaseSpec {
    pub kind: ScenarioKind,
    /// The headline (of `super::headlines`) the page grades.
    pub key: &'static str,
    pub wrong: SideSpec,
    pub right: SideSpec,
    /// The controls of "your choice", in page order.
    pub choices: &'static [Control],
    /// The heading of the "your choice" section.
    pub choice_heading: &'static str,
    /// What the page says while the worker runs the reader's choice.
    pub choice_step: &'static str,
    /// What the page says while the worker grades (and, for the clustering cases,
    /// colours the tissue by the computed column).
    pub headline_step: &'static str,
}

const PSEUDOREPLICATION: CaseSpec = CaseSpec {
    kind: ScenarioKind::Pseudoreplication,
    key: "pct_genes_sex_de",
    wrong: SideSpec {
        analysis: CaseAnalysis::De {
            level: "unit",
            test: "wilcoxon",
        },
        heading: "Wrong: every barcode is a sample",
        method: "library size (1e4) + log1p per barcode, Wilcoxon rank-sum, BH 5%",
        step: "testing every gene with every barcode as a sample (Wilcoxon)",
    },
    right: SideSpec {
        analysis: CaseAnalysis::De {
            level: "donor",
            test: "student",
        },
        heading: "Right: donors are the samples",
        method: "pseudobulk counts per donor, log-CPM, Student t-test (3 vs 5 donors), BH 5%",
        step: "testing every gene with donors as the samples (pseudobulk t-test)",
    },
    choices: &[
        Control::Select {
            label: "Test level ",
            testid: "choice-level",
            options: &[("unit", "barcode (unit)"), ("donor", "donor (pseudobulk)")],
            default: "unit",
        },
        Control::Select {
            label: "Test ",
            testid: "choice-test",
            options: &[
                ("wilcoxon", "Wilcoxon rank-sum"),
                ("welch", "Welch t-test"),
                ("student", "Student t-test"),
            ],
            default: "wilcoxon",
        },
    ],
    choice_heading: "Your choice",
    choice_step: "testing with your choice",
    headline_step: "grading",
};

const NORMALIZATION: CaseSpec = CaseSpec {
    kind: ScenarioKind::Normalization,
    key: "mbp_plp1_spearman",
    wrong: SideSpec {
        analysis: CaseAnalysis::Corr { norm: "libsize" },
        heading: "Wrong: library-size normalization + log1p",
        method: "normalize_total(target_sum=1e4) + log1p: on a targeted panel the dominant myelin genes compete for a fixed total",
        step: "library-size normalization, then Spearman in oligodendrocytes",
    },
    right: SideSpec {
        analysis: CaseAnalysis::Corr { norm: "raw" },
        heading: "Right: raw counts",
        method: "raw counts (Spearman is rank-based; a panel-aware size factor keeps the same sign)",
        step: "Spearman on raw counts",
    },
    choices: &[Control::Select {
        label: "Normalization ",
        testid: "choice-norm",
        options: &[
            ("raw", "raw counts"),
            ("libsize", "library size (1e4) + log1p"),
            (
                "panel",
                "panel-aware size factors (without the 7 myelin genes) + log1p",
            ),
            ("scale", "per-gene scaling (z-score)"),
        ],
        default: "panel",
    }],
    choice_heading: "Your choice",
    choice_step: "correlating with your choice",
    headline_step: "grading",
};

const BATCH: CaseSpec = CaseSpec {
    kind: ScenarioKind::BatchIntegration,
    key: "mean_max_timepoint_fraction",
    wrong: SideSpec {
        analysis: CaseAnalysis::Batch {
            integration: "none",
        },
        heading: "Wrong: pool the timepoints and cluster",
        method: "log-normalize, PCA (20), 15-NN graph, Louvain — timepoints as given",
        step: "clustering the pooled timepoints (PCA, 15-NN graph, Louvain)",
    },
    right: SideSpec {
        analysis: CaseAnalysis::Batch {
            integration: "harmony",
        },
        heading: "Right: integrate across timepoints first",
        method: "the project's Harmony-style correction of the PCA embedding per timepoint, tuned to this scenario (10 clusters, sigma 0.5, lambda 0.1, 10 rounds), then the same clustering. Tuned, not standard: Harmony with harmonypy's own defaults (what scanpy's harmony_integrate runs) stops after a round or two here, as its convergence rule allows, and its clusters still follow the timepoint; it is shown under “Your choice”",
        step: "integrating the timepoints (Harmony-style, tuned to the scenario), then clustering",
    },
    choices: &[Control::Select {
        label: "Integration ",
        testid: "choice-integration",
        options: &[
            ("none", "off (pooled)"),
            ("scaling", "per-timepoint centering and scaling"),
            (
                "harmony_defaults",
                "Harmony with harmonypy's defaults (theta 2, lambda 1, sigma 0.1, N/30 ≤ 100 clusters)",
            ),
            ("harmony", "Harmony-style, tuned to this scenario"),
        ],
        default: "harmony_defaults",
    }],
    choice_heading: "Your choice",
    choice_step: "clustering with your choice",
    headline_step: "grading, and colouring the tissue by cluster",
};

const SPATIAL_UNITS: CaseSpec = CaseSpec {
    kind: ScenarioKind::SpatialUnits,
    key: "oocyte_count_total",
    wrong: SideSpec {
        analysis: CaseAnalysis::Oocytes {
            method: "components",
            radius: 10.0,
        },
        heading: "Wrong: connected components of positive beads",
        method: "beads with any oocyte-marker count (Zp3, Gdf9, Figla, Bmp15), linked within 10 µm; ambient RNA makes isolated positive beads into extra “oocytes”",
        step: "connected components of marker-positive beads, every timepoint",
    },
    right: SideSpec {
        analysis: CaseAnalysis::Oocytes {
            method: "dbscan",
            radius: 15.0,
        },
        heading: "Right: density clusters of positive beads",
        method: "DBSCAN, eps 15 µm, at least 3 beads: one oocyte spans many 10 µm beads, isolated ambient beads are noise",
        step: "DBSCAN of marker-positive beads, every timepoint",
    },
    choices: &[
        Control::Select {
            label: "Method ",
            testid: "choice-method",
            options: &[
                ("components", "connected components"),
                ("dbscan", "DBSCAN (min 3 beads)"),
            ],
            default: "components",
        },
        Control::Range {
            label: "radius / eps ",
            testid: "choice-radius",
            min: 5.0,
            max: 40.0,
            step: 2.5,
            default: 10.0,
            unit: " µm",
        },
    ],
    choice_heading: "Your choice: method and radius",
    choice_step: "counting with your method and radius",
    headline_step: "grading",
};

const NICHES: CaseSpec = CaseSpec {
    kind: ScenarioKind::NicheDiscovery,
    key: "niche_fold",
    wrong: SideSpec {
        analysis: CaseAnalysis::Proximity { k: 10 },
        heading: "Wrong: fibroblast–immune proximity",
        method: "mean share of immune cells among the 10 nearest neighbours of fibroblast-lineage cells, per timepoint",
        step: "fibroblast–immune proximity (10 nearest neighbours)",
    },
    right: SideSpec {
        analysis: CaseAnalysis::Niches {
            n: 8,
            k: 15,
            seed: 1,
        },
        heading: "Right: neighbourhood-composition niches",
        method: "k-means (8) on each cell's 15-NN cell-type composition; share of cells in the fibro-inflammatory niche",
        step: "neighbourhood compositions (15-NN) and k-means niches",
    },
    choices: &[Control::Range {
        label: "niches ",
        testid: "choice-niches",
        min: 3.0,
        max: 14.0,
        step: 1.0,
        default: 8.0,
        unit: "",
    }],
    choice_heading: "Your choice: number of niches",
    choice_step: "finding your number of niches",
    headline_step: "grading, and colouring the tissue by niche",
};

/// The spec of a scenario's case study.
pub fn spec(kind: ScenarioKind) -> &'static CaseSpec {
    match kind {
        ScenarioKind::Pseudoreplication => &PSEUDOREPLICATION,
        ScenarioKind::Normalization => &NORMALIZATION,
        ScenarioKind::BatchIntegration => &BATCH,
        ScenarioKind::SpatialUnits => &SPATIAL_UNITS,
        ScenarioKind::NicheDiscovery => &NICHES,
    }
}

/// Checks that every name in `a` is one the kernels know (what the worker will parse).
pub fn check(a: &CaseAnalysis) -> Result<(), String> {
    match *a {
        CaseAnalysis::De { level, test } => {
            parse::test_level(level)?;
            parse::test_kind(test).map(|_| ())
        }
        CaseAnalysis::Corr { norm } => parse::normalization(norm).map(|_| ()),
        CaseAnalysis::Batch { integration } => parse::integration(integration).map(|_| ()),
        CaseAnalysis::Oocytes { method, radius } => parse::count_method(method, radius).map(|_| ()),
        CaseAnalysis::Proximity { k } if (1..=100).contains(&k) => Ok(()),
        CaseAnalysis::Niches { n, k, .. } if (2..=30).contains(&n) && (1..=100).contains(&k) => {
            Ok(())
        }
        other => Err(format!("{other:?} is out of range")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_scenario_has_its_own_spec() {
        for kind in ScenarioKind::ALL {
            assert_eq!(spec(kind).kind, kind, "{}", kind.id());
        }
    }

    #[test]
    fn wrong_and_right_are_known_distinct_analyses_of_one_kind() {
        for kind in ScenarioKind::ALL {
            let s = spec(kind);
            check(&s.wrong.analysis).unwrap_or_else(|e| panic!("{}: wrong: {e}", kind.id()));
            check(&s.right.analysis).unwrap_or_else(|e| panic!("{}: right: {e}", kind.id()));
            assert_ne!(s.wrong.analysis, s.right.analysis, "{}", kind.id());
            assert!(s.wrong.heading.starts_with("Wrong: "), "{}", kind.id());
            assert!(s.right.heading.starts_with("Right: "), "{}", kind.id());
        }
    }

    #[test]
    fn choices_offer_their_default_and_wrong_and_right() {
        for kind in ScenarioKind::ALL {
            let s = spec(kind);
            assert!(!s.choices.is_empty(), "{}", kind.id());
            for c in s.choices {
                match *c {
                    Control::Select {
                        options, default, ..
                    } => assert!(options.iter().any(|(v, _)| *v == default), "{}", kind.id()),
                    Control::Range {
                        min,
                        max,
                        step,
                        default,
                        ..
                    } => assert!(min <= default && default <= max && step > 0.0),
                }
            }
            // The first select holds the values that tell wrong from right apart.
            if let Some(Control::Select { options, .. }) = s.choices.first() {
                let has = |v: &str| options.iter().any(|(o, _)| *o == v);
                let first = |a: CaseAnalysis| match a {
                    CaseAnalysis::De { level, .. } => level,
                    CaseAnalysis::Corr { norm } => norm,
                    CaseAnalysis::Batch { integration } => integration,
                    CaseAnalysis::Oocytes { method, .. } => method,
                    _ => "",
                };
                assert!(has(first(s.wrong.analysis)), "{}", kind.id());
                assert!(has(first(s.right.analysis)), "{}", kind.id());
            }
        }
    }

    /// Every option a page's select offers is a name the kernels parse.
    #[test]
    fn every_option_of_every_select_parses() {
        let accepts = |testid: &str, v: &str| match testid {
            "choice-level" => parse::test_level(v).is_ok(),
            "choice-test" => parse::test_kind(v).is_ok(),
            "choice-norm" => parse::normalization(v).is_ok(),
            "choice-integration" => parse::integration(v).is_ok(),
            "choice-method" => parse::count_method(v, 10.0).is_ok(),
            _ => false,
        };
        for kind in ScenarioKind::ALL {
            for c in spec(kind).choices {
                if let Control::Select {
                    testid, options, ..
                } = *c
                {
                    for (v, _) in options {
                        assert!(accepts(testid, v), "{}: {testid} {v}", kind.id());
                    }
                }
            }
        }
    }

    #[test]
    fn unknown_names_are_errors() {
        assert!(check(&CaseAnalysis::Corr {
            norm: "sctransform"
        })
        .is_err());
        assert!(check(&CaseAnalysis::De {
            level: "donor",
            test: "t"
        })
        .is_err());
        assert!(check(&CaseAnalysis::Oocytes {
            method: "dbscan",
            radius: f32::NAN
        })
        .is_err());
        assert!(check(&CaseAnalysis::Niches {
            n: 1,
            k: 15,
            seed: 1
        })
        .is_err());
    }
}
