"""Time scanpy/squidpy on the same inputs the Rust kernels were timed on
and write RESULTS.md with the ratios.

usage: bench_python.py DATA_DIR RUST_JSON OUT_MD [RUST_O3_JSON [WASM_JSON]]
RUST_JSON is the workspace release profile (opt-level "z" + LTO, what the
browser build uses); RUST_O3_JSON, if given, the same code at opt-level 3;
WASM_JSON, if given, the release build for wasm32-unknown-unknown run under
Node (bench/kernels/wasm).
DATA_DIR holds the raw arrays written by
`cargo run --release -p sbx-kernels --example bench_kernels -- --export DATA_DIR`.
"""
import json
import os
import platform
import sys
import time

import numpy as np
import pandas as pd
import scipy
import scipy.sparse as sp
import scipy.stats as st

data_dir, rust_json, out_md = sys.argv[1:4]
rust = json.load(open(rust_json))
rust_o3 = json.load(open(sys.argv[4])) if len(sys.argv) > 4 else None
wasm = json.load(open(sys.argv[5])) if len(sys.argv) > 5 else None
shape = json.load(open(f"{data_dir}/shape.json"))


def load(name, dtype):
    return np.fromfile(f"{data_dir}/{name}", dtype=dtype)


def timed(f):
    t = time.perf_counter()
    out = f()
    return time.perf_counter() - t, out


def best(f, repeat=3):
    return min(timed(f)[0] for _ in range(repeat))


t0 = time.perf_counter()
import anndata as ad  # noqa: E402
import scanpy as sc  # noqa: E402
import squidpy as sq  # noqa: E402

import_s = time.perf_counter() - t0

# --- DE: 24,919 genes x ~10,000 barcodes --------------------------------
X = sp.csr_matrix(
    (load("dbit_data.f32", "<f4"), load("dbit_indices.u32", "<u4"), load("dbit_indptr.u64", "<u8").astype(np.int64)),
    shape=(shape["dbit_rows"], shape["dbit_cols"]),
)
sex = load("dbit_sex.u32", "<u4")
donor = load("dbit_donor.u32", "<u4")
obs = pd.DataFrame({"sex": pd.Categorical(np.where(sex == 1, "M", "F")), "donor": pd.Categorical(donor.astype(str))})
obs.index = obs.index.astype(str)
base = ad.AnnData(X=X, obs=obs)


def barcode_level(method):
    a = base.copy()

    def run():
        sc.pp.normalize_total(a, target_sum=1e4)
        sc.pp.log1p(a)
        sc.tl.rank_genes_groups(a, "sex", groups=["M"], reference="F", method=method, tie_correct=True)
        return np.asarray(a.uns["rank_genes_groups"]["pvals_adj"]["M"], dtype=float)

    return timed(run)


def donor_level():
    n_d = int(donor.max()) + 1
    ind = sp.csr_matrix((np.ones(len(donor)), (donor, np.arange(len(donor)))), shape=(n_d, len(donor)))
    pb = np.asarray((ind @ X).todense())
    lcpm = np.log2(pb / pb.sum(1, keepdims=True) * 1e6 + 1)
    male = np.array([sex[donor == d][0] == 1 for d in range(n_d)])
    p = st.ttest_ind(lcpm[male], lcpm[~male], axis=0).pvalue
    p = np.nan_to_num(p, nan=1.0)
    return st.false_discovery_control(p)


py = {}
py["de_barcode_wilcoxon_s"] = min(barcode_level("wilcoxon")[0] for _ in range(2))
py["de_barcode_welch_s"] = min(barcode_level("t-test")[0] for _ in range(2))
py["de_donor_pseudobulk_s"] = best(donor_level)
_, padj_w = barcode_level("wilcoxon")
pct_scanpy = 100.0 * float((np.asarray(padj_w) < 0.05).mean())
pct_donor_py = 100.0 * float((donor_level() < 0.05).mean())

# --- spatial: ~100,000 cells --------------------------------------------
xk, yk = load("kidney_x.f32", "<f4"), load("kidney_y.f32", "<f4")
ct = load("kidney_celltype.u32", "<u4")
g10 = load("kidney_genes10.f32", "<f4").reshape(10, -1).T
k = ad.AnnData(X=np.ascontiguousarray(g10), obs=pd.DataFrame({"cell_type": pd.Categorical(ct)}, index=np.arange(len(ct)).astype(str)))
k.var_names = [f"g{i}" for i in range(10)]
k.obsm["spatial"] = np.c_[xk, yk].astype(np.float64)
py["knn_k10_s"] = best(lambda: sq.gr.spatial_neighbors(k, coord_type="generic", n_neighs=10))
sq.gr.spatial_neighbors(k, coord_type="generic", n_neighs=6)
first_nhood, _ = timed(lambda: sq.gr.nhood_enrichment(k, cluster_key="cell_type", n_perms=1000, seed=0, show_progress_bar=False))
py["nhood_enrichment_1000_s"] = best(lambda: sq.gr.nhood_enrichment(k, cluster_key="cell_type", n_perms=1000, seed=0, show_progress_bar=False), 2)
first_moran, _ = timed(lambda: sq.gr.spatial_autocorr(k, mode="moran", genes=list(k.var_names), n_perms=None, transformation=True))
py["morans_i_10_s"] = best(lambda: sq.gr.spatial_autocorr(k, mode="moran", genes=list(k.var_names), n_perms=None, transformation=True))
moran_py = k.uns["moranI"].loc[list(k.var_names), "I"].to_numpy()
z_py = np.diag(k.uns["cell_type_nhood_enrichment"]["zscore"])

