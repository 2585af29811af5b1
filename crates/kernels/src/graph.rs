//! k-nearest-neighbour graphs in expression (PCA) space and Louvain
//! community detection (Blondel et al. 2008) with a resolution parameter,
//! written here because no maintained Louvain/Leiden crate builds cleanly
//! for wasm32 without pulling in threads or getrandom.

use crate::lanes::sq_dists;
use crate::spatial::{knn_from_tree, Neighbors};
use kiddo::immutable::float::kdtree::ImmutableKdTree;
use kiddo::SquaredEuclidean;
use ndarray::linalg::general_mat_mul;
use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;

/// Maximum dimensions of the expression-space k-NN (PCA components beyond
/// this are an error; fewer are zero-padded, which leaves distances unchanged).
pub const GRAPH_DIMS: usize = 30;

/// Above this many rows the k-d tree is used; below, blocked brute force
/// (a matrix product per block), which is faster in 10-30 dimensions.
pub const BRUTE_FORCE_MAX_ROWS: usize = 30_000;

/// k nearest neighbours (self excluded) of the rows of `points`.
pub fn knn_rows(points: &Array2<f32>, k: usize) -> Result<Neighbors, String> {
    if points.nrows() <= BRUTE_FORCE_MAX_ROWS {
        return Ok(knn_brute(points, k));
    }
    knn_tree(points, k)
}

/// k-NN through the kiddo k-d tree (at most `GRAPH_DIMS` dimensions).
pub fn knn_tree(points: &Array2<f32>, k: usize) -> Result<Neighbors, String> {
    let (n, d) = points.dim();
    if d > GRAPH_DIMS {
        return Err(format!(
            "k-NN graph supports at most {GRAPH_DIMS} dimensions, got {d}"
        ));
    }
    let pts: Vec<[f32; GRAPH_DIMS]> = (0..n)
        .map(|i| {
            let mut p = [0.0f32; GRAPH_DIMS];
            for j in 0..d {
                p[j] = points[[i, j]];
            }
            p
        })
        .collect();
    if n == 0 {
        return Ok(knn_from_tree(0, k, |_, _| []));
    }
    let tree: ImmutableKdTree<f32, u64, GRAPH_DIMS, 32> = ImmutableKdTree::new_from_slice(&pts);
    Ok(knn_from_tree(n, k, |i, want| {
        tree.nearest_n::<SquaredEuclidean>(&pts[i], want)
            .into_iter()
            .map(|nb| (nb.item, nb.distance))
    }))
}

/// Exact k-NN by blocks: squared distances |a|^2 + |b|^2 - 2 a.b from one
/// matrix product per block of rows, then a partial selection per row.
/// Ties are broken by index.
pub fn knn_brute(points: &Array2<f32>, k: usize) -> Neighbors {
    let n = points.nrows();
    let k = k.min(n.saturating_sub(1));
    let norms: Vec<f32> = points.rows().into_iter().map(|r| r.dot(&r)).collect();
    let mut out = Neighbors {
        indptr: vec![0],
        indices: Vec::with_capacity(n * k),
        dist: Vec::with_capacity(n * k),
    };
    let block = 256.min(n.max(1));
    let mut prod = Array2::<f32>::zeros((block, n));
    let mut cand: Vec<(f32, u32)> = Vec::with_capacity(k + 1);
    for start in (0..n).step_by(block) {
        let end = (start + block).min(n);
        let mut prod = prod.slice_mut(ndarray::s![..end - start, ..]);
        let rows = points.slice(ndarray::s![start..end, ..]);
        general_mat_mul(1.0, &rows, &points.t(), 0.0, &mut prod);
        for (bi, mut row) in prod.rows_mut().into_iter().enumerate() {
            let i = start + bi;
            let ni = norms[i];
            let Some(row) = row.as_slice_mut() else {
                unreachable!("standard layout")
            };
            // Keep the k best in a small sorted buffer. Squared distances are
            // written in place a chunk at a time ([`sq_dists`]); a chunk whose
            // smallest entry cannot enter is skipped whole. Self is set to
            // infinity, which never enters.
            cand.clear();
            let mut thr = if k == 0 {
                f32::NEG_INFINITY
            } else {
                f32::INFINITY
            };
            for (ci, (chunk, nj)) in row.chunks_mut(16).zip(norms.chunks(16)).enumerate() {
                let low = sq_dists(chunk, ni, nj);
                if i / 16 == ci {
                    chunk[i % 16] = f32::INFINITY;
                }
                if low >= thr {
                    continue;
                }
                for (jj, &d2) in chunk.iter().enumerate() {
                    if d2 >= thr {
                        continue;
                    }
                    let pos = cand.partition_point(|e| e.0 <= d2);
                    cand.insert(pos, (d2, (ci * 16 + jj) as u32));
                    if cand.len() > k {
                        cand.pop();
                    }
                    if cand.len() == k {
                        thr = cand[k - 1].0;
                    }
                }
            }
            for &(d2, j) in cand.iter() {
                out.indices.push(j);
                out.dist.push(d2.sqrt());
            }
            out.indptr.push(out.indices.len());
        }
    }
    out
}

