#!/usr/bin/env bash
# Search benchmark: sbx-search (native, opt-level 3) vs Python's re over the
# same step texts, on the 34 shared trajectories and a synthetic collection.
# Usage: bash bench/search/run.sh [N_SYNTHETIC=5000]
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/root/.cache/spatialbench-explorer/target}"
N="${1:-5000}"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
cargo build -q --profile native -p sbx-search --example search_bench
"$CARGO_TARGET_DIR/native/examples/search_bench" --bench ../shared/bench --synthetic "$N" \
  --dump "$TMP/texts" --out "$TMP/rust.json"
for set in shared synthetic; do
  python3 bench/search/py_re.py "$TMP/texts.$set" > "$TMP/py.$set.json"
  rm -f "$TMP/texts.$set"
done
python3 bench/search/report.py "$TMP" "$(cut -d' ' -f1-3 /proc/loadavg)" > bench/search/RESULTS.md
cat bench/search/RESULTS.md
