//! scRNA-seq library-size normalisation on a targeted panel.
//!
//! Applies when the task names a panel platform (Xenium, MERFISH, CosMx, an
//! explicit gene panel), or a platform that is often a panel (BD Rhapsody)
//! and the run's own outputs show a few hundred genes; and the run
//! normalises. Committed: `normalize_total`, CPM, Seurat
//! `NormalizeData`/`SCTransform`, or the same by hand (counts divided by
//! their row sums, scaled, `log1p`). Avoided: area/volume scaling, or a
//! stated panel-aware normalisation choice, with no library-size step.

use crate::class::{FailureClass, Verdict};
use crate::finding::{Evidence, Finding};
use crate::lex::Tok;
use crate::program::{sentence_around, Analysed, Program};
use crate::rules::finding;
use crate::task::{PanelKind, Task};

const CLASS: FailureClass = FailureClass::PanelNormalization;
const LIBRARY_SIZE: &[&str] = &[
    "normalize_total",
    "normalize_per_cell",
    "NormalizeData",
    "SCTransform",
    "cpm",
    "normalize_pearson_residuals",
    "logNormCounts",
];

/// Calls that analyse the expression matrix itself; one that ran with no
/// normalisation before or after it shows the raw counts were used.
const EXPRESSION_ANALYSIS: &[&str] = &[
    "log1p",
    "pca",
    "highly_variable_genes",
    "neighbors",
    "leiden",
    "louvain",
    "rank_genes_groups",
    "RunPCA",
    "FindClusters",
    "FindAllMarkers",
    "FindMarkers",
];

pub fn check(task: &Task, prog: &Program) -> Option<Finding> {
    let small = match task.panel {
        PanelKind::Yes => true,
        PanelKind::Maybe => few_genes_seen(prog) || agent_says_panel(prog),
        PanelKind::No => false,
    };
    if !small {
        return None;
    }
    let mut committed: Vec<Evidence> = prog
        .calls_named(LIBRARY_SIZE)
        .take(3)
        .filter_map(|(a, c)| prog.call_evidence(a, c))
        .collect();
    let mut avoided = Vec::new();
    for a in prog.ran() {
        by_hand(prog, a, &mut committed, &mut avoided);
    }
    avoided.extend(stated_choice(prog));
    if committed.is_empty() && avoided.is_empty() {
        // No normalisation at all, yet the expression matrix was analysed:
        // the panel's raw counts were used, which the class counts as avoided.
        let used = prog
            .calls_named(EXPRESSION_ANALYSIS)
            .find_map(|(a, c)| prog.call_evidence(a, c));
        return used.map(|e| {
            finding(
                CLASS,
                Verdict::Avoided,
                "raw_counts",
                "The panel's counts are analysed without library-size normalisation.",
                vec![e],
            )
        });
    }
    match (committed.is_empty(), avoided.is_empty()) {
        (true, true) => None,
        (false, true) => Some(finding(CLASS, Verdict::Committed, "library_size", "Whole-transcriptome library-size normalisation is applied to a targeted panel without accounting for its composition.", first(committed))),
        (true, false) => Some(finding(CLASS, Verdict::Avoided, "panel_aware", "The panel is normalised by cell size or an explicit panel-aware choice, not by library size.", first(avoided))),
        (false, false) => {
            let mut e = first(committed);
            e.extend(first(avoided));
            Some(finding(CLASS, Verdict::Unclear, "mixed", "The run both applies library-size normalisation and states or applies a panel-aware alternative.", e))
        }
    }
}

fn first(mut e: Vec<Evidence>) -> Vec<Evidence> {
    e.truncate(3);
    e
}

