//! The agent looked up the source study of its data.
//!
//! Committed when a web-search or fetch tool is used for anything but
//! software documentation, or code (run or attempted: a failed search is
//! still a search) reaches literature and data-record services: search
//! engines, PubMed / Europe PMC / E-utilities, Crossref, publishers,
//! bioRxiv, GEO, Zenodo, figshare, ArrayExpress, GitHub. Reference data
//! services (Ensembl, UniProt, MSigDB, ...) and bare connectivity probes do
//! not count; a tool only listed as available is not a use. Only
//! `committed` applies.

use sbx_suite::trajectory::Step;

use crate::class::{FailureClass, Verdict};
use crate::finding::{Evidence, Finding};
use crate::program::Program;
use crate::rules::finding;
use crate::shell::Lang;
use crate::task::Task;

const CLASS: FailureClass = FailureClass::AnswerLookup;

const LOOKUP_HOSTS: &[&str] = &[
    "google.",
    "duckduckgo.",
    "bing.com",
    "search.yahoo",
    "scholar.",
    "semanticscholar",
    "pubmed",
    "ncbi.nlm.nih.gov",
    "europepmc",
    "ebi.ac.uk/europepmc",
    "ebi.ac.uk/biostudies",
    "ebi.ac.uk/arrayexpress",
    "crossref.org",
    "doi.org",
    "biorxiv",
    "medrxiv",
    "nature.com",
    "cell.com",
    "sciencedirect",
    "springer",
    "wiley.com",
    "science.org",
    "pnas.org",
    "elifesciences",
    "academic.oup",
    "plos",
    "frontiersin",
    "zenodo",
    "figshare",
    "github.com",
    "githubusercontent",
    "dryad",
    "researchgate",
    "arxiv.org",
    "cellxgene",
    "10xgenomics.com/datasets",
    "openalex",
    "paperswithcode",
];
/// Reference services, package indexes and documentation: not the study.
const NOT_LOOKUP: &[&str] = &[
    "ensembl.org",
    "uniprot",
    "msigdb",
    "gsea-msigdb",
    "reactome",
    "kegg",
    "string-db",
    "biomart",
    "mygene",
    "genenames",
    "pypi",
    "readthedocs",
    "cran.",
    "bioconductor",
    "anaconda",
    "conda-forge",
    "db=gene",
    "db=protein",
    "db=snp",
    "db=taxonomy",
    "/docs",
    "docs.",
];
const SOFTWARE_QUERY: &[&str] = &[
    "documentation",
    " docs",
    "install",
    "pip ",
    "traceback",
    "error",
    "api reference",
    "how to",
    "stackoverflow",
];

pub fn check(_task: &Task, prog: &Program) -> Option<Finding> {
    let mut evidence = Vec::new();
    web_tools(prog, &mut evidence);
    urls_in_code(prog, &mut evidence);
    if evidence.is_empty() {
        return None;
    }
    evidence.sort_by_key(|e| (e.step, e.start));
    evidence.dedup_by(|a, b| a.step == b.step);
    evidence.truncate(3);
    Some(finding(CLASS, Verdict::Committed, "source_lookup", "The run searched for or fetched literature or data records of the study, so the answer may come from there.", evidence))
}

fn web_tools(prog: &Program, out: &mut Vec<Evidence>) {
    for (i, s) in prog.steps.iter().enumerate() {
        let Step::ToolCall { name, input, .. } = s else {
            continue;
        };
        let n = name.to_ascii_lowercase();
        // Web tools by name; `ToolSearch`-style tool pickers and file search are not the web.
        let web = [
            "web",
            "google",
            "brave",
            "duckduckgo",
            "perplexity",
            "browse",
            "pubmed",
            "scholar",
            "arxiv",
            "europepmc",
        ]
        .iter()
        .any(|w| n.contains(w))
            || n == "search"
            || (n.contains("fetch") && !n.contains("file"));
        let web = web && !n.contains("tool");
        if !web || input.trim().is_empty() {
            continue;
        }
        let lower = input.to_ascii_lowercase();
        if SOFTWARE_QUERY.iter().any(|w| lower.contains(w))
            || NOT_LOOKUP.iter().any(|w| lower.contains(w))
        {
            continue;
        }
        let lead = input.len() - input.trim_start().len();
        out.extend(prog.evidence(i, lead, input.trim_end().len()));
    }
}

