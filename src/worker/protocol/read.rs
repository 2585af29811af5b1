//! The page's reader of answers (the worker writes them with serde's derives). A
//! missing or mistyped field is an error naming it; `null` reads as NaN, since JSON
//! has no NaN and serde_json writes it as `null`.

use super::{
    BatchAnswer, CaseAnswer, CaseReply, CorpusAdded, CorpusFound, CumulusAnswer, DeAnswer,
    HeadlineAnswer, NicheAnswer, ObsInfo, OocyteAnswer, Response, SweepAnswer, TimepointCount,
    TissueInfo,
};
use sbx_findings::{Evidence, FailureClass, Finding, Verdict};
use sbx_kernels::cases::niches::PairwiseSummary;
use sbx_kernels::cases::normalization::CorrSummary;
use sbx_kernels::cases::spatial_units::SweepPoint;
use sbx_kernels::cases::Headline;
use sbx_search::{Hit, RunMeta, SearchResults};
use serde_json::Value;

type R<T> = Result<T, String>;

/// One JSON object of an answer, read field by field.
#[derive(Clone, Copy)]
struct Obj<'a>(&'a Value);

impl<'a> Obj<'a> {
    fn field(self, k: &str) -> R<&'a Value> {
        self.0.get(k).ok_or_else(|| format!("no `{k}`"))
    }
    fn text(self, k: &str) -> R<String> {
        self.field(k)?
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| format!("`{k}` is not text"))
    }
    fn num(self, k: &str) -> R<f64> {
        number(self.field(k)?).ok_or_else(|| format!("`{k}` is not a number"))
    }
    fn count(self, k: &str) -> R<usize> {
        self.field(k)?
            .as_u64()
            .and_then(|x| usize::try_from(x).ok())
            .ok_or_else(|| format!("`{k}` is not a count"))
    }
    fn flag(self, k: &str) -> R<bool> {
        self.field(k)?
            .as_bool()
            .ok_or_else(|| format!("`{k}` is not true or false"))
    }
    fn list(self, k: &str) -> R<&'a [Value]> {
        self.field(k)?
            .as_array()
            .map(Vec::as_slice)
            .ok_or_else(|| format!("`{k}` is not a list"))
    }
    fn nums(self, k: &str) -> R<Vec<f64>> {
        numbers(self.list(k)?).ok_or_else(|| format!("`{k}` holds a non-number"))
    }
    fn floats(self, k: &str) -> R<Vec<f32>> {
        Ok(self.nums(k)?.into_iter().map(|x| x as f32).collect())
    }
    fn texts(self, k: &str) -> R<Vec<String>> {
        self.list(k)?
            .iter()
            .map(|x| x.as_str().map(str::to_string))
            .collect::<Option<_>>()
            .ok_or_else(|| format!("`{k}` holds a non-text"))
    }
    /// Each element of the list `k` read by `f`.
    fn each<T>(self, k: &str, f: impl Fn(Obj<'a>) -> R<T>) -> R<Vec<T>> {
        self.list(k)?
            .iter()
            .map(|x| f(Obj(x)).map_err(|e| format!("`{k}`: {e}")))
            .collect()
    }
}

fn number(v: &Value) -> Option<f64> {
    if v.is_null() {
        Some(f64::NAN)
    } else {
        v.as_f64()
    }
}

fn numbers(a: &[Value]) -> Option<Vec<f64>> {
    a.iter().map(number).collect()
}

impl Response {
    /// Reads an answer of the worker.
    pub fn from_json(text: &str) -> R<Response> {
        let v: Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        Self::from_value(&v)
    }

