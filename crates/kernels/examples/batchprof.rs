use sbx_kernels::sim::*;
use sbx_kernels::*;
use std::time::Instant;
fn main() {
    let s = build(ScenarioKind::BatchIntegration, DEFAULT_SEED);
    let tp = s.obs("timepoint").unwrap();
    let t = Instant::now();
    let norm = norm::library_size_log1p(&s.counts, 1e4);
    let mut dense =
        ndarray::Array2::from_shape_vec((s.n_units(), s.counts.ncols), norm.to_dense()).unwrap();
    norm::scale_columns(&mut dense, 10.0);
    println!("norm+scale {:?}", t.elapsed());
    let t = Instant::now();
    let p = pca::pca(&dense, 20, 0).scores;
    println!("pca {:?}", t.elapsed());
    let t = Instant::now();
    let h = integrate::harmony(&p, &tp.codes, &Default::default());
    println!("harmony {:?}", t.elapsed());
    let t = Instant::now();
    let nb = graph::knn_rows(&h, 15).unwrap();
    println!("knn {:?}", t.elapsed());
    let t = Instant::now();
    let g = graph::Graph::from_neighbors(&nb);
    let l = graph::louvain(&g, 1.0, 0);
    println!("louvain {:?} {}", t.elapsed(), l.iter().max().unwrap());
}