fn urls_in_code(prog: &Program, out: &mut Vec<Evidence>) {
    for a in &prog.units {
        // Attempts count: a failed search is still a search.
        let text = &a.unit.code.text;
        if a.unit.lang != Lang::Shell
            && !a
                .code
                .strings()
                .any(|(_, s)| s.contains("://") || s.contains("www."))
        {
            if let Some(c) = a
                .code
                .calls
                .iter()
                .find(|c| matches!(c.last(), "esearch" | "efetch" | "getGEO" | "egquery"))
            {
                out.extend(prog.call_evidence(a, c));
            }
            continue;
        }
        let mut from = 0;
        while let Some(p) = text[from..].find("http") {
            let s = from + p;
            let e = text[s..]
                .find(|c: char| {
                    c.is_whitespace() || matches!(c, '\'' | '"' | ')' | '`' | '>' | '<')
                })
                .map_or(text.len(), |q| s + q);
            from = e.max(s + 4);
            let url = &text[s..e];
            if is_lookup(url) && !installing(text, s) {
                out.extend(prog.code_evidence(a, s, e));
            }
        }
    }
}

fn is_lookup(url: &str) -> bool {
    let u = url.to_ascii_lowercase();
    if !u.starts_with("http://") && !u.starts_with("https://") {
        return false;
    }
    let rest = u.split_once("://").map_or("", |x| x.1);
    let path_or_query = rest.find(['/', '?']).is_some_and(|p| rest.len() > p + 1);
    path_or_query
        && LOOKUP_HOSTS.iter().any(|h| u.contains(h))
        && !NOT_LOOKUP.iter().any(|h| u.contains(h))
}

/// `pip install git+https://github.com/...`, `git clone` of a tool: software, not the study.
fn installing(text: &str, at: usize) -> bool {
    let line_start = text[..at].rfind('\n').map_or(0, |p| p + 1);
    let line = &text[line_start..at];
    line.contains("pip install")
        || line.contains("git clone")
        || line.contains("install.packages")
        || line.contains("BiocManager")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::test_support::{failed, py, ran, say};

    fn verdict(steps: &[Step]) -> Option<Verdict> {
        check(&Task::default(), &Program::new(steps)).map(|f| f.verdict)
    }

    #[test]
    fn searches_and_paper_fetches_are_committed_even_when_they_fail() {
        let s = vec![Step::ToolCall {
            name: "web_search".into(),
            input: "\"BD Rhapsody\" TNBC PBMC cohort".into(),
            call_id: None,
        }];
        assert_eq!(verdict(&s), Some(Verdict::Committed));
        let s = failed("python -c \"import requests; requests.get('https://www.ebi.ac.uk/europepmc/webservices/rest/search?query=optic')\"");
        assert_eq!(verdict(&s), Some(Verdict::Committed));
        let s = ran(
            "curl -sL https://zenodo.org/records/123/files/a.csv -o a.csv",
            "",
        );
        assert_eq!(verdict(&s), Some(Verdict::Committed));
        let s =
            py("from Bio import Entrez\nEntrez.esearch(db='pubmed', term='optic nerve MERFISH')");
        assert_eq!(verdict(&s), Some(Verdict::Committed));
    }

    #[test]
    fn reference_services_probes_installs_and_mentions_do_not_count() {
        assert_eq!(
            verdict(&py(
                "import requests\nrequests.post('https://rest.ensembl.org/vep/human/hgvs', json=q)"
            )),
            None
        );
        assert_eq!(
            verdict(&ran("curl -I https://www.google.com", "HTTP/2 200")),
            None
        );
        assert_eq!(
            verdict(&ran(
                "pip install git+https://github.com/scverse/scanpy",
                "ok"
            )),
            None
        );
        assert_eq!(
            verdict(&say(
                "Tools available: web_search, fetch. See https://www.nature.com/articles/x"
            )),
            None
        );
        let s = vec![Step::ToolCall {
            name: "web_search".into(),
            input: "scanpy normalize_total documentation".into(),
            call_id: None,
        }];
        assert_eq!(verdict(&s), None);
        let s = vec![Step::ToolCall {
            name: "ToolSearch".into(),
            input: "{\"query\": \"select:WebSearch\"}".into(),
            call_id: None,
        }];
        assert_eq!(verdict(&s), None);
        let s = vec![Step::ToolCall {
            name: "WebFetch".into(),
            input: "{\"url\": \"https://www.biorxiv.org/content/10.1101/x\"}".into(),
            call_id: None,
        }];
        assert_eq!(verdict(&s), Some(Verdict::Committed));
    }
}