/// Statement by statement: counts divided by their sums and scaled/logged
/// (library size), or divided by cell area/volume (panel-aware).
fn by_hand(
    prog: &Program,
    a: &Analysed,
    committed: &mut Vec<Evidence>,
    avoided: &mut Vec<Evidence>,
) {
    let code = &a.code;
    let toks = &code.tokens;
    let mut start = 0;
    for end in (0..=toks.len()).filter(|&k| k == toks.len() || toks[k].kind == Tok::Newline) {
        let stmt = &toks[start..end];
        let s0 = start;
        start = end + 1;
        if stmt.is_empty() {
            continue;
        }
        let text = |t: &crate::lex::Token| t.text(&code.src).to_ascii_lowercase();
        let divides = stmt
            .iter()
            .any(|t| t.kind == Tok::Op && matches!(t.text(&code.src), "/" | "/="))
            || stmt
                .iter()
                .any(|t| text(t) == "multiply" || text(t) == "divide");
        if !divides {
            continue;
        }
        let names: Vec<String> = stmt
            .iter()
            .filter(|t| matches!(t.kind, Tok::Name | Tok::Str))
            .map(|t| {
                if t.kind == Tok::Str {
                    t.inner_text(&code.src).to_ascii_lowercase()
                } else {
                    text(t)
                }
            })
            .collect();
        let by_sum = names.iter().any(|n| {
            n == "sum"
                || n.starts_with("lib")
                || n.contains("total_counts")
                || n.contains("n_counts")
                || n.contains("libsize")
                || n.contains("size_factor")
                || n == "colsums"
                || n == "rowsums"
        });
        let by_size = names
            .iter()
            .any(|n| n.contains("area") || n.contains("volume"));
        let scaled = stmt.iter().any(|t| {
            t.kind == Tok::Num
                && matches!(
                    t.text(&code.src),
                    "1e4"
                        | "1e6"
                        | "10000"
                        | "1e+4"
                        | "1e+06"
                        | "1_000_000"
                        | "10_000"
                        | "1e04"
                        | "10000.0"
                )
        }) || names
            .iter()
            .any(|n| n == "log1p" || n == "log2" || n == "log")
            || next_statements_log(code, end);
        let span = (toks[s0].start, toks[end.saturating_sub(1).max(s0)].end);
        if by_size && avoided.len() < 3 {
            avoided.extend(prog.code_evidence(a, span.0, span.1));
        } else if by_sum && scaled && committed.len() < 3 {
            committed.extend(prog.code_evidence(a, span.0, span.1));
        }
    }
}

/// A `log1p` within the next three statements.
fn next_statements_log(code: &crate::code::Code, from: usize) -> bool {
    let mut lines = 0;
    for t in code.tokens.iter().skip(from + 1) {
        if t.kind == Tok::Newline {
            lines += 1;
            if lines > 3 {
                return false;
            }
        } else if t.kind == Tok::Name && t.text(&code.src) == "log1p" {
            return true;
        }
    }
    false
}

/// A sentence of the agent that ties the panel to a normalisation choice.
fn stated_choice(prog: &Program) -> Vec<Evidence> {
    let mut out = Vec::new();
    for (step, text) in prog.words() {
        let lower = text.to_ascii_lowercase();
        let Some(p) = lower.find("panel") else {
            continue;
        };
        let (s, e) = sentence_around(&lower, p);
        let sentence = &lower[s..e];
        let normalisation = sentence.contains("normaliz") || sentence.contains("normalis");
        let aware = [
            "library size",
            "library-size",
            "composition",
            "inappropriate",
            "not appropriate",
            "instead of",
            "cell area",
            "cell volume",
            "by area",
            "by volume",
            "raw counts",
        ]
        .iter()
        .any(|w| sentence.contains(w));
        if normalisation && aware {
            out.extend(prog.evidence(step, s, e));
        }
    }
    out
}

/// The agent itself calls the data a targeted panel.
fn agent_says_panel(prog: &Program) -> bool {
    prog.words().any(|(_, t)| {
        let l = t.to_ascii_lowercase();
        [
            "targeted panel",
            "targeted gene panel",
            "targeted rna panel",
            "-gene panel",
            "gene targeted panel",
        ]
        .iter()
        .any(|w| l.contains(w))
    })
}

/// Outputs show an AnnData / matrix with a few hundred genes.
fn few_genes_seen(prog: &Program) -> bool {
    prog.steps.iter().any(|s| match s {
        sbx_suite::trajectory::Step::ToolOutput { text, .. } => n_vars(text)
            .or_else(|| shape_genes(text))
            .or_else(|| seurat_features(text))
            .is_some_and(|n| (20..1000).contains(&n)),
        _ => false,
    })
}

