//! A synthetic dataset of any size, for benchmarks and load tests
//! (x, y, two categorical and two float columns, as in the performance targets).

use crate::dataset::{CategoricalColumn, Dataset, Metadata, NumericColumn, NumericKind, UnitKind};
use rand::{Rng, SeedableRng};

pub fn synthetic(n: usize, seed: u64) -> Dataset {
    let mut rng = rand_pcg::Pcg64::seed_from_u64(seed);
    let mut x = Vec::with_capacity(n);
    let mut y = Vec::with_capacity(n);
    let mut ct = Vec::with_capacity(n);
    let mut sample = Vec::with_capacity(n);
    let mut a = Vec::with_capacity(n);
    let mut b = Vec::with_capacity(n);
    for _ in 0..n {
        let cx: f32 = rng.random_range(0.0..10_000.0);
        let cy: f32 = rng.random_range(0.0..8_000.0);
        x.push(cx);
        y.push(cy);
        // Cell type loosely tied to position so pictures show structure.
        ct.push(((cx / 400.0) as u32 + rng.random_range(0..3)) % 24);
        sample.push((cy / 2000.0) as u32 % 4);
        a.push(rng.random_range(0.0..1000.0f32));
        b.push((rng.random_range(0.0..1.0f32) * 8.0).floor());
    }
    Dataset {
        x,
        y,
        categorical: vec![
            CategoricalColumn {
                name: "cell_type".into(),
                codes: ct,
                categories: (0..24).map(|i| format!("type_{i:02}")).collect(),
                colors: None,
            },
            CategoricalColumn {
                name: "sample".into(),
                codes: sample,
                categories: (0..4).map(|i| format!("sample_{i}")).collect(),
                colors: None,
            },
        ],
        numeric: vec![
            NumericColumn {
                name: "total_counts".into(),
                values: a,
                kind: NumericKind::Value,
            },
            NumericColumn {
                name: "GeneA".into(),
                values: b,
                kind: NumericKind::Gene,
            },
        ],
        expression: None,
        meta: Metadata {
            name: format!("Synthetic benchmark: {} points", thousands(n)),
            platform: "synthetic".into(),
            unit_kind: UnitKind::Cell,
            coord_unit: "um".into(),
            source: "sbx_data::synthetic".into(),
            simulated: true,
            simulated_description: Some(
                "uniform random positions, 24 position-linked types, 4 samples".into(),
            ),
            ..Default::default()
        },
    }
}

/// 1000000 -> "1,000,000".
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn thousands_groups_digits() {
        assert_eq!(super::thousands(7), "7");
        assert_eq!(super::thousands(1000), "1,000");
        assert_eq!(super::thousands(100_000), "100,000");
        assert_eq!(super::thousands(1_000_000), "1,000,000");
    }
}