    /// Reads an answer already parsed (the precomputed answers of a bundle's cases).
    pub fn from_value(v: &Value) -> R<Response> {
        let o = Obj(v);
        match v.get("kind").and_then(Value::as_str) {
            Some("ready") => Ok(Response::Ready),
            Some("summary") => Ok(Response::Summary {
                name: o.text("name")?,
                n_units: o.count("n_units")?,
                n_genes: o.count("n_genes")?,
                obs: o.each("obs", |c| {
                    Ok(ObsInfo {
                        name: c.text("name")?,
                        text: c.flag("text")?,
                    })
                })?,
                read_ms: o.num("read_ms")?,
            }),
            Some("prepared") => Ok(Response::Prepared {
                rows: o.count("rows")?,
                ms: o.num("ms")?,
            }),
            Some("case") => Ok(Response::Case(case_reply(o)?)),
            Some("corpus_added") => Ok(Response::CorpusAdded(
                corpus_added(o).map_err(|e| format!("corpus_added answer: {e}"))?,
            )),
            Some("corpus_found") => Ok(Response::CorpusFound(
                corpus_found(o).map_err(|e| format!("corpus_found answer: {e}"))?,
            )),
            Some("error") => Ok(Response::Error {
                message: o.text("message")?,
            }),
            other => Err(format!("unknown answer kind {other:?}")),
        }
    }
}

fn case_reply(o: Obj) -> R<CaseReply> {
    let analysis = o.text("analysis")?;
    let answer = case_answer(o, &analysis).map_err(|e| format!("{analysis} answer: {e}"))?;
    Ok(CaseReply {
        case: o.text("case")?,
        ms: o.num("ms")?,
        cached: o.flag("cached")?,
        kept: false,
        digest: o.text("digest")?,
        answer,
    })
}

fn case_answer(o: Obj, analysis: &str) -> R<CaseAnswer> {
    Ok(match analysis {
        "tissue" => CaseAnswer::Tissue(TissueInfo {
            title: o.text("title")?,
            platform: o.text("platform")?,
            description: o.text("description")?,
            n_units: o.count("n_units")?,
            build_ms: o.num("build_ms")?,
        }),
        "batch" => CaseAnswer::Batch(BatchAnswer {
            mean_max_fraction: o.num("mean_max_fraction")?,
            n_clusters: o.count("n_clusters")?,
            mean_cell_type_purity: o.num("mean_cell_type_purity")?,
            shares: o
                .list("shares")?
                .iter()
                .map(|r| r.as_array().and_then(|r| numbers(r)))
                .collect::<Option<_>>()
                .ok_or("`shares` is not a table of numbers")?,
            timepoints: o.texts("timepoints")?,
        }),
        "de" => CaseAnswer::De(DeAnswer {
            test: o.text("test")?,
            pct_genes_significant: o.num("pct_genes_significant")?,
            n_significant: o.count("n_significant")?,
            housekeeping_called: o.texts("housekeeping_called")?,
            p: o.floats("p")?,
        }),
        "corr" => CaseAnswer::Corr(corr(o)?),
        "oocytes" => CaseAnswer::Oocytes(OocyteAnswer {
            total: o.count("total")?,
            true_total: o.count("true_total")?,
            per_timepoint: o.each("per_timepoint", |c| {
                Ok(TimepointCount {
                    timepoint: c.text("timepoint")?,
                    count: c.count("count")?,
                    true_count: c.count("true_count")?,
                })
            })?,
        }),
        "cumulus" => CaseAnswer::Cumulus(CumulusAnswer {
            timepoint: o.text("timepoint")?,
            any_marker: o.count("any_marker")?,
            coherent: o.count("coherent")?,
            true_beads: o.count("true_beads")?,
        }),
        "sweep" => CaseAnswer::Sweep(SweepAnswer {
            timepoint: o.text("timepoint")?,
            true_count: o.count("true_count")?,
            points: o.each("points", |p| {
                Ok(SweepPoint {
                    radius: p.num("radius")? as f32,
                    components: p.count("components")?,
                    dbscan: p.count("dbscan")?,
                })
            })?,
        }),
        "proximity" => CaseAnswer::Proximity(PairwiseSummary {
            timepoints: o.texts("timepoints")?,
            score: o.nums("score")?,
            fold: o.num("fold")?,
        }),
        "niches" => CaseAnswer::Niches(NicheAnswer {
            n_niches: o.count("n_niches")?,
            timepoints: o.texts("timepoints")?,
            niche_fraction: o.nums("niche_fraction")?,
            fold: o.num("fold")?,
        }),
        "headline" => CaseAnswer::Headline(HeadlineAnswer {
            headline: Headline {
                key: o.text("key")?,
                question: o.text("question")?,
                wrong: o.num("wrong")?,
                wrong_method: o.text("wrong_method")?,
                right: o.num("right")?,
                right_method: o.text("right_method")?,
                truth: o.num("truth")?,
            },
            eval: o.field("eval")?.clone(),
        }),
        other => return Err(format!("unknown analysis `{other}`")),
    })
}

