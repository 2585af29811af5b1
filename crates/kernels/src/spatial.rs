//! Spatial neighbours and the statistics built on them: k-NN (uniform
//! grid; the kiddo k-d tree as a reference) and radius graphs (kiddo),
//! DBSCAN, connected components of marker-positive units, neighbourhood
//! composition, k-means niches, co-localisation,
//! neighbourhood enrichment by permutation (squidpy `nhood_enrichment`) and
//! Moran's I (squidpy `spatial_autocorr`).

use kiddo::{ImmutableKdTree, SquaredEuclidean};
use ndarray::Array2;
use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;
use std::num::NonZero;

/// Neighbour lists in CSR form: unit i's neighbours are
/// `indices[indptr[i]..indptr[i+1]]`, at Euclidean distances `dist[..]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Neighbors {
    pub indptr: Vec<usize>,
    pub indices: Vec<u32>,
    pub dist: Vec<f32>,
}

impl Neighbors {
    pub fn n(&self) -> usize {
        self.indptr.len() - 1
    }
    pub fn of(&self, i: usize) -> &[u32] {
        &self.indices[self.indptr[i]..self.indptr[i + 1]]
    }
    /// Add the reverse of every edge (i->j implies j->i), deduplicated.
    pub fn symmetrized(&self) -> Neighbors {
        let n = self.n();
        let mut adj: Vec<Vec<(u32, f32)>> = vec![Vec::new(); n];
        for i in 0..n {
            for p in self.indptr[i]..self.indptr[i + 1] {
                let j = self.indices[p] as usize;
                adj[i].push((j as u32, self.dist[p]));
                adj[j].push((i as u32, self.dist[p]));
            }
        }
        let mut out = Neighbors {
            indptr: vec![0],
            indices: Vec::new(),
            dist: Vec::new(),
        };
        for list in &mut adj {
            list.sort_by_key(|e| e.0);
            list.dedup_by_key(|e| e.0);
            out.push_row(list);
        }
        out
    }
    /// Append the next unit's (index, distance) list as its CSR row.
    fn push_row(&mut self, row: &[(u32, f32)]) {
        self.indices.extend(row.iter().map(|e| e.0));
        self.dist.extend(row.iter().map(|e| e.1));
        self.indptr.push(self.indices.len());
    }
}

/// The k nearest other points of each of `n` points from a k-d tree query:
/// `nearest(i, want)` gives point i's `want` nearest points (itself among
/// them) as (index, squared distance), nearest first. The point itself is
/// skipped and at most `k` others are kept, at Euclidean distances.
pub(crate) fn knn_from_tree<I>(
    n: usize,
    k: usize,
    mut nearest: impl FnMut(usize, NonZero<usize>) -> I,
) -> Neighbors
where
    I: IntoIterator<Item = (u64, f32)>,
{
    let mut out = Neighbors {
        indptr: Vec::with_capacity(n + 1),
        indices: Vec::with_capacity(n * k),
        dist: Vec::with_capacity(n * k),
    };
    out.indptr.push(0);
    let want = NonZero::new((k + 1).min(n)).unwrap_or(NonZero::<usize>::MIN);
    for i in 0..n {
        let mut taken = 0;
        for (item, d2) in nearest(i, want) {
            if item as usize == i || taken == k {
                continue;
            }
            out.indices.push(item as u32);
            out.dist.push(d2.sqrt());
            taken += 1;
        }
        out.indptr.push(out.indices.len());
    }
    out
}

fn tree(x: &[f32], y: &[f32]) -> ImmutableKdTree<f32, 2> {
    let pts: Vec<[f32; 2]> = x.iter().zip(y).map(|(&a, &b)| [a, b]).collect();
    ImmutableKdTree::new_from_slice(&pts)
}

