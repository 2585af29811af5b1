//! Niche regions: the points of each category of a niche column grouped into
//! spatially connected components, each returned with its convex hull and a
//! smoothed outline that follows concave shapes (a tissue niche is rarely convex).
//!
//! Method: a square grid whose cell is a few times the typical point spacing;
//! each cell takes the category most points in and around it have (so a mixed
//! border belongs to one side and regions do not overlap); cells of one category that
//! touch (8 neighbours) form a component; its outline is the boundary of its
//! cells, traced into rings and rounded by corner cutting.

use std::collections::HashMap;

/// How regions are formed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RegionParams {
    /// Grid cell in data units; `None` = `cell_factor` × the estimated point spacing.
    pub cell: Option<f32>,
    pub cell_factor: f32,
    /// Components with fewer points of their category are dropped (noise).
    pub min_points: usize,
    /// Rounds of corner cutting on the outline (0 = the staircase of cells).
    pub smooth: u32,
    /// A cell's category is voted by the points within this many cells of it
    /// (its own counted twice): 1 smooths out salt-and-pepper mixing at
    /// niche borders; 0 = its own points only.
    pub vote_radius: u32,
}

impl Default for RegionParams {
    fn default() -> Self {
        RegionParams {
            cell: None,
            cell_factor: 2.5,
            min_points: 12,
            smooth: 2,
            vote_radius: 1,
        }
    }
}

/// One connected region of one category.
#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    pub category: u32,
    /// Points of `category` inside the region.
    pub points: usize,
    /// Convex hull of those points, counter-clockwise (y up), data units.
    pub hull: Vec<(f32, f32)>,
    /// Outline rings in data units, to be filled with the even-odd rule
    /// (holes are rings inside rings).
    pub outline: Vec<Vec<(f32, f32)>>,
}

/// Convex hull by Andrew's monotone chain: counter-clockwise (y up), no
/// collinear points, starting from the lowest-x (then lowest-y) point.
pub fn convex_hull(points: &[(f32, f32)]) -> Vec<(f32, f32)> {
    let mut p: Vec<(f32, f32)> = points
        .iter()
        .copied()
        .filter(|q| q.0.is_finite() && q.1.is_finite())
        .collect();
    p.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    p.dedup();
    if p.len() < 3 {
        return p;
    }
    let cross = |o: (f32, f32), a: (f32, f32), b: (f32, f32)| {
        (a.0 as f64 - o.0 as f64) * (b.1 as f64 - o.1 as f64)
            - (a.1 as f64 - o.1 as f64) * (b.0 as f64 - o.0 as f64)
    };
    let mut h: Vec<(f32, f32)> = Vec::with_capacity(p.len() + 1);
    for pass in 0..2 {
        let start = h.len();
        let iter: Box<dyn Iterator<Item = &(f32, f32)>> = if pass == 0 {
            Box::new(p.iter())
        } else {
            Box::new(p.iter().rev())
        };
        for &q in iter {
            while h.len() >= start + 2 && cross(h[h.len() - 2], h[h.len() - 1], q) <= 0.0 {
                h.pop();
            }
            h.push(q);
        }
        // the last point of each chain is the first of the next
        h.pop();
    }
    h
}

/// The typical spacing between points: the side of the area each point
/// occupies, measured on the cells actually holding points (so gaps between
/// tissue sections do not count as area).
pub fn point_spacing(x: &[f32], y: &[f32], mask: Option<&[bool]>) -> Option<f32> {
    let ok = |i: usize| {
        mask.is_none_or(|m| m.get(i).copied().unwrap_or(false))
            && x[i].is_finite()
            && y[i].is_finite()
    };
    let n = x.len().min(y.len());
    let idx: Vec<usize> = (0..n).filter(|&i| ok(i)).collect();
    let b = bounds(x, y, &idx)?;
    let area = ((b[2] - b[0]) as f64).max(1e-9) * ((b[3] - b[1]) as f64).max(1e-9);
    let mut s = (area / idx.len() as f64).sqrt();
    // two rounds: the first grid may be far too coarse for clustered points
    for _ in 0..2 {
        let nx = ((b[2] - b[0]) as f64 / s).floor() as u64 + 1;
        let mut occupied: Vec<u64> = idx
            .iter()
            .map(|&i| ((y[i] - b[1]) as f64 / s) as u64 * nx + ((x[i] - b[0]) as f64 / s) as u64)
            .collect();
        occupied.sort_unstable();
        occupied.dedup();
        s *= (occupied.len() as f64 / idx.len() as f64).sqrt();
    }
    (s.is_finite() && s > 0.0).then_some(s as f32)
}

