//! Scenario 4: Seeker-like ovary sections on 10 um beads at four timepoints
//! after hCG. A large oocyte covers many beads, so counting marker-positive
//! beads (or small-radius connected components, which also pick up ambient
//! RNA on isolated beads) overshoots the number of oocytes, and growing the
//! radius merges neighbouring follicles. Cumulus granulosa cells exist only
//! after stimulation; in the unstimulated (0h) sample the cumulus markers are
//! ambient noise alone.

use super::{
    filler_gene_name, lognormal, poisson_counts, rng, Categorical, Rng, Scenario, ScenarioKind,
    Truth,
};

#[derive(Clone, Debug)]
pub struct OocyteConfig {
    /// Timepoint names; the first `n_immature` are unstimulated.
    pub timepoints: Vec<&'static str>,
    pub n_immature: usize,
    /// True oocytes per timepoint (published total 850, 0h: 275).
    pub oocytes: Vec<usize>,
    /// Side of the square bead field per sample (um); bead pitch 10 um.
    pub field_um: f32,
    pub pitch_um: f32,
    /// Oocyte radius range (um).
    pub radius_um: (f32, f32),
    /// Mean oocyte-marker counts on a bead inside an oocyte, and ambient.
    pub oocyte_rate: f64,
    pub ambient_rate: f64,
    /// Share of oocytes with a cumulus ring in stimulated samples.
    pub cumulus_share: f64,
}

impl Default for OocyteConfig {
    fn default() -> Self {
        OocyteConfig {
            timepoints: vec!["0h", "4h", "8h", "12h"],
            n_immature: 1,
            oocytes: vec![275, 235, 190, 150],
            field_um: 1800.0,
            pitch_um: 10.0,
            radius_um: (15.0, 35.0),
            oocyte_rate: 3.0,
            ambient_rate: 0.02,
            cumulus_share: 0.3,
        }
    }
}

pub const OOCYTE_MARKERS: [&str; 4] = ["Zp3", "Gdf9", "Figla", "Bmp15"];
pub const CUMULUS_MARKERS: [&str; 3] = ["Ptx3", "Has2", "Tnfaip6"];
const GRANULOSA: [&str; 3] = ["Amh", "Inha", "Fshr"];
const STROMA: [&str; 3] = ["Dcn", "Col1a1", "Lum"];

