//! Trajectory parsing on arbitrary bytes, as JSON and as JSON Lines, and
//! the failure finder on whatever parses (evidence spans must round-trip).
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
            let task = sbx_findings::Task::from_text("Xenium and Visium sections from 3 donors: niche changes, differentially expressed genes");
            for task in [sbx_findings::Task::default(), task] {
                for f in sbx_findings::detect(&task, &t.steps) {
                    for e in &f.evidence {
                        let chars: Vec<char> = sbx_findings::step_text(&t.steps[e.step]).chars().collect();
                        assert_eq!(chars[e.start..e.end].iter().collect::<String>(), e.excerpt);
                    }
                }
            }
        }
    }
});
