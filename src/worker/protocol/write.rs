//! The page's writer of requests (the worker reads them with serde's derives).

use super::Request;
use serde_json::{json, Value};

impl Request {
    /// The request as the page sends it.
    pub fn to_json(&self) -> String {
        let op = self.op();
        match self {
            Request::Read { name } => json!({"op": op, "name": name}),
            Request::Prepare {
                obs_columns,
                genes,
                top_genes,
                max_points,
                seed,
            } => json!({
                "op": op, "obs_columns": obs_columns, "genes": genes,
                "top_genes": top_genes, "max_points": max_points, "seed": seed,
            }),
            Request::Synthetic { n, seed } => json!({"op": op, "n": n, "seed": seed}),
            Request::Case {
                case,
                seed,
                analysis,
            } => json!({"op": op, "case": case, "seed": seed, "analysis": analysis.to_value()}),
            Request::CorpusAdd { run, eval, parts } => json!({
                "op": op, "run": run_summary(run), "eval": eval,
                "parts": parts.iter().map(|p| json!({"file": p.file, "len": p.len})).collect::<Vec<_>>(),
            }),
            Request::CorpusSearch { query } => json!({"op": op, "query": search_query(query)}),
        }
        .to_string()
    }
}

/// A run summary as the worker's derived reader expects it.
fn run_summary(r: &sbx_suite::RunSummary) -> Value {
    json!({
        "suite": r.suite, "id": r.id, "eval_id": r.eval_id, "provider": r.provider,
        "model": r.model, "harness": r.harness, "run_index": r.run_index, "passed": r.passed,
        "score": r.score, "duration_s": r.duration_s, "cost_usd": r.cost_usd,
        "has_answer": r.has_answer, "trajectory_format": r.trajectory_format, "n_steps": r.n_steps,
    })
}

fn search_query(q: &sbx_search::Query) -> Value {
    let f = &q.filters;
    json!({
        "text": q.text, "regex": q.regex, "case_sensitive": q.case_sensitive, "limit": q.limit,
        "filters": {
            "suite": f.suite, "eval": f.eval, "model": f.model, "harness": f.harness,
            "step_kind": f.step_kind, "class": f.class,
        },
    })
}