fn corr(o: Obj) -> R<CorrSummary> {
    let t = o.nums("top_share")?;
    Ok(CorrSummary {
        normalization: o.text("normalization")?,
        gene_a: o.text("gene_a")?,
        gene_b: o.text("gene_b")?,
        cell_type: o.text("cell_type")?,
        n_cells: o.count("n_cells")?,
        spearman: o.num("spearman")?,
        top_share: <[f64; 3]>::try_from(t.as_slice())
            .map_err(|_| "`top_share` does not hold three numbers".to_string())?,
        a: o.floats("a")?,
        b: o.floats("b")?,
    })
}

/// A `corpus_added` answer: the run's findings (the run itself is the page's).
fn corpus_added(o: Obj) -> R<CorpusAdded> {
    Ok(CorpusAdded {
        findings: o.each("findings", finding)?,
        n_steps: o.count("n_steps")?,
        detect_ms: o.num("detect_ms")?,
        index_ms: o.num("index_ms")?,
        kept: o.flag("kept")?,
    })
}

fn finding(f: Obj) -> R<Finding> {
    let class = f.text("class")?;
    let verdict = f.text("verdict")?;
    Ok(Finding {
        class: FailureClass::from_id(&class).ok_or_else(|| format!("unknown class {class:?}"))?,
        verdict: Verdict::from_id(&verdict)
            .ok_or_else(|| format!("unknown verdict {verdict:?}"))?,
        rule: f.text("rule")?,
        reason: f.text("reason")?,
        evidence: f.each("evidence", |e| {
            Ok(Evidence {
                step: e.count("step")?,
                excerpt: e.text("excerpt")?,
                start: e.count("start")?,
                end: e.count("end")?,
            })
        })?,
    })
}

/// A `corpus_found` answer: the hits and the runs they are in.
fn corpus_found(o: Obj) -> R<CorpusFound> {
    let r = Obj(o.field("results")?);
    let hits = r.each("hits", |h| {
        let spans = h
            .list("spans")?
            .iter()
            .map(|s| {
                let a = s.as_array()?;
                Some((a.first()?.as_u64()? as usize, a.get(1)?.as_u64()? as usize))
            })
            .collect::<Option<Vec<_>>>()
            .ok_or("`spans` is not a list of pairs")?;
        Ok(Hit {
            run: h.count("run")?,
            step: h.count("step")?,
            kind: h.text("kind")?,
            snippet: h.text("snippet")?,
            spans,
            start: h.count("start")?,
            end: h.count("end")?,
        })
    })?;
    let runs = o
        .list("runs")?
        .iter()
        .map(|pair| {
            let a = pair
                .as_array()
                .filter(|a| a.len() == 2)
                .ok_or("a run is not [number, run]")?;
            let n = a[0].as_u64().ok_or("a run number is not a count")? as usize;
            let m = Obj(&a[1]);
            Ok((
                n,
                RunMeta {
                    suite: m.text("suite")?,
                    run: m.text("run")?,
                    eval: m.text("eval")?,
                    model: m.text("model")?,
                    harness: m.text("harness")?,
                    classes: m.texts("classes")?,
                },
            ))
        })
        .collect::<R<Vec<_>>>()?;
    Ok(CorpusFound {
        results: SearchResults {
            hits,
            total: r.count("total")?,
            capped: r.flag("capped")?,
            runs_matched: r.count("runs_matched")?,
        },
        runs,
        ms: o.num("ms")?,
    })
}
