//! Trajectory parsing on arbitrary bytes, as JSON and as JSON Lines.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for path in ["run/trajectory.json", "run/trajectory.jsonl"] {
        if let Ok(t) = sbx_suite::parse_trajectory(path, data) {
            assert_eq!(t.source_path, path);
            let _ = t.final_answer();
            for s in &t.steps {
                let _ = s.kind();
            }
        }
    }
});
