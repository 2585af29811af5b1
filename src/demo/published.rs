//! The answers frontier models gave to the published tasks behind each case
//! study, as reported in the SpatialBench review (see the Case studies page).
//! They become runs of the demo evals, regraded against the simulated truth.

/// One reported answer: the model, the run number and the value.
pub struct PublishedAnswer {
    pub key: &'static str,
    pub model: &'static str,
    pub run: u32,
    pub value: f64,
    /// Reported as a range or "about"; the value is an end of that range.
    pub approximate: bool,
}

const fn a(
    key: &'static str,
    model: &'static str,
    run: u32,
    value: f64,
    approximate: bool,
) -> PublishedAnswer {
    PublishedAnswer {
        key,
        model,
        run,
        value,
        approximate,
    }
}

const ANSWERS: &[PublishedAnswer] = &[
    a("pct_genes_sex_de", "openai/gpt-5.4", 1, 93.876, false),
    a("pct_genes_sex_de", "openai/gpt-5.4", 2, 93.876, false),
    a("pct_genes_sex_de", "openai/gpt-5.4", 3, 93.876, false),
    a("pct_genes_sex_de", "openai/gpt-5.5", 1, 93.876, false),
    a("pct_genes_sex_de", "openai/gpt-5.5", 2, 93.876, false),
    a("pct_genes_sex_de", "openai/gpt-5.5", 3, 93.876, false),
    a(
        "pct_genes_sex_de",
        "anthropic/claude-opus-4.6",
        1,
        92.0,
        true,
    ),
    a(
        "pct_genes_sex_de",
        "anthropic/claude-opus-4.7",
        1,
        94.0,
        true,
    ),
    a(
        "housekeeping_sex_de",
        "anthropic/claude-opus-4.7",
        1,
        10.0,
        false,
    ),
    a(
        "housekeeping_sex_de",
        "anthropic/claude-opus-4.6",
        1,
        10.0,
        false,
    ),
    a("housekeeping_sex_de", "openai/gpt-5.4", 1, 9.0, true),
    a("housekeeping_sex_de", "openai/gpt-5.5", 1, 10.0, true),
    a("mbp_plp1_spearman", "openai/gpt-5.5", 1, -0.157, false),
    a("mbp_plp1_spearman", "openai/gpt-5.5", 2, -0.157, false),
    a("mbp_plp1_spearman", "openai/gpt-5.5", 3, -0.157, false),
    a(
        "mbp_plp1_spearman",
        "anthropic/claude-opus-4.7",
        1,
        -0.16,
        true,
    ),
    a("mbp_plp1_spearman", "openai/gpt-5.4", 1, 0.326, true),
    a("mbp_plp1_spearman", "openai/gpt-5.4", 2, 0.326, true),
    a(
        "mean_max_timepoint_fraction",
        "openai/gpt-5.4",
        1,
        0.967,
        false,
    ),
    a(
        "mean_max_timepoint_fraction",
        "openai/gpt-5.4",
        2,
        0.995,
        false,
    ),
    a(
        "mean_max_timepoint_fraction",
        "openai/gpt-5.4",
        3,
        0.995,
        false,
    ),
    a(
        "mean_max_timepoint_fraction",
        "openai/gpt-5.5",
        1,
        0.990,
        false,
    ),
    a(
        "mean_max_timepoint_fraction",
        "openai/gpt-5.5",
        2,
        0.994,
        false,
    ),
    a(
        "mean_max_timepoint_fraction",
        "openai/gpt-5.5",
        3,
        0.988,
        false,
    ),
    a("oocyte_count_total", "openai/gpt-5.4", 1, 1237.0, false),
    a("oocyte_count_total", "openai/gpt-5.4", 2, 2086.0, false),
    a("oocyte_count_total", "openai/gpt-5.5", 1, 1510.0, false),
    a("oocyte_count_total", "openai/gpt-5.5", 2, 3463.0, false),
    a(
        "oocyte_count_first_timepoint",
        "openai/gpt-5.4",
        1,
        424.0,
        true,
    ),
    a(
        "oocyte_count_first_timepoint",
        "openai/gpt-5.4",
        2,
        821.0,
        true,
    ),
    a(
        "cumulus_beads_unstimulated",
        "openai/gpt-5.4",
        1,
        435.0,
        false,
    ),
    a(
        "cumulus_beads_unstimulated",
        "openai/gpt-5.4",
        2,
        1474.0,
        false,
    ),
    a(
        "cumulus_beads_unstimulated",
        "openai/gpt-5.5",
        1,
        1424.0,
        false,
    ),
    a(
        "cumulus_beads_unstimulated",
        "openai/gpt-5.5",
        2,
        2395.0,
        false,
    ),
    a(
        "niche_colocalization_first",
        "openai/gpt-5.4",
        1,
        0.112,
        false,
    ),
    a(
        "niche_colocalization_first",
        "openai/gpt-5.4",
        2,
        0.124,
        false,
    ),
    a(
        "niche_colocalization_first",
        "openai/gpt-5.5",
        1,
        0.121,
        false,
    ),
    a(
        "niche_colocalization_first",
        "openai/gpt-5.5",
        2,
        0.373,
        false,
    ),
    a("niche_fold", "openai/gpt-5.4", 1, 2.26, false),
    a("niche_fold", "openai/gpt-5.4", 2, 2.32, false),
    a("niche_fold", "openai/gpt-5.5", 1, 1.99, false),
    a("niche_fold", "openai/gpt-5.5", 2, 4.23, false),
];

/// The published answers for a headline key.
pub fn published_answers(key: &str) -> impl Iterator<Item = &'static PublishedAnswer> + '_ {
    ANSWERS.iter().filter(move |a| a.key == key)
}
