//! Case 4: counting structures (oocytes, cumulus granulosa) on beads that
//! are much smaller than the structures.

use crate::sim::oocyte::{CUMULUS_MARKERS, OOCYTE_MARKERS};
use crate::sim::Scenario;
use crate::spatial::{dbscan, masked_components};
use serde::{Deserialize, Serialize};

/// How a structure count is obtained from marker-positive beads.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum CountMethod {
    /// Every marker-positive bead counted as one structure (wrong).
    PositiveBeads,
    /// Connected components of positive beads linked within `radius` um.
    Components { radius: f32 },
    /// DBSCAN on positive beads (`eps` um, `min_samples` incl. the bead itself).
    Dbscan { eps: f32, min_samples: usize },
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct StructureCount {
    pub timepoint: String,
    pub method: CountMethod,
    pub positive_beads: usize,
    pub count: usize,
    pub true_count: usize,
    /// Per bead of the sample (sample order): structure id or -1.
    pub labels: Vec<i32>,
}

fn sample_rows(s: &Scenario, timepoint: &str) -> Result<Vec<usize>, String> {
    let tp = s
        .obs("timepoint")
        .ok_or("scenario has no 'timepoint' column")?;
    let code = tp
        .code_of(timepoint)
        .ok_or_else(|| format!("no timepoint '{timepoint}'"))?;
    Ok((0..s.n_units()).filter(|&u| tp.codes[u] == code).collect())
}

/// Beads whose summed counts over `markers` reach `min_total`, and that
/// express at least `min_distinct` of them.
pub fn marker_positive(
    s: &Scenario,
    rows: &[usize],
    markers: &[&str],
    min_total: f32,
    min_distinct: usize,
) -> Result<Vec<bool>, String> {
    let genes: Vec<usize> = markers
        .iter()
        .map(|m| s.gene(m).ok_or_else(|| format!("no gene '{m}'")))
        .collect::<Result<_, _>>()?;
    Ok(rows
        .iter()
        .map(|&u| {
            let vals: Vec<f32> = genes.iter().map(|&g| s.counts.get(u, g)).collect();
            vals.iter().sum::<f32>() >= min_total
                && vals.iter().filter(|&&v| v > 0.0).count() >= min_distinct
        })
        .collect())
}

fn count_with(x: &[f32], y: &[f32], pos: &[bool], method: CountMethod) -> (usize, Vec<i32>) {
    match method {
        CountMethod::PositiveBeads => {
            let mut k = 0;
            let labels = pos
                .iter()
                .map(|&p| {
                    if p {
                        k += 1;
                        k - 1
                    } else {
                        -1
                    }
                })
                .collect();
            (k as usize, labels)
        }
        CountMethod::Components { radius } => {
            let (lab, n) = masked_components(x, y, pos, radius);
            (
                n,
                lab.iter()
                    .map(|&l| if l == u32::MAX { -1 } else { l as i32 })
                    .collect(),
            )
        }
        CountMethod::Dbscan { eps, min_samples } => {
            let idx: Vec<usize> = (0..pos.len()).filter(|&i| pos[i]).collect();
            let sx: Vec<f32> = idx.iter().map(|&i| x[i]).collect();
            let sy: Vec<f32> = idx.iter().map(|&i| y[i]).collect();
            let (lab, n) = dbscan(&sx, &sy, eps, min_samples);
            let mut labels = vec![-1; pos.len()];
            for (k, &i) in idx.iter().enumerate() {
                labels[i] = lab[k];
            }
            (n, labels)
        }
    }
}

