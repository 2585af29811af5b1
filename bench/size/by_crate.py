#!/usr/bin/env python3
"""Sums a twiggy CSV listing (`twiggy top -n 1000000 -f csv`) by crate.

Each item is charged to the first crate of Cargo.lock its demangled name
mentions, so `core::ptr::drop_in_place<sbx_suite::Suite>` and
`<impl serde::Deserialize for sbx_suite::Step>::deserialize` both count as
sbx_suite (generic code is paid for by the crate that instantiates it);
names that mention only the standard library count as `std`; data segments
and tables are listed apart. Prints bytes and share per crate, largest first.
Usage: by_crate.py twiggy.csv Cargo.lock [top-n]"""
import csv
import re
import sys
from collections import Counter

STD = {"core", "alloc", "std", "compiler_builtins", "dlmalloc"}
IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?=::)")


def crates_in_lock(lock: str) -> set:
    names = re.findall(r'^name = "([^"]+)"', open(lock).read(), re.M)
    return {n.replace("-", "_") for n in names}


def charge(name: str, known: set) -> str:
    if not IDENT.search(name):
        return "<" + name.split("[")[0].split("\"")[0].strip() + ">"
    first_std = None
    # the serde traits are generic glue: charge the type they are implemented for
    for m in IDENT.finditer(name):
        c = m.group(0)
        if c in known and c not in ("serde", "serde_core"):
            return c
        if c in STD and first_std is None:
            first_std = "std"
    for m in IDENT.finditer(name):
        if m.group(0) in ("serde", "serde_core"):
            return "serde"
    return first_std or "<other>"


def main() -> None:
    known = crates_in_lock(sys.argv[2]) | {"spatialbench_explorer"}
    top = int(sys.argv[3]) if len(sys.argv) > 3 else 40
    sizes, counts = Counter(), Counter()
    total = 0
    for r in csv.DictReader(open(sys.argv[1])):
        name = r["Name"]
        if "function names" in name or name.startswith(("custom section", "Σ", "... and")):
            continue
        c = charge(name, known)
        sizes[c] += int(r["ShallowSize"])
        counts[c] += 1
        total += int(r["ShallowSize"])
    print(f"{'bytes':>10}  {'share':>6}  {'items':>6}  crate   (code and data, without names: {total} bytes)")
    for c, b in sizes.most_common(top):
        print(f"{b:>10}  {100 * b / total:5.1f}%  {counts[c]:>6}  {c}")


if __name__ == "__main__":
    main()
