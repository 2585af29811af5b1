//! Analysis kernels (statistics, normalisation, PCA, graphs, clustering,
//! spatial statistics) and the seeded scenario simulator.