/// Undirected weighted graph as a symmetric adjacency list (matrix form:
/// `adj[i]` holds (j, A_ij); a self-loop A_ii appears once).
#[derive(Clone, Debug)]
pub struct Graph {
    pub adj: Vec<Vec<(u32, f64)>>,
}

impl Graph {
    /// Unweighted graph from neighbour lists, symmetrised (an edge if either
    /// side lists the other).
    pub fn from_neighbors(nb: &Neighbors) -> Graph {
        let s = nb.symmetrized();
        Graph {
            adj: (0..s.n())
                .map(|i| s.of(i).iter().map(|&j| (j, 1.0)).collect())
                .collect(),
        }
    }
    pub fn n(&self) -> usize {
        self.adj.len()
    }
    fn degrees(&self) -> Vec<f64> {
        self.adj
            .iter()
            .map(|l| l.iter().map(|e| e.1).sum())
            .collect()
    }
}

/// Newman-Girvan modularity with resolution `gamma`:
/// Q = 1/(2m) sum_ij (A_ij - gamma k_i k_j / 2m) [c_i = c_j].
pub fn modularity(g: &Graph, labels: &[u32], gamma: f64) -> f64 {
    let k = g.degrees();
    let two_m: f64 = k.iter().sum();
    if two_m <= 0.0 {
        return 0.0;
    }
    let nc = labels.iter().copied().max().map_or(0, |m| m as usize + 1);
    let mut internal = vec![0.0; nc];
    let mut tot = vec![0.0; nc];
    for i in 0..g.n() {
        tot[labels[i] as usize] += k[i];
        for &(j, w) in &g.adj[i] {
            if labels[j as usize] == labels[i] {
                internal[labels[i] as usize] += w;
            }
        }
    }
    (0..nc)
        .map(|c| internal[c] / two_m - gamma * (tot[c] / two_m).powi(2))
        .sum()
}

/// One level of local moves. Returns (community per node, whether anything moved).
fn local_moves(g: &Graph, gamma: f64, rng: &mut Pcg64Mcg) -> (Vec<u32>, bool) {
    let n = g.n();
    let k = g.degrees();
    let two_m: f64 = k.iter().sum();
    let mut comm: Vec<u32> = (0..n as u32).collect();
    let mut tot = k.clone();
    let mut order: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        let j = rng.random_range(0..=i);
        order.swap(i, j);
    }
    let mut w_to = vec![0.0f64; n];
    let mut touched: Vec<u32> = Vec::new();
    let mut any = false;
    loop {
        let mut moved = 0usize;
        for &i in &order {
            let ci = comm[i];
            tot[ci as usize] -= k[i];
            touched.clear();
            touched.push(ci);
            for &(j, w) in &g.adj[i] {
                if j as usize == i {
                    continue;
                }
                let cj = comm[j as usize];
                if w_to[cj as usize] == 0.0 && !touched.contains(&cj) {
                    touched.push(cj);
                }
                w_to[cj as usize] += w;
            }
            let gain = |c: u32, w: f64| w - gamma * tot[c as usize] * k[i] / two_m;
            let mut best = ci;
            let mut best_gain = gain(ci, w_to[ci as usize]);
            for &c in &touched {
                let gc = gain(c, w_to[c as usize]);
                if gc > best_gain + 1e-12 {
                    best_gain = gc;
                    best = c;
                }
            }
            for &c in &touched {
                w_to[c as usize] = 0.0;
            }
            tot[best as usize] += k[i];
            if best != ci {
                comm[i] = best;
                moved += 1;
            }
        }
        if moved == 0 {
            break;
        }
        any = true;
    }
    // Renumber communities 0..c.
    let mut map = vec![u32::MAX; n];
    let mut next = 0u32;
    for c in comm.iter_mut() {
        if map[*c as usize] == u32::MAX {
            map[*c as usize] = next;
            next += 1;
        }
        *c = map[*c as usize];
    }
    (comm, any)
}

fn aggregate(g: &Graph, comm: &[u32]) -> Graph {
    let nc = comm.iter().copied().max().map_or(0, |m| m as usize + 1);
    let mut maps: Vec<std::collections::BTreeMap<u32, f64>> = vec![Default::default(); nc];
    for i in 0..g.n() {
        for &(j, w) in &g.adj[i] {
            *maps[comm[i] as usize]
                .entry(comm[j as usize])
                .or_insert(0.0) += w;
        }
    }
    Graph {
        adj: maps.into_iter().map(|m| m.into_iter().collect()).collect(),
    }
}

