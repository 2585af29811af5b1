//! Headline numbers of every scenario for several seeds:
//! `cargo run --release -p sbx-kernels --example seeds -- 1 2 3`.

use sbx_kernels::cases::headlines;
use sbx_kernels::sim::{build, ScenarioKind};

fn main() {
    let seeds: Vec<u64> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    for seed in if seeds.is_empty() {
        vec![1, 2, 3]
    } else {
        seeds
    } {
        for kind in ScenarioKind::ALL {
            let s = build(kind, seed);
            for h in headlines(&s).unwrap_or_default() {
                println!(
                    "seed {seed} {:<32} wrong {:>10.3}  right {:>10.3}  truth {:>10.3}",
                    h.key, h.wrong, h.right, h.truth
                );
            }
        }
    }
}
