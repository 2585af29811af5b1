//! Moran's I and neighbourhood-enrichment counts against squidpy 1.8.2, and DBSCAN
//! against scikit-learn, on a small random dataset. Produced in a throw-away venv (pip install squidpy)
//! with:
//!   rng = np.random.default_rng(3); n = 30
//!   xy = np.round(rng.uniform(0, 100, (n, 2)), 2); lab = rng.integers(0, 3, n)
//!   g = np.c_[np.round(xy[:, 0] / 10 + rng.normal(0, 1, n), 2), np.round(rng.normal(0, 1, n), 2)]
//!   sq.gr.spatial_neighbors(a, coord_type="generic", n_neighs=4)
//!   sq.gr.spatial_autocorr(a, mode="moran", n_perms=None, transformation=True)
//!   sq.gr.nhood_enrichment(a, cluster_key="c", n_perms=100, seed=0)
//! and the values pasted below.

use sbx_kernels::spatial::{dbscan, knn, morans_i, nhood_enrichment};

const X: [f32; 30] = [
    8.56, 80.13, 9.41, 47.91, 73.46, 39.12, 43.06, 73.78, 28.42, 69.62, 0.15, 29.84, 89.17, 47.13,
    3.03, 37.42, 66.05, 20.72, 29.82, 72.22, 82.99, 68.28, 42.86, 87.85, 84.98, 47.97, 69.84,
    87.11, 56.18, 61.29,
];
const Y: [f32; 30] = [
    23.68, 58.22, 43.31, 15.97, 11.37, 51.67, 58.68, 95.63, 64.85, 29.27, 97.35, 31.4, 58.52,
    77.33, 70.7, 9.09, 93.15, 63.01, 74.18, 21.87, 65.77, 82.01, 75.87, 10.23, 39.39, 14.63, 29.2,
    27.54, 39.97, 19.66,
];
const L: [u32; 30] = [
    2, 0, 0, 2, 0, 2, 0, 1, 2, 2, 1, 0, 0, 2, 1, 0, 2, 2, 2, 1, 2, 1, 1, 2, 1, 2, 1, 2, 2, 0,
];
const G0: [f64; 30] = [
    2.45, 6.82, 1.3, 3.74, 8.75, 3.89, 3.93, 5.66, 4.52, 7.71, 0.77, 4.12, 9.27, 4.07, -0.5, 2.94,
    7.98, 0.61, 2.39, 6.9, 8.52, 7.4, 3.04, 7.05, 8.49, 6.01, 7.74, 8.93, 5.3, 6.42,
];
const G1: [f64; 30] = [
    -0.24, 0.82, -0.79, 0.13, -0.11, 0.54, 0.22, 2.55, 1.5, 1.5, -2.04, -0.34, -0.61, 0.53, -2.28,
    1.17, 1.07, -1.3, -0.98, -0.8, 0.04, 0.64, 2.05, -0.2, 0.77, 0.16, 1.76, 0.74, 1.37, -1.08,
];
const SQUIDPY_I: [f64; 2] = [0.7062000677106628, 0.18819688948679159];
const SQUIDPY_COUNT: [[f64; 3]; 3] = [[8.0, 9.0, 15.0], [5.0, 7.0, 20.0], [17.0, 17.0, 22.0]];

#[test]
fn morans_i_matches_squidpy() {
    let nb = knn(&X, &Y, 4);
    assert!(
        (morans_i(&nb, &G0, true) - SQUIDPY_I[0]).abs() < 1e-5,
        "{}",
        morans_i(&nb, &G0, true)
    );
    assert!(
        (morans_i(&nb, &G1, true) - SQUIDPY_I[1]).abs() < 1e-5,
        "{}",
        morans_i(&nb, &G1, true)
    );
}

#[test]
fn nhood_counts_match_squidpy() {
    let nb = knn(&X, &Y, 4);
    let (_, count) = nhood_enrichment(&nb, &L, 3, 100, 0);
    for i in 0..3 {
        for j in 0..3 {
            assert_eq!(
                count[[i, j]],
                SQUIDPY_COUNT[i][j],
                "count[{i}][{j}]: {count:?}"
            );
        }
    }
}

/// scikit-learn 1.9.1 `DBSCAN(eps, min_samples).fit(xy.astype(np.float32)).labels_`
/// on the same points.
const SKLEARN_DBSCAN: [(f32, usize, [i32; 30]); 3] = [
    (
        12.0,
        2,
        [
            -1, 0, -1, 1, 2, 3, 3, 4, 5, 2, -1, -1, 0, 6, -1, 1, 4, 5, 5, 2, 0, 4, 6, -1, -1, 1, 2,
            -1, -1, 2,
        ],
    ),
    (
        15.0,
        3,
        [
            -1, 0, -1, 1, 1, -1, -1, 2, 3, 1, -1, -1, 0, 3, -1, 1, 2, 3, 3, 1, 0, 2, 3, 1, -1, 1,
            1, -1, -1, 1,
        ],
    ),
    (
        20.0,
        4,
        [
            -1, 0, -1, 0, 0, 1, 1, -1, 1, 0, -1, -1, 0, 1, 1, 0, -1, 1, 1, 0, 0, -1, 1, 0, 0, 0, 0,
            0, 0, 0,
        ],
    ),
];

#[test]
fn dbscan_matches_sklearn() {
    for (eps, ms, want) in SKLEARN_DBSCAN {
        let (labels, n) = dbscan(&X, &Y, eps, ms);
        assert_eq!(labels, want.to_vec(), "eps {eps} min_samples {ms}");
        assert_eq!(n as i32, want.iter().copied().max().unwrap() + 1);
    }
}
