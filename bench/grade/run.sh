#!/usr/bin/env bash
# Grading throughput: `sbx grade` end to end and the Python reference
# (latch-eval-tools 0.4.54, installed in a throw-away virtualenv) on the same
# cases, in one run. Prints cases/second and the ratio; writes RESULTS.md.
#
# Usage: bench/grade/run.sh [CASES.jsonl] [COPIES]
#   CASES  default ../shared/conformance/public.jsonl (2,000 cases)
#   COPIES the file is repeated this many times for the end-to-end runs (default 10)
# SBX_GRADE_VENV=DIR reuses a virtualenv that already holds the reference
# (created there on first use) instead of a throw-away one.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cases="${1:-$repo/../shared/conformance/public.jsonl}"
copies="${2:-10}"
[ -f "$cases" ] || { echo "cases file not found: $cases" >&2; exit 1; }

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# The native profile: release (fat LTO, one codegen unit) at opt-level 3; the
# wasm bundle keeps the release profile's opt-level "z".
echo "== building sbx and the in-process timing example (profile native)"
(cd "$repo" && cargo build --profile native --quiet --bin sbx && cargo build --profile native --quiet -p sbx-grade --example grade_timing)
target="${CARGO_TARGET_DIR:-$repo/target}"
sbx="$target/native/sbx"
timing="$target/native/examples/grade_timing"

venv="${SBX_GRADE_VENV:-$tmp/venv}"
if ! "$venv/bin/python" -c 'import latch_eval_tools' 2>/dev/null; then
  echo "== installing the reference in a virtualenv ($venv)"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --no-deps latch-eval-tools==0.4.54 pydantic pydantic-core \
    annotated-types typing-extensions typing-inspection
fi
py="$venv/bin/python"

big="$tmp/cases.jsonl"
for _ in $(seq "$copies"); do cat "$cases"; done > "$big"
n_small=$(grep -c . "$cases")
n_big=$(grep -c . "$big")

# Best wall time of N runs of a command (seconds).
best_of() {
  local n=$1; shift
  local best=""
  for _ in $(seq "$n"); do
    local t0 t1 dt
    t0=$(date +%s.%N)
    "$@" > /dev/null
    t1=$(date +%s.%N)
    dt=$(echo "$t1 - $t0" | bc -l)
    if [ -z "$best" ] || [ "$(echo "$dt < $best" | bc -l)" = 1 ]; then best=$dt; fi
  done
  echo "$best"
}

echo "== end to end (process start, read, parse, grade, write JSON lines)"
sbx_small=$(best_of 5 "$sbx" grade --jobs 1 --nonfinite-sentinels --cases "$cases")
sbx_big=$(best_of 3 "$sbx" grade --jobs 1 --nonfinite-sentinels --cases "$big")
sbx_small_mt=$(best_of 5 "$sbx" grade --nonfinite-sentinels --cases "$cases")
sbx_big_mt=$(best_of 3 "$sbx" grade --nonfinite-sentinels --cases "$big")
py_small=$(best_of 5 "$py" "$here/reference.py" --e2e "$cases")
py_big=$(best_of 3 "$py" "$here/reference.py" --e2e "$big")

echo "== in process (cases already parsed; raw lines to verdict lines)"
"$timing" "$cases" 30 > "$tmp/timing.txt"
rust_inproc=$(sed -n 1p "$tmp/timing.txt" | sed -E 's/.*: ([0-9]+) cases\/s.*/\1/')
rust_inproc_mt=$(sed -n 2p "$tmp/timing.txt" | sed -E 's/.*: ([0-9]+) cases\/s.*/\1/')
rust_lines=$(sed -n 3p "$tmp/timing.txt" | sed -E 's/.*: ([0-9]+) lines\/s.*/\1/')
rust_phases=$(sed -n 4p "$tmp/timing.txt" | sed -E 's/^ *phases: //')
py_out=$("$py" "$here/reference.py" "$cases" 5)
py_inproc=$(echo "$py_out" | awk '/python_grade_parsed_cases_per_s/ {print $2}')
py_lines=$(echo "$py_out" | awk '/python_lines_to_verdicts_per_s/ {print $2}')