fn bounds(x: &[f32], y: &[f32], idx: &[usize]) -> Option<[f32; 4]> {
    let mut b = [f32::MAX, f32::MAX, f32::MIN, f32::MIN];
    for &i in idx {
        b = [
            b[0].min(x[i]),
            b[1].min(y[i]),
            b[2].max(x[i]),
            b[3].max(y[i]),
        ];
    }
    (!idx.is_empty()).then_some(b)
}

/// Cells never exceed this many per point (or 65536 in all), so far-apart
/// clusters cannot ask for a huge grid: the cell grows instead.
const MAX_CELLS_PER_POINT: usize = 16;

/// Regions of every category of `codes` (values >= `n_categories` are
/// ignored), from the rows with finite coordinates and `mask[i]` true.
pub fn niche_regions(
    x: &[f32],
    y: &[f32],
    codes: &[u32],
    n_categories: usize,
    mask: Option<&[bool]>,
    params: &RegionParams,
) -> Vec<Region> {
    let n = x.len().min(y.len()).min(codes.len());
    let idx: Vec<usize> = (0..n)
        .filter(|&i| {
            mask.is_none_or(|m| m.get(i).copied().unwrap_or(false))
                && x[i].is_finite()
                && y[i].is_finite()
                && (codes[i] as usize) < n_categories
        })
        .collect();
    let Some(b) = bounds(x, y, &idx) else {
        return Vec::new();
    };
    let cell = params
        .cell
        .filter(|c| c.is_finite() && *c > 0.0)
        .or_else(|| point_spacing(x, y, mask).map(|s| s * params.cell_factor.max(0.1)));
    let Some(mut cell) = cell.map(|c| c as f64) else {
        return Vec::new();
    };
    // the grid starts on a multiple of the cell, so outlines land on round numbers
    let (mut ox, mut oy, mut nx, mut ny);
    loop {
        ox = (b[0] as f64 / cell).floor() * cell;
        oy = (b[1] as f64 / cell).floor() * cell;
        nx = ((b[2] as f64 - ox) / cell).floor() as usize + 1;
        ny = ((b[3] as f64 - oy) / cell).floor() as usize + 1;
        if nx.saturating_mul(ny) <= (idx.len() * MAX_CELLS_PER_POINT).max(1 << 16) {
            break;
        }
        cell *= 2.0;
    }
    let cell_of = |i: usize| {
        let cx = (((x[i] as f64 - ox) / cell) as usize).min(nx - 1);
        let cy = (((y[i] as f64 - oy) / cell) as usize).min(ny - 1);
        cy * nx + cx
    };
    // points sorted by cell (counting sort): cell c holds order[start[c]..start[c + 1]]
    let cells: Vec<usize> = idx.iter().map(|&i| cell_of(i)).collect();
    let mut start = vec![0usize; nx * ny + 1];
    for &c in &cells {
        start[c + 1] += 1;
    }
    for c in 0..nx * ny {
        start[c + 1] += start[c];
    }
    let mut fill = start.clone();
    let mut order = vec![0usize; idx.len()];
    for (k, &c) in cells.iter().enumerate() {
        order[fill[c]] = idx[k];
        fill[c] += 1;
    }
    // each cell holding points takes the most voted category (ties: the lower code)
    const NONE: u32 = u32::MAX;
    let mut owner = vec![NONE; nx * ny];
    let mut tally = vec![0u32; n_categories];
    let mut seen: Vec<u32> = Vec::new();
    let rad = params.vote_radius.min(8) as i64;
    for c in 0..nx * ny {
        if start[c] == start[c + 1] {
            continue;
        }
        let (cx, cy) = ((c % nx) as i64, (c / nx) as i64);
        for ay in (cy - rad).max(0)..=(cy + rad).min(ny as i64 - 1) {
            for ax in (cx - rad).max(0)..=(cx + rad).min(nx as i64 - 1) {
                let a = ay as usize * nx + ax as usize;
                let weight = if a == c { 2 } else { 1 };
                for &i in &order[start[a]..start[a + 1]] {
                    let k = codes[i] as usize;
                    if tally[k] == 0 {
                        seen.push(k as u32);
                    }
                    tally[k] += weight;
                }
            }
        }
        let mut best = (0u32, NONE);
        for &k in &seen {
            let t = tally[k as usize];
            if t > best.0 || (t == best.0 && k < best.1) {
                best = (t, k);
            }
            tally[k as usize] = 0;
        }
        seen.clear();
        owner[c] = best.1;
    }
    // components of equal owners, 8 neighbours
    let mut label = vec![NONE; nx * ny];
    let mut out = Vec::new();
    let mut stack = Vec::new();
    for seed in 0..nx * ny {
        if owner[seed] == NONE || label[seed] != NONE {
            continue;
        }
        let k = owner[seed];
        let id = seed as u32;
        let mut members = Vec::new();
        label[seed] = id;
        stack.push(seed);
        while let Some(c) = stack.pop() {
            members.push(c);
            let (cx, cy) = ((c % nx) as i64, (c / nx) as i64);
            for dy in -1..=1i64 {
                for dx in -1..=1i64 {
                    let (ax, ay) = (cx + dx, cy + dy);
                    if ax < 0 || ay < 0 || ax >= nx as i64 || ay >= ny as i64 {
                        continue;
                    }
                    let a = ay as usize * nx + ax as usize;
                    if owner[a] == k && label[a] == NONE {
                        label[a] = id;
                        stack.push(a);
                    }
                }
            }
        }
        let pts: Vec<(f32, f32)> = members
            .iter()
            .flat_map(|&c| order[start[c]..start[c + 1]].iter())
            .filter(|&&i| codes[i] == k)
            .map(|&i| (x[i], y[i]))
            .collect();
        if pts.len() < params.min_points.max(1) {
            continue;
        }
        let rings = trace(&members, &label, id, nx, ny)
            .into_iter()
            .map(|r| {
                let r = chaikin(
                    simplify(r.into_iter().map(|(i, j)| (i as f64, j as f64)).collect()),
                    params.smooth,
                );
                r.into_iter()
                    .map(|(i, j)| ((ox + i * cell) as f32, (oy + j * cell) as f32))
                    .collect()
            })
            .collect();
        out.push(Region {
            category: k,
            points: pts.len(),
            hull: convex_hull(&pts),
            outline: rings,
        });
    }
    out
}

