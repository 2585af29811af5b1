//! Pieces every case study page shares: the published context, numbers with
//! stable test ids, and grading against the demo eval.

use leptos::prelude::*;
use sbx_kernels::sim::ScenarioKind;
use serde_json::Value;

/// The failure class of each case study, and what the published review
/// reported (the SpatialBench review; its tasks, right answers and model
/// answers are quoted in [`published`]).
pub fn title(kind: ScenarioKind) -> &'static str {
    match kind {
        ScenarioKind::Pseudoreplication => "Replicate-aware statistics (pseudoreplication)",
        ScenarioKind::Normalization => "Platform-aware normalization",
        ScenarioKind::BatchIntegration => "Batch and donor integration",
        ScenarioKind::SpatialUnits => "Spatial units and denominators",
        ScenarioKind::NicheDiscovery => "De novo niche discovery",
    }
}

pub fn summary(kind: ScenarioKind) -> &'static str {
    match kind {
        ScenarioKind::Pseudoreplication => "Barcodes are nested in donors: testing every barcode as a sample calls almost every gene sex-different.",
        ScenarioKind::Normalization => "On a targeted panel dominated by a few myelin genes, library-size normalization turns a positive co-expression negative.",
        ScenarioKind::BatchIntegration => "Without integration across timepoints, clusters follow the timepoint instead of the cell type.",
        ScenarioKind::SpatialUnits => "Large oocytes span many 10 µm beads: counting positive beads or components overshoots, and the count swings with the radius.",
        ScenarioKind::NicheDiscovery => "A fibro-inflammatory niche emerges after injury; pairwise proximity underestimates how much it grows.",
    }
}

/// The published task, right answer and model answers, as text.
pub fn published(kind: ScenarioKind) -> Vec<(&'static str, &'static str)> {
    match kind {
        ScenarioKind::Pseudoreplication => vec![
            ("Task", "SPATIAL10_genome_wide_de_pct (AtlasXomics DBiT-seq, human dorsal root ganglion): % of 24,919 genes with a sex difference; ~10,000 barcodes from 8 donors (3 female, 5 male), barcodes nested in donors."),
            ("Published right answer", "~1.2% of genes (donor-level pseudobulk)."),
            ("Models answered", "GPT-5.4 and GPT-5.5: 93.876% on all six runs; Opus 4.6/4.7: ~92–94%."),
            ("Related task", "SPATIAL07_sex_housekeeping_de: how many of 10 housekeeping genes differ by sex — right answer 0; Opus answered 10 of 10 on every run, GPT 9–10."),
        ],
        ScenarioKind::Normalization => vec![
            ("Task", "norm_02_myelin_gene_coexpression_normalization (MERFISH, 374-gene targeted panel): Spearman correlation of Mbp and Plp1 in oligodendrocytes."),
            ("Published right answer", "~0.308 (positive)."),
            ("Models answered", "GPT-5.5: −0.157 (3 of 3 runs); Claude models ~−0.16 every run, after normalize_total(target_sum=1e4) + log1p; GPT-5.4 passed 2 of 3 with ~0.326."),
        ],
        ScenarioKind::BatchIntegration => vec![
            ("Task", "batch_driven_clustering (TakaraBio Seeker): mean over clusters of the largest single-timepoint fraction."),
            ("Published right answer", "~0.375."),
            ("Models answered", "GPT-5.4: 0.967, 0.995, 0.995; GPT-5.5: 0.990, 0.994, 0.988 (clusters track timepoint, not cell type)."),
            ("Related task", "NORM01_batch_correction (AtlasXomics): mean max sample fraction per cluster — right answer 0.375; GPT answered 0.866–0.897."),
        ],
        ScenarioKind::SpatialUnits => vec![
            ("Task", "oocyte_count_per_timepoint (TakaraBio Seeker, 10 µm beads; a large oocyte spans many beads): immature oocyte count."),
            ("Published right answer", "850 in total (0h timepoint: 275)."),
            ("Models answered", "GPT-5.4: 1237–2086; GPT-5.5: 1510–3463; at 0h: 424–821."),
            ("Related tasks", "cumulus_gc_count_immature: right answer 0 (cumulus cells need hCG stimulation), GPT-5.4 435–1474, GPT-5.5 1424–2395. follicle_count_immature: Opus 4.7 answered 50 to 456 across runs; small changes of the DBSCAN radius change the components wildly."),
        ],
        ScenarioKind::NicheDiscovery => vec![
            ("Task", "spatial_fibro_inflammatory_niche_emergence_2 (Xenium, kidney injury time course): co-localization of the fibro-inflammatory niche at sham and day 14, and the fold increase."),
            ("Published right answer", "sham 0.033, day 14 0.23, fold 6.9."),
            ("Models answered", "GPT-5.4: sham 0.112–0.124, fold 2.26–2.32; GPT-5.5: sham 0.121–0.373, fold 1.99–4.23; Opus finds fibroblast-immune proximity but not the CN7-like pathological niche."),
        ],
    }
}

