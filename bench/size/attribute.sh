#!/usr/bin/env bash
# Where the page's wasm bytes go: builds the page (release profile, as Trunk does),
# runs wasm-bindgen and `wasm-opt -Oz` keeping the function names (`-g`), then lists
# the largest functions and the bytes per crate with twiggy (`cargo install twiggy`).
# The figures are the optimised module's code and data; the page's gzip size is
# printed for the same module without names (it matches dist/ to within 0.5 %).
# Usage: bash bench/size/attribute.sh [bin (spatialbench-explorer | data-worker)] [top-n]
set -euo pipefail
cd "$(dirname "$0")/../.."
source .ci/env.sh
BIN=${1:-spatialbench-explorer}
TOP=${2:-40}
TARGET=${CARGO_TARGET_DIR:-target}
OUT=target/size
mkdir -p "$OUT"
command -v twiggy >/dev/null || { echo "needs twiggy: cargo install twiggy" >&2; exit 1; }
cargo build --release --target wasm32-unknown-unknown --bin "$BIN"
cp "$TARGET/wasm32-unknown-unknown/release/$BIN.wasm" "$OUT/$BIN.wasm"
wasm-bindgen --target web --keep-debug --out-dir "$OUT/bg" "$OUT/$BIN.wasm"
FEATURES="--enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext --enable-mutable-globals"
# shellcheck disable=SC2086
wasm-opt -Oz -g $FEATURES "$OUT/bg/${BIN}_bg.wasm" -o "$OUT/$BIN.opt.wasm"
# shellcheck disable=SC2086
wasm-opt --strip-debug --strip-producers $FEATURES "$OUT/$BIN.opt.wasm" -o "$OUT/$BIN.stripped.wasm"
echo "$BIN: $(stat -c %s "$OUT/$BIN.stripped.wasm") bytes, $(gzip -9c "$OUT/$BIN.stripped.wasm" | wc -c) gzip -9"
twiggy top -n 1000000 -f csv "$OUT/$BIN.opt.wasm" > "$OUT/$BIN.top.csv"
echo; echo "largest functions and data (twiggy top, optimised, names kept):"
twiggy top -n "$TOP" "$OUT/$BIN.opt.wasm" | cut -c1-160
echo; echo "by crate (generic code charged to the crate it is instantiated for):"
python3 bench/size/by_crate.py "$OUT/$BIN.top.csv" Cargo.lock "$TOP"
