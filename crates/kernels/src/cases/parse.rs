//! The kernels' options named by the worker protocol's strings (the values of the
//! case pages' selects). A wrong name is an error that lists the right ones, since it
//! may come from a page's request.

use super::batch::Integration;
use super::pseudoreplication::TestLevel;
use super::spatial_units::CountMethod;
use crate::de::TestKind;
use crate::norm::Normalization;

pub fn integration(name: &str) -> Result<Integration, String> {
    match name {
        "none" => Ok(Integration::None),
        "harmony" => Ok(Integration::Harmony),
        "harmony_defaults" => Ok(Integration::HarmonyDefaults),
        "scaling" => Ok(Integration::PerBatchScaling),
        other => Err(format!(
            "unknown integration `{other}` (none, harmony, harmony_defaults or scaling)"
        )),
    }
}

pub fn test_level(name: &str) -> Result<TestLevel, String> {
    match name {
        "unit" => Ok(TestLevel::Unit),
        "donor" => Ok(TestLevel::Replicate),
        other => Err(format!("unknown test level `{other}` (unit or donor)")),
    }
}

pub fn test_kind(name: &str) -> Result<TestKind, String> {
    match name {
        "wilcoxon" => Ok(TestKind::Wilcoxon),
        "welch" => Ok(TestKind::Welch),
        "student" => Ok(TestKind::Student),
        other => Err(format!(
            "unknown test `{other}` (wilcoxon, welch or student)"
        )),
    }
}

pub fn normalization(name: &str) -> Result<Normalization, String> {
    match name {
        "raw" => Ok(Normalization::Raw),
        "libsize" => Ok(Normalization::LibSizeLog1p { target_sum: 1e4 }),
        "panel" => Ok(Normalization::PanelAware { n_dominant: 7 }),
        "scale" => Ok(Normalization::PerGeneScale),
        other => Err(format!(
            "unknown normalization `{other}` (raw, libsize, panel or scale)"
        )),
    }
}

pub fn count_method(name: &str, radius: f32) -> Result<CountMethod, String> {
    // The page's slider spans 5–40 µm; far outside that the kernels would only be slow.
    if !(radius.is_finite() && (0.5..=200.0).contains(&radius)) {
        return Err(format!("a radius of {radius} µm is outside 0.5–200 µm"));
    }
    match name {
        "components" => Ok(CountMethod::Components { radius }),
        "dbscan" => Ok(CountMethod::Dbscan {
            eps: radius,
            min_samples: 3,
        }),
        other => Err(format!(
            "unknown counting method `{other}` (components or dbscan)"
        )),
    }
}
