//! Trajectories of any size or shape give findings or `unclear`, never a
//! panic, and every evidence span still round-trips.

use sbx_findings::{detect, step_text, Finding, Task};
use sbx_suite::trajectory::Step;
use serde_json::json;

fn call(input: String) -> Step {
    Step::ToolCall {
        name: "bash".into(),
        input,
        call_id: None,
    }
}
fn out(text: String, is_error: bool) -> Step {
    Step::ToolOutput {
        text,
        is_error,
        call_id: None,
    }
}

fn check_spans(steps: &[Step], findings: &[Finding]) {
    for f in findings {
        for e in &f.evidence {
            let chars: Vec<char> = step_text(&steps[e.step]).chars().collect();
            assert_eq!(chars[e.start..e.end].iter().collect::<String>(), e.excerpt);
        }
    }
}

fn all_tasks() -> Vec<Task> {
    vec![
        Task::default(),
        Task::from_text("Xenium organoids from 3 donors: niche changes; genes differentially expressed; Visium sections; BD Rhapsody"),
    ]
}

#[test]
fn huge_outputs_and_code() {
    let big_code = "import scanpy as sc\n".to_string()
        + &"sc.pp.normalize_total(a, target_sum=1e4)\nsc.tl.leiden(a)\n".repeat(100_000);
    let steps = vec![
        call(format!("python - <<'EOF'\n{big_code}EOF")),
        out("x".repeat(8 << 20), false),
        call("curl https://www.ncbi.nlm.nih.gov/geo/query/acc.cgi?acc=GSE1".into()),
        out("é€😀".repeat(1 << 20), false),
    ];
    for t in all_tasks() {
        let f = detect(&t, &steps);
        check_spans(&steps, &f);
    }
}

#[test]
fn binary_noise_unknown_events_deep_json_and_empty_steps() {
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut noise = String::new();
    for _ in 0..200_000 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        noise.push(char::from_u32((seed % 0x2_0000) as u32).unwrap_or('\u{fffd}'));
    }
    // As deep as serde_json lets a parsed trajectory be (its recursion limit is 128).
    let mut deep = json!("leaf");
    for _ in 0..120 {
        deep = json!([deep]);
    }
    let steps = vec![
        Step::Unknown {
            raw: json!({"type": "mystery", "payload": noise.clone()}),
        },
        Step::Unknown { raw: deep },
        call(String::new()),
        out(String::new(), true),
        call(noise.clone()),
        call(format!(
            "{{\"content\": \"{}\", \"path\": \"x.py\"}}",
            noise.replace('"', "")
        )),
        call("python x.py".into()),
        Step::Message {
            role: "assistant".into(),
            text: noise.clone(),
        },
        Step::FinalAnswer {
            text: String::new(),
        },
        call("python - <<'EOF'\nimport scanpy as sc\nsc.tl.leiden(\n".into()),
        call("python -c \"".into()),
        call("{\"command\": \"python <<".into()),
        call("{\"path\":\"n.ipynb\",\"content\":\"{\\\"source\\\": [\\\"sc.tl.leiden(\"}".into()),
        call("jupyter nbconvert --execute n.ipynb".into()),
    ];
    for t in all_tasks() {
        let f = detect(&t, &steps);
        check_spans(&steps, &f);
        assert!(f.windows(2).all(|w| w[0].class < w[1].class));
    }
    for cut in 0..steps.len() {
        for t in all_tasks() {
            check_spans(&steps[cut..], &detect(&t, &steps[cut..]));
        }
    }
}

#[test]
fn many_small_steps() {
    let mut steps = Vec::new();
    for i in 0..20_000 {
        steps.push(call(format!(
            "python -c 'import scanpy as sc; sc.tl.leiden(a{i})'"
        )));
        steps.push(out(
            if i % 2 == 0 {
                "Traceback (most recent call last):".into()
            } else {
                "ok".into()
            },
            false,
        ));
    }
    let t = Task::from_text("MERFISH, 11 sections");
    let f = detect(&t, &steps);
    check_spans(&steps, &f);
    assert!(!f.is_empty());
}
