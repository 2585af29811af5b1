//! The suite model: evals, results tables, runs and trajectories, loading of
//! benchmark folders, static bundles, and the statistics of results pages.
