//! `sbx findings` on the shared benchmark folders (fails without ../shared)
//! and on a small synthetic folder.
#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;
use std::process::Command;

use serde_json::Value;

const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/bench");

fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("sbx-cli-findings-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

fn findings_json(dirs: &[String], out: &PathBuf) -> Value {
    let status = Command::new(env!("CARGO_BIN_EXE_sbx"))
        .arg("findings")
        .args(dirs)
        .arg("--json")
        .arg(out)
        .status()
        .expect("run sbx");
    assert!(status.success());
    serde_json::from_str(&std::fs::read_to_string(out).expect("json written")).expect("valid JSON")
}

#[test]
fn shared_folders_give_every_run_with_valid_spans() {
    let dirs = [
        format!("{SHARED}/scbench"),
        format!("{SHARED}/spatialbench-long"),
    ];
    for d in &dirs {
        assert!(std::path::Path::new(d).is_dir(), "{d} is required");
    }
    let out = temp_dir("shared").join("f.json");
    let v = findings_json(&dirs, &out);
    let runs = v["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 34);
    let mut classes = 0;
    for r in runs {
        for k in [
            "folder", "run", "eval", "model", "harness", "passed", "findings",
        ] {
            assert!(r.get(k).is_some(), "missing {k}");
        }
        let folder = r["folder"].as_str().unwrap();
        assert!(dirs.iter().any(|d| d == folder));
        let run = r["run"].as_str().unwrap();
        assert!(run.starts_with("trajectories/"), "{run}");
        let traj_dir = PathBuf::from(folder).join(run);
        let traj = ["trajectory.json", "harness_outputs.jsonl"]
            .iter()
            .map(|f| traj_dir.join(f))
            .find(|p| p.exists())
            .expect("trajectory file");
        let bytes = std::fs::read(&traj).unwrap();
        let steps = sbx_suite::parse_trajectory(&traj.to_string_lossy(), &bytes)
            .unwrap()
            .steps;
        for f in r["findings"].as_array().unwrap() {
            classes += 1;
            for k in ["class", "verdict", "rule", "reason", "evidence"] {
                assert!(f.get(k).is_some(), "missing {k}");
            }
            for e in f["evidence"].as_array().unwrap() {
                let step = e["step"].as_u64().unwrap() as usize;
                let (s, t) = (
                    e["start"].as_u64().unwrap() as usize,
                    e["end"].as_u64().unwrap() as usize,
                );
                let chars: Vec<char> = sbx_findings::step_text(&steps[step]).chars().collect();
                assert_eq!(
                    chars[s..t].iter().collect::<String>(),
                    e["excerpt"].as_str().unwrap()
                );
            }
        }
    }
    assert!(classes >= 30, "{classes} findings");
}

#[test]
fn a_synthetic_folder_gives_its_findings() {
    let root = temp_dir("synthetic").join("bench");
    let run = root.join("trajectories/DE_x/acme/model-1/mini-swe-agent/r1");
    std::fs::create_dir_all(&run).unwrap();
    std::fs::create_dir_all(root.join("evals")).unwrap();
    std::fs::write(
        root.join("evals/DE_x.json"),
        r#"{"id":"DE_x","task":"PBMCs from 8 donors: which genes are differentially expressed after IFN vs PBS?","grader":{"type":"numeric_tolerance","config":{}},"metadata":{"kit":"parsebio"}}"#,
    )
    .unwrap();
    let traj = serde_json::json!({"messages": [
        {"role": "assistant", "content": "```bash\npython - <<'EOF'\nimport scanpy as sc\nsc.tl.rank_genes_groups(a, groupby='stim', reference='PBS')\nEOF\n```"},
        {"role": "user", "content": "<returncode>0</returncode>\n<output>ok</output>"}
    ]});
    std::fs::write(run.join("trajectory.json"), traj.to_string()).unwrap();
    std::fs::write(
        run.join("result.json"),
        r#"{"task_id":"DE_x","passed":false}"#,
    )
    .unwrap();
    let dir = root.to_string_lossy().to_string();
    let v = findings_json(std::slice::from_ref(&dir), &root.join("../f.json"));
    let runs = v["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1, "{v}");
    assert_eq!(
        runs[0]["run"],
        "trajectories/DE_x/acme/model-1/mini-swe-agent/r1"
    );
    assert_eq!(runs[0]["folder"], dir.as_str());
    let f = &runs[0]["findings"][0];
    assert_eq!(f["class"], "pseudoreplication");
    assert_eq!(f["verdict"], "committed");
    assert!(f["evidence"][0]["excerpt"]
        .as_str()
        .unwrap()
        .starts_with("sc.tl.rank_genes_groups("));

    let table = Command::new(env!("CARGO_BIN_EXE_sbx"))
        .arg("findings")
        .arg(&dir)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(
        text.contains("pseudoreplication:committed") && text.contains("1 runs"),
        "{text}"
    );
}
