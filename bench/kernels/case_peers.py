"""The case studies' slow live analyses done the usual Python way, on the same
simulated data (written by `case_times --export DIR`), timed best of 3:

* batch integration: scanpy normalize_total(1e4) + log1p + scale(max 10) + PCA (20,
  arpack) + 15-NN graph + Leiden (igraph; the louvain package does not build here),
  pooled, and after harmonypy with its defaults (scanpy.external.pp.harmony_integrate);
  each with the mean over clusters of the largest single-timepoint fraction;
* niche discovery: squidpy spatial_neighbors (15 nearest) + neighbourhood composition +
  scikit-learn KMeans (k-means++, 3 starts, 100 rounds) with 8 and 14 niches.

    python case_peers.py DATA_DIR > peers.json
"""
import json
import sys
import time

import numpy as np
import scipy.sparse as sp

data_dir = sys.argv[1]
shape = json.load(open(f"{data_dir}/case_shape.json"))


def load(name, dtype):
    return np.fromfile(f"{data_dir}/{name}", dtype=dtype)


def best(f, repeat=3):
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t)
    return min(times), out


def max_fraction(clusters, batch):
    fr = []
    for c in np.unique(clusters):
        b = batch[clusters == c]
        fr.append(np.bincount(b).max() / len(b))
    return float(np.mean(fr)), len(fr)


import anndata as ad
import scanpy as sc

out = {"scanpy": sc.__version__}
X = sp.csr_matrix(
    (load("batch_data.f32", np.float32), load("batch_indices.u32", np.uint32), load("batch_indptr.u64", np.uint64)),
    shape=(shape["batch_rows"], shape["batch_cols"]),
)
tp = load("batch_timepoint.u32", np.uint32)


def prepared():
    a = ad.AnnData(X.copy())
    a.obs["timepoint"] = [f"t{v}" for v in tp]
    sc.pp.normalize_total(a, target_sum=1e4)
    sc.pp.log1p(a)
    sc.pp.scale(a, max_value=10)
    sc.pp.pca(a, n_comps=20, svd_solver="arpack", random_state=0)
    return a


def pooled():
    a = prepared()
    sc.pp.neighbors(a, n_neighbors=15, use_rep="X_pca", random_state=0)
    sc.tl.leiden(a, resolution=1.0, random_state=0, flavor="igraph", n_iterations=2)
    return max_fraction(a.obs["leiden"].cat.codes.to_numpy(), tp)


ROUNDS = []


def harmony_defaults():
    # What scanpy.external.pp.harmony_integrate runs (harmonypy with its defaults),
    # called directly: this scanpy expects the older harmonypy's transposed result.
    import harmonypy

    a = prepared()
    ho = harmonypy.run_harmony(a.obsm["X_pca"], a.obs, "timepoint", verbose=False)
    z = np.asarray(ho.Z_corr)
    a.obsm["X_pca_harmony"] = z if z.shape[0] == a.n_obs else z.T
    ROUNDS.append(len(ho.objective_harmony) - 1)
    sc.pp.neighbors(a, n_neighbors=15, use_rep="X_pca_harmony", random_state=0)
    sc.tl.leiden(a, resolution=1.0, random_state=0, flavor="igraph", n_iterations=2)
    return max_fraction(a.obs["leiden"].cat.codes.to_numpy(), tp)


for name, f in [("batch_none", pooled), ("batch_harmony_defaults", harmony_defaults)]:
    s, (frac, n) = best(f)
    out[name] = {"s": s, "mean_max_fraction": frac, "clusters": n}
out["batch_harmony_defaults"]["harmony_rounds"] = ROUNDS[-1] if ROUNDS else None

import squidpy as sq
from sklearn.cluster import KMeans

out["squidpy"] = sq.__version__
xy = np.stack([load("niche_x.f32", np.float32), load("niche_y.f32", np.float32)], axis=1)
ct = load("niche_celltype.u32", np.uint32)


def niches(n):
    def run():
        a = ad.AnnData(np.zeros((len(ct), 1), dtype=np.float32), obsm={"spatial": xy})
        sq.gr.spatial_neighbors(a, coord_type="generic", n_neighs=15)
        A = a.obsp["spatial_connectivities"]
        onehot = sp.csr_matrix((np.ones(len(ct)), (np.arange(len(ct)), ct)), shape=(len(ct), int(ct.max()) + 1))
        comp = np.asarray((A @ onehot).todense()) / 15.0
        return KMeans(n_clusters=n, n_init=3, max_iter=100, random_state=1).fit(comp).labels_
    return run


for n in (8, 14):
    s, _ = best(niches(n))
    out[f"niches_{n}"] = {"s": s}
print(json.dumps(out, indent=1))