/// The k nearest other units of every unit (self excluded), nearest first;
/// equal distances are ordered by index. Uses a uniform grid (2-D data is
/// what spatial coordinates are, and a grid search is several times faster
/// than a tree there); [`knn_kdtree`] gives the same neighbours via kiddo.
pub fn knn(x: &[f32], y: &[f32], k: usize) -> Neighbors {
    assert_eq!(x.len(), y.len(), "knn: x and y differ in length");
    let n = x.len();
    let k = k.min(n.saturating_sub(1));
    let mut out = Neighbors {
        indptr: Vec::with_capacity(n + 1),
        indices: Vec::with_capacity(n * k),
        dist: Vec::with_capacity(n * k),
    };
    out.indptr.push(0);
    if n == 0 {
        return out;
    }
    if k == 0 {
        out.indptr.extend(std::iter::repeat_n(0, n));
        return out;
    }
    let (mut x0, mut x1, mut y0, mut y1) = (
        f32::INFINITY,
        f32::NEG_INFINITY,
        f32::INFINITY,
        f32::NEG_INFINITY,
    );
    for i in 0..n {
        x0 = x0.min(x[i]);
        x1 = x1.max(x[i]);
        y0 = y0.min(y[i]);
        y1 = y1.max(y[i]);
    }
    if !(x0.is_finite() && x1.is_finite() && y0.is_finite() && y1.is_finite()) {
        return knn_kdtree(x, y, k);
    }
    // About max(2, k/2) points per cell on average over the bounding box, so
    // the k nearest are usually found within the first ring of cells.
    let per_cell = (k as f64 / 2.0).max(2.0);
    let area = ((x1 - x0) as f64).max(1e-9) * ((y1 - y0) as f64).max(1e-9);
    let cell = ((per_cell * area / n as f64).sqrt() as f32).max(1e-6);
    let gw = (((x1 - x0) / cell) as usize + 1).min(1 << 15);
    let gh = (((y1 - y0) / cell) as usize + 1).min(1 << 15);
    let cell_of = |i: usize| -> (usize, usize) {
        (
            (((x[i] - x0) / cell) as usize).min(gw - 1),
            (((y[i] - y0) / cell) as usize).min(gh - 1),
        )
    };
    // Counting sort of points into cells.
    let mut start = vec![0usize; gw * gh + 1];
    for i in 0..n {
        let (cx, cy) = cell_of(i);
        start[cy * gw + cx + 1] += 1;
    }
    for c in 0..gw * gh {
        start[c + 1] += start[c];
    }
    let mut fill = start.clone();
    let mut members = vec![0u32; n];
    for i in 0..n {
        let (cx, cy) = cell_of(i);
        members[fill[cy * gw + cx]] = i as u32;
        fill[cy * gw + cx] += 1;
    }
    let mut best: Vec<(f32, u32)> = Vec::with_capacity(k + 1);
    for i in 0..n {
        let (cx, cy) = cell_of(i);
        best.clear();
        let mut ring = 0usize;
        loop {
            // Visit the cells at Chebyshev distance `ring` from (cx, cy).
            let (lx, hx) = (cx.saturating_sub(ring), (cx + ring).min(gw - 1));
            let (ly, hy) = (cy.saturating_sub(ring), (cy + ring).min(gh - 1));
            for gy in ly..=hy {
                let edge_row = gy + ring == cy || gy == cy + ring;
                let mut gx = lx;
                while gx <= hx {
                    let on_ring = edge_row || gx + ring == cx || gx == cx + ring;
                    if on_ring {
                        for &j in &members[start[gy * gw + gx]..start[gy * gw + gx + 1]] {
                            if j as usize == i {
                                continue;
                            }
                            let (dx, dy) = (x[j as usize] - x[i], y[j as usize] - y[i]);
                            let d2 = dx * dx + dy * dy;
                            if best.len() == k {
                                let last = best[k - 1];
                                if d2 > last.0 || (d2 == last.0 && j > last.1) {
                                    continue;
                                }
                            }
                            let pos = best.partition_point(|e| e.0 < d2 || (e.0 == d2 && e.1 < j));
                            if best.len() == k {
                                best.pop();
                            }
                            best.insert(pos, (d2, j));
                        }
                        gx += 1;
                    } else {
                        // Interior of the square was visited in earlier rings.
                        gx = (cx + ring).min(hx).max(gx + 1);
                    }
                }
            }
            let covered = lx == 0 && ly == 0 && hx == gw - 1 && hy == gh - 1;
            // Any unvisited point lies at least ring * cell away.
            let bound = ring as f32 * cell;
            if covered || (best.len() == k && best[k - 1].0 <= bound * bound) {
                break;
            }
            ring += 1;
        }
        for &(d2, j) in &best {
            out.indices.push(j);
            out.dist.push(d2.sqrt());
        }
        out.indptr.push(out.indices.len());
    }
    out
}

