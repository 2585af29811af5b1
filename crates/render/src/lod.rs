//! Level of detail for millions of points. The rows are bucketed once into
//! square tiles (at most 64 across the data); per tile, each level keeps the
//! last row (the one drawn on top) of every cell of a grid that halves its
//! cell side from one level to the next. A redraw picks the coarsest level
//! whose cells are at most one pixel and draws only those rows of the visible
//! tiles, so its cost follows the pixels on screen rather than the points;
//! past the finest level it draws every row of the visible tiles. The same
//! tiles answer hover and box or lasso selection without scanning every row.

use crate::raster::{color_of, draw_rows, Canvas, ColorBy, Style};
use crate::select::{crosses_odd, edges, Edge};
use crate::view::View;

/// Tiles across the longer side of the data.
const TILES: f32 = 64.0;
/// Cells per tile side at the finest level: 2^FINE.
const FINE: u32 = 8;

/// Rows per tile: tile `t` holds `rows[start[t]..start[t + 1]]`, ascending.
#[derive(Debug, Clone, Default)]
struct Level {
    start: Vec<u32>,
    rows: Vec<u32>,
    /// Beside each row of a level (empty for every row): its cell in the tile, (y << k) | x.
    /// Drawing cells reads these rather than the rows' coordinates: a level's rows are
    /// scattered over the whole dataset, and gathering their x and y missed the cache.
    cells: Vec<u16>,
}

impl Level {
    fn range(&self, a: usize, b: usize) -> std::ops::Range<usize> {
        self.start[a] as usize..self.start[b] as usize
    }

    fn tiles(&self, a: usize, b: usize) -> &[u32] {
        &self.rows[self.range(a, b)]
    }
}

/// Which rows a redraw drew: the level (`None` = every row of the visible tiles) and how many.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Drawn {
    pub level: Option<usize>,
    pub rows: usize,
}

/// The tiles and levels of one dataset's coordinates (see the module notes).
#[derive(Debug, Clone, Default)]
pub struct Lod {
    x0: f32,
    y0: f32,
    side: f32,
    nx: usize,
    ny: usize,
    all: Level,
    /// `levels[k]`: the last row of each cell of side `side / 2^k`.
    levels: Vec<Level>,
}

impl Lod {
    /// Builds the tiles and every level with fewer cells than points.
    /// Non-finite points are left out.
    pub fn new(xs: &[f32], ys: &[f32]) -> Lod {
        let mut b = LodBuilder::default();
        while !b.step(xs, ys) {}
        b.finish()
    }

    /// Adds to `level` (level `k`: per tile, the last row of each of its 2^k × 2^k cells,
    /// ascending) the tiles from `t` on, until about [`STEP_ROWS`] rows were read; gives
    /// the next tile.
    fn level_tiles(
        &self,
        k: u32,
        level: &mut Level,
        mut t: usize,
        codes: &[u16],
        seen: &mut [u32],
        generation: &mut u32,
    ) -> usize {
        let shift = FINE - k;
        let mask = (1u16 << FINE) - 1;
        let tiles = self.all.start.len() - 1;
        let mut read = 0;
        while t < tiles && read < STEP_ROWS {
            *generation += 1;
            let (a, b) = (self.all.start[t] as usize, self.all.start[t + 1] as usize);
            let from = level.rows.len();
            // From the last row back: the first row met in a cell is the one on top.
            for j in (a..b).rev() {
                let c = codes[j];
                let cell = (((c >> FINE) >> shift) << k) as usize | ((c & mask) >> shift) as usize;
                if seen[cell] != *generation {
                    seen[cell] = *generation;
                    level.rows.push(self.all.rows[j]);
                    level.cells.push(cell as u16);
                }
            }
            level.rows[from..].reverse();
            level.cells[from..].reverse();
            level.start[t + 1] = level.rows.len() as u32;
            read += b - a;
            t += 1;
        }
        t
    }

