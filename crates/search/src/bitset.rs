//! A fixed-size set of step ids.

#[derive(Clone)]
pub struct Bitset {
    words: Vec<u64>,
    len: usize,
}

impl Bitset {
    pub fn new(len: usize) -> Bitset {
        Bitset {
            words: vec![0; len.div_ceil(64)],
            len,
        }
    }

    pub fn full(len: usize) -> Bitset {
        let mut s = Bitset::new(len);
        s.insert_range(0, len);
        s
    }

    pub fn insert(&mut self, i: usize) {
        if i < self.len {
            self.words[i / 64] |= 1 << (i % 64);
        }
    }

    #[cfg(test)]
    pub fn contains(&self, i: usize) -> bool {
        i < self.len && self.words[i / 64] & (1 << (i % 64)) != 0
    }

    /// Inserts `start..end`.
    pub fn insert_range(&mut self, start: usize, end: usize) {
        let end = end.min(self.len);
        let mut i = start;
        while i < end {
            if i.is_multiple_of(64) && i + 64 <= end {
                self.words[i / 64] = u64::MAX;
                i += 64;
            } else {
                self.insert(i);
                i += 1;
            }
        }
    }

    pub fn and_with(&mut self, other: &Bitset) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= b;
        }
    }

    pub fn or_with(&mut self, other: &Bitset) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= b;
        }
    }

    pub fn count(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    pub fn iter(&self) -> impl Iterator<Item = usize> + '_ {
        self.words.iter().enumerate().flat_map(|(wi, &w)| {
            let mut w = w;
            std::iter::from_fn(move || {
                if w == 0 {
                    return None;
                }
                let b = w.trailing_zeros() as usize;
                w &= w - 1;
                Some(wi * 64 + b)
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_and_set_operations() {
        let mut a = Bitset::new(200);
        a.insert_range(3, 150);
        assert_eq!(a.count(), 147);
        let mut b = Bitset::new(200);
        b.insert(2);
        b.insert(149);
        b.insert(199);
        b.insert(500);
        let mut and = a.clone();
        and.and_with(&b);
        assert_eq!(and.iter().collect::<Vec<_>>(), [149]);
        a.or_with(&b);
        assert_eq!(a.count(), 149);
        assert!(a.contains(199) && !a.contains(150) && !a.contains(500));
        assert_eq!(Bitset::full(65).count(), 65);
    }
}
