//! What the eval says about the data: platform and design, read from the
//! prompt and metadata. The detector combines it with what the code shows.

use serde_json::Value;

/// How sure the task is that the data is a targeted gene panel.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PanelKind {
    /// Not a panel platform as far as the task says.
    #[default]
    No,
    /// A platform that is often a targeted panel (BD Rhapsody): the code's own
    /// gene counts decide.
    Maybe,
    /// An imaging panel (Xenium, MERFISH, CosMx, ...) or an explicit gene panel.
    Yes,
}

/// Platform and design facts of one eval.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Task {
    /// Lower-cased prompt and metadata, for word look-ups by the rules.
    pub text: String,
    pub panel: PanelKind,
    /// Visium spots, Slide-seq/Seeker beads or DBiT tixels.
    pub spots: bool,
    /// The design names replicates above the cell: donors, patients, animals, ...
    pub replicates: bool,
    /// The data pools several samples, sections, batches, conditions or timepoints.
    pub multi_sample: bool,
    /// The task asks for a comparison between groups or conditions.
    pub comparison: bool,
    /// The task asks to discover niches de novo (not given niches, not pairwise co-localisation).
    pub niche_question: bool,
}

const PANEL_PLATFORMS: &[&str] = &[
    "xenium",
    "merfish",
    "merscope",
    "cosmx",
    "seqfish",
    "starmap",
    "resolve bio",
    "molecular cartography",
    "targeted panel",
    "gene panel",
    "targeted gene",
    "targeted rna",
];
const MAYBE_PANEL: &[&str] = &["bd rhapsody", "bd_rhapsody", "rhapsody"];
const SPOT_PLATFORMS: &[&str] = &[
    "visium",
    "slide-seq",
    "slideseq",
    "slide seq",
    "seeker",
    "dbit",
    "curio",
    "tixel",
    "st spots",
];
const REPLICATE_WORDS: &[&str] = &[
    "donors",
    "patients",
    "animals",
    "mice",
    "individuals",
    "subjects",
    "replicates",
    "organoids",
    "tumors",
    "tumours",
    "sections",
    "samples",
    "layers",
    "biological replicate",
    "cohort",
    "multi-layer",
    "multilayer",
];
const MULTI_SAMPLE_WORDS: &[&str] = &[
    "samples",
    "sections",
    "batches",
    "timepoints",
    "time points",
    "conditions",
    "donors",
    "patients",
    "organoids",
    "slides",
    "layers",
    "cohort",
    "genotypes",
];
/// A statistical group comparison, not any "compared to" in a description.
const COMPARISON_WORDS: &[&str] = &[
    "differentially expressed",
    "differential expression",
    "enriched or depleted",
    "upregulated",
    "downregulated",
    "fold change",
    "permutation null",
    "shuffle null",
    "p-value",
    "statistically significant",
];
const NICHE_QUESTION_WORDS: &[&str] = &[
    "niche changes",
    "niche disruption",
    "niche discovery",
    "identify niches",
    "identify the niches",
    "spatial niches",
    "cellular niches",
    "niche composition",
    "niche abundance",
    "discover niches",
    "define niches",
    "niches across",
    "tissue niches",
    "niche identification",
];

impl Task {
    /// Reads an eval JSON (`task` or `prompt`, plus `metadata`). Grader notes
    /// are not read: they describe the trap, not the data the agent sees.
    pub fn from_eval(eval: &Value) -> Task {
        let mut text = String::new();
        for key in ["task", "prompt", "question", "description", "platform"] {
            if let Some(s) = eval.get(key).and_then(Value::as_str) {
                text.push_str(s);
                text.push('\n');
            }
        }
        if let Some(meta) = eval.get("metadata") {
            collect_strings(meta, &mut text, 0);
        }
        Task::from_text(&text)
    }

