use sbx_kernels::cases::batch::*;
use sbx_kernels::sim::*;
fn main() {
    for (k, th, sg, lam, it) in [(10, 2.0, 0.5, 0.1, 10), (10, 2.0, 0.7, 0.1, 10)] {
        let mut line = format!("K {k} th {th} sg {sg} lam {lam} it {it}:");
        for seed in [1u64, 4, 5, 6, 7, 8] {
            let s = build(ScenarioKind::BatchIntegration, seed);
            let Truth::BatchIntegration {
                balanced_max_fraction,
                ..
            } = s.truth
            else {
                return;
            };
            let mut o = ClusterOptions::default();
            o.harmony.n_clusters = k;
            o.harmony.theta = th;
            o.harmony.sigma = sg;
            o.harmony.lambda = lam;
            o.harmony.n_iter = it;
            let t = std::time::Instant::now();
            let c = case_batch_integration(&s, Integration::Harmony, &o).unwrap();
            line += &format!(
                " {:.3}/{:.3} ({:.1}s)",
                c.mean_max_fraction,
                balanced_max_fraction,
                t.elapsed().as_secs_f64()
            );
        }
        println!("{line}");
    }
}
