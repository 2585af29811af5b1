//! Pseudoreplication: a group comparison that tests cells/spots as
//! independent samples when the design has replicates above them.
//!
//! Committed: a cell-level test between conditions (`rank_genes_groups`
//! with a condition `groupby` or a `reference`, Seurat `FindMarkers` between
//! conditions). Avoided: a replicate-level test (pydeseq2, DESeq2, edgeR,
//! limma, pseudobulk aggregation, a mixed model), calls that require
//! agreement across replicates, or a permutation null shuffled within each
//! replicate. The later of the two decides when a run does both; the task
//! asking for a comparison with nothing of either is `unclear`.

use crate::class::{FailureClass, Verdict};
use crate::finding::{Evidence, Finding};
use crate::program::{mentions, Program};
use crate::rules::{finding, CLUSTER, REPLICATE};
use crate::task::Task;

const CLASS: FailureClass = FailureClass::Pseudoreplication;

const REPLICATE_LEVEL: &[&str] = &[
    "DeseqDataSet",
    "DeseqStats",
    "DESeq",
    "DESeqDataSetFromMatrix",
    "DGEList",
    "glmQLFit",
    "glmQLFTest",
    "exactTest",
    "voom",
    "lmFit",
    "eBayes",
    "get_pseudobulk",
    "pseudobulk",
    "aggregateAcrossCells",
    "AggregateExpression",
    "PseudobulkExpression",
    "aggregate_pseudobulk",
    "lmer",
    "glmer",
    "mixedlm",
    "MixedLM",
    "dream",
    "muscat",
    "pbDS",
];
const CELL_TESTS: &[&str] = &["rank_genes_groups", "FindMarkers", "FindAllMarkers"];
/// Grouping columns that name experimental conditions.
const CONDITION: &[&str] = &[
    "condition",
    "treat",
    "genotype",
    "stim",
    "cytokine",
    "disease",
    "status",
    "timepoint",
    "age",
    "perturb",
    "drug",
    "control",
];
const TWO_GROUP_TESTS: &[&str] = &[
    "ttest_ind",
    "mannwhitneyu",
    "ranksums",
    "wilcox.test",
    "t.test",
    "ttest_rel",
    "kruskal",
];
const SHUFFLES: &[&str] = &["shuffle", "permutation", "permuted"];

struct Signal {
    step: usize,
    verdict: Verdict,
    rule: &'static str,
    evidence: Option<Evidence>,
}

pub fn check(task: &Task, prog: &Program) -> Option<Finding> {
    if !task.replicates {
        return None;
    }
    let mut signals = Vec::new();
    // Evidence costs a scan of the step text: only for the first and last hits.
    let keep = |k: usize, n: usize| k < 3 || k + 1 == n;
    let level: Vec<_> = prog.calls_named(REPLICATE_LEVEL).collect();
    for (k, (a, c)) in level.iter().enumerate() {
        let evidence = if keep(k, level.len()) {
            prog.call_evidence(a, c)
        } else {
            None
        };
        signals.push(Signal {
            step: a.unit.step,
            verdict: Verdict::Avoided,
            rule: "replicate_level_test",
            evidence,
        });
    }
    let cell: Vec<_> = prog
        .calls_named(CELL_TESTS)
        .filter(|(a, c)| match c_group(&a.code, c) {
            // Markers between clusters or niches are not a comparison of conditions; without a
            // comparison in the task, only a condition-like grouping counts.
            Some(g) => {
                !mentions(&g, CLUSTER)
                    && !mentions(&g, &["niche", "domain"])
                    && (task.comparison || mentions(&g, CONDITION))
            }
            None => {
                a.code
                    .kwarg(c, "reference")
                    .is_some_and(|r| !r.contains("rest"))
                    || a.code.kwarg(c, "ident.2").is_some()
            }
        })
        .collect();
    for (k, (a, c)) in cell.iter().enumerate() {
        let evidence = if keep(k, cell.len()) {
            prog.call_evidence(a, c)
        } else {
            None
        };
        signals.push(Signal {
            step: a.unit.step,
            verdict: Verdict::Committed,
            rule: "cell_level_test",
            evidence,
        });
    }
    // Shuffles and agreement only speak to a comparison the task asks for.
    if task.comparison {
        two_group_tests(prog, &mut signals);
        within_replicate_null(prog, &mut signals);
        replicate_agreement(prog, &mut signals);
    }
    signals.sort_by_key(|s| (s.step, s.verdict == Verdict::Avoided));
    let Some(last) = signals.last() else {
        return task.comparison.then(|| {
            finding(CLASS, Verdict::Unclear, "no_test", "The task compares groups with replicates, but the run shows no test either at cell or at replicate level.", Vec::new())
        });
    };
    let (verdict, rule) = (last.verdict, last.rule);
    let evidence: Vec<Evidence> = signals
        .iter()
        .rev()
        .filter(|s| s.verdict == verdict)
        .filter_map(|s| s.evidence.clone())
        .take(3)
        .collect();
    let reason = match rule {
        "cell_level_test" => "Conditions are compared with a test over single cells or spots while the design has replicates above them.",
        "replicate_level_test" => "The comparison is tested at replicate level (pseudobulk / DESeq2-type model / mixed model).",
        "pooled_null" => "The null shuffles labels across all cells or spots, ignoring the replicates above them.",
        "within_replicate_null" => "The null is built by shuffling labels within each replicate, conditioning the test on it.",
        _ => "Calls require the direction to agree across replicates, inference at replicate level.",
    };
    Some(finding(CLASS, verdict, rule, reason, evidence))
}