pub fn simulate(cfg: &OocyteConfig, seed: u64) -> Scenario {
    let mut r = rng(seed, 4);
    let mut names: Vec<String> = Vec::new();
    for list in [
        &OOCYTE_MARKERS[..],
        &CUMULUS_MARKERS[..],
        &GRANULOSA[..],
        &STROMA[..],
    ] {
        names.extend(list.iter().map(|s| s.to_string()));
    }
    while names.len() < 40 {
        names.push(filler_gene_name(names.len()));
    }
    let (o0, c0, g0, s0) = (0, 4, 7, 10);
    let n_genes = names.len();
    let (mut x, mut y, mut sample, mut oocyte_id) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut rates: Vec<Vec<(usize, f64)>> = Vec::new();
    let mut cumulus_beads = vec![0usize; cfg.timepoints.len()];
    let mut id_base = 0u32;
    let side = (cfg.field_um / cfg.pitch_um) as usize;
    for (t, &n_oo) in cfg.oocytes.iter().enumerate() {
        let stimulated = t >= cfg.n_immature;
        let ox = t as f32 * (cfg.field_um + 200.0);
        // Place non-overlapping oocytes; each sits in a follicle, so centres
        // keep a granulosa gap of at least 15 um between oocyte edges.
        let mut oo: Vec<(f32, f32, f32, bool)> = Vec::new();
        let mut tries = 0;
        while oo.len() < n_oo && tries < 200_000 {
            tries += 1;
            let rad = r.random_range(cfg.radius_um.0..cfg.radius_um.1);
            let (cx, cy) = (
                r.random_range(60.0..cfg.field_um - 60.0),
                r.random_range(60.0..cfg.field_um - 60.0),
            );
            if oo.iter().all(|&(px, py, pr, _)| {
                ((px - cx).powi(2) + (py - cy).powi(2)).sqrt() > pr + rad + 15.0
            }) {
                let cumulus = stimulated && r.random::<f64>() < cfg.cumulus_share;
                oo.push((cx, cy, rad, cumulus));
            }
        }
        // Bucket oocytes on a coarse grid for the bead lookups.
        let cell = 100.0f32;
        let nb = (cfg.field_um / cell).ceil() as usize + 1;
        let mut buckets: Vec<Vec<usize>> = vec![Vec::new(); nb * nb];
        for (k, o) in oo.iter().enumerate() {
            buckets[(o.0 / cell) as usize * nb + (o.1 / cell) as usize].push(k);
        }
        for i in 0..side {
            for j in 0..side {
                let bx = i as f32 * cfg.pitch_um + r.random_range(-2.0..2.0);
                let by = j as f32 * cfg.pitch_um + r.random_range(-2.0..2.0);
                // Nearest oocyte (edge distance) among nearby buckets.
                let (bi, bj) = ((bx.max(0.0) / cell) as usize, (by.max(0.0) / cell) as usize);
                let mut best: Option<(usize, f32)> = None;
                for di in bi.saturating_sub(1)..=(bi + 1).min(nb - 1) {
                    for dj in bj.saturating_sub(1)..=(bj + 1).min(nb - 1) {
                        for &k in &buckets[di * nb + dj] {
                            let o = oo[k];
                            let d = ((o.0 - bx).powi(2) + (o.1 - by).powi(2)).sqrt() - o.2;
                            if best.is_none_or(|b| d < b.1) {
                                best = Some((k, d));
                            }
                        }
                    }
                }
                let mut rate: Vec<(usize, f64)> = Vec::new();
                let depth = lognormal(&mut r, 0.0, 0.4);
                let mut id = u32::MAX;
                match best {
                    Some((k, d)) if d <= 0.0 => {
                        id = id_base + k as u32;
                        for g in o0..o0 + 4 {
                            rate.push((g, depth * cfg.oocyte_rate / 4.0));
                        }
                    }
                    Some((k, d)) if d <= 25.0 => {
                        if oo[k].3 {
                            cumulus_beads[t] += 1;
                            for g in c0..c0 + 3 {
                                rate.push((g, depth * 2.0));
                            }
                        }
                        for g in g0..g0 + 3 {
                            rate.push((g, depth * 1.5));
                        }
                    }
                    _ => {
                        for g in s0..s0 + 3 {
                            rate.push((g, depth * 1.0));
                        }
                    }
                }
                // Ambient RNA on every bead: oocyte and cumulus markers at a low rate.
                for g in o0..o0 + 4 {
                    rate.push((g, cfg.ambient_rate / 4.0));
                }
                for g in c0..c0 + 3 {
                    rate.push((g, 0.01));
                }
                for g in 13..n_genes {
                    rate.push((g, depth * 0.2));
                }
                x.push(ox + bx);
                y.push(by);
                sample.push(t as u32);
                oocyte_id.push(id);
                rates.push(rate);
            }
        }
        id_base += oo.len() as u32;
    }
    let n = x.len();
    let counts = poisson_counts(&mut r, n, n_genes, |u, g| {
        rates[u].iter().filter(|e| e.0 == g).map(|e| e.1).sum()
    });
    let immature: Vec<bool> = (0..cfg.timepoints.len())
        .map(|t| t < cfg.n_immature)
        .collect();
    let stim_codes: Vec<u32> = sample
        .iter()
        .map(|&t| (t as usize >= cfg.n_immature) as u32)
        .collect();
    let description = format!(
        "Simulated data (seed {seed}), not a real tissue. Seeker-like ovary sections on {p} um beads ({n} beads), timepoints {tp} \
         after hCG ({ni} unstimulated). True oocytes per timepoint: {oo:?} (total {tot}); each is a disc of radius {r0}-{r1} um covering \
         many beads, marker counts ({om}) about {orate} per bead inside, and ambient marker RNA on every bead. Cumulus granulosa \
         rings ({cm}) surround {cs:.0}% of oocytes only in stimulated samples; unstimulated samples have none, only ambient cumulus RNA.",
        p = cfg.pitch_um,
        tp = cfg.timepoints.join(", "),
        ni = cfg.n_immature,
        oo = cfg.oocytes,
        tot = cfg.oocytes.iter().sum::<usize>(),
        r0 = cfg.radius_um.0,
        r1 = cfg.radius_um.1,
        om = OOCYTE_MARKERS.join(", "),
        orate = cfg.oocyte_rate,
        cm = CUMULUS_MARKERS.join(", "),
        cs = cfg.cumulus_share * 100.0,
    );
    Scenario {
        kind: ScenarioKind::SpatialUnits,
        title: "Spatial units: oocytes span many beads".into(),
        platform: "TakaraBio Seeker (simulated)".into(),
        description,
        seed,
        x,
        y,
        obs: vec![
            Categorical::new("timepoint", sample, cfg.timepoints.iter().copied()),
            Categorical::new("stimulation", stim_codes, ["unstimulated", "hCG"]),
        ],
        counts,
        gene_names: names,
        truth: Truth::SpatialUnits {
            oocytes_per_sample: cfg.oocytes.clone(),
            cumulus_beads_per_sample: cumulus_beads,
            immature,
            oocyte_id,
        },
    }
}
