//! Times the benchmark workloads once each (best of `--repeat N`) and
//! prints JSON; with `--export DIR` also writes the inputs as raw
//! little-endian arrays so bench/kernels/bench_python.py can time scanpy and
//! squidpy on exactly the same data and compare the numbers.

use sbx_kernels::cases::pseudoreplication::{case_pseudoreplication, TestLevel};
use sbx_kernels::de::TestKind;
use sbx_kernels::sim::{build, ScenarioKind, DEFAULT_SEED};
use sbx_kernels::spatial::{knn, morans_i, nhood_enrichment};
use std::io::Write;
use std::time::Instant;

/// Plain little-endian dump of a numeric array.
trait Le: Copy {
    fn le(self, out: &mut Vec<u8>);
}
impl Le for u32 {
    fn le(self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes())
    }
}
impl Le for u64 {
    fn le(self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes())
    }
}
impl Le for f32 {
    fn le(self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.to_le_bytes())
    }
}
fn write_raw<T: Le>(path: &std::path::Path, v: &[T]) -> std::io::Result<()> {
    let mut bytes = Vec::with_capacity(v.len() * 8);
    v.iter().for_each(|x| x.le(&mut bytes));
    std::fs::File::create(path)?.write_all(&bytes)
}

fn best<F: FnMut()>(repeat: usize, mut f: F) -> f64 {
    (0..repeat)
        .map(|_| {
            let t = Instant::now();
            f();
            t.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min)
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let export = args
        .iter()
        .position(|a| a == "--export")
        .and_then(|i| args.get(i + 1))
        .map(std::path::PathBuf::from);
    let repeat = args
        .iter()
        .position(|a| a == "--repeat")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(3);
    let dbit = build(ScenarioKind::Pseudoreplication, DEFAULT_SEED);
    let kid = build(ScenarioKind::NicheDiscovery, DEFAULT_SEED);
    let labels = kid
        .obs("cell_type")
        .map(|c| c.codes.clone())
        .unwrap_or_default();
    if let Some(dir) = &export {
        std::fs::create_dir_all(dir)?;
        let c = &dbit.counts;
        write_raw(
            &dir.join("dbit_indptr.u64"),
            &c.indptr.iter().map(|&v| v as u64).collect::<Vec<_>>(),
        )?;
        write_raw(&dir.join("dbit_indices.u32"), &c.indices)?;
        write_raw(&dir.join("dbit_data.f32"), &c.data)?;
        write_raw(
            &dir.join("dbit_sex.u32"),
            &dbit.obs("sex").map(|s| s.codes.clone()).unwrap_or_default(),
        )?;
        write_raw(
            &dir.join("dbit_donor.u32"),
            &dbit
                .obs("donor")
                .map(|s| s.codes.clone())
                .unwrap_or_default(),
        )?;
        write_raw(&dir.join("kidney_x.f32"), &kid.x)?;
        write_raw(&dir.join("kidney_y.f32"), &kid.y)?;
        write_raw(&dir.join("kidney_celltype.u32"), &labels)?;
        let genes: Vec<f32> = (0..10).flat_map(|g| kid.counts.col_dense(g)).collect();
        write_raw(&dir.join("kidney_genes10.f32"), &genes)?;
        std::fs::write(
            dir.join("shape.json"),
            format!(
                "{{\"dbit_rows\": {}, \"dbit_cols\": {}, \"kidney_cells\": {}}}",
                c.nrows,
                c.ncols,
                kid.n_units()
            ),
        )?;
    }
    let nb6 = knn(&kid.x, &kid.y, 6);
    let genes: Vec<Vec<f64>> = (0..10)
        .map(|g| kid.counts.col_dense(g).iter().map(|&v| v as f64).collect())
        .collect();
    let morans: Vec<f64> = genes.iter().map(|v| morans_i(&nb6, v, true)).collect();
    let (z, _) = nhood_enrichment(&nb6, &labels, 8, 1000, 0);
    let t_unit_w = best(repeat, || {
        drop(case_pseudoreplication(
            &dbit,
            TestLevel::Unit,
            TestKind::Wilcoxon,
            0.05,
        ))
    });
    let t_unit_t = best(repeat, || {
        drop(case_pseudoreplication(
            &dbit,
            TestLevel::Unit,
            TestKind::Welch,
            0.05,
        ))
    });
    let t_donor = best(repeat, || {
        drop(case_pseudoreplication(
            &dbit,
            TestLevel::Replicate,
            TestKind::Student,
            0.05,
        ))
    });
    let t_knn = best(repeat, || drop(knn(&kid.x, &kid.y, 10)));
    let t_nhood = best(repeat, || drop(nhood_enrichment(&nb6, &labels, 8, 1000, 0)));
    let t_moran = best(repeat, || {
        drop(
            genes
                .iter()
                .map(|v| morans_i(&nb6, v, true))
                .collect::<Vec<_>>(),
        )
    });
    println!(
        "{{\"de_barcode_wilcoxon_s\": {t_unit_w}, \"de_barcode_welch_s\": {t_unit_t}, \"de_donor_pseudobulk_s\": {t_donor}, \
         \"knn_k10_s\": {t_knn}, \"nhood_enrichment_1000_s\": {t_nhood}, \"morans_i_10_s\": {t_moran}, \
         \"morans_i\": {morans:?}, \"nhood_z_diag\": {:?}}}",
        (0..8).map(|i| z[[i, i]]).collect::<Vec<_>>()
    );
    Ok(())
}