/// The `groupby` / `group.by` value of a cell-level test, lower-cased.
fn c_group(code: &crate::code::Code, c: &crate::code::Call) -> Option<String> {
    code.kwarg(c, "groupby")
        .or_else(|| code.kwarg(c, "group.by"))
        .map(str::to_ascii_lowercase)
}

/// `ttest_ind`, `mannwhitneyu`, `wilcox.test`, ...: on replicate means when
/// the same script aggregates by a replicate column, else on cells.
fn two_group_tests(prog: &Program, signals: &mut Vec<Signal>) {
    for a in prog.ran() {
        let Some(test) = a
            .code
            .calls
            .iter()
            .find(|c| TWO_GROUP_TESTS.contains(&c.last()))
        else {
            continue;
        };
        let aggregated = a.code.calls.iter().any(|c| {
            matches!(
                c.last(),
                "groupby" | "aggregate" | "pivot_table" | "group_by" | "aggregate.data.frame"
            ) && a
                .code
                .tokens
                .get(c.args.0..c.args.1)
                .unwrap_or(&[])
                .iter()
                .any(|t| {
                    let w = if t.kind == crate::lex::Tok::Str {
                        t.inner_text(&a.code.src)
                    } else {
                        t.text(&a.code.src)
                    };
                    mentions(w, REPLICATE)
                })
        });
        let (verdict, rule) = if aggregated {
            (Verdict::Avoided, "replicate_level_test")
        } else {
            (Verdict::Committed, "cell_level_test")
        };
        signals.push(Signal {
            step: a.unit.step,
            verdict,
            rule,
            evidence: prog.call_evidence(a, test),
        });
    }
}

/// A shuffle/permutation in code that groups by a replicate column.
fn within_replicate_null(prog: &Program, signals: &mut Vec<Signal>) {
    for a in prog.ran() {
        let shuffle = a
            .code
            .calls
            .iter()
            .find(|c| SHUFFLES.contains(&c.last()) || c.name == "sample");
        let Some(shuffle) = shuffle else { continue };
        // Shuffling across every replicate pools the cells/spots: the null ignores the design.
        let (verdict, rule) = if replicate_split(&a.code) {
            (Verdict::Avoided, "within_replicate_null")
        } else {
            (Verdict::Committed, "pooled_null")
        };
        signals.push(Signal {
            step: a.unit.step,
            verdict,
            rule,
            evidence: prog.call_evidence(a, shuffle),
        });
    }
}

