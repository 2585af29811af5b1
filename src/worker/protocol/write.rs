//! The page's writer of requests (the worker reads them with serde's derives).

use super::Request;
use serde_json::json;

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
        }
        .to_string()
    }
}
