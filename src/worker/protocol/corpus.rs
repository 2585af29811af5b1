//! The corpus messages: one run's trajectory to check and index (its bundle
//! part files travel as the bytes beside the request, one after another),
//! and a search over every run held. The worker's side is
//! [`crate::corpus::job::CorpusJob`]; these are its answers.

use serde::{Deserialize, Serialize};

pub use crate::corpus::job::{Added as CorpusAdded, Found as CorpusFound};

/// One part file of a run's trajectory: its name and how many of the bytes
/// sent beside the request are its.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct PartLen {
    pub file: String,
    pub len: usize,
}

/// Cuts the bytes sent beside a `corpus_add` request into its part files.
pub fn split_parts(parts: &[PartLen], bytes: &[u8]) -> Result<Vec<(String, Vec<u8>)>, String> {
    let total: usize = parts
        .iter()
        .try_fold(0usize, |a, p| a.checked_add(p.len))
        .ok_or("part sizes overflow")?;
    if total != bytes.len() {
        return Err(format!(
            "the part files add up to {total} bytes but {} came with the request",
            bytes.len()
        ));
    }
    let mut at = 0;
    Ok(parts
        .iter()
        .map(|p| {
            let part = (p.file.clone(), bytes[at..at + p.len].to_vec());
            at += p.len;
            part
        })
        .collect())
}