    /// Number of levels below "every row".
    pub fn levels(&self) -> usize {
        self.levels.len()
    }

    /// The coarsest level whose cells are at most `max_px` pixels wide at
    /// `scale` (pixels per data unit); `None` when only every row will do.
    pub fn level_for(&self, scale: f64, max_px: f64) -> Option<usize> {
        (0..self.levels.len())
            .find(|&k| f64::from(self.side) * scale / f64::from(1u32 << k) <= max_px)
    }

    /// The tile range [tx0, tx1] × [ty0, ty1] touching the data rectangle
    /// [min x, min y, max x, max y], or `None` when it misses the data.
    fn tile_range(&self, b: [f64; 4]) -> Option<(usize, usize, usize, usize)> {
        if self.all.rows.is_empty() || b.iter().any(|v| v.is_nan()) {
            return None;
        }
        let s = self.side as f64;
        let t = |v: f64, o: f32| ((v - o as f64) / s).floor();
        let (fx0, fx1) = (t(b[0], self.x0), t(b[2], self.x0));
        let (fy0, fy1) = (t(b[1], self.y0), t(b[3], self.y0));
        if fx1 < 0.0 || fy1 < 0.0 || fx0 >= self.nx as f64 || fy0 >= self.ny as f64 {
            return None;
        }
        let c = |v: f64, n: usize| (v.max(0.0) as usize).min(n - 1);
        Some((
            c(fx0, self.nx),
            c(fx1, self.nx),
            c(fy0, self.ny),
            c(fy1, self.ny),
        ))
    }

    /// Draws the visible tiles. Small points (at most 2 pixels, no outline)
    /// far out are drawn as the cells of the coarsest level whose cells are
    /// at most 2 pixels, each filled with its top row's colour (cells tile the
    /// canvas, so no pixel with points is left empty); larger points as discs
    /// at the top rows of cells at most half their diameter. With hidden
    /// categories or a row mask a cell's top row may be one that is not shown,
    /// so every row of the visible tiles is drawn then.
    pub fn draw(
        &self,
        canvas: &mut Canvas,
        xs: &[f32],
        ys: &[f32],
        view: &View,
        style: &Style,
    ) -> Drawn {
        let d = f64::from(style.size.pixels(view));
        let blocks = style.outline.is_none() && d <= 2.0;
        let filtered = style.row_mask.is_some()
            || matches!(
                style.color,
                ColorBy::Categorical {
                    hidden: Some(_),
                    ..
                }
            );
        let level = if filtered {
            None
        } else {
            self.level_for(view.scale, if blocks { 2.0 } else { d / 2.0 })
        };
        let rows = level.map_or(&self.all, |k| &self.levels[k]);
        // Points whose centre lies just outside still reach into the canvas.
        let ring = style.outline.map_or(0.0, |o| o.width_px.max(0.0));
        let reach = (d / 2.0 + f64::from(ring) + 2.0) / view.scale;
        let [a, b, c, e] = view.visible_bounds();
        let mut drawn = 0;
        let color = color_of(&style.color);
        if let Some((tx0, tx1, ty0, ty1)) =
            self.tile_range([a - reach, b - reach, c + reach, e + reach])
        {
            for ty in ty0..=ty1 {
                let (a, b) = (ty * self.nx + tx0, ty * self.nx + tx1 + 1);
                match level {
                    Some(k) if blocks => {
                        for t in a..b {
                            let r = rows.range(t, t + 1);
                            let part = (&rows.rows[r.clone()], &rows.cells[r]);
                            self.fill_cells(canvas, t, part, k, view, &color);
                        }
                    }
                    _ => draw_rows(canvas, xs, ys, rows.tiles(a, b), view, style),
                }
                drawn += rows.range(a, b).len();
            }
        }
        Drawn { level, rows: drawn }
    }