/// k nearest neighbours through the kiddo k-d tree (self excluded).
pub fn knn_kdtree(x: &[f32], y: &[f32], k: usize) -> Neighbors {
    assert_eq!(x.len(), y.len(), "knn: x and y differ in length");
    let n = x.len();
    if n == 0 {
        return knn_from_tree(0, k, |_, _| []);
    }
    let t = tree(x, y);
    knn_from_tree(n, k, |i, want| {
        t.nearest_n::<SquaredEuclidean>(&[x[i], y[i]], want)
            .into_iter()
            .map(|nb| (nb.item, nb.distance))
    })
}

/// All other units within `radius` (inclusive) of every unit, sorted by index.
pub fn radius_neighbors(x: &[f32], y: &[f32], radius: f32) -> Neighbors {
    assert_eq!(
        x.len(),
        y.len(),
        "radius_neighbors: x and y differ in length"
    );
    let n = x.len();
    let mut out = Neighbors {
        indptr: vec![0],
        indices: Vec::new(),
        dist: Vec::new(),
    };
    if n == 0 {
        return out;
    }
    let t = tree(x, y);
    let r2 = radius * radius;
    let mut buf: Vec<(u32, f32)> = Vec::new();
    for i in 0..n {
        buf.clear();
        for nb in t.within_unsorted::<SquaredEuclidean>(&[x[i], y[i]], r2) {
            if nb.item as usize != i {
                buf.push((nb.item as u32, nb.distance.sqrt()));
            }
        }
        buf.sort_by_key(|e| e.0);
        out.push_row(&buf);
    }
    out
}

/// DBSCAN with scikit-learn's semantics: a core unit has at least
/// `min_samples` units (itself included) within `eps`; clusters grow from
/// core units; noise is -1. Returns (labels, number of clusters).
pub fn dbscan(x: &[f32], y: &[f32], eps: f32, min_samples: usize) -> (Vec<i32>, usize) {
    let nb = radius_neighbors(x, y, eps);
    let n = x.len();
    let core: Vec<bool> = (0..n).map(|i| nb.of(i).len() + 1 >= min_samples).collect();
    let mut label = vec![-1i32; n];
    let mut next = 0i32;
    let mut stack = Vec::new();
    for s in 0..n {
        if !core[s] || label[s] >= 0 {
            continue;
        }
        label[s] = next;
        stack.push(s);
        while let Some(p) = stack.pop() {
            for &q in nb.of(p) {
                let q = q as usize;
                if label[q] < 0 {
                    label[q] = next;
                    if core[q] {
                        stack.push(q);
                    }
                }
            }
        }
        next += 1;
    }
    (label, next as usize)
}

/// Connected components of the units with `mask[i]` true, linking two such
/// units when they lie within `radius`. Returns (component per unit,
/// u32::MAX for units outside the mask; number of components).
pub fn masked_components(x: &[f32], y: &[f32], mask: &[bool], radius: f32) -> (Vec<u32>, usize) {
    let idx: Vec<usize> = (0..x.len()).filter(|&i| mask[i]).collect();
    let sx: Vec<f32> = idx.iter().map(|&i| x[i]).collect();
    let sy: Vec<f32> = idx.iter().map(|&i| y[i]).collect();
    let nb = radius_neighbors(&sx, &sy, radius);
    let mut comp = vec![u32::MAX; idx.len()];
    let mut n_comp = 0u32;
    let mut stack = Vec::new();
    for s in 0..idx.len() {
        if comp[s] != u32::MAX {
            continue;
        }
        comp[s] = n_comp;
        stack.push(s);
        while let Some(p) = stack.pop() {
            for &q in nb.of(p) {
                if comp[q as usize] == u32::MAX {
                    comp[q as usize] = n_comp;
                    stack.push(q as usize);
                }
            }
        }
        n_comp += 1;
    }
    let mut out = vec![u32::MAX; x.len()];
    for (k, &i) in idx.iter().enumerate() {
        out[i] = comp[k];
    }
    (out, n_comp as usize)
}

/// Sizes of each component (index = component id).
pub fn component_sizes(labels: &[u32], n_components: usize) -> Vec<usize> {
    let mut s = vec![0; n_components];
    labels
        .iter()
        .filter(|&&l| l != u32::MAX)
        .for_each(|&l| s[l as usize] += 1);
    s
}

/// Fraction of each label among every unit's neighbours (units x n_labels).
/// A unit without neighbours gets its own label (fraction 1).
pub fn neighborhood_composition(nb: &Neighbors, labels: &[u32], n_labels: usize) -> Array2<f32> {
    let n = nb.n();
    let mut out = Array2::<f32>::zeros((n, n_labels));
    for i in 0..n {
        let list = nb.of(i);
        if list.is_empty() {
            out[[i, labels[i] as usize]] = 1.0;
            continue;
        }
        let w = 1.0 / list.len() as f32;
        for &j in list {
            out[[i, labels[j as usize] as usize]] += w;
        }
    }
    out
}