/// `n_obs × n_vars = 12345 × 386` in an AnnData print.
fn n_vars(text: &str) -> Option<usize> {
    let p = text.find("n_vars = ")?;
    let rest = &text[p + 9..];
    let x = rest.find(['×', 'x'])?;
    let digits: String = rest[x..]
        .chars()
        .skip(1)
        .skip_while(|c| c.is_whitespace())
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// Seurat's print: `386 features across 14549 samples`.
fn seurat_features(text: &str) -> Option<usize> {
    let p = text.find(" features across ")?;
    let digits: String = text[..p]
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.chars().rev().collect::<String>().parse().ok()
}

/// `shape: (14549, 386)` / `Shape (14549, 386)`: the second number of a
/// cells × genes shape printed on a line that says shape.
fn shape_genes(text: &str) -> Option<usize> {
    text.lines().take(20_000).find_map(|line| {
        let l = line.to_ascii_lowercase();
        let trimmed = l.trim();
        // A bare `(14549, 386)` line is `print(adata.shape)`; other lines must say shape.
        let p = if trimmed.starts_with('(') && trimmed.ends_with(')') {
            l.find('(')?
        } else {
            l.find("shape")?
        };
        let open = l[p..].find('(')? + p;
        let close = l[open..].find(')')? + open;
        let mut nums = l[open + 1..close]
            .split(',')
            .map(|x| x.trim().parse::<usize>());
        let (Some(Ok(cells)), Some(Ok(genes)), None) = (nums.next(), nums.next(), nums.next())
        else {
            return None;
        };
        (cells > genes && genes >= 100).then_some(genes)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::{py, r, ran, say};

    fn xenium() -> Task {
        Task::from_text("Organoids profiled by Xenium")
    }
    fn verdict(task: &Task, steps: &[sbx_suite::trajectory::Step]) -> Option<Verdict> {
        check(task, &Program::new(steps)).map(|f| f.verdict)
    }

    #[test]
    fn normalize_total_on_a_panel_is_committed() {
        let s = py("from scanpy import pp\npp.normalize_total(\n  a, target_sum=1e4)\npp.log1p(a)");
        assert_eq!(verdict(&xenium(), &s), Some(Verdict::Committed));
        assert_eq!(verdict(&Task::from_text("10x Chromium PBMCs"), &s), None);
        let s = r("library(Seurat); obj <- NormalizeData(obj)");
        assert_eq!(verdict(&xenium(), &s), Some(Verdict::Committed));
    }

    #[test]
    fn by_hand_library_size_and_area_scaling() {
        let s = py("import numpy as np\nlib = X.sum(axis=1)\nXn = X / lib[:, None] * 1e4\nXn = np.log1p(Xn)");
        assert_eq!(verdict(&xenium(), &s), Some(Verdict::Committed));
        let s = py("Xn = X / adata.obs['cell_area'].values[:, None]");
        assert_eq!(verdict(&xenium(), &s), Some(Verdict::Avoided));
    }

    #[test]
    fn no_normalisation_is_absent_and_comments_do_not_count() {
        let s = py("# sc.pp.normalize_total(a)\nprint('sc.pp.normalize_total')");
        assert_eq!(verdict(&xenium(), &s), None);
    }

    #[test]
    fn maybe_panel_needs_few_genes_in_the_outputs() {
        let task = Task::from_text("BD Rhapsody immune cells");
        let mut s = ran(
            "python -c 'import anndata; print(anndata.read_h5ad(\"x\"))'",
            "AnnData object with n_obs × n_vars = 12000 × 386",
        );
        s.extend(py("import scanpy as sc\nsc.pp.normalize_total(a)"));
        assert_eq!(verdict(&task, &s), Some(Verdict::Committed));
        s[1] = sbx_suite::trajectory::Step::ToolOutput {
            text: "AnnData object with n_obs × n_vars = 12000 × 30000".into(),
            is_error: false,
            call_id: None,
        };
        assert_eq!(verdict(&task, &s), None);
        for out in [
            "Raw_Molecules shape: (14549, 386)",
            "(14549, 386)",
            "An object of class Seurat\n386 features across 14549 samples",
        ] {
            s[1] = sbx_suite::trajectory::Step::ToolOutput {
                text: out.into(),
                is_error: false,
                call_id: None,
            };
            assert_eq!(verdict(&task, &s), Some(Verdict::Committed), "{out}");
        }
        s[1] = sbx_suite::trajectory::Step::ToolOutput {
            text: "(5000, 50)".into(),
            is_error: false,
            call_id: None,
        };
        assert_eq!(verdict(&task, &s), None);
        let mut said = say("This is a 386-gene panel, so I skip HVG selection.");
        said.extend(s[2..].iter().cloned());
        assert_eq!(verdict(&task, &said), Some(Verdict::Committed));
    }

    #[test]
    fn a_stated_panel_aware_choice_with_library_size_is_unclear() {
        let mut s = say("This is a targeted panel, so library size normalization is inappropriate; I scale by cell volume instead.");
        s.extend(py("import scanpy as sc\nsc.pp.normalize_total(a)"));
        assert_eq!(verdict(&xenium(), &s), Some(Verdict::Unclear));
    }

    #[test]
    fn analysed_without_normalisation_is_raw_counts_avoided() {
        let task = Task::from_text("Xenium panel of 300 genes");
        let s = py("import scanpy as sc\nsc.pp.log1p(ad)\nsc.pp.neighbors(ad)\nsc.tl.leiden(ad)");
        let f = check(&task, &Program::new(&s)).expect("applies");
        assert_eq!(
            (f.verdict, f.rule.as_str()),
            (Verdict::Avoided, "panel_normalization/raw_counts")
        );
        // Commented out, it did not run: still raw counts.
        let s = py("import scanpy as sc\n# sc.pp.normalize_total(ad)\nsc.tl.leiden(ad)");
        assert_eq!(
            check(&task, &Program::new(&s)).map(|f| f.verdict),
            Some(Verdict::Avoided)
        );
        // Nothing analysed: the class does not apply.
        let s = py("import anndata\nprint(anndata.read_h5ad('x').shape)");
        assert_eq!(check(&task, &Program::new(&s)), None);
    }
}
