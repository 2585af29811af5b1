#!/usr/bin/env bash
# Decode and conversion benchmarks for sbx-data, compared with pyarrow/anndata in the same run.
# Writes bench/data/RESULTS.md. Needs python3 with pyarrow (and anndata for the conversion row);
# set PYTHON to pick an interpreter, e.g. PYTHON=/tmp/venv/bin/python bash bench/data/run.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
PY="${PYTHON:-python3}"
OUT=bench/data/RESULTS.md
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# Native numbers at opt-level 3 in a target dir of their own (the workspace's release
# profile is tuned for a small WASM bundle: opt-level "z" + LTO).
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target/bench-data}"
export CARGO_PROFILE_RELEASE_OPT_LEVEL=3 CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_PANIC=unwind
cargo build -q --release -p sbx-data --example decode_timing
cargo build -q --release -p sbx-render --example raster_timing
cargo build -q --release --bin sbx
BIN="$CARGO_TARGET_DIR/release"

decode=$("$BIN"/examples/decode_timing "$TMP/synthetic_1M.arrow" 1000000 30)
py=$("$PY" bench/data/pyarrow_read.py "$TMP/synthetic_1M.arrow" 30)
r1m2=$("$BIN"/examples/raster_timing 1000000 2 30)
r1m1=$("$BIN"/examples/raster_timing 1000000 1 30)
r100k=$("$BIN"/examples/raster_timing 100000 2 30)

H5=../shared/spatial-data/visium/giottodata_prostate_ffpe_NP_CP/derived_visium_prostate_NP_CP.h5ad
conv_rs="n/a"; conv_py="n/a"
if [ -f "$H5" ]; then
  s=$(date +%s%N); "$BIN"/sbx prepare "$H5" -o "$TMP/p.arrow" --top-genes 50 --quiet; e=$(date +%s%N)
  conv_rs=$(( (e - s) / 1000000 ))
  conv_py=$("$PY" bench/data/prepare_anndata.py "$H5" "$TMP/p_py.arrow" 50 2>/dev/null || echo "n/a")
fi

j() { "$PY" -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }
{
  echo "# sbx-data / sbx-render benchmarks (native, opt-level 3)"
  echo
  echo "Reproduce: \`PYTHON=/path/to/python-with-pyarrow-and-anndata bash bench/data/run.sh\`"
  echo
  echo "Run: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared: medians are inflated when it is busy; min shows the unloaded cost)."
  echo
  echo "## Decode of a 1,000,000-row dataset (x, y, two dictionary columns, two float32 columns; $(j "$decode" bytes) bytes)"
  echo
  echo "| reader | median ms | min ms |"
  echo "|---|---|---|"
  echo "| sbx_data::read_ipc (bytes in memory -> owned Dataset, validated) | $(j "$decode" median_ms) | $(j "$decode" min_ms) |"
  echo "| pyarrow $(j "$py" pyarrow_version) read from file (OSFile, copies) | $(j "$py" read_file_median_ms) | $(j "$py" read_file_min_ms) |"
  echo "| pyarrow open_file on an in-memory buffer (zero-copy) | $(j "$py" in_memory_median_ms) | $(j "$py" in_memory_min_ms) |"
  echo
  echo "## Full redraw (clear + draw), 1200x800 canvas, 24 categories"
  echo
  echo "| points | point size | median ms | min ms |"
  echo "|---|---|---|---|"
  for r in "$r1m2" "$r1m1" "$r100k"; do
    echo "| $(j "$r" points) | $(j "$r" point_px) px | $(j "$r" median_ms) | $(j "$r" min_ms) |"
  done
  echo
  echo "## Conversion of the largest shared h5ad (Visium prostate NP+CP, 2,327 spots x 1,255 genes, top 50 variable genes)"
  echo
  echo "| tool | wall ms (one run, including start-up) |"
  echo "|---|---|"
  echo "| sbx prepare | $conv_rs |"
  echo "| anndata + pyarrow (bench/data/prepare_anndata.py, including imports) | $conv_py |"
} > "$OUT"
cat "$OUT"