    /// The same facts from free text (prompt and metadata joined).
    pub fn from_text(text: &str) -> Task {
        let text = text.to_lowercase().replace(['_', '\n'], " ");
        let any = |words: &[&str]| words.iter().any(|w| text.contains(w));
        let panel = if any(PANEL_PLATFORMS) || explicit_panel_size(&text) {
            PanelKind::Yes
        } else if any(MAYBE_PANEL) {
            PanelKind::Maybe
        } else {
            PanelKind::No
        };
        Task {
            panel,
            spots: any(SPOT_PLATFORMS),
            replicates: any(REPLICATE_WORDS),
            multi_sample: any(MULTI_SAMPLE_WORDS) || several_named(&text),
            comparison: any(COMPARISON_WORDS),
            niche_question: any(NICHE_QUESTION_WORDS),
            text,
        }
    }
}

/// "a 300-gene panel", "panel of 480 genes".
fn explicit_panel_size(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() && (i == 0 || !bytes[i - 1].is_ascii_digit()) {
            let start = i;
            while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b',') {
                i += 1;
            }
            let n: usize = text[start..i]
                .replace(',', "")
                .parse()
                .unwrap_or(usize::MAX);
            let rest = &text[i..];
            let rest = rest.strip_prefix('-').unwrap_or(rest).trim_start();
            if n < 1500 && (rest.starts_with("gene panel") || rest.starts_with("genes panel")) {
                return true;
            }
            let before = &text[..start];
            if n < 1500 && before.ends_with("panel of ") && rest.starts_with("gene") {
                return true;
            }
        } else {
            i += 1;
        }
    }
    false
}

/// "WT, PRO and MES", "condition_A, condition_B": conditions named in a list.
fn several_named(text: &str) -> bool {
    text.contains("condition a") && text.contains("condition b")
}

fn collect_strings(v: &Value, out: &mut String, depth: usize) {
    if depth > 8 {
        return;
    }
    match v {
        Value::String(s) => {
            out.push_str(s);
            out.push('\n');
        }
        Value::Array(items) => items
            .iter()
            .for_each(|i| collect_strings(i, out, depth + 1)),
        Value::Object(map) => {
            for (k, i) in map {
                out.push_str(k);
                out.push_str(": ");
                collect_strings(i, out, depth + 1);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn platform_and_design_from_prompt_and_metadata() {
        let t = Task::from_eval(&json!({
            "task": "Organoids profiled by Xenium. Return the top 3 niche changes across WT, PRO and MES.",
            "metadata": {"kit": "xenium"}
        }));
        assert_eq!(t.panel, PanelKind::Yes);
        assert!(t.niche_question && !t.spots);

        let t = Task::from_eval(
            &json!({"task": "PBMCs from 12 healthy donors; genes differentially expressed vs PBS.",
            "metadata": {"kit": "parsebio"}}),
        );
        assert!(t.replicates && t.comparison);
        assert_eq!(t.panel, PanelKind::No);

        let t = Task::from_eval(
            &json!({"prompt": "Visium sections of 39 tumors", "metadata": {"kit": "visium"}}),
        );
        assert!(t.spots && t.replicates && !t.niche_question);

        let t = Task::from_eval(
            &json!({"task": "BD Rhapsody immune cells", "metadata": {"kit": "bd_rhapsody"}}),
        );
        assert_eq!(t.panel, PanelKind::Maybe);
    }

    #[test]
    fn marker_and_variant_panels_are_not_gene_panels() {
        let t = Task::from_text(
            "Annotate with each lineage marker panel. Scan the full 181-variant panel.",
        );
        assert_eq!(t.panel, PanelKind::No);
        assert_eq!(Task::from_text("a 300-gene panel").panel, PanelKind::Yes);
        assert_eq!(
            Task::from_text("a panel of 480 genes").panel,
            PanelKind::Yes
        );
        assert_eq!(
            Task::from_text("a panel of 18,000 genes").panel,
            PanelKind::No
        );
    }

    #[test]
    fn hostile_eval_json_is_fine() {
        let mut deep = json!("x");
        for _ in 0..500 {
            deep = json!({ "a": [deep] });
        }
        let t = Task::from_eval(&json!({"task": 5, "metadata": deep}));
        assert_eq!(t.panel, PanelKind::No);
        let t = Task::from_eval(&json!(null));
        assert!(t.text.is_empty());
    }
}
