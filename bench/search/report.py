"""Writes bench/search/RESULTS.md from the JSON of search_bench and py_re.py."""

import datetime
import json
import sys

tmp, load = sys.argv[1], sys.argv[2]
rust = json.load(open(f"{tmp}/rust.json"))
print("# Search benchmark\n")
print(f"`bash bench/search/run.sh`, {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%MZ}, "
      f"load average {load}, 2 cores. sbx-search built with the `native` profile (opt-level 3); "
      "Python's `re` scans the same step texts (dumped by the Rust side) with no index. "
      "Query times: Rust median of repeated runs (limit 100 hits, as the page asks), Python one full pass.\n")
for name in ["shared", "synthetic"]:
    r = rust[name]
    py = json.load(open(f"{tmp}/py.{name}.json"))
    print(f"## {name}: {r['trajectories']:,} trajectories, {r['steps']:,} steps, {r['text_mb']:.0f} MB of text\n")
    print(f"- index time {r['index_s']:.2f} s ({r['index_mb_per_s']:.0f} MB/s), "
          f"vocabulary {r['vocabulary']:,} tokens")
    print(f"- `Index::memory_bytes` {r['memory_bytes_mb']:.0f} MB "
          f"(text {r['text_mb']:.0f} MB + index {r['memory_bytes_mb'] - r['text_mb']:.0f} MB); "
          f"process RSS {r['rss_mb']:.0f} MB\n")
    print("| kind | query | sbx-search ms | matches (runs) | Python re ms | Python matches | ratio |")
    print("|---|---|---:|---|---:|---:|---:|")
    for q, p in zip(r["queries"], py["queries"]):
        assert q["query"] == p["query"]
        cap = " capped (lower bound)" if q["capped"] else ""
        cs = " (case-sensitive)" if q["case_sensitive"] else ""
        shown = q["query"].replace("|", "\\|")  # a pipe would end the table cell
        print(f"| {q['what']} | `{shown}`{cs} | {q['median_ms']:.1f} | {q['total']:,}{cap} ({q['runs_matched']:,}) "
              f"| {p['ms']:.0f} | {p['total']:,} | {p['ms'] / max(q['median_ms'], 1e-3):.0f}x |")
    print()