/// k-means (k-means++ seeding, Lloyd iterations, best of `n_init` by
/// inertia). Returns (labels, centroids k x d, inertia).
pub fn kmeans(
    data: &Array2<f32>,
    k: usize,
    n_init: usize,
    max_iter: usize,
    seed: u64,
) -> (Vec<u32>, Array2<f32>, f64) {
    kmeans_with(data, k, n_init, max_iter, seed, true)
}

/// Squared Euclidean distance, accumulated in f64. Inlined by force: at opt-level z
/// a closure here stayed a call in the innermost loop of every scan.
#[inline(always)]
fn dist2(a: &[f32], b: &[f32]) -> f64 {
    // A plain loop: `Sum::sum` is not inlined either (terms are >= 0, so starting
    // at 0.0 rather than Sum's -0.0 gives the same value).
    let mut acc = 0.0f64;
    for (&p, &q) in a.iter().zip(b) {
        acc += ((p - q) as f64) * ((p - q) as f64);
    }
    acc
}

/// `kmeans`, with Hamerly's bounds skipping scans (`bounded`) or Lloyd's full scan
/// of every point (the reference the bounded one is tested against).
fn kmeans_with(
    data: &Array2<f32>,
    k: usize,
    n_init: usize,
    max_iter: usize,
    seed: u64,
    bounded: bool,
) -> (Vec<u32>, Array2<f32>, f64) {
    let (n, d) = data.dim();
    assert!(k >= 1 && k <= n, "kmeans: need 1 <= k <= number of rows");
    // Flat row-major copy: plain slices are much faster than indexed views.
    let x: Vec<f32> = data.iter().copied().collect();
    let row = |i: usize| &x[i * d..(i + 1) * d];
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    let mut best: Option<(Vec<u32>, Vec<f32>, f64)> = None;
    for _ in 0..n_init.max(1) {
        let mut cent = vec![0.0f32; k * d];
        let first = rng.random_range(0..n);
        cent[..d].copy_from_slice(row(first));
        let mut closest: Vec<f64> = (0..n).map(|i| dist2(row(i), &cent[..d])).collect();
        for c in 1..k {
            let total: f64 = closest.iter().sum();
            let pick = if total > 0.0 {
                let mut u = rng.random::<f64>() * total;
                let mut chosen = n - 1;
                for (i, &w) in closest.iter().enumerate() {
                    if u < w {
                        chosen = i;
                        break;
                    }
                    u -= w;
                }
                chosen
            } else {
                rng.random_range(0..n)
            };
            cent[c * d..(c + 1) * d].copy_from_slice(row(pick));
            for i in 0..n {
                closest[i] = closest[i].min(dist2(row(i), &cent[c * d..(c + 1) * d]));
            }
        }
        let mut labels = vec![u32::MAX; n];
        let mut inertia = f64::INFINITY;
        let mut sums = vec![0.0f64; k * d];
        let mut counts = vec![0usize; k];
        let mut bounds = Bounds::new(n, k);
        for _ in 0..max_iter {
            let mut changed = false;
            inertia = 0.0;
            bounds.centroids_moved(&cent, d);
            for i in 0..n {
                let a = labels[i] as usize;
                // The assigned centroid's exact distance: the inertia sums it either way.
                let own = (a < k).then(|| dist2(row(i), &cent[a * d..(a + 1) * d]));
                let (bi, bd) = match own {
                    Some(dd) if bounded && bounds.keeps(i, a, dd.sqrt()) => (a, dd),
                    _ => {
                        // Lloyd's full scan: the first strictly nearest centroid.
                        let (mut bi, mut bd, mut second) = (0usize, f64::INFINITY, f64::INFINITY);
                        for c in 0..k {
                            let dd = dist2(row(i), &cent[c * d..(c + 1) * d]);
                            if dd < bd {
                                second = bd;
                                bd = dd;
                                bi = c;
                            } else if dd < second {
                                second = dd;
                            }
                        }
                        bounds.set(i, second.sqrt());
                        (bi, bd)
                    }
                };
                if labels[i] != bi as u32 {
                    labels[i] = bi as u32;
                    changed = true;
                }
                inertia += bd;
            }
            if !changed {
                break;
            }
            sums.iter_mut().for_each(|v| *v = 0.0);
            counts.iter_mut().for_each(|v| *v = 0);
            for i in 0..n {
                let c = labels[i] as usize;
                counts[c] += 1;
                for (s, &v) in sums[c * d..(c + 1) * d].iter_mut().zip(row(i)) {
                    *s += v as f64;
                }
            }
            for c in 0..k {
                if counts[c] > 0 {
                    for j in 0..d {
                        cent[c * d + j] = (sums[c * d + j] / counts[c] as f64) as f32;
                    }
                }
            }
        }
        if best.as_ref().is_none_or(|b| inertia < b.2) {
            best = Some((labels, cent, inertia));
        }
    }
    let (labels, cent, inertia) = best.unwrap_or_else(|| (vec![0; n], vec![0.0; k * d], 0.0));
    (
        labels,
        Array2::from_shape_vec((k, d), cent).unwrap_or_else(|_| Array2::zeros((k, d))),
        inertia,
    )
}

