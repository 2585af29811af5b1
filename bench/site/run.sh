#!/usr/bin/env bash
# In-browser figures of the release site, side by side with pyarrow in the same run:
# decode of 1,000,000 rows (x, y, two categorical and two float columns) and full
# redraws of 1,000,000 and 100,000 points in headless Chromium, frame rates while
# panning and zooming 1,000,000 points with real mouse input, WebAssembly memory;
# 10,000,000 points: first picture, pan and zoom frame rates, a lasso, memory, the longest
# main-thread task of the load, and the level of detail beside every point drawn on the CPU
# and with WebGL2;
# and the gzip size of the wasm.
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

runs=(); repeats=(); runs100k=(); pans=(); zooms=(); parts=()
for i in 1 2 3; do
  out=$(cd tests/e2e && SBX_DIST="$(cd ../.. && realpath "$DIST")" node --test --test-name-pattern='(1,000,000|100,000) synthetic|multi-batch' spatial.test.mjs 2>&1) \
    || { echo "$out" | tail -40 >&2; echo "the synthetic-points e2e tests failed" >&2; exit 1; }
  runs+=("$(grep -o 'synthetic 1M: decode [0-9.]* ms, rasterize [0-9.]* ms, full redraw [0-9.]* ms' <<<"$out" | sed 's/^synthetic 1M: //')")
  repeats+=("$(grep -o 'synthetic 1M: repeat decode .* ms' <<<"$out" | sed 's/^synthetic 1M: repeat decode //')")
  runs100k+=("$(grep -o 'synthetic 100k: decode [0-9.]* ms, rasterize [0-9.]* ms, full redraw [0-9.]* ms' <<<"$out" | sed 's/^synthetic 100k: //')")
  pans+=("$(grep -o 'synthetic 1M pan: .*' <<<"$out" | sed 's/^synthetic 1M pan: //')")
  zooms+=("$(grep -o 'synthetic 1M zoom: .*' <<<"$out" | sed 's/^synthetic 1M zoom: //')")
  parts+=("$(grep -o 'large file in parts: .*' <<<"$out" | sed 's/^large file in parts: //')")
  mem=$(grep -o 'WebAssembly memory [0-9.]* MB' <<<"$out")
done
# Case studies: time to the first wrong/right verdicts (from the precomputed answers)
# and to their live confirmation by the page's worker, per case (tests/e2e/cases.test.mjs).
# A cold load of the app: a fresh browser context, the overview with its counts.
cold_out=$(cd tests/e2e && SBX_DIST="$(cd ../.. && realpath "$DIST")" node --test --test-name-pattern='cold load' shell.test.mjs 2>&1) \
  || { echo "$cold_out" | tail -40 >&2; echo "the cold-load e2e test failed" >&2; exit 1; }
cold=$(grep -o 'cold load: .*' <<<"$cold_out" | sed 's/^cold load: //')
cases_out=$(cd tests/e2e && SBX_DIST="$(cd ../.. && realpath "$DIST")" node --test --test-concurrency=1 cases.test.mjs 2>&1) \
  || { echo "$cases_out" | tail -40 >&2; echo "the case-study e2e tests failed" >&2; exit 1; }
case_rows=$(grep -o '[a-z_]*: first verdict [0-9]* ms after the click, recomputed live and identical at [0-9]* ms' <<<"$cases_out" \
  | perl -pe 's/^([a-z_]+): first verdict ([0-9]+) ms after the click, recomputed live and identical at ([0-9]+) ms$/| $1 | $2 ms | $3 ms (identical) |/')
# 10,000,000 points: one run (the file alone takes a while to generate and decode).
out10=$(cd tests/e2e && SBX_DIST="$(cd ../.. && realpath "$DIST")" node --test --test-name-pattern='10,000,000 synthetic' spatial.test.mjs 2>&1) \
  || { echo "$out10" | tail -40 >&2; echo "the 10M-point e2e test failed" >&2; exit 1; }
