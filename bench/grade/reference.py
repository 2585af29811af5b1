"""Grade every case of a conformance JSON Lines file with the Python reference
graders (latch-eval-tools) and print the throughput.

Usage: python reference.py CASES.jsonl [REPEATS]
       python reference.py --e2e CASES.jsonl > verdicts.jsonl
Decodes the {"$nonfinite": ...} sentinels the way the conformance README says
(every NaN the same object), grades each case with the registered grader, and
times grading only (cases already parsed) and parse + grade.
"""

import importlib
import json
import sys
import time
import types


class _Stub(types.ModuleType):
    """A stand-in for an optional dependency the deterministic graders never call."""

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return type(name, (Exception,), {})


def import_graders():
    # The package pulls in optional LLM clients (rubric grader, harness); the
    # deterministic graders only need pydantic, so missing modules are stubbed
    # and the package's own __init__ (which starts the harness) is skipped.
    import importlib.util

    spec = importlib.util.find_spec("latch_eval_tools")
    root = types.ModuleType("latch_eval_tools")
    root.__path__ = list(spec.submodule_search_locations)
    for _ in range(50):
        sys.modules["latch_eval_tools"] = root
        try:
            return importlib.import_module("latch_eval_tools.graders")
        except ModuleNotFoundError as exc:
            missing = exc.name
            if not missing or missing.startswith("latch_eval_tools"):
                raise
            for k in [k for k in sys.modules if k.startswith("latch_eval_tools.")]:
                del sys.modules[k]
            parts = missing.split(".")
            for i in range(1, len(parts) + 1):
                name = ".".join(parts[:i])
                if name not in sys.modules:
                    mod = _Stub(name)
                    mod.__path__ = []
                    sys.modules[name] = mod
    raise RuntimeError("could not import latch_eval_tools.graders")


NAN = json.loads("NaN")
SENTINELS = {"NaN": NAN, "Infinity": float("inf"), "-Infinity": float("-inf")}


def decode(v):
    if isinstance(v, dict):
        if len(v) == 1 and "$nonfinite" in v and v["$nonfinite"] in SENTINELS:
            return SENTINELS[v["$nonfinite"]]
        return {k: decode(x) for k, x in v.items()}
    if isinstance(v, list):
        return [decode(x) for x in v]
    return v


def grade(graders, case):
    spec = case["grader"]
    g = graders.GRADER_REGISTRY[spec["type"]]()
    try:
        return g.evaluate_answer(case.get("answer"), spec.get("config", {}))
    except Exception as exc:  # the runner records a crash as a failed verdict
        return exc


def result_line(r):
    if isinstance(r, Exception):
        return {"passed": False, "score": 0.0, "score_max": 1.0, "configuration_error": False,
                "metrics": {"grader_error": str(r)}, "reasoning": str(r)}
    return {"passed": r.passed, "score": r.score, "score_max": r.score_max,
            "configuration_error": "configuration_error" in r.metrics,
            "metrics": r.metrics, "reasoning": r.reasoning}


def e2e(path):
    """The same work as `sbx grade`: read, parse, grade, write one JSON line per case."""
    graders = import_graders()
    out = sys.stdout
    for line in open(path, encoding="utf-8"):
        try:
            case = decode(json.loads(line))
            out.write(json.dumps(result_line(grade(graders, case)), default=str) + "\n")
        except ValueError as exc:
            out.write(json.dumps({"error": str(exc)}) + "\n")


def main():
    if sys.argv[1] == "--e2e":
        return e2e(sys.argv[2])
    path = sys.argv[1]
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    graders = import_graders()
    lines = [l for l in open(path, encoding="utf-8") if l.strip()]
    cases = [decode(json.loads(l)) for l in lines]
    best_grade = best_total = best_lines = float("inf")
    for _ in range(repeats):
        # Raw lines to verdict lines, as e2e() does them between its reads and writes.
        t0 = time.perf_counter()
        out = []
        for l in lines:
            out.append(json.dumps(result_line(grade(graders, decode(json.loads(l)))), default=str))
        best_lines = min(best_lines, time.perf_counter() - t0)
        t0 = time.perf_counter()
        for c in cases:
            grade(graders, c)
        best_grade = min(best_grade, time.perf_counter() - t0)
        t0 = time.perf_counter()
        for l in lines:
            grade(graders, decode(json.loads(l)))
        best_total = min(best_total, time.perf_counter() - t0)
    n = len(cases)
    print(f"python_grade_parsed_cases_per_s {n / best_grade:.0f}")
    print(f"python_parse_and_grade_cases_per_s {n / best_total:.0f}")
    print(f"python_lines_to_verdicts_per_s {n / best_lines:.0f}")


if __name__ == "__main__":
    main()
