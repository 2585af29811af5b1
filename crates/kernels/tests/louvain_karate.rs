//! Louvain and modularity on Zachary's karate club (unweighted), against
//! networkx 3.6.1 (throw-away venv): `nx.community.modularity(g, factions,
//! weight=None)` = 0.3582347140039448 for the two historical factions, and
//! the best Louvain partition over 10 seeds reaches 0.41978961209730437
//! (the known optimum is 0.4198).

use sbx_kernels::graph::{louvain, modularity, Graph};

const EDGES: [(u32, u32); 78] = [
    (0, 1),
    (0, 2),
    (0, 3),
    (0, 4),
    (0, 5),
    (0, 6),
    (0, 7),
    (0, 8),
    (0, 10),
    (0, 11),
    (0, 12),
    (0, 13),
    (0, 17),
    (0, 19),
    (0, 21),
    (0, 31),
    (1, 2),
    (1, 3),
    (1, 7),
    (1, 13),
    (1, 17),
    (1, 19),
    (1, 21),
    (1, 30),
    (2, 3),
    (2, 7),
    (2, 8),
    (2, 9),
    (2, 13),
    (2, 27),
    (2, 28),
    (2, 32),
    (3, 7),
    (3, 12),
    (3, 13),
    (4, 6),
    (4, 10),
    (5, 6),
    (5, 10),
    (5, 16),
    (6, 16),
    (8, 30),
    (8, 32),
    (8, 33),
    (9, 33),
    (13, 33),
    (14, 32),
    (14, 33),
    (15, 32),
    (15, 33),
    (18, 32),
    (18, 33),
    (19, 33),
    (20, 32),
    (20, 33),
    (22, 32),
    (22, 33),
    (23, 25),
    (23, 27),
    (23, 29),
    (23, 32),
    (23, 33),
    (24, 25),
    (24, 27),
    (24, 31),
    (25, 31),
    (26, 29),
    (26, 33),
    (27, 33),
    (28, 31),
    (28, 33),
    (29, 32),
    (29, 33),
    (30, 32),
    (30, 33),
    (31, 32),
    (31, 33),
    (32, 33),
];
const FACTIONS: [u32; 34] = [
    0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1,
];

fn karate() -> Graph {
    let mut adj = vec![Vec::new(); 34];
    for &(a, b) in &EDGES {
        adj[a as usize].push((b, 1.0));
        adj[b as usize].push((a, 1.0));
    }
    Graph { adj }
}

#[test]
fn modularity_matches_networkx() {
    assert!((modularity(&karate(), &FACTIONS, 1.0) - 0.3582347140039448).abs() < 1e-12);
}

#[test]
fn louvain_reaches_near_optimal_modularity() {
    let g = karate();
    let best = (0..10)
        .map(|seed| modularity(&g, &louvain(&g, 1.0, seed), 1.0))
        .fold(f64::MIN, f64::max);
    assert!(
        best > 0.415 && best <= 0.41978961209730437 + 1e-9,
        "best Q {best}"
    );
    // Every seed gives a good partition.
    for seed in 0..10 {
        assert!(
            modularity(&g, &louvain(&g, 1.0, seed), 1.0) > 0.39,
            "seed {seed}"
        );
    }
}
