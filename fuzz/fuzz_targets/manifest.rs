//! Bundle manifest parsing on arbitrary bytes: an error, or a manifest whose
//! every file path is safe to fetch.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(m) = sbx_suite::read_manifest(data) {
        for f in &m.files {
            assert!(sbx_suite::bundle::is_safe_path(&f.path));
        }
        let _ = m.run_summaries();
    }
});
