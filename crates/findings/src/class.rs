//! The finding classes and verdicts, with the stable ids used in JSON, URLs and the UI.

use serde::{Deserialize, Serialize};

/// A recurring way an agent gets a spatial / single-cell analysis wrong, plus
/// one finding about the benchmark itself ([`FailureClass::AnswerLookup`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FailureClass {
    /// Cells/spots tested as independent samples when the design has replicates above them.
    Pseudoreplication,
    /// scRNA-seq library-size normalisation applied to a targeted gene panel.
    PanelNormalization,
    /// Clustering or embedding over pooled samples/batches without integration or a batch check.
    UnintegratedClustering,
    /// Visium spots / Slide-seq beads / DBiT tixels treated as single cells.
    SpotAsCell,
    /// A de-novo niche question answered only with pairwise proximity scores.
    ProximityNiche,
    /// The agent looked up the source study of its data.
    AnswerLookup,
}

impl FailureClass {
    pub const ALL: [FailureClass; 6] = [
        FailureClass::Pseudoreplication,
        FailureClass::PanelNormalization,
        FailureClass::UnintegratedClustering,
        FailureClass::SpotAsCell,
        FailureClass::ProximityNiche,
        FailureClass::AnswerLookup,
    ];

    /// The stable id (same as the serde name).
    pub fn id(self) -> &'static str {
        match self {
            FailureClass::Pseudoreplication => "pseudoreplication",
            FailureClass::PanelNormalization => "panel_normalization",
            FailureClass::UnintegratedClustering => "unintegrated_clustering",
            FailureClass::SpotAsCell => "spot_as_cell",
            FailureClass::ProximityNiche => "proximity_niche",
            FailureClass::AnswerLookup => "answer_lookup",
        }
    }

    pub fn from_id(id: &str) -> Option<FailureClass> {
        FailureClass::ALL.into_iter().find(|c| c.id() == id)
    }

    /// A short human title.
    pub fn label(self) -> &'static str {
        match self {
            FailureClass::Pseudoreplication => "Pseudoreplication",
            FailureClass::PanelNormalization => "scRNA-seq normalisation on a panel",
            FailureClass::UnintegratedClustering => "Clustering without integration",
            FailureClass::SpotAsCell => "Spots treated as cells",
            FailureClass::ProximityNiche => "Niches from pairwise proximity",
            FailureClass::AnswerLookup => "Answer looked up",
        }
    }

    /// The id of the case-study page that simulates this class, if any.
    pub fn case_study(self) -> Option<&'static str> {
        match self {
            FailureClass::Pseudoreplication => Some("pseudoreplication"),
            FailureClass::PanelNormalization => Some("normalization"),
            FailureClass::UnintegratedClustering => Some("batch_integration"),
            FailureClass::SpotAsCell => Some("spatial_units"),
            FailureClass::ProximityNiche => Some("niche_discovery"),
            FailureClass::AnswerLookup => None,
        }
    }
}

/// What a run did about an applicable class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The run made the mistake.
    Committed,
    /// The run did the right thing.
    Avoided,
    /// The class applies but the evidence is missing or contradictory.
    Unclear,
}

impl Verdict {
    pub const ALL: [Verdict; 3] = [Verdict::Committed, Verdict::Avoided, Verdict::Unclear];

    pub fn id(self) -> &'static str {
        match self {
            Verdict::Committed => "committed",
            Verdict::Avoided => "avoided",
            Verdict::Unclear => "unclear",
        }
    }

    pub fn from_id(id: &str) -> Option<Verdict> {
        Verdict::ALL.into_iter().find(|v| v.id() == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_match_serde_and_round_trip() {
        for c in FailureClass::ALL {
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.id()));
            assert_eq!(FailureClass::from_id(c.id()), Some(c));
            assert_eq!(serde_json::from_str::<FailureClass>(&json).unwrap(), c);
        }
        for v in Verdict::ALL {
            let json = serde_json::to_string(&v).unwrap();
            assert_eq!(json, format!("\"{}\"", v.id()));
            assert_eq!(Verdict::from_id(v.id()), Some(v));
        }
        assert_eq!(FailureClass::from_id("spot-as-cell"), None);
        assert_eq!(Verdict::from_id("Committed"), None);
    }

    #[test]
    fn ids_are_the_published_ones() {
        let ids: Vec<&str> = FailureClass::ALL.iter().map(|c| c.id()).collect();
        assert_eq!(
            ids,
            [
                "pseudoreplication",
                "panel_normalization",
                "unintegrated_clustering",
                "spot_as_cell",
                "proximity_niche",
                "answer_lookup"
            ]
        );
        assert_eq!(FailureClass::SpotAsCell.case_study(), Some("spatial_units"));
        assert_eq!(FailureClass::AnswerLookup.case_study(), None);
    }
}