/// Louvain communities at resolution `gamma` (1.0 = classic modularity).
/// Node order is shuffled with `seed`, so results are reproducible.
/// Labels are renumbered by decreasing community size.
pub fn louvain(g: &Graph, gamma: f64, seed: u64) -> Vec<u32> {
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    let mut membership: Vec<u32> = (0..g.n() as u32).collect();
    let mut current = g.clone();
    for _level in 0..50 {
        let (comm, moved) = local_moves(&current, gamma, &mut rng);
        if !moved {
            break;
        }
        for m in membership.iter_mut() {
            *m = comm[*m as usize];
        }
        current = aggregate(&current, &comm);
    }
    let nc = membership
        .iter()
        .copied()
        .max()
        .map_or(0, |m| m as usize + 1);
    let mut size = vec![0usize; nc];
    membership.iter().for_each(|&c| size[c as usize] += 1);
    let mut order: Vec<usize> = (0..nc).collect();
    order.sort_by(|&a, &b| size[b].cmp(&size[a]).then(a.cmp(&b)));
    let mut rank = vec![0u32; nc];
    for (r, &c) in order.iter().enumerate() {
        rank[c] = r as u32;
    }
    membership.iter().map(|&c| rank[c as usize]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(n: usize, edges: &[(u32, u32)]) -> Graph {
        let mut adj = vec![Vec::new(); n];
        for &(a, b) in edges {
            adj[a as usize].push((b, 1.0));
            adj[b as usize].push((a, 1.0));
        }
        Graph { adj }
    }

    #[test]
    fn two_triangles() {
        // Hand-worked: m = 7, degrees 2,2,3,3,2,2; each triangle has 3 internal
        // edges and degree sum 7: Q = 2 * (3/7 - (7/14)^2) = 5/14.
        let g = graph(6, &[(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), (2, 3)]);
        let lab = louvain(&g, 1.0, 3);
        assert_eq!(lab[0], lab[1]);
        assert_eq!(lab[1], lab[2]);
        assert_eq!(lab[3], lab[4]);
        assert_ne!(lab[0], lab[3]);
        assert!((modularity(&g, &lab, 1.0) - 5.0 / 14.0).abs() < 1e-12);
        // Everything in one community: Q = 1 - 1 = 0.
        assert!(modularity(&g, &[0; 6], 1.0).abs() < 1e-12);
    }

    #[test]
    fn ring_of_cliques_and_resolution() {
        // 8 cliques of 5 joined in a ring: Louvain finds the 8 cliques.
        let mut edges = Vec::new();
        for c in 0..8u32 {
            for a in 0..5 {
                for b in a + 1..5 {
                    edges.push((c * 5 + a, c * 5 + b));
                }
            }
            edges.push((c * 5, ((c + 1) % 8) * 5 + 1));
        }
        let g = graph(40, &edges);
        let lab = louvain(&g, 1.0, 11);
        let n_comm = lab.iter().copied().max().unwrap() + 1;
        assert_eq!(n_comm, 8);
        for c in 0..8 {
            assert!((0..5).all(|a| lab[c * 5 + a] == lab[c * 5]));
        }
        // Very low resolution merges everything into fewer communities.
        let coarse = louvain(&g, 0.05, 11);
        assert!(coarse.iter().copied().max().unwrap() + 1 < 8);
    }

    #[test]
    fn knn_rows_matches_brute_force() {
        let mut rng = Pcg64Mcg::seed_from_u64(5);
        let pts = Array2::from_shape_fn((200, 12), |_| rng.random::<f32>());
        let nb = knn_rows(&pts, 5).unwrap();
        for i in [0usize, 17, 199] {
            let mut d: Vec<(f32, usize)> = (0..200)
                .filter(|&j| j != i)
                .map(|j| {
                    (
                        (0..12)
                            .map(|c| (pts[[i, c]] - pts[[j, c]]).powi(2))
                            .sum::<f32>(),
                        j,
                    )
                })
                .collect();
            d.sort_by(|a, b| a.0.total_cmp(&b.0));
            let mut want: Vec<u32> = d[..5].iter().map(|e| e.1 as u32).collect();
            let mut got = nb.of(i).to_vec();
            want.sort();
            got.sort();
            assert_eq!(got, want);
        }
        // The k-d tree path (used above BRUTE_FORCE_MAX_ROWS) gives the same sets.
        let tree = knn_tree(&pts, 5).unwrap();
        for i in 0..200 {
            let (mut a, mut b) = (nb.of(i).to_vec(), tree.of(i).to_vec());
            a.sort();
            b.sort();
            assert_eq!(a, b, "row {i}");
        }
        assert!(knn_tree(&Array2::zeros((3, 31)), 2).is_err());
    }
}