    /// Fills the cell of level `k` holding each row of tile `t` with the row's colour,
    /// from the pixel of one boundary to that of the other, so that no pixel a point
    /// of the cell falls in is left out.
    fn fill_cells(
        &self,
        canvas: &mut Canvas,
        t: usize,
        (rows, cells): (&[u32], &[u16]),
        k: usize,
        view: &View,
        color: &dyn Fn(usize) -> Option<u32>,
    ) {
        let cs = f64::from(self.side) / f64::from(1u32 << k);
        let (ax, bx, ay, by) = view.coefficients();
        let (w, h) = (canvas.width as i64, canvas.height as i64);
        let (x0, y0) = (f64::from(self.x0), f64::from(self.y0));
        // The tile's first cell along each axis, counted from the data's corner.
        let per = 1usize << k;
        let (ti, tj) = ((t % self.nx) * per, (t / self.nx) * per);
        let mask = (per - 1) as u16;
        // Pixel edge of cell boundary `i` along one axis.
        let edge = |i: f64, o: f64, a: f64, b: f64| ((o + i * cs) * a + b).floor() as i64;
        for (&r, &c) in rows.iter().zip(cells) {
            let i = (ti + usize::from(c & mask)) as f64;
            let j = (tj + usize::from(c >> k)) as f64;
            let (p0, p1) = span(edge(i, x0, ax, bx), edge(i + 1.0, x0, ax, bx), w);
            let (q0, q1) = span(edge(j, y0, ay, by), edge(j + 1.0, y0, ay, by), h);
            if p0 >= p1 || q0 >= q1 {
                continue;
            }
            let Some(c) = color(r as usize) else { continue };
            for q in q0..q1 {
                let row = (q * w) as usize;
                canvas.pixels[row + p0 as usize..row + p1 as usize].fill(c);
            }
        }
    }