rows = [
    ("DE barcode level, Wilcoxon (normalize+log1p+test+BH)", "de_barcode_wilcoxon_s", "scanpy rank_genes_groups wilcoxon"),
    ("DE barcode level, Welch t", "de_barcode_welch_s", "scanpy rank_genes_groups t-test"),
    ("DE donor level, pseudobulk t-test", "de_donor_pseudobulk_s", "numpy/scipy pseudobulk + ttest_ind + BH"),
    ("k-NN graph, k = 10, ~100k cells", "knn_k10_s", "squidpy spatial_neighbors"),
    ("nhood enrichment, 1,000 permutations", "nhood_enrichment_1000_s", "squidpy nhood_enrichment (warm)"),
    ("Moran's I, 10 genes", "morans_i_10_s", "squidpy spatial_autocorr (warm)"),
]
lines = [
    "# Kernel benchmarks: sbx-kernels (native, release profile) vs scanpy/squidpy",
    "",
    "Generated by `bench/kernels/run.sh`; same inputs on both sides (the simulated DBiT-like",
    "pseudoreplication scenario, 24,919 genes x ~10,000 barcodes, and the simulated Xenium-like kidney",
    "scenario, ~100,000 cells; default seed). Times are the best of repeated runs, in seconds.",
    "WASM timings are from Node's V8 (the engine of Chrome); the pages also time their own runs.",
    "",
    f"Machine: {platform.machine()}, {platform.processor() or 'cpu'}, Python {platform.python_version()}, "
    f"scanpy {sc.__version__}, squidpy {sq.__version__}, scipy {scipy.__version__}, numpy {np.__version__}; "
    f"{os.cpu_count()} CPUs, load average at the end {os.getloadavg()[0]:.1f} (other jobs share the machine, so"
    " absolute times are noisy; both sides ran in the same window).",
    "",
    "Columns: sbx-kernels natively with the workspace release profile (opt-level \"z\" + LTO, the",
    "settings the browser build uses), the same code at opt-level 3, and the release build compiled",
    "to wasm32-unknown-unknown run in Node's V8 (the browser's engine), all single-threaded.",
    "",
    "| workload | sbx native, release z (s) | sbx native, opt 3 (s) | sbx WASM (s) | Python (s) | Python tool | Python / native z | Python / WASM |",
    "|---|---:|---:|---:|---:|---|---:|---:|",
]
nan = float("nan")
for label, key, tool in rows:
    r, p = rust[key], py[key]
    r3 = rust_o3[key] if rust_o3 else nan
    w = wasm[key] if wasm else nan
    lines.append(f"| {label} | {r:.4f} | {r3:.4f} | {w:.4f} | {p:.4f} | {tool} | {p / r:.1f}x | {p / w:.1f}x |")
if wasm:
    lines += [
        "",
        f"WASM: simulating the DBiT-like scenario takes {wasm['sim_dbit_s']:.2f} s; barcode-level Wilcoxon + donor-level"
        f" pseudobulk together {wasm['de_barcode_wilcoxon_s'] + wasm['de_donor_pseudobulk_s']:.2f} s (target < 2 s);"
        f" the WASM results equal the native ones ({wasm['de_barcode_wilcoxon_value']:.2f}% and"
        f" {wasm['de_donor_pseudobulk_value']:.2f}% of genes).",
    ]
lines += [
    "",
    "One-off costs on the Python side (not in the table):",
    f"- importing scanpy + squidpy: {import_s:.2f} s",
    f"- squidpy nhood_enrichment first call (includes numba compilation): {first_nhood:.2f} s",
    f"- squidpy spatial_autocorr first call: {first_moran:.2f} s",
    "",
    "Agreement checks on the same data:",
    f"- % genes called at barcode level (Wilcoxon, BH 5%): scanpy {pct_scanpy:.2f}%; donor-level pseudobulk (scipy): {pct_donor_py:.2f}%",
    f"- Moran's I, max |sbx - squidpy| over 10 genes: {np.max(np.abs(np.array(rust['morans_i']) - moran_py)):.2e}",
    f"- nhood enrichment diagonal z-scores (permutation, so not identical): sbx {np.round(rust['nhood_z_diag'], 1).tolist()} vs squidpy {np.round(z_py, 1).tolist()}",
    "",
]
open(out_md, "w").write("\n".join(lines))
print("\n".join(lines))
