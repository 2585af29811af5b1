#!/usr/bin/env bash
# Times the sbx-kernels benchmark workloads natively (release profile) and the
# same work with scanpy/squidpy in a throw-away virtualenv, then writes
# bench/kernels/RESULTS.md with the ratios.
#   VENV=/tmp/sbx-bench-venv DATA=/tmp/sbx-bench-data bench/kernels/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
VENV=${VENV:-/tmp/sbx-bench-venv}
DATA=${DATA:-/tmp/sbx-bench-data}
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV"
fi
"$VENV/bin/pip" install -q numpy scipy pandas scanpy squidpy
mkdir -p "$DATA"
# A fresh numba cache so the first squidpy call pays its compilation, as a new user would.
export NUMBA_CACHE_DIR="$(mktemp -d)"
# 1) the workspace release profile (what the browser build uses)
cargo run --release -q -p sbx-kernels --example bench_kernels -- --export "$DATA" --repeat 3 > "$DATA/rust.json"
# 2) the same code at opt-level 3, in its own target dir so the shared one is untouched
CARGO_TARGET_DIR="${O3_TARGET:-/tmp/sbx-bench-target-o3}" CARGO_PROFILE_RELEASE_OPT_LEVEL=3 \
  cargo run --release -q -p sbx-kernels --example bench_kernels -- --repeat 3 > "$DATA/rust_o3.json"
# 3) the release build for wasm32-unknown-unknown, timed in Node (V8)
(cd bench/kernels/wasm && cargo build --release -q --target wasm32-unknown-unknown)
node bench/kernels/wasm/run.mjs bench/kernels/wasm/target/wasm32-unknown-unknown/release/sbx_kernels_wasm_bench.wasm 3 > "$DATA/wasm.json"
"$VENV/bin/python" bench/kernels/bench_python.py "$DATA" "$DATA/rust.json" bench/kernels/RESULTS.md "$DATA/rust_o3.json" "$DATA/wasm.json"
