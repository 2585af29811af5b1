//! Scenario 1: DBiT-seq-like human dorsal root ganglion. Barcodes (spatial
//! pixels) are nested in donors; every gene varies between donors, only a
//! small set of genes truly differs by sex. Testing barcodes as if they were
//! independent samples turns donor differences into "sex differences".

use super::{
    filler_gene_name, lognormal, normal, pick_cumulative, poisson, rng, Categorical, Rng, Scenario,
    ScenarioKind, Truth,
};
use crate::csr::CsrMatrix;

#[derive(Clone, Debug)]
pub struct DbitConfig {
    /// Donor sexes in donor order ("F"/"M"): 3 female, 5 male by default.
    pub donor_sex: Vec<&'static str>,
    /// Grid side per donor section (pixels); tissue is the inscribed ellipse.
    pub grid: usize,
    /// Total genes including housekeeping and sex-linked genes.
    pub n_genes: usize,
    /// Share of genes with a true sex effect.
    pub sex_gene_share: f64,
    /// Donor-to-donor SD of log expression (ordinary genes / housekeeping).
    pub donor_sd: f64,
    pub housekeeping_donor_sd: f64,
    /// Median and log-SD of a gene's mean count per barcode.
    pub median_mean: f64,
    pub mean_log_sd: f64,
    /// Pixel pitch in micrometres.
    pub pitch_um: f32,
}

impl Default for DbitConfig {
    fn default() -> Self {
        DbitConfig {
            donor_sex: vec!["F", "M", "F", "M", "M", "F", "M", "M"],
            grid: 42,
            n_genes: 24_919,
            sex_gene_share: 0.012,
            donor_sd: 0.6,
            housekeeping_donor_sd: 0.2,
            median_mean: 0.012,
            mean_log_sd: 1.3,
            pitch_um: 25.0,
        }
    }
}

pub const HOUSEKEEPING: [&str; 10] = [
    "ACTB", "GAPDH", "B2M", "PPIA", "RPLP0", "TBP", "HPRT1", "PGK1", "GUSB", "YWHAZ",
];
const Y_LINKED: [&str; 7] = ["RPS4Y1", "DDX3Y", "UTY", "KDM5D", "EIF1AY", "USP9Y", "ZFY"];

