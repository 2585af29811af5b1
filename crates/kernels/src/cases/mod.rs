//! The wrong and the right analysis of each scenario, with the key choice
//! exposed as a parameter.

pub mod pseudoreplication;
pub mod normalization;
pub mod spatial_units;
pub mod niches;
pub mod batch;
