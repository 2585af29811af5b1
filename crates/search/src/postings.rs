//! Posting lists: the ascending global step ids holding a token, stored as
//! LEB128 varints of the gaps (most gaps fit in one byte).

use crate::bitset::Bitset;

#[derive(Default)]
pub struct Postings {
    bytes: Vec<u8>,
    /// Last id added plus one (0: none yet).
    last: u32,
    pub count: u32,
}

impl Postings {
    /// Adds `id`; ids arrive in ascending order and repeats are dropped.
    pub fn push(&mut self, id: u32) {
        let next = id.wrapping_add(1);
        if self.last >= next {
            return;
        }
        let mut gap = next - self.last;
        self.last = next;
        self.count += 1;
        loop {
            let b = (gap & 0x7f) as u8;
            gap >>= 7;
            if gap == 0 {
                self.bytes.push(b);
                break;
            }
            self.bytes.push(b | 0x80);
        }
    }

    /// Sets the bit of every id.
    pub fn add_to(&self, set: &mut Bitset) {
        let mut id: u32 = 0;
        let mut gap: u32 = 0;
        let mut shift = 0;
        for &b in &self.bytes {
            gap |= u32::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                id = id.wrapping_add(gap);
                set.insert(id as usize - 1);
                gap = 0;
                shift = 0;
            } else {
                shift += 7;
            }
        }
    }

    pub fn memory_bytes(&self) -> usize {
        self.bytes.capacity() + std::mem::size_of::<Self>()
    }

    pub fn shrink(&mut self) {
        self.bytes.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_ids_with_large_gaps_and_drops_repeats() {
        let ids = [0u32, 0, 1, 127, 128, 300, 70_000, 70_000, 5_000_000];
        let mut p = Postings::default();
        for id in ids {
            p.push(id);
        }
        assert_eq!(p.count, 7);
        let mut set = Bitset::new(5_000_001);
        p.add_to(&mut set);
        let got: Vec<usize> = set.iter().collect();
        assert_eq!(got, [0, 1, 127, 128, 300, 70_000, 5_000_000]);
    }
}
