//! Arrow dataset loading and validation on arbitrary bytes: an error or a
//! dataset that passes its own validation, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sbx_data::dataset::Limits;

fuzz_target!(|data: &[u8]| {
    // Small limits keep each run fast; the checks are the same as the defaults'.
    let limits = Limits {
        max_rows: 100_000,
        max_bytes: 1 << 20,
    };
    if let Ok(ds) = sbx_data::read_ipc_with_limits(data, &limits) {
        assert!(ds.validate(&limits).is_ok());
        assert!(ds.x.iter().chain(&ds.y).all(|v| v.is_finite()));
        // What loaded must write back and load again.
        let bytes = sbx_data::write_ipc(&ds).expect("a valid dataset writes");
        let again = sbx_data::read_ipc(&bytes).expect("a written dataset reads");
        assert_eq!(again.len(), ds.len());
    }
});
