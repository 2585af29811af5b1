//! A small dataset shared by the view module's tests.

use sbx_data::{CategoricalColumn, Dataset, NumericColumn, NumericKind};

/// Six units on a 3 × 2 grid (x 0..20, y 0..10): `cell_type` a, b, a, c, a, b
/// (c has a name that needs CSV quoting), `sample` s1 × 3 then s2 × 3, and
/// `total` 1..6 with one NaN.
pub fn small() -> Dataset {
    let mut ds = Dataset {
        x: vec![0.0, 10.0, 20.0, 0.0, 10.0, 20.0],
        y: vec![0.0, 0.0, 0.0, 10.0, 10.0, 10.0],
        ..Default::default()
    };
    ds.categorical.push(CategoricalColumn::from_labels(
        "cell_type",
        &["a", "b", "a", "c, \"q\"", "a", "b"],
    ));
    ds.categorical.push(CategoricalColumn::from_labels(
        "sample",
        &["s1", "s1", "s1", "s2", "s2", "s2"],
    ));
    ds.numeric.push(NumericColumn {
        name: "total".into(),
        values: vec![1.0, 2.0, f32::NAN, 4.0, 5.0, 6.0],
        kind: NumericKind::Value,
    });
    ds.meta.coord_unit = "um".into();
    ds
}