pub fn simulate(cfg: &DbitConfig, seed: u64) -> Scenario {
    let mut r = rng(seed, 1);
    let n_donors = cfg.donor_sex.len();
    // Layout: donor sections tiled 4 per row; tissue = ellipse in each grid.
    let (mut x, mut y, mut donor) = (Vec::new(), Vec::new(), Vec::new());
    let half = cfg.grid as f32 / 2.0;
    for d in 0..n_donors {
        let (ox, oy) = (
            (d % 4) as f32 * (cfg.grid as f32 + 6.0),
            (d / 4) as f32 * (cfg.grid as f32 + 6.0),
        );
        for i in 0..cfg.grid {
            for j in 0..cfg.grid {
                let (dx, dy) = (
                    (i as f32 + 0.5 - half) / half,
                    (j as f32 + 0.5 - half) / (half * 0.9),
                );
                if dx * dx + dy * dy <= 1.0 {
                    x.push((ox + i as f32) * cfg.pitch_um);
                    y.push((oy + j as f32) * cfg.pitch_um);
                    donor.push(d as u32);
                }
            }
        }
    }
    let n = x.len();
    // Barcode size factors: per-donor depth x per-barcode variation.
    let donor_depth: Vec<f64> = (0..n_donors).map(|_| lognormal(&mut r, 0.0, 0.3)).collect();
    let size: Vec<f64> = donor
        .iter()
        .map(|&d| donor_depth[d as usize] * lognormal(&mut r, 0.0, 0.5))
        .collect();
    let donor_units: Vec<Vec<usize>> = (0..n_donors)
        .map(|d| (0..n).filter(|&u| donor[u] == d as u32).collect())
        .collect();
    let donor_cum: Vec<Vec<f64>> = donor_units
        .iter()
        .map(|units| {
            let mut acc = 0.0;
            units
                .iter()
                .map(|&u| {
                    acc += size[u];
                    acc
                })
                .collect()
        })
        .collect();
    let male: Vec<bool> = cfg.donor_sex.iter().map(|s| *s == "M").collect();

    // Genes: housekeeping first, then sex-linked named genes, then filler.
    let mut names: Vec<String> = HOUSEKEEPING.iter().map(|s| s.to_string()).collect();
    names.push("XIST".into());
    names.extend(Y_LINKED.iter().map(|s| s.to_string()));
    while names.len() < cfg.n_genes {
        names.push(filler_gene_name(names.len()));
    }
    let n_hk = HOUSEKEEPING.len();
    let n_named_sex = 1 + Y_LINKED.len();
    let n_sex = ((cfg.sex_gene_share * cfg.n_genes as f64).round() as usize).max(n_named_sex);
    let mut mean = vec![0.0f64; cfg.n_genes];
    let mut log_sex = vec![0.0f64; cfg.n_genes];
    let mut sex_genes = Vec::new();
    for g in 0..cfg.n_genes {
        mean[g] = if g < n_hk {
            lognormal(&mut r, (12.0f64).ln(), 0.5)
        } else {
            lognormal(&mut r, cfg.median_mean.ln(), cfg.mean_log_sd)
        };
    }
    // XIST female-only, Y-linked male-only (strong); then autosomal-like genes
    // with a clear but smaller effect, chosen among reasonably expressed genes.
    log_sex[n_hk] = -4.0;
    mean[n_hk] = 1.5;
    for g in n_hk + 1..n_hk + n_named_sex {
        log_sex[g] = 4.0;
        mean[g] = lognormal(&mut r, (0.3f64).ln(), 0.5);
    }
    sex_genes.extend(n_hk..n_hk + n_named_sex);
    let mut g = n_hk + n_named_sex;
    while sex_genes.len() < n_sex && g < cfg.n_genes {
        if mean[g] > 0.05 {
            let sign = if r.random::<bool>() { 1.0 } else { -1.0 };
            log_sex[g] = sign * r.random_range(3.3..4.8);
            sex_genes.push(g);
        }
        g += 1;
    }

    // Counts, gene-major: the donor's total for the gene is Poisson; it is
    // spread over the donor's barcodes in proportion to their size factors
    // (exactly a per-barcode Poisson draw, but O(counts) instead of O(pixels)).
    let mut gb = crate::csr::CsrBuilder::new(n);
    let mut row: Vec<(u32, f32)> = Vec::new();
    let mut draws: Vec<u32> = Vec::new();
    for g in 0..cfg.n_genes {
        row.clear();
        let sd = if g < n_hk {
            cfg.housekeeping_donor_sd
        } else {
            cfg.donor_sd
        };
        for d in 0..n_donors {
            let effect = normal(&mut r, 0.0, sd)
                + if male[d] {
                    log_sex[g] / 2.0
                } else {
                    -log_sex[g] / 2.0
                };
            let lambda = mean[g] * effect.exp() * donor_cum[d].last().copied().unwrap_or(0.0);
            let total = poisson(&mut r, lambda);
            draws.clear();
            for _ in 0..total {
                draws.push(donor_units[d][pick_cumulative(&mut r, &donor_cum[d])] as u32);
            }
            draws.sort_unstable();
            let mut i = 0;
            while i < draws.len() {
                let mut j = i + 1;
                while j < draws.len() && draws[j] == draws[i] {
                    j += 1;
                }
                row.push((draws[i], (j - i) as f32));
                i = j;
            }
        }
        row.sort_by_key(|e| e.0);
        gb.push_row_sorted(&row);
    }
    let counts: CsrMatrix = gb.finish().transpose();
    let donor_names: Vec<String> = (0..n_donors)
        .map(|d| format!("donor{}_{}", d + 1, cfg.donor_sex[d]))
        .collect();
    let sex_codes: Vec<u32> = donor.iter().map(|&d| male[d as usize] as u32).collect();
    let pct = 100.0 * sex_genes.len() as f64 / cfg.n_genes as f64;
    let description = format!(
        "Simulated data (seed {seed}), not a real tissue. DBiT-seq-like dorsal root ganglion: {n} barcodes on a {p} um grid, \
         nested in {n_donors} donors ({nf} female, {nm} male), {ng} genes with sparse Poisson counts. Every gene has a donor \
         effect (log-SD {dsd}; housekeeping genes {hsd}) and donors differ in sequencing depth. Only {ns} genes ({pct:.1}%) have a \
         true sex effect (XIST female-specific, 7 Y-linked genes male-specific, the rest natural-log fold change 3.3-4.8). The 10 \
         housekeeping genes ({hk}) have no sex effect.",
        p = cfg.pitch_um,
        nf = male.iter().filter(|m| !**m).count(),
        nm = male.iter().filter(|m| **m).count(),
        ng = cfg.n_genes,
        dsd = cfg.donor_sd,
        hsd = cfg.housekeeping_donor_sd,
        ns = sex_genes.len(),
        hk = HOUSEKEEPING.join(", "),
    );
    Scenario {
        kind: ScenarioKind::Pseudoreplication,
        title: "Pseudoreplication: sex differences with barcodes nested in donors".into(),
        platform: "AtlasXomics DBiT-seq (simulated)".into(),
        description,
        seed,
        x,
        y,
        obs: vec![
            Categorical::new("donor", donor, donor_names),
            Categorical::new("sex", sex_codes, ["F", "M"]),
        ],
        counts,
        gene_names: names,
        truth: Truth::Pseudoreplication {
            sex_genes,
            housekeeping: (0..n_hk).collect(),
            pct_true_sex_genes: pct,
        },
    }
}
