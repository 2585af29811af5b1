#!/usr/bin/env bash
# In-browser figures of the release site, side by side with pyarrow in the same run:
# decode of 1,000,000 rows (x, y, two categorical and two float columns) and full
# redraws in headless Chromium, WebAssembly memory, and the gzip size of the wasm.
# Needs a release build in dist/ (bash .ci/build-site). Writes bench/site/RESULTS.md.
set -euo pipefail
cd "$(dirname "$0")/../.."
source .ci/env.sh
DIST="${SBX_DIST:-dist}"
[ -f "$DIST/spatialbench-explorer_bg.wasm" ] || { echo "no release build in $DIST: run bash .ci/build-site" >&2; exit 1; }
VENV="${BENCH_VENV:-/tmp/sbx-bench-venv}"
[ -x "$VENV/bin/python" ] || { python3 -m venv "$VENV" && "$VENV/bin/pip" install -q pyarrow; }
TMP="$(mktemp -d)"; trap 'rm -rf "$TMP"' EXIT

# The same shape of file, written natively, read by pyarrow.
export CARGO_TARGET_DIR="${BENCH_TARGET_DIR:-target/bench-data}"
CARGO_PROFILE_RELEASE_OPT_LEVEL=3 CARGO_PROFILE_RELEASE_LTO=false cargo build -q --release -p sbx-data --example decode_timing
"$CARGO_TARGET_DIR"/release/examples/decode_timing "$TMP/synthetic_1M.arrow" 1000000 3 > /dev/null
py=$("$VENV/bin/python" bench/data/pyarrow_read.py "$TMP/synthetic_1M.arrow" 30)

runs=()
for i in 1 2 3; do
  out=$(cd tests/e2e && SBX_DIST="$(cd ../.. && realpath "$DIST")" node --test --test-name-pattern='1,000,000 synthetic' spatial.test.mjs 2>&1)
  runs+=("$(grep -o 'decode [0-9.]* ms, rasterize [0-9.]* ms, full redraw [0-9.]* ms' <<<"$out")")
  mem=$(grep -o 'WebAssembly memory [0-9.]* MB' <<<"$out")
done
gz=$(gzip -9c "$DIST/spatialbench-explorer_bg.wasm" | wc -c)
raw=$(stat -c %s "$DIST/spatialbench-explorer_bg.wasm")
j() { "$VENV/bin/python" -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }
{
  echo "# Release site in headless Chromium"
  echo
  echo "Reproduce: \`bash .ci/build-site && bash bench/site/run.sh\`. Run: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(chromium --version | head -1)."
  echo
  echo "## 1,000,000 synthetic points in the page (Datasets → \"1,000,000 synthetic points\")"
  echo
  echo "| run | WASM in Chromium |"
  echo "|---|---|"
  for i in 0 1 2; do echo "| $((i+1)) | ${runs[$i]} |"; done
  echo
  echo "pyarrow $(j "$py" pyarrow_version), same shape of file, same run: read from file median $(j "$py" read_file_median_ms) ms (min $(j "$py" read_file_min_ms) ms)."
  echo
  echo "$mem after loading the 1M-point dataset."
  echo
  echo "## Size"
  echo
  echo "spatialbench-explorer_bg.wasm: $raw bytes, $gz bytes gzip -9."
} > bench/site/RESULTS.md
cat bench/site/RESULTS.md
