#!/usr/bin/env python3
"""Eval-level comparison statistics on the scBench runs, computed independently
of the Rust code, written to eval_level_scbench.json beside this script.

    python3 bench/stats/eval_level.py [../shared/bench/scbench] [out.json]

For every pair of (model, harness) configurations in the runs, and for every
configuration alone, it computes from the run folders
(`trajectories/<eval>/<provider>/<model>/<harness>/r<N>/result.json`):

- per-eval pass rates (runs without a verdict left out) and their differences;
- the mean difference over shared evals;
- the exact paired permutation test over evals (scipy.stats.permutation_test,
  permutation_type="samples", every sign flip enumerated);
- the two-sided sign test (scipy.stats.binomtest on evals where one side is higher);
- a 95% percentile bootstrap interval over evals with SplitMix64 (seed and
  draw rule as crates/suite/src/stats/resample.rs, so it must agree exactly),
  and scipy.stats.bootstrap's percentile interval (its own generator: agreement
  is only approximate, a check that the resampling is the same kind);
- per configuration: accuracy with the t interval over per-eval means and the
  same bootstrap interval; mean time and cost over per-eval means;
- the time ratio GPT-5.5 / GPT-5.4 (mini-swe-agent) with its bootstrap interval.

The Rust test crates/suite/tests/stats_eval_level.rs loads the same folder
with sbx-suite and compares to this file.
"""

import json
import math
from fractions import Fraction
import sys
from pathlib import Path

import numpy as np
from scipy import stats

M64 = (1 << 64) - 1
SEED = 20_260_412
RESAMPLES = 10_000


class SplitMix64:
    def __init__(self, seed):
        self.s = seed & M64

    def next(self):
        self.s = (self.s + 0x9E3779B97F4A7C15) & M64
        z = self.s
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
        return z ^ (z >> 31)

    def index(self, n):
        return (self.next() * n) >> 64


def mean_at(values, idx):
    return sum(values[i] for i in idx) / len(idx)


def quantile(sorted_vals, q):
    pos = q * (len(sorted_vals) - 1)
    lo = math.floor(pos)
    hi = min(lo + 1, len(sorted_vals) - 1)
    return sorted_vals[lo] + (sorted_vals[hi] - sorted_vals[lo]) * (pos - lo)


def splitmix_bootstrap(n, stat):
    if n < 2:
        return None
    rng = SplitMix64(SEED)
    vals = []
    for _ in range(RESAMPLES):
        idx = [rng.index(n) for _ in range(n)]
        v = stat(idx)
        if v is not None and math.isfinite(v):
            vals.append(v)
    if 2 * len(vals) < RESAMPLES:
        return None
    vals.sort()
    return [quantile(vals, 0.025), quantile(vals, 0.975)]


def scipy_bootstrap(values):
    if len(values) < 2 or len(set(values)) < 2:
        return None
    r = stats.bootstrap((np.array(values),), np.mean, n_resamples=RESAMPLES,
                        method="percentile", random_state=np.random.default_rng(0))
    return [float(r.confidence_interval.low), float(r.confidence_interval.high)]


def load_runs(root):
    runs = []
    for f in sorted((root / "trajectories").glob("*/*/*/*/r*/result.json")):
        eval_id, _provider, model, harness, rdir = f.parts[-6:-1]
        doc = json.loads(f.read_text())
        res = doc.get("result") or {}
        g = res.get("grader_result") or {}
        passed = g.get("passed", res.get("passed"))
        meta = res.get("metadata") or {}
        duration = meta.get("duration_s", doc.get("agent_runtime_seconds"))
        runs.append(dict(eval=eval_id, key=(model, harness), passed=passed,
                         duration=duration, cost=meta.get("total_cost")))
    return runs


def per_eval(runs, key, field):
    acc = {}
    for r in runs:
        if r["key"] != key or r[field] is None:
            continue
        v = float(r[field])
        s = acc.setdefault(r["eval"], [0.0, 0])
        s[0] += v
        s[1] += 1
    return {e: s / n for e, (s, n) in sorted(acc.items())}


def t_interval(values):
    n = len(values)
    m = sum(values) / n
    if n < 2:
        return [m, None, None]
    h = stats.t.ppf(0.975, n - 1) * float(np.std(values, ddof=1)) / math.sqrt(n)
    return [m, m - h, m + h]


