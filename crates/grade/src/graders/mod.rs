//! One module per grader type and the registry from type strings to graders.

pub mod common;
pub mod composite;
pub mod distribution_comparison;
pub mod finished_file;
pub mod label_set_jaccard;
pub mod longest_subsequence;
pub mod marker_gene_precision_recall;
pub mod marker_gene_separation;
pub mod multiple_choice;
pub mod numeric_range;
pub mod numeric_tolerance;
pub mod predicate_leaf;
pub mod refusal_vocab;
pub mod spatial_adjacency;

use crate::py::PyResult;
use crate::result::GraderResult;
use crate::value::Value;

/// A grader: `(answer, config, nesting depth)`. `Err` = the reference would raise.
pub type GradeFn = fn(&Value, &Value, usize) -> PyResult<GraderResult>;

/// Every deterministic grader type, in the reference registry's order.
pub const REGISTRY: [(&str, GradeFn); 18] = [
    ("numeric_tolerance", numeric_tolerance::grade),
    ("numeric_range", numeric_range::grade),
    ("label_set_jaccard", label_set_jaccard::grade),
    ("jaccard_label_set", label_set_jaccard::grade),
    ("distribution_comparison", distribution_comparison::grade),
    (
        "marker_gene_precision_recall",
        marker_gene_precision_recall::grade,
    ),
    ("marker_gene_separation", marker_gene_separation::grade),
    ("spatial_adjacency", spatial_adjacency::grade),
    ("multiple_choice", multiple_choice::grade),
    ("refusal_vocab", refusal_vocab::grade),
    ("predicate_leaf", predicate_leaf::grade),
    ("all_of", composite::all_of),
    ("composite", composite::all_of),
    ("average_of", composite::average_of),
    ("list_match", composite::list_match::grade),
    ("dict_match", composite::dict_match::grade),
    ("longest_subsequence", longest_subsequence::grade),
    ("finished_file", finished_file::grade),
];

/// The grader registered under a type string (aliases included).
pub fn get_grader(grader_type: &str) -> Option<GradeFn> {
    REGISTRY
        .iter()
        .find(|(name, _)| *name == grader_type)
        .map(|(_, f)| *f)
}

/// The canonical type a registered name stands for (`composite` -> `all_of`).
pub fn canonical_type(grader_type: &str) -> Option<&'static str> {
    match grader_type {
        "jaccard_label_set" => Some("label_set_jaccard"),
        "composite" => Some("all_of"),
        t => REGISTRY.iter().find(|(n, _)| *n == t).map(|(n, _)| *n),
    }
}

/// The reference's message for an unknown grader type.
pub fn unknown_type_message(grader_type: &str) -> String {
    let names: Vec<String> = REGISTRY
        .iter()
        .map(|(n, _)| crate::sfmt!("'{n}'"))
        .collect();
    crate::sfmt!(
        "Unknown grader type: {grader_type}. Available: [{}]",
        names.join(", ")
    )
}
