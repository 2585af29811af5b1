use super::*;

/// A `side` × `side` lattice of unit spacing with its lower-left point at (x0, y0).
fn square(x0: f32, y0: f32, side: usize) -> Vec<(f32, f32)> {
    (0..side * side)
        .map(|k| (x0 + (k % side) as f32, y0 + (k / side) as f32))
        .collect()
}

fn split(p: &[(f32, f32)]) -> (Vec<f32>, Vec<f32>) {
    (
        p.iter().map(|q| q.0).collect(),
        p.iter().map(|q| q.1).collect(),
    )
}

/// Twice the signed area (positive = counter-clockwise, y up).
fn area2(r: &[(f32, f32)]) -> f64 {
    (0..r.len())
        .map(|k| {
            let (a, b) = (r[k], r[(k + 1) % r.len()]);
            a.0 as f64 * b.1 as f64 - b.0 as f64 * a.1 as f64
        })
        .sum()
}

fn params(min_points: usize) -> RegionParams {
    RegionParams {
        min_points,
        ..RegionParams::default()
    }
}

#[test]
fn convex_hull_drops_inner_and_collinear_points() {
    let pts = [
        (0.0, 0.0),
        (1.0, 0.0),
        (2.0, 0.0),
        (2.0, 2.0),
        (1.0, 1.0),
        (0.0, 2.0),
        (0.0, 2.0),
        (f32::NAN, 5.0),
    ];
    assert_eq!(
        convex_hull(&pts),
        vec![(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0)]
    );
    assert_eq!(convex_hull(&[(1.0, 1.0)]), vec![(1.0, 1.0)]);
}

#[test]
fn spacing_of_a_lattice_ignores_the_gap_between_sections() {
    // two 10 x 10 lattices of spacing 2, 100 units apart
    let mut p: Vec<(f32, f32)> = square(0.0, 0.0, 10)
        .into_iter()
        .map(|(x, y)| (x * 2.0, y * 2.0))
        .collect();
    p.extend(
        square(0.0, 0.0, 10)
            .into_iter()
            .map(|(x, y)| (100.0 + x * 2.0, y * 2.0)),
    );
    let (x, y) = split(&p);
    let s = point_spacing(&x, &y, None).unwrap();
    assert!((1.6..2.6).contains(&s), "spacing {s}");
}

#[test]
fn two_separated_squares_give_two_regions_with_their_corners_as_hulls() {
    let mut p = square(0.0, 0.0, 5);
    p.extend(square(20.0, 0.0, 5));
    let (x, y) = split(&p);
    let codes = vec![0u32; p.len()];
    let mut r = niche_regions(&x, &y, &codes, 1, None, &params(5));
    r.sort_by(|a, b| a.hull[0].0.total_cmp(&b.hull[0].0));
    assert_eq!(r.len(), 2);
    assert_eq!(
        r[0].hull,
        vec![(0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (0.0, 4.0)]
    );
    assert_eq!(
        r[1].hull,
        vec![(20.0, 0.0), (24.0, 0.0), (24.0, 4.0), (20.0, 4.0)]
    );
    assert_eq!((r[0].category, r[0].points, r[1].points), (0, 25, 25));
    for reg in &r {
        // one outer ring around the square, counter-clockwise, covering its points
        assert_eq!(reg.outline.len(), 1);
        assert!(area2(&reg.outline[0]) > 2.0 * 16.0);
    }
}

#[test]
fn lone_points_nan_coordinates_and_masks() {
    let mut p = square(0.0, 0.0, 5);
    p.extend(square(20.0, 0.0, 5));
    p.push((50.0, 50.0)); // the only point of category 1
    p.push((f32::NAN, 1.0)); // category 0, skipped
    p.push((2.0, 2.0)); // code 7 >= 2 categories: ignored
    let (x, y) = split(&p);
    let mut codes = vec![0u32; p.len()];
    codes[50] = 1;
    codes[52] = 7;
    let r = niche_regions(&x, &y, &codes, 2, None, &params(2));
    assert_eq!(r.len(), 2, "category 1 with one point has no region");
    assert!(r.iter().all(|g| g.category == 0 && g.points == 25));
    // the mask keeps only the first square
    let mask: Vec<bool> = (0..p.len()).map(|i| i < 25).collect();
    let r = niche_regions(&x, &y, &codes, 2, Some(&mask), &params(2));
    assert_eq!(r.len(), 1);
    assert_eq!(
        r[0].hull,
        vec![(0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (0.0, 4.0)]
    );
    // nothing left
    assert!(niche_regions(&x, &y, &codes, 2, Some(&[false; 53]), &params(1)).is_empty());
}

#[test]
fn outline_of_an_l_of_cells_is_its_staircase() {
    // unit cells, points at the centres of cells (0,0), (1,0), (0,1)
    let (x, y) = (vec![0.5, 1.5, 0.5], vec![0.5, 0.5, 1.5]);
    let p = RegionParams {
        cell: Some(1.0),
        cell_factor: 1.0,
        min_points: 1,
        smooth: 0,
        vote_radius: 0,
    };
    let r = niche_regions(&x, &y, &[3, 3, 3], 4, None, &p);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].category, 3);
    let ring = &r[0].outline[0];
    let mut sorted = ring.clone();
    sorted.sort_by(|a, b| a.partial_cmp(b).unwrap());
    assert_eq!(
        sorted,
        vec![
            (0.0, 0.0),
            (0.0, 2.0),
            (1.0, 1.0),
            (1.0, 2.0),
            (2.0, 0.0),
            (2.0, 1.0)
        ]
    );
    assert_eq!(area2(ring), 6.0, "counter-clockwise, area 3");
    // corner cutting keeps the ring inside the staircase and rounds it
    let r = niche_regions(
        &x,
        &y,
        &[3, 3, 3],
        4,
        None,
        &RegionParams { smooth: 1, ..p },
    );
    assert_eq!(r[0].outline[0].len(), 12);
    assert!(r[0].outline[0]
        .iter()
        .all(|&(a, b)| (0.0..=2.0).contains(&a) && (0.0..=2.0).contains(&b)));
}

