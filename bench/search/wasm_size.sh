#!/usr/bin/env bash
# WASM size cost of sbx-search: a wasm32 release cdylib that parses a trajectory
# with sbx-suite (baseline), then the same plus Index::add_run and search.
# Prints raw and gzip -9 bytes of each. Usage: bash bench/search/wasm_size.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/root/.cache/spatialbench-explorer/target}"
P="$(mktemp -d)"
trap 'rm -rf "$P"' EXIT
mkdir -p "$P/src"
cat > "$P/Cargo.toml" <<TOML
[package]
name = "sbx-search-wasm-probe"
version = "0.1.0"
edition = "2021"
[lib]
crate-type = ["cdylib"]
[features]
search = ["dep:sbx-search"]
[dependencies]
sbx-suite = { path = "$ROOT/crates/suite" }
sbx-search = { path = "$ROOT/crates/search", optional = true }
serde_json = "1"
[profile.release]
opt-level = "z"
lto = true
codegen-units = 1
panic = "abort"
[workspace]
TOML
cat > "$P/src/lib.rs" <<'RS'
#[no_mangle]
pub extern "C" fn run(n: usize) -> usize {
    let bytes = vec![b'{'; n];
    let Ok(t) = sbx_suite::trajectory::parse_trajectory("t.jsonl", &bytes) else { return 0 };
    #[allow(unused_mut)]
    let mut out = serde_json::to_string(&t.steps).map_or(0, |s| s.len());
    #[cfg(feature = "search")]
    {
        let mut ix = sbx_search::Index::new();
        ix.add_run(sbx_search::RunMeta::default(), &t.steps);
        if let Ok(q) = serde_json::from_slice::<sbx_search::Query>(&bytes) {
            if let Ok(r) = ix.search(&q) {
                out += serde_json::to_string(&r).map_or(0, |s| s.len());
            }
        }
    }
    out
}
RS
cp "$ROOT/Cargo.lock" "$P/"
W="$CARGO_TARGET_DIR/wasm32-unknown-unknown/release/sbx_search_wasm_probe.wasm"
for f in "" "--features search"; do
  (cd "$P" && cargo build -q --release --target wasm32-unknown-unknown $f)
  echo "features [${f:-baseline}]: raw $(stat -c%s "$W") bytes, gzip -9 $(gzip -9c "$W" | wc -c) bytes"
done