first10=$(grep -o 'synthetic 10M: decode .*' <<<"$out10" | sed 's/^synthetic 10M: //')
pan10=$(grep -o 'synthetic 10M pan: .*' <<<"$out10" | sed 's/^synthetic 10M pan: //; s/; [0-9]* rows in the last picture$//')
rows10=$(grep -o '[0-9]* rows in the last picture' <<<"$out10")
zoom10=$(grep -o 'synthetic 10M zoom: .*' <<<"$out10" | sed 's/^synthetic 10M zoom: //')
lasso10=$(grep -o 'synthetic 10M lasso: .*' <<<"$out10" | sed 's/^synthetic 10M lasso: //')
mem10=$(grep -o 'synthetic 10M: WebAssembly memory .*' <<<"$out10" | sed 's/^synthetic 10M: //')
gl10=$(grep -o 'WebGL2 renderer in this browser: .*' <<<"$out10" | sed 's/^WebGL2 renderer in this browser: //')
load10=$(grep -o 'synthetic 10M: from the click to the built tiles .*' <<<"$out10" | sed 's/^synthetic 10M: //')
side10=$(grep -o 'synthetic 10M side by side (fitted view, per frame): .*' <<<"$out10" | sed 's/^synthetic 10M side by side (fitted view, per frame): //')
gz=$(gzip -9c "$DIST/spatialbench-explorer_bg.wasm" | wc -c)
raw=$(stat -c %s "$DIST/spatialbench-explorer_bg.wasm")
# "58.1 frames/s, worst frame 33.4 ms, 57.0 redraws/s (redraw mean 7.1 ms, max 9.8 ms; 120 frames, 118 redraws in
# 2.07 s; 119 frames with new input, 130 events received), 480 mouse moves" (a line of the e2e test) → one table row
cells() {
  perl -pe 's/^([0-9.]+) frames\/s, worst frame ([0-9.]+) ms, ([0-9.]+) redraws\/s \(redraw mean ([0-9.]+) ms, max ([0-9.]+) ms; ([0-9]+) frames, ([0-9]+) redraws in ([0-9.]+) s; ([0-9]+) frames with new input, ([0-9]+) events received\), ([0-9]+) (.*)$/$1 | $2 ms | $3 | $4 ms ($5 ms) | $11 $12 sent in $8 s, $10 received; new input in $9 of $6 frames, $7 redraws/' <<<"$1"
}
j() { "$VENV/bin/python" -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }
{
  echo "# Release site in headless Chromium"
  echo
  echo "Reproduce: \`bash .ci/build-site && bash bench/site/run.sh\`. Run: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $(chromium --version | head -1)."
  echo
  echo "## 1,000,000 synthetic points in the page (Datasets → \"1,000,000 synthetic points\")"
  echo
  echo "Full redraw: the mean of 30 redraws of a panned view, each rasterize + putImageData (Performance → \"Measure 30 redraws\")."
  echo
  echo "*Cold*: the first decode in a fresh page, which runs the decoder for the first time (V8 compiles"
  echo "WebAssembly lazily, first with its baseline compiler Liftoff, and optimises a function with TurboFan only once"
  echo "it has run a while; see BENCHMARKS.md). *Warm*: the same file opened three more times in the page (the figure"
  echo "comparable to pyarrow's median). The file has 16 record batches; the page decodes it batch by batch and draws"
  echo "the first batch at once."
  echo
  echo "| run | cold: first decode in a fresh page, rasterize, full redraw | warm: decode when the same file is opened again (3 times) |"
  echo "|---|---|---|"
  for i in 0 1 2; do echo "| $((i+1)) | ${runs[$i]} | ${repeats[$i]} |"; done
  echo
  echo "pyarrow $(j "$py" pyarrow_version), same shape of file, same run: read from file median $(j "$py" read_file_median_ms) ms (min $(j "$py" read_file_min_ms) ms)."
  echo
  echo "$mem after loading the 1M-point dataset."
  echo
  echo "## 1,000,000 synthetic points drawn while they decode"
  echo
  echo "From the click (the worker writes the file, then the page decodes it) in a fresh page; main-thread tasks"
  echo "over 50 ms from a PerformanceObserver, between the click and the end of the decode."
  echo
  echo "| run | first picture, progress bar, decoding, long tasks |"
  echo "|---|---|"
  for i in 0 1 2; do echo "| $((i+1)) | ${parts[$i]} |"; done
  echo
  echo "## 100,000 synthetic points in the page (Datasets → \"100,000 synthetic points\")"
  echo
  echo "| run | WASM in Chromium |"
  echo "|---|---|"
  for i in 0 1 2; do echo "| $((i+1)) | ${runs100k[$i]} |"; done
  echo
  echo "## Pan and zoom at 1,000,000 points"
  echo
  echo "Real input from Playwright for 2 s each: a mouse drag across the canvas at 250 events/s of 1-3 px, then the"
  echo "wheel at 125 events/s (6% zoom each, swinging between the fitted view and 4.5 times closer). *frames/s*: animation"
  echo "frames the page ran (requestAnimationFrame timestamps); *worst frame*: the longest gap between two of them;"
  echo "*redraws/s*: new pictures of the viewer, which draws at most once per animation frame with the latest view;"
  echo "*redraw*: the viewer's own rasterize + putImageData time per redraw. *input events*: sent by Playwright, received"
  echo "by the page (Chromium coalesces mouse moves and wheel events to about one per frame), and the number of frames into"
  echo "which new input arrived: a fluid viewer redraws once in each of those frames."
  echo
  echo "| run | gesture | frames/s | worst frame | redraws/s | redraw mean (max) | input events |"
  echo "|---|---|---|---|---|---|---|"
  for i in 0 1 2; do
    echo "| $((i+1)) | pan | $(cells "${pans[$i]}") |"
    echo "| $((i+1)) | zoom | $(cells "${zooms[$i]}") |"
  done
  echo
  echo "## Cold load of the app"
  echo
  echo "A fresh browser context (no HTTP cache, no compiled wasm kept) opening the overview: $cold."
  echo
  echo "## Case studies: precomputed at once, then confirmed live"
  echo
  echo "From the click on a case in the Case studies index: *first verdict*, both wrong and right verdicts shown (from the"
  echo "answers precomputed at build time by the site's own data worker, fetched with their maps); *live confirmation*, the"
  echo "page's worker has simulated the scenario and recomputed every precomputed answer, and found each digest identical."
  echo "Before precomputation the first verdicts took 1.7 s (normalisation) to 10.4 s (batch integration) on this machine."
  echo
  echo "| case | first verdict | live confirmation |"
  echo "|---|---|---|"
  echo "$case_rows"
  echo
  echo "## 10,000,000 synthetic points (Datasets → \"10,000,000 synthetic points\")"
  echo
  echo "The viewer draws datasets of 2,000,000 points or more through level-of-detail tiles (sbx-render \`Lod\`):"
  echo "far out one block per cell of at most 2 pixels in the top row's colour, close in every row of the visible tiles;"
  echo "hover, box and lasso go through the same tiles. The file is decoded in slices of 25 ms and drawn as it arrives;"
  echo "the tiles are built after it, a step of about 1M rows per task, and until they are there the viewer draws one"
  echo "point in five (and says so). *First picture*: from the viewer opening on the file's first rows to their picture."
  echo "*Long tasks*: main-thread tasks over 50 ms (PerformanceObserver) from the click to the built tiles."
  echo
  echo "| measurement | sbx (this run) | peers (published, with a GPU) |"
  echo "|---|---|---|"
  echo "| decode, tiles, first picture | $first10 | |"
  echo "| pan | $pan10 | deck.gl: ~1M points at 60 fps, 10–20 fps near 10M; regl-scatterplot: up to 20M points |"
  echo "| zoom | $zoom10 | Rerun web viewer: tops out near 2M points |"
  echo "| lasso around ~1M points | $lasso10 | Vitessce: lasso slows above 1M points; napari-spatialdata caps at 100k points |"
  echo "| memory | $mem10 | |"
  echo "| click to built tiles, long tasks | $load10 | |"
  echo
  echo "Rows the level of detail drew after the pan: $rows10 (of 10,000,000)."
  echo
  echo "### The choices side by side"
  echo
  echo "Performance → \"Compare: every point on the CPU and with WebGL2\" on the fitted view, beside \"Measure 30 redraws\""
  echo "(the level of detail as the viewer draws it): 30 frames each, or as many as fit in 2 s; a WebGL2 frame is timed"
  echo "until a fence says the GPU is done. WebGL2 in this headless Chromium: $gl10 (a software renderer when it names"
  echo "SwiftShader: no GPU on this machine, so its figure is not what a GPU would give)."
  echo
  echo "$side10"
  echo
  echo "## Size"
  echo
  echo "spatialbench-explorer_bg.wasm: $raw bytes, $gz bytes gzip -9."
} > bench/site/RESULTS.md
cat bench/site/RESULTS.md