/// Hamerly's bounds for k-means (Hamerly 2010): per point a lower bound on the
/// distance to its second-nearest centroid, kept valid as centroids move, and per
/// centroid half the distance to its nearest other centroid. A point whose exact
/// distance to its centroid is below both (by a margin far above rounding error)
/// keeps that centroid without a full scan, which Lloyd's scan would have chosen
/// too; so the labels, centroids and inertia are exactly Lloyd's.
struct Bounds {
    /// Lower bound on the distance to the second-nearest centroid.
    lower: Vec<f64>,
    /// Half the distance from each centroid to its nearest other centroid.
    half_gap: Vec<f64>,
    /// The centroids of the previous round (to measure how far each moved).
    previous: Vec<f32>,
}

/// Relative safety margin of the bound tests.
const BOUND_MARGIN: f64 = 1e-9;

impl Bounds {
    fn new(n: usize, k: usize) -> Self {
        Bounds {
            lower: vec![0.0; n],
            half_gap: vec![0.0; k],
            previous: Vec::new(),
        }
    }

    fn distance(a: &[f32], b: &[f32]) -> f64 {
        a.iter()
            .zip(b)
            .map(|(&p, &q)| ((p - q) as f64) * ((p - q) as f64))
            .sum::<f64>()
            .sqrt()
    }

    /// Lowers every point's bound by the largest centroid move since the last round
    /// and measures the centroid gaps.
    fn centroids_moved(&mut self, cent: &[f32], d: usize) {
        let k = self.half_gap.len();
        if self.previous.len() == cent.len() {
            let moved = (0..k)
                .map(|c| {
                    Self::distance(
                        &cent[c * d..(c + 1) * d],
                        &self.previous[c * d..(c + 1) * d],
                    )
                })
                .fold(0.0f64, f64::max);
            if moved > 0.0 {
                self.lower.iter_mut().for_each(|l| *l -= moved);
            }
        }
        self.previous.clear();
        self.previous.extend_from_slice(cent);
        for c in 0..k {
            self.half_gap[c] = (0..k)
                .filter(|&o| o != c)
                .map(|o| Self::distance(&cent[c * d..(c + 1) * d], &cent[o * d..(o + 1) * d]))
                .fold(f64::INFINITY, f64::min)
                / 2.0;
        }
    }

    /// Whether point `i`, at distance `own` from its centroid `a`, surely keeps it.
    fn keeps(&self, i: usize, a: usize, own: f64) -> bool {
        let limit = self.half_gap[a].max(self.lower[i]);
        own * (1.0 + BOUND_MARGIN) + 1e-12 < limit
    }

    /// After a full scan: the exact distance to the second-nearest centroid.
    fn set(&mut self, i: usize, second: f64) {
        self.lower[i] = second;
    }
}

/// Mean, over units labelled `a`, of the fraction of their neighbours
/// labelled `b` (a directional co-localisation score in 0..=1).
pub fn colocalization(nb: &Neighbors, labels: &[u32], a: u32, b: u32) -> f64 {
    let (mut sum, mut n) = (0.0, 0usize);
    for i in 0..nb.n() {
        if labels[i] != a {
            continue;
        }
        let list = nb.of(i);
        if list.is_empty() {
            continue;
        }
        sum += list.iter().filter(|&&j| labels[j as usize] == b).count() as f64 / list.len() as f64;
        n += 1;
    }
    if n == 0 {
        0.0
    } else {
        sum / n as f64
    }
}