rate() { echo "$1 / $2" | bc -l | xargs printf '%.0f'; }
ratio() { echo "$1 / $2" | bc -l | xargs printf '%.1f'; }
met() { if [ "$(echo "$1 >= 50 * $2" | bc -l)" = 1 ]; then echo "yes"; else echo "no"; fi; }
r_sbx_small=$(rate "$n_small" "$sbx_small"); r_py_small=$(rate "$n_small" "$py_small")
r_sbx_big=$(rate "$n_big" "$sbx_big"); r_py_big=$(rate "$n_big" "$py_big")
r_sbx_small_mt=$(rate "$n_small" "$sbx_small_mt"); r_sbx_big_mt=$(rate "$n_big" "$sbx_big_mt")
cores=$(nproc)

cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //') ($(nproc) cores)"
load="$(cut -d' ' -f1-3 /proc/loadavg)"
report="$(cat <<MD
# Grading throughput: sbx-grade vs the Python reference

Cases: \`$(basename "$cases")\` ($n_small cases; the end-to-end "large" run repeats it $copies times, $n_big cases).
Reference: latch-eval-tools 0.4.54 graders, CPython $("$py" -c 'import sys; print(sys.version.split()[0])'), in a virtualenv.
Machine: $cpu, load average at start $load. \`sbx\` and the timing example are built with the
\`native\` profile (release at opt-level 3; the wasm bundle keeps opt-level "z").
Reproduce: \`bench/grade/run.sh\`.

| measurement | sbx (Rust) cases/s | Python reference cases/s | ratio | 50x? |
|---|---:|---:|---:|:---:|
| end to end, $n_small cases (incl. process start), one thread | $r_sbx_small | $r_py_small | $(ratio "$r_sbx_small" "$r_py_small")x | $(met "$r_sbx_small" "$r_py_small") |
| end to end, $n_small cases, $cores threads (\`sbx grade\` default) | $r_sbx_small_mt | $r_py_small | $(ratio "$r_sbx_small_mt" "$r_py_small")x | $(met "$r_sbx_small_mt" "$r_py_small") |
| end to end, $n_big cases, one thread | $r_sbx_big | $r_py_big | $(ratio "$r_sbx_big" "$r_py_big")x | $(met "$r_sbx_big" "$r_py_big") |
| end to end, $n_big cases, $cores threads | $r_sbx_big_mt | $r_py_big | $(ratio "$r_sbx_big_mt" "$r_py_big")x | $(met "$r_sbx_big_mt" "$r_py_big") |
| in process, raw lines to verdict lines, one thread | $rust_lines | $py_lines | $(ratio "$rust_lines" "$py_lines")x | $(met "$rust_lines" "$py_lines") |
| in process, grading parsed cases, one thread | $rust_inproc | $py_inproc | $(ratio "$rust_inproc" "$py_inproc")x | $(met "$rust_inproc" "$py_inproc") |
| in process, grading parsed cases, $cores threads | $rust_inproc_mt | $py_inproc | $(ratio "$rust_inproc_mt" "$py_inproc")x | $(met "$rust_inproc_mt" "$py_inproc") |

End to end = read the JSON Lines file, parse (Python-compatible JSON,
\`\$nonfinite\` sentinels decoded), grade, and write one verdict line per case
(metrics and reasoning included) — the same work on both sides. "Raw lines to
verdict lines" is that work in process, without process start and file I/O.
"Grading parsed cases" builds the full verdict (metrics and reasoning) of
already-parsed cases on both sides. The reference grades on one thread; the
rows with several threads are \`sbx grade\`'s default (one thread per core).

Phase by phase (sbx, one thread, in process): $rust_phases.

$(cat "$here/NOTES.md")
MD
)"
echo
echo "$report"
echo "$report" > "$here/RESULTS.md"
echo
echo "written: $here/RESULTS.md"