    /// Every row of the tiles touching the data rectangle, tile by tile.
    fn rows_in(&self, b: [f64; 4]) -> impl Iterator<Item = (usize, &[u32])> + '_ {
        let range = self.tile_range(b);
        range.into_iter().flat_map(move |(tx0, tx1, ty0, ty1)| {
            (ty0..=ty1).flat_map(move |ty| {
                (tx0..=tx1).map(move |tx| {
                    let t = ty * self.nx + tx;
                    (t, self.all.tiles(t, t + 1))
                })
            })
        })
    }

    /// The data rectangle of tile `t`, a little wider so that a point rounded
    /// into the tile lies inside it.
    fn tile_rect(&self, t: usize) -> [f32; 4] {
        let (tx, ty) = ((t % self.nx) as f32, (t / self.nx) as f32);
        let (x, y) = (self.x0 + tx * self.side, self.y0 + ty * self.side);
        let e = self.side * 1e-3;
        [x - e, y - e, x + self.side + e, y + self.side + e]
    }

    /// The visible point nearest to (x, y) within `max_dist` (data units);
    /// ties go to the later row (the one drawn on top).
    pub fn nearest(
        &self,
        xs: &[f32],
        ys: &[f32],
        x: f32,
        y: f32,
        max_dist: f32,
        visible: impl Fn(usize) -> bool,
    ) -> Option<usize> {
        let (r, fx, fy) = (max_dist as f64, x as f64, y as f64);
        let rows = self
            .rows_in([fx - r, fy - r, fx + r, fy + r])
            .flat_map(|(_, rows)| rows.iter().map(|&i| i as usize));
        crate::select::nearest_among(rows, xs, ys, x, y, max_dist, visible)
    }

    /// Rows inside the data rectangle [x0, y0, x1, y1] (corners in any order,
    /// edges included), ascending: as `select_box`, through the tiles.
    pub fn select_box(
        &self,
        xs: &[f32],
        ys: &[f32],
        rect: [f32; 4],
        visible: impl Fn(usize) -> bool,
    ) -> Vec<u32> {
        let (x0, x1) = (rect[0].min(rect[2]), rect[0].max(rect[2]));
        let (y0, y1) = (rect[1].min(rect[3]), rect[1].max(rect[3]));
        let inside = |x: f32, y: f32| x >= x0 && x <= x1 && y >= y0 && y <= y1;
        self.select(
            xs,
            [x0, y0, x1, y1],
            |r| {
                if inside(r[0], r[1]) && inside(r[2], r[3]) {
                    Some(true)
                } else {
                    None
                }
            },
            |_, i| inside(xs[i], ys[i]) && visible(i),
            &visible,
        )
    }

    /// Rows inside the lasso polygon (data coordinates, even-odd rule),
    /// ascending: as `select_lasso`, testing only the points of tiles the
    /// outline crosses one by one.
    pub fn select_lasso(
        &self,
        xs: &[f32],
        ys: &[f32],
        polygon: &[(f32, f32)],
        visible: impl Fn(usize) -> bool,
    ) -> Vec<u32> {
        if polygon.len() < 3 {
            return Vec::new();
        }
        let [x0, y0, x1, y1] = crate::select::polygon_bounds(polygon);
        let bbox = |x: f32, y: f32| x >= x0 && x <= x1 && y >= y0 && y <= y1;
        // Per row of tiles, the edges whose y range meets it: a horizontal ray from a
        // point of the row can cross no other edge, so the even-odd test of a point
        // needs only these (a few, rather than every edge of a long lasso).
        let bands: Vec<Vec<Edge>> = (0..self.ny)
            .map(|ty| {
                let r = self.tile_rect(ty * self.nx);
                edges(polygon)
                    .filter(|(p, q)| p.1.min(q.1) <= r[3] && p.1.max(q.1) >= r[1])
                    .collect()
            })
            .collect();
        self.select(
            xs,
            [x0, y0, x1, y1],
            |r| {
                // A tile no edge crosses is wholly inside or wholly outside.
                let crossed = polygon
                    .iter()
                    .zip(polygon.iter().cycle().skip(1))
                    .any(|(&p, &q)| segment_meets_rect(p, q, r));
                if crossed {
                    return None;
                }
                let (cx, cy) = ((r[0] + r[2]) / 2.0, (r[1] + r[3]) / 2.0);
                Some(bbox(cx, cy) && crate::select::inside(cx, cy, polygon))
            },
            |t, i| {
                let (x, y) = (xs[i], ys[i]);
                bbox(x, y) && crosses_odd(x, y, bands[t / self.nx].iter().copied()) && visible(i)
            },
            &visible,
        )
    }

    /// Marks the rows of the tiles touching `bounds`: all visible rows of a
    /// tile `whole` says is inside, none of one it says is outside, and those
    /// passing `test` (tile, row) of the others; then lists the marks in row order.
    fn select(
        &self,
        xs: &[f32],
        bounds: [f32; 4],
        whole: impl Fn([f32; 4]) -> Option<bool>,
        test: impl Fn(usize, usize) -> bool,
        visible: &impl Fn(usize) -> bool,
    ) -> Vec<u32> {
        if bounds.iter().any(|v| !v.is_finite()) {
            return Vec::new();
        }
        let b = bounds.map(f64::from);
        let mut marks = vec![0u64; xs.len().div_ceil(64)];
        for (t, rows) in self.rows_in(b) {
            match whole(self.tile_rect(t)) {
                Some(false) => {}
                Some(true) => {
                    for &r in rows.iter().filter(|&&r| visible(r as usize)) {
                        marks[r as usize / 64] |= 1 << (r % 64);
                    }
                }
                None => {
                    for &r in rows.iter().filter(|&&r| test(t, r as usize)) {
                        marks[r as usize / 64] |= 1 << (r % 64);
                    }
                }
            }
        }
        let mut out = Vec::new();
        for (w, &m) in marks.iter().enumerate() {
            let mut m = m;
            while m != 0 {
                out.push((w * 64) as u32 + m.trailing_zeros());
                m &= m - 1;
            }
        }
        out
    }
}

