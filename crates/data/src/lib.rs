//! Spatial datasets: the Arrow IPC dataset format, validation, h5ad and CSV
//! readers, and stratified downsampling.
