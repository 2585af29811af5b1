//! The vocabulary: every folded token once, with its posting list. Tokens
//! are also kept end to end in one buffer, `\n`-separated, so the tokens
//! containing a query piece are found with one substring scan.

use crate::bitset::Bitset;
use crate::postings::Postings;
use hashbrown::HashTable;
use rustc_hash::FxHasher;
use std::hash::{Hash, Hasher};

#[derive(Default)]
pub struct Vocab {
    table: HashTable<u32>,
    buf: String,
    /// Start of each token in `buf`.
    starts: Vec<usize>,
    postings: Vec<Postings>,
}

fn hash(token: &str) -> u64 {
    let mut h = FxHasher::default();
    token.hash(&mut h);
    h.finish()
}

impl Vocab {
    #[cfg(test)]
    fn token(&self, id: u32) -> &str {
        let s = self.starts[id as usize];
        let next = self
            .starts
            .get(id as usize + 1)
            .copied()
            .unwrap_or(self.buf.len());
        &self.buf[s..next - 1]
    }

    /// Records that step `step` holds `token`.
    pub fn add(&mut self, token: &str, step: u32) {
        let h = hash(token);
        let found = {
            let (buf, starts) = (&self.buf, &self.starts);
            self.table
                .find(h, |&id| {
                    let s = starts[id as usize];
                    buf.get(s..s + token.len()) == Some(token)
                        && buf.as_bytes().get(s + token.len()) == Some(&b'\n')
                })
                .copied()
        };
        let id = match found {
            Some(id) => id,
            None => {
                let id = self.starts.len() as u32;
                self.starts.push(self.buf.len());
                self.buf.push_str(token);
                self.buf.push('\n');
                self.postings.push(Postings::default());
                let (buf, starts) = (&self.buf, &self.starts);
                self.table.insert_unique(h, id, |&other| {
                    let s = starts[other as usize];
                    let e =
                        memchr::memchr(b'\n', &buf.as_bytes()[s..]).map_or(buf.len(), |n| s + n);
                    hash(&buf[s..e])
                });
                id
            }
        };
        self.postings[id as usize].push(step);
    }

    /// Steps holding exactly the token `token` (already folded): one hash
    /// look-up instead of a scan of the whole vocabulary.
    pub fn steps_with_token(&self, token: &str, steps: usize) -> Bitset {
        let (buf, starts) = (&self.buf, &self.starts);
        let found = self.table.find(hash(token), |&id| {
            let s = starts[id as usize];
            buf.get(s..s + token.len()) == Some(token)
                && buf.as_bytes().get(s + token.len()) == Some(&b'\n')
        });
        let mut set = Bitset::new(steps);
        if let Some(&id) = found {
            self.postings[id as usize].add_to(&mut set);
        }
        set
    }

    /// Steps holding a token that contains `piece` (already folded), or
    /// `None` when those tokens list more than `max_postings` steps in all
    /// (the piece is too common to narrow anything).
    pub fn steps_containing(
        &self,
        piece: &str,
        steps: usize,
        max_postings: usize,
    ) -> Option<Bitset> {
        let mut ids: Vec<u32> = Vec::new();
        let mut total = 0usize;
        for pos in memchr::memmem::find_iter(self.buf.as_bytes(), piece.as_bytes()) {
            let id = (self.starts.partition_point(|&s| s <= pos) - 1) as u32;
            if ids.last() == Some(&id) {
                continue;
            }
            total += self.postings[id as usize].count as usize;
            if total > max_postings {
                return None;
            }
            ids.push(id);
        }
        let mut set = Bitset::new(steps);
        for id in ids {
            self.postings[id as usize].add_to(&mut set);
        }
        Some(set)
    }

    pub fn len(&self) -> usize {
        self.starts.len()
    }

    pub fn shrink(&mut self) {
        for p in &mut self.postings {
            p.shrink();
        }
    }

    pub fn memory_bytes(&self) -> usize {
        self.table.capacity() * 5
            + self.buf.capacity()
            + self.starts.capacity() * std::mem::size_of::<usize>()
            + self.postings.capacity() * std::mem::size_of::<Postings>()
            + self
                .postings
                .iter()
                .map(|p| p.memory_bytes() - std::mem::size_of::<Postings>())
                .sum::<usize>()
    }

    #[cfg(test)]
    pub fn tokens(&self) -> Vec<&str> {
        (0..self.len() as u32).map(|i| self.token(i)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_kept_once_and_found_by_substring() {
        let mut v = Vocab::default();
        v.add("normalize_total", 0);
        v.add("adata", 0);
        v.add("normalize_total", 2);
        v.add("normalize", 5);
        v.add("adata", 5);
        assert_eq!(v.tokens(), ["normalize_total", "adata", "normalize"]);
        let got = |p: &str| {
            v.steps_containing(p, 8, 100)
                .map(|s| s.iter().collect::<Vec<_>>())
        };
        assert_eq!(got("normal"), Some(vec![0, 2, 5]));
        assert_eq!(got("_total"), Some(vec![0, 2]));
        assert_eq!(got("adata"), Some(vec![0, 5]));
        assert_eq!(got("pydeseq2"), Some(vec![]));
        // Too common to narrow: the caller scans instead.
        assert_eq!(v.steps_containing("a", 8, 3).map(|s| s.count()), None);
    }
}