/// The pixels [from, to) of a cell whose boundaries fall in pixels `u` and
/// `v` along an axis, within 0..`len`: both boundary pixels, since a point
/// of the cell may lie in either (the next cell drawn covers the shared one).
fn span(u: i64, v: i64, len: i64) -> (i64, i64) {
    (u.min(v).max(0), (u.max(v) + 1).min(len))
}

/// Whether the segment p–q touches the rectangle [x0, y0, x1, y1] (Liang–Barsky clipping).
fn segment_meets_rect(p: (f32, f32), q: (f32, f32), r: [f32; 4]) -> bool {
    let (dx, dy) = (q.0 - p.0, q.1 - p.1);
    let (mut t0, mut t1) = (0.0f32, 1.0f32);
    for (d, lo, hi) in [(dx, r[0] - p.0, r[2] - p.0), (dy, r[1] - p.1, r[3] - p.1)] {
        if d == 0.0 {
            if lo > 0.0 || hi < 0.0 {
                return false;
            }
            continue;
        }
        let (a, b) = if d > 0.0 {
            (lo / d, hi / d)
        } else {
            (hi / d, lo / d)
        };
        t0 = t0.max(a);
        t1 = t1.min(b);
        if t0 > t1 {
            return false;
        }
    }
    true
}

/// Rows handled per step of a [`LodBuilder`] (each pass over the rows is cut into steps).
const STEP_ROWS: usize = 1 << 20;

/// Where a [`LodBuilder`] is.
#[derive(Debug, Default)]
enum Stage {
    /// The bounds of the finite points, rows `next..` still to see.
    #[default]
    Bounds,
    /// Each row's tile and finest cell, rows `next..` still to place.
    Assign,
    /// Rows per tile, then each row in its tile's place, rows `next..` still to move.
    Scatter,
    /// Level `k`, tiles `next..` still to do.
    Levels(u32),
    Done,
}

/// [`Lod::new`] in steps of bounded work (each reads about [`STEP_ROWS`] rows at most), so that a page can build the tiles of millions of points between frames. The
/// steps are `Lod::new`'s own code: the result is the same.
#[derive(Debug, Default)]
pub struct LodBuilder {
    stage: Stage,
    next: usize,
    bounds: Option<(f32, f32, f32, f32)>,
    lod: Lod,
    tile: Vec<u32>,
    fine: Vec<u16>,
    pos: Vec<u32>,
    codes: Vec<u16>,
    seen: Vec<u32>,
    generation: u32,
    /// The level being built.
    level: Option<Level>,
}