/// A statement that splits the data by a replicate column: `obs['sample'] == s`,
/// `groupby('patient')`, `np.unique(indiv)`.
fn replicate_split(code: &crate::code::Code) -> bool {
    use crate::lex::Tok;
    code.tokens.split(|t| t.kind == Tok::Newline).any(|stmt| {
        let replicate = stmt.iter().any(|t| match t.kind {
            Tok::Str => mentions(t.inner_text(&code.src), REPLICATE),
            Tok::Name => mentions(t.text(&code.src), REPLICATE),
            _ => false,
        });
        let splits = stmt.iter().any(|t| {
            t.is_op(&code.src, "==")
                || (t.kind == Tok::Name
                    && matches!(
                        t.text(&code.src),
                        "groupby"
                            | "unique"
                            | "flatnonzero"
                            | "split"
                            | "tapply"
                            | "group_by"
                            | "ave"
                    ))
        });
        replicate && splits
    })
}

/// Calls that need the same direction in every replicate.
fn replicate_agreement(prog: &Program, signals: &mut Vec<Signal>) {
    for a in prog.ran() {
        let hit = a.code.names().chain(a.code.strings()).find(|(_, n)| {
            let n = n.to_ascii_lowercase();
            n.contains("same_direction")
                || n.contains("n_agree")
                || (n.contains("consisten") && mentions(&n, REPLICATE) && !n.contains('/'))
        });
        if let Some((t, _)) = hit {
            signals.push(Signal {
                step: a.unit.step,
                verdict: Verdict::Avoided,
                rule: "replicate_agreement",
                evidence: prog.code_evidence(a, t.start, t.end),
            });
        }
    }
    for (step, text) in prog.words() {
        if let Some((p, e)) = agreement_phrase(&text.to_ascii_lowercase()) {
            signals.push(Signal {
                step,
                verdict: Verdict::Avoided,
                rule: "replicate_agreement",
                evidence: prog.evidence(step, floor_char(text, p), floor_char(text, e)),
            });
        }
    }
}

const REPLICATE_PLURALS: &[&str] = &[
    "samples",
    "layers",
    "replicates",
    "donors",
    "patients",
    "sections",
    "animals",
    "individuals",
];

/// "consistent ... across all 4 samples", "same direction in every layer",
/// "layer consistency", "per-sample direction": byte span of the phrase.
fn agreement_phrase(lower: &str) -> Option<(usize, usize)> {
    for key in ["consisten", "same direction", "same sign", "agree"] {
        let mut from = 0;
        while let Some(q) = lower[from..].find(key) {
            let p = from + q;
            from = p + key.len();
            let before = &lower[floor_char(lower, p.saturating_sub(16))..p];
            if [
                "layer ",
                "sample ",
                "replicate ",
                "per-layer ",
                "per-sample ",
                "donor ",
                "patient ",
            ]
            .iter()
            .any(|w| before.ends_with(w))
            {
                return Some((p.saturating_sub(16), (p + key.len() + 12).min(lower.len())));
            }
            let end = floor_char(lower, (p + 100).min(lower.len()));
            let after = &lower[p..end];
            for lead in [
                "across", "in all", "in every", "in each", "for all", "of the",
            ] {
                if let Some(l) = after.find(lead) {
                    let tail = &after[l..];
                    if let Some(w) = REPLICATE_PLURALS
                        .iter()
                        .filter_map(|w| tail.find(w).map(|x| x + w.len()))
                        .filter(|&x| x <= 30)
                        .min()
                    {
                        return Some((p, p + l + w));
                    }
                }
            }
        }
    }
    None
}