/// Neighbourhood enrichment as squidpy's `nhood_enrichment`: the number of
/// edges from label i to label j, against `n_perms` random relabellings
/// (labels shuffled over units). Returns (z-scores, observed counts), both
/// n_labels x n_labels; z uses the population SD of the permuted counts.
pub fn nhood_enrichment(
    nb: &Neighbors,
    labels: &[u32],
    n_labels: usize,
    n_perms: usize,
    seed: u64,
) -> (Array2<f64>, Array2<f64>) {
    assert!(n_labels <= 256, "nhood_enrichment: at most 256 labels");
    // Flat edge list and byte labels keep the 1,000 recounts cache-friendly.
    let src: Vec<u32> = (0..nb.n())
        .flat_map(|i| std::iter::repeat_n(i as u32, nb.indptr[i + 1] - nb.indptr[i]))
        .collect();
    let dst = &nb.indices;
    let count = |lab: &[u8], out: &mut [u32]| {
        out.iter_mut().for_each(|v| *v = 0);
        for (&a, &b) in src.iter().zip(dst) {
            out[lab[a as usize] as usize * n_labels + lab[b as usize] as usize] += 1;
        }
    };
    let m = n_labels * n_labels;
    let mut perm: Vec<u8> = labels.iter().map(|&l| l as u8).collect();
    let mut obs_u = vec![0u32; m];
    count(&perm, &mut obs_u);
    let obs: Vec<f64> = obs_u.iter().map(|&v| v as f64).collect();
    let (mut s1, mut s2) = (vec![0.0; m], vec![0.0; m]);
    let mut tmp = vec![0u32; m];
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    for _ in 0..n_perms {
        for i in (1..perm.len()).rev() {
            let j = rng.random_range(0..=i);
            perm.swap(i, j);
        }
        count(&perm, &mut tmp);
        for t in 0..m {
            let v = tmp[t] as f64;
            s1[t] += v;
            s2[t] += v * v;
        }
    }
    let np = n_perms.max(1) as f64;
    let z: Vec<f64> = (0..m)
        .map(|t| {
            let mean = s1[t] / np;
            let sd = (s2[t] / np - mean * mean).max(0.0).sqrt();
            if sd > 0.0 {
                (obs[t] - mean) / sd
            } else {
                0.0
            }
        })
        .collect();
    (
        Array2::from_shape_vec((n_labels, n_labels), z)
            .unwrap_or_else(|_| Array2::zeros((n_labels, n_labels))),
        Array2::from_shape_vec((n_labels, n_labels), obs)
            .unwrap_or_else(|_| Array2::zeros((n_labels, n_labels))),
    )
}

