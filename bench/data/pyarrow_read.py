"""Median time for pyarrow to read the same Arrow IPC file as sbx-data's decode.

Two numbers: reading the file from disk into owned memory (pa.OSFile: the bytes are
copied, like the browser's fetch + decode), and open_file on bytes already in memory
(zero-copy: pyarrow's arrays point into the buffer; a lower bound).
"""
import json
import statistics
import sys
import time

import pyarrow as pa
import pyarrow.ipc as ipc

path = sys.argv[1]
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 30


def median_ms(fn):
    ts = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        ts.append((time.perf_counter() - t) * 1e3)
    return statistics.median(ts), min(ts)


def from_disk():
    with pa.OSFile(path, "rb") as f:
        return ipc.open_file(f).read_all()


data = pa.py_buffer(open(path, "rb").read())


def in_memory():
    return ipc.open_file(data).read_all()


t = from_disk()
assert t.num_rows > 0
disk = median_ms(from_disk)
mem = median_ms(in_memory)
print(json.dumps({
    "rows": t.num_rows,
    "pyarrow_version": pa.__version__,
    "read_file_median_ms": round(disk[0], 3), "read_file_min_ms": round(disk[1], 3),
    "in_memory_median_ms": round(mem[0], 3), "in_memory_min_ms": round(mem[1], 3),
}))