pub(crate) fn floor_char(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::{failed, py, r};

    fn task() -> Task {
        Task::from_text("PBMCs from 12 donors: genes differentially expressed in IFN vs PBS")
    }
    fn verdict(steps: &[sbx_suite::trajectory::Step]) -> Option<Verdict> {
        check(&task(), &Program::new(steps)).map(|f| f.verdict)
    }

    #[test]
    fn cell_level_wilcoxon_is_committed_even_split_over_lines() {
        let s = py("import scanpy as scp\nscp.tl.rank_genes_groups(\n    a,\n    groupby='cytokine',\n    reference='PBS')");
        assert_eq!(verdict(&s), Some(Verdict::Committed));
        let f = check(&task(), &Program::new(&s)).unwrap();
        assert!(f.evidence[0]
            .excerpt
            .starts_with("scp.tl.rank_genes_groups("));
    }

    #[test]
    fn marker_genes_between_clusters_are_not_a_comparison() {
        let s = py("import scanpy as sc\nsc.tl.rank_genes_groups(a, groupby='leiden')");
        assert_eq!(verdict(&s), Some(Verdict::Unclear));
    }

    #[test]
    fn pseudobulk_pydeseq2_and_r_deseq2_are_avoided() {
        let s = py("from pydeseq2.dds import DeseqDataSet\npb = a.obs.groupby(['donor','cond']).sum()\ndds = DeseqDataSet(counts=pb, metadata=m, design='~donor+cond')");
        assert_eq!(verdict(&s), Some(Verdict::Avoided));
        let s = r("library(DESeq2); dds <- DESeqDataSetFromMatrix(cts, coldata, ~ donor + cond); dds <- DESeq(dds)");
        assert_eq!(verdict(&s), Some(Verdict::Avoided));
        let s = r("library(edgeR); y <- DGEList(pb); fit <- glmQLFit(y, design)");
        assert_eq!(verdict(&s), Some(Verdict::Avoided));
    }

    #[test]
    fn a_failed_test_did_not_happen() {
        let mut s = failed("python -c 'import scanpy as sc; sc.tl.rank_genes_groups(a, groupby=\"cond\", reference=\"PBS\")'");
        assert_eq!(verdict(&s), Some(Verdict::Unclear));
        s.extend(py(
            "from pydeseq2.dds import DeseqDataSet\nDeseqDataSet(counts=pb, metadata=m)",
        ));
        assert_eq!(verdict(&s), Some(Verdict::Avoided));
    }

    #[test]
    fn within_replicate_shuffle_is_avoided() {
        let s = py("import numpy as np\nfor g in np.unique(obs['individual_cd']):\n    idx = np.flatnonzero(obs['individual_cd'] == g)\n    rng.shuffle(labels[idx])");
        assert_eq!(verdict(&s), Some(Verdict::Avoided));
    }

    #[test]
    fn two_group_tests_on_cells_or_on_replicate_means() {
        let s =
            py("from scipy import stats\nstats.mannwhitneyu(x[cond == 'IFN'], x[cond == 'PBS'])");
        assert_eq!(verdict(&s), Some(Verdict::Committed));
        let s = py("from scipy.stats import ttest_rel\nm = obs.groupby(['donor', 'cond'])['g'].mean().unstack()\nttest_rel(m['IFN'], m['PBS'])");
        assert_eq!(verdict(&s), Some(Verdict::Avoided));
    }

    #[test]
    fn a_pooled_shuffle_is_committed() {
        let s = py("import numpy as np\nfor b in range(500):\n    np.random.shuffle(labels)\n    null.append(stat(labels))");
        assert_eq!(verdict(&s), Some(Verdict::Committed));
    }

    #[test]
    fn niche_markers_without_a_comparison_task_are_absent() {
        let t = Task::from_text("Xenium organoids from WT, PRO and MES");
        let s = py("import scanpy as sc\nsc.tl.rank_genes_groups(a, groupby='niche')");
        assert!(check(&t, &Program::new(&s)).is_none());
        let s = py(
            "import scanpy as sc\nsc.tl.rank_genes_groups(a, groupby='genotype', reference='WT')",
        );
        assert_eq!(
            check(&t, &Program::new(&s)).map(|f| f.verdict),
            Some(Verdict::Committed)
        );
    }

    #[test]
    fn no_replicates_no_finding() {
        let s =
            py("import scanpy as sc\nsc.tl.rank_genes_groups(a, groupby='cond', reference='ctrl')");
        assert!(check(
            &Task::from_text("a cell line, treated vs control, differential expression"),
            &Program::new(&s)
        )
        .is_none());
    }
}