/// The boundary of the cells labelled `id` as closed rings of grid corners
/// (interior on the left: outer rings counter-clockwise, holes clockwise).
fn trace(members: &[usize], label: &[u32], id: u32, nx: usize, ny: usize) -> Vec<Vec<(i64, i64)>> {
    let inside = |cx: i64, cy: i64| {
        cx >= 0
            && cy >= 0
            && (cx as usize) < nx
            && (cy as usize) < ny
            && label[cy as usize * nx + cx as usize] == id
    };
    // directed edges keyed by their start corner
    let mut next: HashMap<(i64, i64), Vec<(i64, i64)>> = HashMap::new();
    for &c in members {
        let (i, j) = ((c % nx) as i64, (c / nx) as i64);
        let sides = [
            ((i, j - 1), (i, j), (i + 1, j)),
            ((i + 1, j), (i + 1, j), (i + 1, j + 1)),
            ((i, j + 1), (i + 1, j + 1), (i, j + 1)),
            ((i - 1, j), (i, j + 1), (i, j)),
        ];
        for ((ax, ay), from, to) in sides {
            if !inside(ax, ay) {
                next.entry(from).or_default().push(to);
            }
        }
    }
    let mut starts: Vec<(i64, i64)> = next.keys().copied().collect();
    starts.sort_unstable();
    let mut rings = Vec::new();
    for s in starts {
        while let Some(mut to) = next.get_mut(&s).and_then(|v| v.pop()) {
            let mut ring = vec![s];
            // every corner has as many edges in as out, so the walk returns to s
            while to != s {
                ring.push(to);
                match next.get_mut(&to).and_then(|v| v.pop()) {
                    Some(t) => to = t,
                    None => break,
                }
            }
            if ring.len() >= 3 {
                rings.push(ring);
            }
        }
    }
    rings
}

/// Drops corners where the ring goes straight on.
fn simplify(r: Vec<(f64, f64)>) -> Vec<(f64, f64)> {
    let n = r.len();
    (0..n)
        .filter(|&k| {
            let (a, b, c) = (r[(k + n - 1) % n], r[k], r[(k + 1) % n]);
            ((b.0 - a.0) * (c.1 - b.1) - (b.1 - a.1) * (c.0 - b.0)).abs() > 1e-12
        })
        .map(|k| r[k])
        .collect()
}

/// Chaikin corner cutting on a closed ring: each round replaces every edge
/// by its points at 1/4 and 3/4, which rounds the staircase of grid cells.
fn chaikin(mut r: Vec<(f64, f64)>, rounds: u32) -> Vec<(f64, f64)> {
    for _ in 0..rounds {
        let n = r.len();
        if n < 3 {
            break;
        }
        let mut s = Vec::with_capacity(2 * n);
        for k in 0..n {
            let (a, b) = (r[k], r[(k + 1) % n]);
            s.push((0.75 * a.0 + 0.25 * b.0, 0.75 * a.1 + 0.25 * b.1));
            s.push((0.25 * a.0 + 0.75 * b.0, 0.25 * a.1 + 0.75 * b.1));
        }
        r = s;
    }
    r
}

#[cfg(test)]
mod tests;