#[test]
fn a_ring_of_cells_has_a_hole_and_diagonal_cells_connect() {
    let p = RegionParams {
        cell: Some(1.0),
        cell_factor: 1.0,
        min_points: 1,
        smooth: 0,
        vote_radius: 0,
    };
    let mut pts: Vec<(f32, f32)> = square(0.5, 0.5, 3)
        .into_iter()
        .filter(|&(a, b)| (a, b) != (1.5, 1.5))
        .collect();
    let (x, y) = split(&pts);
    let r = niche_regions(&x, &y, &[0; 8], 1, None, &p);
    assert_eq!(r.len(), 1);
    let mut areas: Vec<f64> = r[0].outline.iter().map(|ring| area2(ring)).collect();
    areas.sort_by(f64::total_cmp);
    assert_eq!(
        areas,
        vec![-2.0, 18.0],
        "outer 3 x 3 counter-clockwise, 1 x 1 hole clockwise"
    );
    // cells (5,5) and (6,6) touch at a corner: one region of 2 points
    pts = vec![(5.5, 5.5), (6.5, 6.5)];
    let (x, y) = split(&pts);
    let r = niche_regions(&x, &y, &[0, 0], 1, None, &p);
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].points, 2);
    assert_eq!(
        r[0].outline.iter().map(|ring| area2(ring)).sum::<f64>(),
        4.0
    );
}

#[test]
fn each_cell_goes_to_its_most_frequent_category() {
    let p = RegionParams {
        cell: Some(1.0),
        cell_factor: 1.0,
        min_points: 1,
        smooth: 0,
        vote_radius: 0,
    };
    // cell (0,0): two of category 1 and one of 0; cell (3,0): one each, the tie goes to 0
    let (x, y) = (vec![0.2, 0.5, 0.8, 3.2, 3.7], vec![0.5; 5]);
    let mut r = niche_regions(&x, &y, &[0, 1, 1, 1, 0], 2, None, &p);
    r.sort_by(|a, b| a.hull[0].0.total_cmp(&b.hull[0].0));
    assert_eq!(
        r.iter().map(|g| (g.category, g.points)).collect::<Vec<_>>(),
        vec![(1, 2), (0, 1)]
    );
}

#[test]
fn neighbours_vote_so_a_stray_cell_joins_the_niche_around_it() {
    // a 3 x 3 block of unit cells: eight hold one point of category 0, the
    // centre one point of category 1
    let pts = square(0.5, 0.5, 3);
    let (x, y) = split(&pts);
    let codes: Vec<u32> = pts
        .iter()
        .map(|&p| if p == (1.5, 1.5) { 1 } else { 0 })
        .collect();
    let own = RegionParams {
        cell: Some(1.0),
        cell_factor: 1.0,
        min_points: 1,
        smooth: 0,
        vote_radius: 0,
    };
    let mut r = niche_regions(&x, &y, &codes, 2, None, &own);
    r.sort_by_key(|g| g.category);
    // own points only: a ring of category 0 around a one-cell region of 1
    assert_eq!(
        r.iter().map(|g| (g.category, g.points)).collect::<Vec<_>>(),
        vec![(0, 8), (1, 1)]
    );
    // with the 3 x 3 vote the centre gets 2 votes for 1 and 8 for 0: one solid region
    let voted = RegionParams {
        vote_radius: 1,
        ..own
    };
    let r = niche_regions(&x, &y, &codes, 2, None, &voted);
    assert_eq!(r.len(), 1);
    assert_eq!((r[0].category, r[0].points, r[0].outline.len()), (0, 8, 1));
    assert_eq!(area2(&r[0].outline[0]), 18.0);
}