/// Moran's I of `values` over the neighbour graph with binary weights,
/// optionally row-normalised (squidpy's `spatial_autocorr` default,
/// `transformation=True`): I = n / S0 * sum_ij w_ij z_i z_j / sum_i z_i^2.
pub fn morans_i(nb: &Neighbors, values: &[f64], row_normalize: bool) -> f64 {
    let n = nb.n();
    let mean = values.iter().sum::<f64>() / n as f64;
    let z: Vec<f64> = values.iter().map(|v| v - mean).collect();
    let denom: f64 = z.iter().map(|v| v * v).sum();
    if denom <= 0.0 {
        return f64::NAN;
    }
    let (mut num, mut s0) = (0.0, 0.0);
    for i in 0..n {
        let list = nb.of(i);
        if list.is_empty() {
            continue;
        }
        let w = if row_normalize {
            1.0 / list.len() as f64
        } else {
            1.0
        };
        let acc: f64 = list.iter().map(|&j| z[j as usize]).sum();
        num += w * z[i] * acc;
        s0 += w * list.len() as f64;
    }
    n as f64 / s0 * num / denom
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(n: usize) -> (Vec<f32>, Vec<f32>) {
        ((0..n).map(|i| i as f32).collect(), vec![0.0; n])
    }

    #[test]
    fn knn_and_radius_on_a_line() {
        let (x, y) = line(5);
        let k = knn(&x, &y, 2);
        assert_eq!(k.of(0), &[1, 2]);
        let mut m = k.of(2).to_vec();
        m.sort();
        assert_eq!(m, vec![1, 3]);
        assert_eq!(k.dist[0], 1.0);
        let r = radius_neighbors(&x, &y, 1.0);
        assert_eq!(r.of(0), &[1]);
        assert_eq!(r.of(2), &[1, 3]);
        assert_eq!(r.symmetrized(), r);
    }

    #[test]
    fn grid_knn_equals_kdtree_knn() {
        let mut rng = Pcg64Mcg::seed_from_u64(9);
        // Clustered points plus a far outlier: uneven grid occupancy.
        let mut x: Vec<f32> = (0..3000)
            .map(|i| {
                if i % 3 == 0 {
                    rng.random::<f32>() * 50.0
                } else {
                    500.0 + rng.random::<f32>() * 1000.0
                }
            })
            .collect();
        let mut y: Vec<f32> = (0..3000).map(|_| rng.random::<f32>() * 800.0).collect();
        x.push(1e5);
        y.push(-3e4);
        for k in [1, 6, 10] {
            let (a, b) = (knn(&x, &y, k), knn_kdtree(&x, &y, k));
            assert_eq!(a.indptr, b.indptr);
            for i in 0..x.len() {
                let (da, db) = (
                    &a.dist[a.indptr[i]..a.indptr[i + 1]],
                    &b.dist[b.indptr[i]..b.indptr[i + 1]],
                );
                for (p, q) in da.iter().zip(db) {
                    assert!(
                        (p - q).abs() <= 1e-3 * q.max(1.0),
                        "k {k} unit {i}: {da:?} vs {db:?}"
                    );
                }
            }
        }
        // Fewer units than k + 1: every other unit.
        assert_eq!(knn(&[0.0, 1.0, 3.0], &[0.0, 0.0, 0.0], 5).of(0), &[1, 2]);
        assert_eq!(knn(&[], &[], 3).n(), 0);
    }

    #[test]
    fn knn_on_a_grid_with_many_equal_coordinates() {
        // 200 x 200 grid: every column shares an x value (stresses the tree).
        let (mut x, mut y) = (Vec::new(), Vec::new());
        for i in 0..200 {
            for j in 0..200 {
                x.push(i as f32);
                y.push(j as f32);
            }
        }
        let k = knn(&x, &y, 4);
        // An interior unit's 4 nearest are its 4 lattice neighbours at distance 1.
        let c = 100 * 200 + 100;
        assert!(k.dist[k.indptr[c]..k.indptr[c + 1]]
            .iter()
            .all(|&d| d == 1.0));
        assert_eq!(radius_neighbors(&x, &y, 1.5).of(c).len(), 8);
    }

    #[test]
    fn dbscan_hand_worked() {
        // Two tight groups and one isolated point.
        let x = [0.0, 0.5, 1.0, 10.0, 10.5, 11.0, 50.0];
        let y = [0.0; 7];
        let (lab, n) = dbscan(&x, &y, 0.6, 2);
        assert_eq!(n, 2);
        assert_eq!(lab, vec![0, 0, 0, 1, 1, 1, -1]);
        // min_samples 4: nothing is core.
        assert_eq!(dbscan(&x, &y, 0.6, 4).1, 0);
        // Border point: 0 and 2 have only one neighbour (0.5): with
        // min_samples 3 only the middle point is core; the others join as border.
        assert_eq!(dbscan(&x, &y, 0.6, 3).0, vec![0, 0, 0, 1, 1, 1, -1]);
    }

    #[test]
    fn components_depend_on_radius() {
        let x = [0.0, 1.0, 3.0, 4.0, 9.0];
        let y = [0.0; 5];
        let mask = [true, true, true, true, false];
        assert_eq!(masked_components(&x, &y, &mask, 1.0).1, 2);
        assert_eq!(masked_components(&x, &y, &mask, 2.0).1, 1);
        assert_eq!(masked_components(&x, &y, &mask, 0.5).1, 4);
        let (lab, n) = masked_components(&x, &y, &mask, 1.0);
        assert_eq!(lab[4], u32::MAX);
        assert_eq!(component_sizes(&lab, n), vec![2, 2]);
    }

    /// The bounded k-means gives Lloyd's labels, centroids and inertia bit for bit,
    /// on overlapping blobs and on a grid full of exact ties.
    #[test]
    fn bounded_kmeans_is_exactly_lloyds() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand_pcg::Pcg64Mcg::seed_from_u64(3);
        let blobs = Array2::from_shape_fn((3000, 4), |(i, j)| {
            (i % 7) as f32 * 0.8 + (j as f32) * 0.1 + rng.random::<f32>()
        });
        let grid = Array2::from_shape_fn((400, 2), |(i, j)| {
            if j == 0 {
                (i % 20) as f32
            } else {
                (i / 20) as f32
            }
        });
        for (data, k) in [(&blobs, 7), (&blobs, 14), (&grid, 9)] {
            for seed in [1, 2] {
                let a = kmeans_with(data, k, 3, 100, seed, true);
                let b = kmeans_with(data, k, 3, 100, seed, false);
                assert_eq!(a.0, b.0, "labels, k {k}");
                assert_eq!(a.1, b.1, "centroids, k {k}");
                assert_eq!(a.2.to_bits(), b.2.to_bits(), "inertia, k {k}");
            }
        }
    }

    #[test]
    fn kmeans_separates_two_blobs() {
        let pts = [
            0.0f32, 0.0, 0.1, 0.0, 0.0, 0.1, 5.0, 5.0, 5.1, 5.0, 5.0, 5.1,
        ];
        let a = Array2::from_shape_vec((6, 2), pts.to_vec()).unwrap();
        let (lab, cent, inertia) = kmeans(&a, 2, 3, 50, 7);
        assert_eq!(lab[0], lab[1]);
        assert_eq!(lab[0], lab[2]);
        assert_ne!(lab[0], lab[3]);
        // inertia: each blob has points at (0,0),(.1,0),(0,.1); centroid (1/30,1/30);
        // sum of squares per blob = 3*(1/30)^2*2 + 2*(0.1-1/30)^2 ... computed exactly:
        let c = 1.0 / 30.0;
        let per_blob = (c * c + c * c) + ((0.1 - c) * (0.1 - c) + c * c) * 2.0;
        assert!((inertia - 2.0 * per_blob).abs() < 1e-6, "{inertia}");
        assert!((cent[[lab[3] as usize, 0]] - (5.0 + c as f32)).abs() < 1e-5);
    }

    #[test]
    fn composition_and_colocalization() {
        // line 0-1-2-3, labels [0,1,1,0], radius 1
        let (x, y) = line(4);
        let nb = radius_neighbors(&x, &y, 1.0);
        let lab = [0, 1, 1, 0];
        let c = neighborhood_composition(&nb, &lab, 2);
        assert_eq!(c.row(1).to_vec(), vec![0.5, 0.5]);
        assert_eq!(c.row(0).to_vec(), vec![0.0, 1.0]);
        assert_eq!(colocalization(&nb, &lab, 0, 1), 1.0);
        assert_eq!(colocalization(&nb, &lab, 1, 1), 0.5);
    }

    #[test]
    fn morans_i_hand_worked() {
        // Line 0-1-2-3, values [1,2,3,4], binary weights, neighbours at distance 1.
        // z = [-1.5,-.5,.5,1.5], sum z^2 = 5; sum_ij w z_i z_j = 2*(.75 + -.25 + .75) = 2.5;
        // S0 = 6, n = 4 -> I = 4/6 * 2.5/5 = 1/3.
        let (x, y) = line(4);
        let nb = radius_neighbors(&x, &y, 1.0);
        assert!((morans_i(&nb, &[1., 2., 3., 4.], false) - 1.0 / 3.0).abs() < 1e-12);
        // Row-normalised: rows 0,3 weight 1, rows 1,2 weight .5:
        // num = (-1.5*-.5) + .5*(-.5*(-1.5+.5)) + .5*(.5*(-.5+1.5)) + 1.5*.5 = .75+.25+.25+.75 = 2;
        // S0 = 4 -> I = 4/4 * 2/5 = 0.4.
        assert!((morans_i(&nb, &[1., 2., 3., 4.], true) - 0.4).abs() < 1e-12);
        // Alternating values: strongly negative.
        assert!(morans_i(&nb, &[1., -1., 1., -1.], false) < -0.9);
    }

    #[test]
    fn nhood_enrichment_segregated_labels() {
        // Two segregated halves on a line: like-with-like edges are enriched.
        let (x, y) = line(40);
        let nb = knn(&x, &y, 2);
        let lab: Vec<u32> = (0..40).map(|i| (i >= 20) as u32).collect();
        let (z, obs) = nhood_enrichment(&nb, &lab, 2, 200, 1);
        assert!(
            z[[0, 0]] > 3.0 && z[[1, 1]] > 3.0 && z[[0, 1]] < -3.0,
            "{z:?}"
        );
        assert_eq!(obs.sum(), 80.0);
        // Same seed, same result.
        assert_eq!(nhood_enrichment(&nb, &lab, 2, 200, 1).0, z);
    }
}
