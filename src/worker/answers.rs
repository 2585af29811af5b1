//! The worker's answers as the page keeps them across visits. The answer to a pure
//! request (`Request::is_pure`: a seeded scenario and a named analysis, say) is a
//! function of its text, so a case study opened again is shown from here at once,
//! without a worker or a new simulation. Bounded by size, least recently used out first: the tissue maps
//! are megabytes of Arrow each.

use std::collections::VecDeque;

/// What the page keeps by default: every case study's answers with room to spare.
pub const DEFAULT_CAPACITY: usize = 64 << 20;

struct Entry<T> {
    request: String,
    answer: T,
    bytes: Option<Vec<u8>>,
    size: usize,
}

/// Answers by request text, most recently used last.
pub struct AnswerCache<T> {
    entries: VecDeque<Entry<T>>,
    size: usize,
    capacity: usize,
}

impl<T: Clone> AnswerCache<T> {
    /// A cache holding at most about `capacity` bytes of answers.
    pub fn new(capacity: usize) -> Self {
        AnswerCache {
            entries: VecDeque::new(),
            size: 0,
            capacity,
        }
    }

    /// The answer to `request`, if kept (it becomes the most recently used).
    pub fn get(&mut self, request: &str) -> Option<(T, Option<Vec<u8>>)> {
        let at = self.entries.iter().position(|e| e.request == request)?;
        let e = self.entries.remove(at)?;
        let found = (e.answer.clone(), e.bytes.clone());
        self.entries.push_back(e);
        Some(found)
    }

    /// Whether the answer to `request` is kept (without making it the most recent).
    pub fn contains(&self, request: &str) -> bool {
        self.entries.iter().any(|e| e.request == request)
    }

    /// Keeps an answer; `answer_len` is the length of its JSON text. An answer
    /// larger than the whole capacity is not kept; older ones make room.
    pub fn put(&mut self, request: String, answer: T, answer_len: usize, bytes: Option<Vec<u8>>) {
        let size = request.len() + answer_len + bytes.as_ref().map_or(0, Vec::len);
        if let Some(at) = self.entries.iter().position(|e| e.request == request) {
            if let Some(old) = self.entries.remove(at) {
                self.size -= old.size;
            }
        }
        if size > self.capacity {
            return;
        }
        while self.size + size > self.capacity {
            match self.entries.pop_front() {
                Some(old) => self.size -= old.size,
                None => break,
            }
        }
        self.size += size;
        self.entries.push_back(Entry {
            request,
            answer,
            bytes,
            size,
        });
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Bytes held (requests, answer texts and Arrow bytes).
    pub fn size(&self) -> usize {
        self.size
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn put(c: &mut AnswerCache<Value>, req: &str, n: usize) {
        c.put(req.into(), json!({ "req": req }), 10, Some(vec![7; n]));
    }

    #[test]
    fn returns_what_was_kept_and_nothing_else() {
        let mut c = AnswerCache::new(1000);
        put(&mut c, "a", 5);
        let (v, b) = c.get("a").expect("kept");
        assert_eq!(v, json!({"req": "a"}));
        assert_eq!(b, Some(vec![7; 5]));
        assert!(c.get("b").is_none());
        assert_eq!(c.size(), 1 + 10 + 5);
        assert!(c.contains("a") && !c.contains("b"));
    }

    #[test]
    fn contains_does_not_make_an_answer_recent() {
        let mut c = AnswerCache::new(100);
        put(&mut c, "a", 29); // 40 bytes each
        put(&mut c, "b", 29);
        assert!(c.contains("a"));
        put(&mut c, "c", 29);
        assert!(!c.contains("a"), "a was still the least recently used");
    }

    #[test]
    fn the_least_recently_used_answer_makes_room() {
        let mut c = AnswerCache::new(100);
        put(&mut c, "a", 29); // 40 bytes each
        put(&mut c, "b", 29);
        assert!(c.get("a").is_some()); // "b" is now the least recently used
        put(&mut c, "c", 29);
        assert!(c.get("b").is_none(), "b should have made room");
        assert!(c.get("a").is_some() && c.get("c").is_some());
        assert_eq!((c.len(), c.size()), (2, 80));
    }

    #[test]
    fn an_answer_larger_than_the_capacity_is_not_kept_and_evicts_nothing() {
        let mut c = AnswerCache::new(100);
        put(&mut c, "a", 29);
        put(&mut c, "huge", 500);
        assert!(c.get("huge").is_none());
        assert!(c.get("a").is_some());
        assert_eq!(c.len(), 1);
    }

    #[test]
    fn keeping_a_request_again_replaces_its_answer() {
        let mut c = AnswerCache::new(1000);
        put(&mut c, "a", 5);
        c.put("a".into(), json!(2), 1, None);
        assert_eq!(c.get("a"), Some((json!(2), None)));
        assert_eq!((c.len(), c.size()), (1, 2));
    }
}
