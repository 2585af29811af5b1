use kiddo::immutable::float::kdtree::ImmutableKdTree;
use kiddo::SquaredEuclidean;
use sbx_kernels::sim::*;
use std::num::NonZero;
use std::time::Instant;
fn run<const B: usize>(x: &[f32], y: &[f32], k: usize) -> (f64, usize) {
    let t = Instant::now();
    let pts: Vec<[f32; 2]> = x.iter().zip(y).map(|(&a, &b)| [a, b]).collect();
    let tree: ImmutableKdTree<f32, u32, 2, B> = ImmutableKdTree::new_from_slice(&pts);
    let mut tot = 0;
    let want = NonZero::new(k + 1).unwrap();
    for p in &pts {
        tot += tree.nearest_n::<SquaredEuclidean>(p, want).len();
    }
    (t.elapsed().as_secs_f64(), tot)
}
fn main() {
    let s = build(ScenarioKind::NicheDiscovery, DEFAULT_SEED);
    for _ in 0..2 {
        let t = Instant::now();
        let a = sbx_kernels::spatial::knn(&s.x, &s.y, 10);
        println!("current {:.3}", t.elapsed().as_secs_f64());
        let _ = a;
        println!("u32 B32 {:?}", run::<32>(&s.x, &s.y, 10));
        println!("u32 B64 {:?}", run::<64>(&s.x, &s.y, 10));
        println!("u32 B16 {:?}", run::<16>(&s.x, &s.y, 10));
        // within-based: radius from density
        let t = Instant::now();
        let pts: Vec<[f32; 2]> = s.x.iter().zip(&s.y).map(|(&a, &b)| [a, b]).collect();
        let tree: ImmutableKdTree<f32, u32, 2, 32> = ImmutableKdTree::new_from_slice(&pts);
        let mut tot = 0;
        for p in &pts {
            tot += tree
                .nearest_n_within::<SquaredEuclidean>(
                    p,
                    25.0 * 25.0,
                    NonZero::new(11).unwrap(),
                    true,
                )
                .len();
        }
        println!("within25 {:.3} {}", t.elapsed().as_secs_f64(), tot);
    }
}