def exact_permutation_p(runs, a, b, shared):
    """The same test in exact rational arithmetic: scipy's floating-point
    statistic can miss ties when the observed mean difference is 0 up to
    rounding (it then reports p < 1 for a difference of exactly 0)."""
    def rate(key, e):
        v = [bool(r["passed"]) for r in runs if r["key"] == key and r["eval"] == e and r["passed"] is not None]
        return Fraction(sum(v), len(v))
    d = [rate(a, e) - rate(b, e) for e in shared]
    obs = abs(sum(d))
    n = len(d)
    hits = sum(abs(sum(-x if m >> i & 1 else x for i, x in enumerate(d))) >= obs for m in range(1 << n))
    return hits / (1 << n)


def compare(runs, a, b):
    ra, rb = per_eval(runs, a, "passed"), per_eval(runs, b, "passed")
    shared = [e for e in ra if e in rb]
    d = [100.0 * (ra[e] - rb[e]) for e in shared]
    out = {"a": list(a), "b": list(b), "evals": shared, "differences": d}
    if not d:
        return out
    out["mean_difference"] = sum(d) / len(d)
    pos, neg = sum(x > 0 for x in d), sum(x < 0 for x in d)
    out["a_higher"], out["b_higher"] = pos, neg
    out["sign_p"] = float(stats.binomtest(pos, pos + neg, 0.5).pvalue) if pos + neg else 1.0
    perm = stats.permutation_test((np.array(d),), np.mean, permutation_type="samples",
                                  alternative="two-sided", n_resamples=np.inf)
    out["scipy_permutation_p"] = float(perm.pvalue)
    out["permutation_p"] = exact_permutation_p(runs, a, b, shared)
    out["bootstrap"] = splitmix_bootstrap(len(d), lambda idx: mean_at(d, idx))
    out["scipy_bootstrap"] = scipy_bootstrap(d)
    return out


def model_row(runs, key):
    rates = per_eval(runs, key, "passed")
    acc = [100.0 * v for v in rates.values()]
    t = per_eval(runs, key, "duration")
    c = per_eval(runs, key, "cost")
    return {
        "key": list(key),
        "n_evals": len(acc),
        "accuracy_t": t_interval(acc),
        "accuracy_bootstrap": splitmix_bootstrap(len(acc), lambda idx: mean_at(acc, idx)),
        "time_t": t_interval(list(t.values())) if t else None,
        "cost_t": t_interval(list(c.values())) if c else None,
    }


def ratio(runs, newer, older, field):
    pn, po = per_eval(runs, newer, field), per_eval(runs, older, field)
    shared = [e for e in pn if e in po]
    xn, xo = [pn[e] for e in shared], [po[e] for e in shared]

    def stat(idx):
        d = mean_at(xo, idx)
        return mean_at(xn, idx) / d if d > 0 else None

    return {"newer": list(newer), "older": list(older), "measure": field,
            "n_evals": len(shared), "ratio": stat(list(range(len(shared)))),
            "bootstrap": splitmix_bootstrap(len(shared), stat)}


def main():
    here = Path(__file__).resolve().parent
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else here.parents[2] / "shared/bench/scbench"
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else here / "eval_level_scbench.json"
    runs = load_runs(root)
    keys = sorted({r["key"] for r in runs})
    rng = SplitMix64(0)
    doc = {
        "source": "scbench runs (trajectories/*/*/*/*/r*/result.json)",
        "seed": SEED,
        "resamples": RESAMPLES,
        "splitmix64_seed0_first": [rng.next(), rng.next()],
        "n_runs": len(runs),
        "models": [model_row(runs, k) for k in keys],
        "comparisons": [compare(runs, a, b) for i, a in enumerate(keys) for b in keys[i + 1:]],
        "ratios": [ratio(runs, ("gpt-5.5", "mini-swe-agent"), ("gpt-5.4", "mini-swe-agent"), f)
                   for f in ("duration", "cost")]
                  + [ratio(runs, ("claude-opus-4-7", "mini-swe-agent"), ("claude-opus-4-6", "mini-swe-agent"), "duration")],
    }
    out.write_text(json.dumps(doc, indent=1) + "\n")
    print(f"{len(runs)} runs, {len(keys)} configurations, {len(doc['comparisons'])} pairs -> {out}")


if __name__ == "__main__":
    main()
