#!/usr/bin/env bash
# Long fuzz runs toward a coverage plateau: each target runs for SECONDS (default 900)
# from the committed corpus (read only) plus what earlier runs found (fuzz/corpus-new/,
# not committed: `cargo fuzz cmin` it into corpus/ to keep a finding), and the
# coverage reached at every doubling of executions is tabulated, so the plateau is
# visible. Writes bench/fuzz/RESULTS.md. Usage: bash bench/fuzz/run.sh [SECONDS] [targets…]
set -euo pipefail
cd "$(dirname "$0")/../../fuzz"
SECONDS_PER_TARGET="${1:-900}"; shift || true
TARGETS=("${@:-arrow grade trajectory manifest}")
read -r -a TARGETS <<<"${TARGETS[*]}"
export RUSTC_BOOTSTRAP=1
cargo fuzz build -O >/dev/null 2>&1
SCRATCH="$(mktemp -d)"; trap 'rm -rf "$SCRATCH"' EXIT
NEW=corpus-new
OUT=../bench/fuzz/RESULTS.md
{
  echo "# Long fuzz runs"
  echo
  echo "Reproduce: \`bash bench/fuzz/run.sh $SECONDS_PER_TARGET ${TARGETS[*]}\`. Run: $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, one target at a time, AddressSanitizer, \`-O\`, starting from the committed corpus plus $(find "$NEW" -type f 2>/dev/null | wc -l) inputs found by earlier runs."
  echo
  echo "Coverage (\`cov\` = edges, \`ft\` = features) when the execution count first passed each power of two, from libFuzzer's own log:"
  echo
} > "$OUT"
for t in "${TARGETS[@]}"; do
  mkdir -p "$NEW/$t"
  # Long inputs from the first execution: libFuzzer's default len_control raises the
  # length cap slowly, so earlier runs met long inputs only after 4-8 M executions and
  # found new paths there every time. Arrow files need up to 16 KiB.
  extra=(-len_control=0); [ "$t" = arrow ] && extra+=(-max_len=16384)
  log="$SCRATCH/$t.log"
  status=0
  cargo fuzz run -O "$t" "$NEW/$t" "corpus/$t" -- -max_total_time="$SECONDS_PER_TARGET" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 "${extra[@]}" >"$log" 2>&1 || status=$?
  python3 - "$t" "$log" "$status" "$SECONDS_PER_TARGET" >>"$OUT" <<'PY'
import re, sys
target, log, status, secs = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
rows, last = {}, None
for line in open(log, errors="replace"):
    m = re.match(r"#(\d+)\s+\S+\s+cov: (\d+) ft: (\d+)", line)
    if m:
        n, cov, ft = map(int, m.groups())
        last = (n, cov, ft)
        k = n.bit_length() - 1
        rows.setdefault(k, (n, cov, ft))
execs = re.findall(r"stat::number_of_executed_units: (\d+)", open(log, errors="replace").read())
crash = [l.strip() for l in open(log, errors="replace") if re.search(r"(ERROR: libFuzzer|panicked at|deadly signal|SUMMARY: AddressSanitizer)", l)]
print(f"## {target}\n")
print(f"{secs} s, {int(execs[-1]) if execs else (last[0] if last else 0):,} executions; exit status {status}; crashes: {len(crash) and crash[:3] or 'none'}\n")
print("| executions | cov | ft | cov gain since the previous doubling |")
print("|---:|---:|---:|---:|")
prev = None
for k in sorted(rows):
    if k < 14: continue
    n, cov, ft = rows[k]
    gain = f"{100 * (cov - prev) / prev:.2f} %" if prev else ""
    print(f"| {n:,} | {cov:,} | {ft:,} | {gain} |")
    prev = cov
if last:
    print(f"| {last[0]:,} (end) | {last[1]:,} | {last[2]:,} | |")
print()
PY
done
cat "$OUT"
