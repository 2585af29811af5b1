//! The case pages' first view, computed at build time (`sbx demo` writes it into the
//! bundle) by the same job the worker runs, so a page shows its wrong and right
//! numbers, verdicts and maps at once and then confirms them live. Each answer carries
//! a digest of its exact content ([`digest`]): the page compares the precomputed and
//! the live digest, so "identical" means every float and every Arrow byte is equal.

use super::{kind_of, CaseJob};
use crate::worker::protocol::{Analysis, CaseAnswer, Request, Response};
use sbx_kernels::cases::spec::{spec, CaseAnalysis, Control};
use sbx_kernels::sim::ScenarioKind;
use serde_json::Value;

/// 64-bit FNV-1a, continued from `h`.
fn fnv1a(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A digest of an answer's content: its JSON text (floats written exactly, in their
/// shortest round-trip form) without the timings, then its Arrow bytes. Equal digests
/// mean equal answers; the timings differ from run to run and are left out.
pub fn digest(answer: &CaseAnswer, bytes: Option<&[u8]>) -> String {
    let text = match answer {
        CaseAnswer::Tissue(t) => {
            let mut t = t.clone();
            t.build_ms = 0.0;
            serde_json::to_string(&CaseAnswer::Tissue(t))
        }
        a => serde_json::to_string(a),
    }
    .unwrap_or_default();
    let h = fnv1a(0xcbf2_9ce4_8422_2325, text.as_bytes());
    let h = fnv1a(h, &[u8::from(bytes.is_some())]);
    format!("{:016x}", fnv1a(h, bytes.unwrap_or_default()))
}

/// The analysis the "your choice" controls ask for at their defaults (what the page
/// runs after its headline), or None when a default does not make an analysis.
pub fn default_choice(kind: ScenarioKind) -> Option<Analysis> {
    let sp = spec(kind);
    let select = |i: usize| match sp.choices.get(i)? {
        Control::Select { default, .. } => Some(default.to_string()),
        Control::Range { .. } => None,
    };
    let range = |i: usize| match sp.choices.get(i)? {
        Control::Range { default, .. } => Some(*default),
        Control::Select { .. } => None,
    };
    Some(match kind {
        ScenarioKind::Pseudoreplication => Analysis::De {
            level: select(0)?,
            test: select(1)?,
        },
        ScenarioKind::Normalization => Analysis::Corr { norm: select(0)? },
        ScenarioKind::BatchIntegration => Analysis::Batch {
            integration: select(0)?,
        },
        ScenarioKind::SpatialUnits => Analysis::Oocytes {
            method: select(0)?,
            radius: range(1)? as f32,
        },
        ScenarioKind::NicheDiscovery => match sp.right.analysis {
            CaseAnalysis::Niches { k, seed, .. } => Analysis::Niches {
                n: range(0)? as usize,
                k,
                seed,
            },
            _ => return None,
        },
    })
}

/// The requests a case page makes when it opens, in its order, without repeats:
/// the tissue, the wrong and right analyses, the headline, the default choice (and
/// the spatial-units page's cumulus count and radius sweep).
pub fn first_view(kind: ScenarioKind) -> Vec<Analysis> {
    let sp = spec(kind);
    let mut all = vec![
        Analysis::Tissue {
            dataset: kind != ScenarioKind::SpatialUnits,
        },
        sp.wrong.analysis.into(),
        sp.right.analysis.into(),
        Analysis::Headline,
    ];
    all.extend(default_choice(kind));
    if kind == ScenarioKind::SpatialUnits {
        all.extend([Analysis::Cumulus, Analysis::Sweep]);
    }
    let mut seen = Vec::new();
    all.retain(|a| {
        let new = !seen.contains(a);
        seen.push(a.clone());
        new
    });
    all
}

/// One file of the precomputed first views, relative to the bundle's `cases/` folder.
pub struct CaseFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The first view of `case` at `seed`: `<case>.json` listing each request's text (as
/// the page writes it), the worker's answer and the file of its Arrow bytes, and
/// those files (`<case>-<i>.arrow`). `now` is a millisecond clock.
pub fn precompute(case: &str, seed: u64, now: &dyn Fn() -> f64) -> Result<Vec<CaseFile>, String> {
    let kind = kind_of(case)?;
    let mut job = CaseJob::default();
    let mut files = Vec::new();
    let mut answers = Vec::new();
    for (i, analysis) in first_view(kind).into_iter().enumerate() {
        let request = Request::case(case, seed, analysis.clone()).to_json();
        let (reply, bytes) = job.handle(case, seed, &analysis, now)?;
        let file = bytes.map(|b| {
            let name = format!("{case}-{i}.arrow");
            files.push(CaseFile {
                name: name.clone(),
                bytes: b,
            });
            name
        });
        // The answer's text goes in as the worker wrote it: a parse and rewrite could
        // move a float by one unit in the last place.
        answers.push(format!(
            r#"{{"request":{},"reply":{},"bytes":{}}}"#,
            Value::from(request),
            Response::Case(reply).to_json(),
            file.map_or(Value::Null, Value::from)
        ));
    }
    let index = format!(
        r#"{{"case":{},"seed":{seed},"answers":[{}]}}"#,
        Value::from(case),
        answers.join(",")
    );
    files.push(CaseFile {
        name: format!("{case}.json"),
        bytes: index.into_bytes(),
    });
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::worker::jobs::Jobs;
    use crate::worker::protocol::TissueInfo;
    use sbx_kernels::cases::normalization::CorrSummary;

    fn corr(spearman: f64) -> CaseAnswer {
        CaseAnswer::Corr(CorrSummary {
            normalization: "raw".into(),
            gene_a: "Mbp".into(),
            gene_b: "Plp1".into(),
            cell_type: "Oligodendrocyte".into(),
            n_cells: 2,
            spearman,
            top_share: [0.5, 0.7, 0.9],
            a: vec![1.0, 2.0],
            b: vec![3.0, 4.0],
        })
    }

    #[test]
    fn a_digest_sees_one_unit_in_the_last_place_and_every_byte_but_no_timing() {
        let a = digest(&corr(0.25), None);
        assert_eq!(a, digest(&corr(0.25), None));
        assert_ne!(
            a,
            digest(&corr(f64::from_bits(0.25f64.to_bits() + 1)), None)
        );
        assert_ne!(a, digest(&corr(0.25), Some(&[])));
        assert_ne!(
            digest(&corr(0.25), Some(&[1, 2])),
            digest(&corr(0.25), Some(&[1, 3]))
        );
        let tissue = |build_ms, n_units| {
            CaseAnswer::Tissue(TissueInfo {
                title: "t".into(),
                platform: "p".into(),
                description: "d".into(),
                n_units,
                build_ms,
            })
        };
        assert_eq!(
            digest(&tissue(1.0, 5), None),
            digest(&tissue(900.0, 5), None)
        );
        assert_ne!(digest(&tissue(1.0, 5), None), digest(&tissue(1.0, 6), None));
    }

    #[test]
    fn the_first_view_holds_the_tables_analyses_and_a_default_choice_once() {
        for kind in ScenarioKind::ALL {
            let v = first_view(kind);
            let (w, r) = super::super::wrong_and_right(kind);
            for a in [&w, &r, &Analysis::Headline] {
                assert!(v.contains(a), "{}: {a:?}", kind.id());
            }
            let choice = default_choice(kind).unwrap_or_else(|| panic!("{}", kind.id()));
            assert!(v.contains(&choice), "{}", kind.id());
            for (i, a) in v.iter().enumerate() {
                assert!(!v[i + 1..].contains(a), "{}: {a:?} twice", kind.id());
            }
        }
        // The defaults are the spec's: the spatial-units page opens on components at 10 µm.
        assert_eq!(
            default_choice(ScenarioKind::SpatialUnits),
            Some(Analysis::Oocytes {
                method: "components".into(),
                radius: 10.0
            })
        );
    }

    /// Reads a precomputed index as the page does, and checks each answer against a
    /// fresh worker given the same request text.
    fn check_against_live(case: &str, seed: u64) -> usize {
        let files = precompute(case, seed, &|| 0.0).unwrap();
        let file = |name: &str| files.iter().find(|f| f.name == name).map(|f| &f.bytes);
        let index: Value =
            serde_json::from_slice(file(&format!("{case}.json")).expect("the index")).unwrap();
        assert_eq!(index["seed"].as_u64(), Some(seed));
        let answers = index["answers"].as_array().expect("answers");
        let mut live = Jobs::default();
        for a in answers {
            let request = a["request"].as_str().expect("request text");
            let Ok(Response::Case(built)) = Response::from_value(&a["reply"]) else {
                panic!("{request}: not a case answer");
            };
            let bytes = a["bytes"]
                .as_str()
                .map(|f| file(f).expect("its bytes").clone());
            assert_eq!(
                built.digest,
                digest(&built.answer, bytes.as_deref()),
                "{request}"
            );
            let (text, live_bytes) = live.handle_text(request, None, &|| 7.0);
            let Ok(Response::Case(now)) = Response::from_json(&text) else {
                panic!("{request}: {text}");
            };
            assert_eq!(now.digest, built.digest, "{request}");
            assert_eq!(live_bytes, bytes, "{request}");
        }
        answers.len()
    }

    #[test]
    fn precomputed_answers_are_what_a_live_worker_answers() {
        let seed = crate::demo::DEFAULT_SEED;
        // tissue, wrong, right, headline, default choice
        assert_eq!(check_against_live("normalization", seed), 5);
        // tissue, wrong, right, headline, cumulus, sweep (the default choice is the wrong one)
        assert_eq!(check_against_live("spatial_units", seed), 6);
    }

    #[test]
    fn an_unknown_case_is_an_error() {
        assert!(precompute("nope", 1, &|| 0.0).is_err());
    }
}
