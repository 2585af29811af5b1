//! Accuracy rows laid out as a forest plot of small panels: one panel per
//! group, one row per model in the same order in every panel.

use serde::{Deserialize, Serialize};

use super::{clip_percent, AccuracyRow, ModelKey};

/// Which 95% interval a forest plot draws.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IntervalKind {
    /// The published method: t over per-eval means, clipped to [0, 100] for display.
    T,
    /// Percentile bootstrap over evals (seeded); never leaves [0, 100].
    Bootstrap,
}

/// One point with its interval as drawn.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ForestCell {
    pub mean: f64,
    /// The interval in [0, 100]; `None` when there is none (one eval).
    pub interval: Option<(f64, f64)>,
    /// The bound was outside [0, 100] and is drawn clipped (lower, upper).
    pub clipped: (bool, bool),
}

/// Panels × models.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Forest {
    /// Row order, shared by every panel: by mean accuracy over the panels, best first.
    pub models: Vec<ModelKey>,
    /// Panel titles (the group, or "overall").
    pub panels: Vec<String>,
    /// `cells[panel][model]`; `None` where the model has no row in that group.
    pub cells: Vec<Vec<Option<ForestCell>>>,
}

fn cell(r: &AccuracyRow, kind: IntervalKind) -> ForestCell {
    let mean = r.accuracy.mean;
    match kind {
        IntervalKind::Bootstrap => ForestCell {
            mean,
            interval: r.bootstrap,
            clipped: (false, false),
        },
        IntervalKind::T => match (r.accuracy.ci_lower, r.accuracy.ci_upper) {
            (Some(lo), Some(hi)) => {
                let ((lo, cl), (hi, ch)) = (clip_percent(lo), clip_percent(hi));
                ForestCell {
                    mean,
                    interval: Some((lo, hi)),
                    clipped: (cl, ch),
                }
            }
            _ => ForestCell {
                mean,
                interval: None,
                clipped: (false, false),
            },
        },
    }
}

/// Lays out accuracy rows (recomputed or published) as panels.
pub fn forest(rows: &[AccuracyRow], kind: IntervalKind) -> Forest {
    let mut panels: Vec<String> = Vec::new();
    let mut models: Vec<(ModelKey, f64, usize)> = Vec::new();
    for r in rows {
        let g = r.group.clone().unwrap_or_else(|| "overall".into());
        if !panels.contains(&g) {
            panels.push(g);
        }
        match models.iter_mut().find(|m| m.0 == r.key) {
            Some(m) => {
                m.1 += r.accuracy.mean;
                m.2 += 1;
            }
            None => models.push((r.key.clone(), r.accuracy.mean, 1)),
        }
    }
    models.sort_by(|a, b| (b.1 / b.2 as f64).total_cmp(&(a.1 / a.2 as f64)));
    let models: Vec<ModelKey> = models.into_iter().map(|m| m.0).collect();
    let cells = panels
        .iter()
        .map(|p| {
            models
                .iter()
                .map(|m| {
                    rows.iter()
                        .find(|r| r.key == *m && r.group.as_deref().unwrap_or("overall") == p)
                        .map(|r| cell(r, kind))
                })
                .collect()
        })
        .collect();
    Forest {
        models,
        panels,
        cells,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::Estimate;

    fn row(model: &str, group: &str, mean: f64, ci: Option<(f64, f64)>) -> AccuracyRow {
        AccuracyRow {
            key: ModelKey::new(model, "h"),
            group: Some(group.into()),
            n_evals: 3,
            n_runs: 9,
            accuracy: Estimate {
                mean,
                ci_lower: ci.map(|c| c.0),
                ci_upper: ci.map(|c| c.1),
            },
            bootstrap: ci.map(|(lo, hi)| (lo.max(0.0), hi.min(100.0))),
        }
    }

    #[test]
    fn same_model_order_in_every_panel_with_gaps_and_clipping() {
        let rows = vec![
            row("b", "g1", 90.0, Some((70.0, 110.0))),
            row("a", "g1", 40.0, Some((-5.0, 85.0))),
            row("a", "g2", 20.0, None),
            row("c", "g2", 10.0, Some((5.0, 15.0))),
        ];
        let f = forest(&rows, IntervalKind::T);
        assert_eq!(f.panels, vec!["g1", "g2"]);
        let names: Vec<&str> = f.models.iter().map(|m| m.model.as_str()).collect();
        assert_eq!(names, vec!["b", "a", "c"]);
        let b = f.cells[0][0].unwrap();
        assert_eq!(
            (b.interval, b.clipped),
            (Some((70.0, 100.0)), (false, true))
        );
        let a = f.cells[0][1].unwrap();
        assert_eq!((a.interval, a.clipped), (Some((0.0, 85.0)), (true, false)));
        assert_eq!(f.cells[0][2], None, "c has no g1 row");
        assert_eq!(f.cells[1][0], None);
        assert_eq!(f.cells[1][1].unwrap().interval, None, "one-eval point");
        let boot = forest(&rows, IntervalKind::Bootstrap);
        assert_eq!(boot.cells[0][1].unwrap().clipped, (false, false));
    }
}
