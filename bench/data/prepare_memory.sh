#!/usr/bin/env bash
# Peak memory of `sbx prepare` on a generated .h5ad of several hundred MB: the file read in
# place with X streamed by blocks (a file argument) against the whole-file read (the same
# file alone in a folder, which `sbx prepare` still reads into memory whole).
# Needs python3 with h5py and numpy (PYTHON=...), and GNU time at /usr/bin/time.
# Usage: PYTHON=/tmp/venv/bin/python bash bench/data/prepare_memory.sh [N_OBS N_VARS DENSITY]
set -euo pipefail
cd "$(dirname "$0")/../.."
PY="${PYTHON:-python3}"
N_OBS="${1:-200000}" N_VARS="${2:-2000}" DENSITY="${3:-0.1}"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}"
cargo build -q --bin sbx
SBX="$CARGO_TARGET_DIR/debug/sbx"
mkdir "$TMP/whole"
"$PY" tests/fixtures/h5ad/make_rows.py "$TMP/whole/large.h5ad" "$N_OBS" "$N_VARS" "$DENSITY"
ln -s "$TMP/whole/large.h5ad" "$TMP/large.h5ad"
ls -l "$TMP/whole/large.h5ad"
uptime
for args in "--top-genes 50 --max-points 20000" "--genes g1,g2 --max-points 20000" "--all-genes --max-points 2000"; do
  for input in "$TMP/large.h5ad" "$TMP/whole"; do
    # shellcheck disable=SC2086
    /usr/bin/time -f "%M KB peak RSS, %e s: sbx prepare $(basename "$input") $args" \
      "$SBX" prepare "$input" -o "$TMP/out.arrow" --quiet $args
  done
done