impl LodBuilder {
    /// Does the next step on the same coordinates every time; true once the tiles are built.
    pub fn step(&mut self, xs: &[f32], ys: &[f32]) -> bool {
        let n = xs.len().min(ys.len());
        let rows = self.next..(self.next + STEP_ROWS).min(n);
        match self.stage {
            Stage::Bounds => {
                for i in rows.clone() {
                    let (x, y) = (xs[i], ys[i]);
                    if x.is_finite() && y.is_finite() {
                        let (x0, x1, y0, y1) = self.bounds.unwrap_or((x, x, y, y));
                        self.bounds = Some((x0.min(x), x1.max(x), y0.min(y), y1.max(y)));
                    }
                }
                self.next = rows.end;
                if self.next >= n {
                    self.start_assign(n);
                }
            }
            Stage::Assign => {
                let lod = &self.lod;
                let cells = 1u32 << FINE;
                for i in rows.clone() {
                    let (x, y) = (xs[i], ys[i]);
                    if !(x.is_finite() && y.is_finite()) {
                        continue;
                    }
                    let fx = ((x - lod.x0) / lod.side).max(0.0);
                    let fy = ((y - lod.y0) / lod.side).max(0.0);
                    let (tx, ty) = ((fx as usize).min(lod.nx - 1), (fy as usize).min(lod.ny - 1));
                    self.tile[i] = (ty * lod.nx + tx) as u32;
                    let cx = (((fx - tx as f32) * cells as f32) as u32).min(cells - 1);
                    let cy = (((fy - ty as f32) * cells as f32) as u32).min(cells - 1);
                    self.fine[i] = ((cy << FINE) | cx) as u16;
                }
                self.next = rows.end;
                if self.next >= n {
                    self.start_scatter();
                }
            }
            Stage::Scatter => {
                for i in rows.clone() {
                    let t = self.tile[i];
                    if t != u32::MAX {
                        let p = &mut self.pos[t as usize];
                        self.lod.all.rows[*p as usize] = i as u32;
                        self.codes[*p as usize] = self.fine[i];
                        *p += 1;
                    }
                }
                self.next = rows.end;
                if self.next >= n {
                    (self.tile, self.fine, self.pos) = Default::default();
                    self.seen = vec![0u32; 1 << (2 * FINE)];
                    (self.stage, self.next) = (Stage::Levels(0), 0);
                }
            }
            Stage::Levels(k) => {
                let tiles = self.lod.all.start.len() - 1;
                if self.next == 0 && (k > FINE || tiles << (2 * k) >= self.lod.all.rows.len()) {
                    self.stage = Stage::Done;
                    return true;
                }
                let mut level = self.level.take().unwrap_or_else(|| Level {
                    start: vec![0u32; tiles + 1],
                    ..Level::default()
                });
                self.next = self.lod.level_tiles(
                    k,
                    &mut level,
                    self.next,
                    &self.codes,
                    &mut self.seen,
                    &mut self.generation,
                );
                if self.next >= tiles {
                    self.lod.levels.push(level);
                    (self.stage, self.next) = (Stage::Levels(k + 1), 0);
                } else {
                    self.level = Some(level);
                }
            }
            Stage::Done => {}
        }
        matches!(self.stage, Stage::Done)
    }

    /// The tiles (built so far: call once `step` said true).
    pub fn finish(self) -> Lod {
        self.lod
    }

    /// The grid of tiles over the bounds; no points: nothing to build.
    fn start_assign(&mut self, n: usize) {
        let Some((x0, x1, y0, y1)) = self.bounds else {
            self.stage = Stage::Done;
            return;
        };
        // A hair wider than the data, so the largest coordinate falls inside the last tile.
        let side = ((x1 - x0).max(y1 - y0) / TILES).max(f32::MIN_POSITIVE) * 1.0001;
        let nx = (((x1 - x0) / side) as usize + 1).min(TILES as usize);
        let ny = (((y1 - y0) / side) as usize + 1).min(TILES as usize);
        self.lod = Lod {
            x0,
            y0,
            side,
            nx,
            ny,
            ..Lod::default()
        };
        // Each row's tile and its finest cell in it (FINE bits of y, then of x).
        self.tile = vec![u32::MAX; n];
        self.fine = vec![0u16; n];
        (self.stage, self.next) = (Stage::Assign, 0);
    }

    /// Counts the rows per tile and makes room for them in tile order.
    fn start_scatter(&mut self) {
        let tiles = self.lod.nx * self.lod.ny;
        let mut start = vec![0u32; tiles + 1];
        for &t in &self.tile {
            if t != u32::MAX {
                start[t as usize + 1] += 1;
            }
        }
        for t in 0..tiles {
            start[t + 1] += start[t];
        }
        self.pos = start.clone();
        let placed = start[tiles] as usize;
        self.lod.all = Level {
            start,
            rows: vec![0u32; placed],
            cells: Vec::new(),
        };
        self.codes = vec![0u16; placed];
        (self.stage, self.next) = (Stage::Scatter, 0);
    }
}

#[cfg(test)]
mod tests;
