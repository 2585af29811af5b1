"""Differential test against the Python reference: mutate conformance cases at
random (sub-values swapped for awkward ones, grader types swapped), grade them
with the reference and with `sbx grade`, and report every disagreement in
passed / score / configuration_error / numeric, boolean and list metrics.

Usage: python differential.py SBX_BINARY CASES.jsonl [N] [SEED]
(run with the virtualenv's python that has latch-eval-tools installed)
"""

import json
import math
import random
import subprocess
import sys

sys.path.insert(0, __import__("os").path.dirname(__file__))
from reference import decode, grade, import_graders, result_line  # noqa: E402

AWKWARD = [None, float("nan"), float("inf"), float("-inf"), -1, 0, 1, 2, True, False, 1e308, -0.0, 0.5,
           10**30, "", " ", "x", "NaN", "1_0", " 1.5 ", "inf", [], {}, [[]], [None], [1, "1", 1.0, True],
           ["a", "b"], {"a": 1}, "gate", "hard_fail", "additive", "absolute", "relative", "min", "max",
           {"op": "equals", "arg": 1}, {"type": "absolute", "value": 1}, "A", "b", "refuse", "comply",
           "٣", "\x1f1", "<REFUSE>", 3, 100, 0.999, 1.0, "Gfap", ["Gfap", "gfap"]]
KEYS = ["value", "type", "lower", "upper", "answer_field", "name", "role", "threshold", "points", "pass_rule",
        "min_passing_children", "score_threshold", "k", "tuple_pass_min", "additive_score_min", "deduplicate_by",
        "match_key_normalize", "per_tuple_rule", "per_entry_rule", "all_keys_required", "expected_count", "tolerance",
        "scoring", "pass_thresholds", "pass_threshold", "default", "table", "expected", "correct_answers",
        "require_all_rationales", "allow_extra_rationales", "rationale", "decision", "total_cells", "min", "max"]
TYPES = ["numeric_tolerance", "numeric_range", "label_set_jaccard", "distribution_comparison",
         "marker_gene_precision_recall", "marker_gene_separation", "spatial_adjacency", "multiple_choice",
         "refusal_vocab", "predicate_leaf", "all_of", "average_of", "list_match", "dict_match",
         "longest_subsequence", "finished_file"]


def mutate(v, rng, depth=0):
    if depth < 6 and rng.random() < 0.67:
        if isinstance(v, list) and v:
            i = rng.randrange(len(v))
            v[i] = mutate(v[i], rng, depth + 1)
            return v
        if isinstance(v, dict) and v:
            k = rng.choice(list(v))
            if rng.random() < 0.1:
                del v[k]
                return v
            if rng.random() < 0.1:
                v[rng.choice(KEYS)] = v.pop(k)
                return v
            v[k] = mutate(v[k], rng, depth + 1)
            return v
    return json.loads(json.dumps(rng.choice(AWKWARD)))


def same(a, b):
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return (math.isnan(a) and math.isnan(b)) if isinstance(a, float) and math.isnan(a) else a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b


def main():
    sbx, path = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 5000
    rng = random.Random(int(sys.argv[4]) if len(sys.argv) > 4 else 1)
    graders = import_graders()
    base = [decode(json.loads(l)) for l in open(path, encoding="utf-8") if l.strip()]
    cases = []
    for _ in range(n):
        c = json.loads(json.dumps(rng.choice(base)))  # deep copy (NaN tokens kept)
        c = {"grader": c["grader"], "answer": c.get("answer")}
        r = rng.random()
        if r < 0.45:
            c["grader"]["config"] = mutate(c["grader"].get("config"), rng)
        elif r < 0.9:
            c["answer"] = mutate(c["answer"], rng)
        else:
            c["grader"]["type"] = rng.choice(TYPES)
        cases.append(c)
    lines = [json.dumps(c) for c in cases]
    # Reference verdicts on exactly what sbx reads (NaN objects shared as json.loads does).
    expected = [result_line(grade(graders, json.loads(l))) for l in lines]
    out = subprocess.run([sbx, "grade", "--cases", "-"], input="\n".join(lines) + "\n",
                         capture_output=True, text=True, check=True).stdout.splitlines()
    bad = 0
    string_diffs = []
    for line, exp, got in zip(lines, expected, out):
        got = json.loads(got)
        exp = json.loads(json.dumps(exp, default=str))
        probs = [k for k in ("passed", "score", "configuration_error") if not same(exp[k], got.get(k))]
        em, gm = exp["metrics"], got.get("metrics", {})
        for k, v in em.items():
            if isinstance(v, (int, float, list)) and not same(v, gm.get(k, "<missing>")):
                probs.append("metrics." + k)
        for k, v in em.items():
            if isinstance(v, (str, dict)) and not same(v, gm.get(k)):
                string_diffs.append((k, v, gm.get(k)))
        if set(em) != set(gm):
            probs.append("metric keys %s" % sorted(set(em) ^ set(gm)))
        if probs:
            bad += 1
            if bad <= 25:
                print("DIFF", probs, line[:600])
                print("   ref:", json.dumps(exp)[:400])
                print("   sbx:", json.dumps(got)[:400])
    print(f"{n} mutated cases: {bad} disagreements; "
          f"{len(string_diffs)} string/object metric differences (best effort, not counted)")
    for k, v, g in string_diffs[:8]:
        print("   string metric", k, "ref:", repr(v)[:200], "sbx:", repr(g)[:200])


if __name__ == "__main__":
    main()
