"""Python peer of the search benchmark: the same queries as
crates/search/examples/search_bench.rs, with Python's `re`, over the same step
texts (read from the dump that example writes). A step matches a word query
when every word or "quoted phrase" occurs (case-insensitive unless asked);
a regex query is one pattern with re.MULTILINE. Prints JSON."""

import json
import re
import sys
import time

QUERIES = [
    ("word", "normalize_total", False, False),
    ("word", "pydeseq2", False, False),
    ("word", "harmony", False, False),
    ("word", "leiden", False, False),
    ("word", "cell2location", False, False),
    ("2 words", "adata obs", False, False),
    ("word, case", "DESeq2", False, True),
    ("phrase", '"sc.pp.normalize_total"', False, False),
    ("phrase", '"import scanpy as sc"', False, False),
    ("regex", r"sc\.tl\.(leiden|louvain)\(", True, False),
    ("regex", r"n_top_genes\s*=\s*\d+", True, False),
    ("regex", r"\d+\.\d+e-\d+", True, False),
]


def load(path):
    steps = []
    with open(path, "rb") as f:
        data = f.read()
    pos = 0
    while pos < len(data):
        nl = data.index(b"\n", pos)
        run, step, kind, n = data[pos:nl].split(b"\t")
        start = nl + 1
        end = start + int(n)
        steps.append((int(run), int(step), data[start:end].decode("utf-8")))
        pos = end
    return steps


def terms(text):
    out, rest = [], text
    while rest.strip():
        rest = rest.lstrip()
        if rest.startswith('"'):
            end = rest.find('"', 1)
            end = len(rest) if end < 0 else end
            if end > 1:
                out.append(rest[1:end])
            rest = rest[end + 1:]
        else:
            m = re.match(r'[^\s"]+', rest)
            out.append(m.group(0))
            rest = rest[m.end():]
    return out


def main():
    steps = load(sys.argv[1])
    rows = []
    for what, text, is_regex, cs in QUERIES:
        flags = re.MULTILINE | (0 if cs else re.IGNORECASE)
        t0 = time.perf_counter()
        pats = [re.compile(text, flags)] if is_regex else [re.compile(re.escape(w), flags) for w in terms(text)]
        total, runs = 0, set()
        for run, _step, s in steps:
            if all(p.search(s) for p in pats):
                total += 1
                runs.add(run)
        ms = (time.perf_counter() - t0) * 1e3
        rows.append({"what": what, "query": text, "case_sensitive": cs, "ms": ms, "total": total, "runs_matched": len(runs)})
    print(json.dumps({"steps": len(steps), "python": sys.version.split()[0], "queries": rows}))


if __name__ == "__main__":
    main()