/// Formats a number for display with a sensible precision.
pub fn fmt(v: f64) -> String {
    if !v.is_finite() {
        "—".into()
    } else if v.abs() >= 100.0 || v.fract() == 0.0 {
        format!("{v:.0}")
    } else if v.abs() >= 1.0 {
        format!("{v:.2}")
    } else {
        format!("{v:.3}")
    }
}

/// A number with a stable test id and its full value in `data-value`.
#[component]
pub fn Num(
    #[prop(into)] testid: String,
    #[prop(into)] value: Signal<Option<f64>>,
    #[prop(optional, into)] suffix: String,
) -> impl IntoView {
    view! {
        <span class="case-num" data-testid=testid data-value=move || value.get().map(|v| v.to_string()).unwrap_or_default()>
            {move || match value.get() { Some(v) => format!("{}{}", fmt(v), suffix), None => "computing…".to_string() }}
        </span>
    }
}

/// The result of grading an answer with the demo eval's grader.
#[derive(Clone, Debug, PartialEq)]
pub struct Verdict {
    pub passed: bool,
    pub reasoning: String,
}

/// Grades `{key: value}` against `eval` with the project's grader.
pub fn grade(eval: &Value, key: &str, value: f64) -> Result<Verdict, String> {
    let e = sbx_grade::parse(&eval.to_string()).map_err(|e| format!("eval JSON: {e}"))?;
    let answer = serde_json::json!({ key: value }).to_string();
    let a = sbx_grade::parse(&answer).map_err(|e| format!("answer: {e}"))?;
    let results = sbx_grade::grade_eval(&e, &a);
    Ok(Verdict {
        passed: sbx_grade::eval_passed(&results),
        reasoning: results
            .iter()
            .flat_map(|r| r.reasoning.iter().cloned())
            .collect::<Vec<_>>()
            .join(" "),
    })
}

#[component]
pub fn VerdictBadge(
    #[prop(into)] testid: String,
    #[prop(into)] verdict: Signal<Option<Verdict>>,
) -> impl IntoView {
    view! {
        {move || verdict.get().map(|v| {
            let cls = if v.passed { "verdict pass" } else { "verdict fail" };
            view! {
                <span class=cls data-testid=testid.clone() data-value=if v.passed { "pass" } else { "fail" } title=v.reasoning.clone()>
                    {if v.passed { "PASS" } else { "FAIL" }}
                </span>
            }
        })}
    }
}

/// Shows the eval JSON, its tolerance and the published answers regraded.
#[component]
pub fn EvalPanel(eval: Value, key: String) -> impl IntoView {
    let text = serde_json::to_string_pretty(&eval).unwrap_or_default();
    let answers: Vec<_> = crate::demo::published_answers(&key)
        .map(|p| {
            let v = grade(&eval, &key, p.value).ok();
            (p.model, p.run, p.value, p.approximate, v)
        })
        .collect();
    let (ttype, tval) = crate::demo::tolerance_for(&key);
    view! {
        <details class="card eval-json" data-testid="eval-json">
            <summary>"The task as a SpatialBench eval (" <code>{eval["id"].as_str().unwrap_or("").to_string()}</code>
                ", " {format!("{ttype} tolerance {tval}")} ")"</summary>
            <pre>{text}</pre>
        </details>
        {(!answers.is_empty()).then(|| view! {
            <details class="card published-runs" open>
                <summary>"The models' published answers, regraded against this simulation"</summary>
                <table class="data">
                    <thead><tr><th>"Model"</th><th>"Run"</th><th>"Answer"</th><th>"Verdict"</th></tr></thead>
                    <tbody>
                        {answers.into_iter().map(|(m, r, v, approx, verdict)| view! {
                            <tr>
                                <td>{m}</td><td>{r}</td>
                                <td class="num">{fmt(v)}{approx.then_some(" (approx.)")}</td>
                                <td>{verdict.map(|v| view! {
                                    <span class=if v.passed { "verdict pass" } else { "verdict fail" }>{if v.passed { "PASS" } else { "FAIL" }}</span>
                                })}</td>
                            </tr>
                        }).collect::<Vec<_>>()}
                    </tbody>
                </table>
            </details>
        })}
    }
}