/// Oocytes in one timepoint: beads positive for any oocyte marker, counted
/// by `method`.
pub fn case_oocyte_count(
    s: &Scenario,
    timepoint: &str,
    method: CountMethod,
) -> Result<StructureCount, String> {
    let rows = sample_rows(s, timepoint)?;
    let pos = marker_positive(s, &rows, &OOCYTE_MARKERS, 1.0, 1)?;
    let x: Vec<f32> = rows.iter().map(|&u| s.x[u]).collect();
    let y: Vec<f32> = rows.iter().map(|&u| s.y[u]).collect();
    let (count, labels) = count_with(&x, &y, &pos, method);
    let t_index = s
        .obs("timepoint")
        .and_then(|c| c.code_of(timepoint))
        .unwrap_or(0) as usize;
    let true_count = match &s.truth {
        crate::sim::Truth::SpatialUnits {
            oocytes_per_sample, ..
        } => oocytes_per_sample.get(t_index).copied().unwrap_or(0),
        _ => return Err("scenario is not the spatial-units scenario".into()),
    };
    Ok(StructureCount {
        timepoint: timepoint.into(),
        method,
        positive_beads: pos.iter().filter(|&&p| p).count(),
        count,
        true_count,
        labels,
    })
}

/// One row of the radius sweep.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct SweepPoint {
    pub radius: f32,
    pub components: usize,
    pub dbscan: usize,
}

/// Oocyte counts as the linking radius changes (components, and DBSCAN with
/// `min_samples`).
pub fn oocyte_radius_sweep(
    s: &Scenario,
    timepoint: &str,
    radii: &[f32],
    min_samples: usize,
) -> Result<Vec<SweepPoint>, String> {
    radii
        .iter()
        .map(|&r| {
            Ok(SweepPoint {
                radius: r,
                components: case_oocyte_count(s, timepoint, CountMethod::Components { radius: r })?
                    .count,
                dbscan: case_oocyte_count(
                    s,
                    timepoint,
                    CountMethod::Dbscan {
                        eps: r,
                        min_samples,
                    },
                )?
                .count,
            })
        })
        .collect()
}

/// How cumulus granulosa beads are called.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum CumulusRule {
    /// Any cumulus-marker count on a bead (wrong: ambient RNA is everywhere).
    AnyMarker,
    /// At least `min_distinct` different cumulus markers on the bead, and
    /// the bead inside a DBSCAN cluster of such beads (`eps`, `min_samples`):
    /// a cumulus layer is a coherent ring, not scattered beads.
    Coherent {
        min_distinct: usize,
        eps: f32,
        min_samples: usize,
    },
}

/// The right rule for cumulus beads: two distinct markers in a DBSCAN cluster
/// (15 µm, 3 beads), the scale of the oocyte rule.
pub const COHERENT_CUMULUS: CumulusRule = CumulusRule::Coherent {
    min_distinct: 2,
    eps: 15.0,
    min_samples: 3,
};

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CumulusCount {
    pub timepoint: String,
    pub rule: CumulusRule,
    pub beads: usize,
    pub true_beads: usize,
}

pub fn case_cumulus_count(
    s: &Scenario,
    timepoint: &str,
    rule: CumulusRule,
) -> Result<CumulusCount, String> {
    let rows = sample_rows(s, timepoint)?;
    let beads = match rule {
        CumulusRule::AnyMarker => marker_positive(s, &rows, &CUMULUS_MARKERS, 1.0, 1)?
            .iter()
            .filter(|&&p| p)
            .count(),
        CumulusRule::Coherent {
            min_distinct,
            eps,
            min_samples,
        } => {
            let pos = marker_positive(s, &rows, &CUMULUS_MARKERS, 1.0, min_distinct)?;
            let x: Vec<f32> = rows.iter().map(|&u| s.x[u]).collect();
            let y: Vec<f32> = rows.iter().map(|&u| s.y[u]).collect();
            let (_, labels) = count_with(&x, &y, &pos, CountMethod::Dbscan { eps, min_samples });
            labels.iter().filter(|&&l| l >= 0).count()
        }
    };
    let t_index = s
        .obs("timepoint")
        .and_then(|c| c.code_of(timepoint))
        .unwrap_or(0) as usize;
    let true_beads = match &s.truth {
        crate::sim::Truth::SpatialUnits {
            cumulus_beads_per_sample,
            ..
        } => cumulus_beads_per_sample.get(t_index).copied().unwrap_or(0),
        _ => return Err("scenario is not the spatial-units scenario".into()),
    };
    Ok(CumulusCount {
        timepoint: timepoint.into(),
        rule,
        beads,
        true_beads,
    })
}
