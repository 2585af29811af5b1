#!/usr/bin/env python3
"""Answers every demo eval from its dataset alone, independently of the Rust kernels.

Usage:  python3 bench/demo/answer.py DEMO_DIR [--only KEY,...]

DEMO_DIR is the output of `sbx demo -o DEMO_DIR` (evals in sbx-demo/evals/, datasets in
datasets/). For each eval it reads the Arrow dataset its `data_node` names (pyarrow),
rebuilds the sparse units x genes matrix (scipy), runs the right analysis with the
usual Python tools, and grades the answer against the eval's own ground truth and
tolerance. Exit status 1 when an answer falls outside its tolerance.

Needs: pyarrow, numpy, scipy; scikit-learn (DBSCAN, k-means, k-NN); scanpy, harmonypy
and networkx for the batch-integration eval.
"""

import argparse
import glob
import json
import os
import re
import sys

import numpy as np
import pyarrow as pa
import pyarrow.ipc as ipc
import scipy.sparse as sp
from scipy import stats


def load(path):
    """(obs table as dict of numpy arrays / category lists, sparse matrix, genes, metadata)."""
    t = ipc.open_file(path).read_all()
    md = {k.decode(): v.decode() for k, v in (t.schema.metadata or {}).items()}
    genes = json.loads(md["sbx:expression_genes"])
    g = t.column("expression_genes").combine_chunks()
    v = t.column("expression_values").combine_chunks()
    indptr = g.offsets.to_numpy() - g.offsets[0].as_py()
    X = sp.csr_matrix(
        (v.flatten().to_numpy().astype(np.float64), g.flatten().to_numpy(), indptr),
        shape=(t.num_rows, len(genes)),
    )
    obs = {}
    for name in t.column_names:
        if name in ("expression_genes", "expression_values"):
            continue
        col = t.column(name).combine_chunks()
        if hasattr(col, "dictionary"):
            obs[name] = (col.indices.to_numpy(), col.dictionary.to_pylist())
        else:
            # counts are stored as the narrowest unsigned integers (uint8/uint16):
            # read as float, so that arithmetic on them cannot wrap
            obs[name] = col.to_numpy().astype(np.float64) if pa.types.is_integer(col.type) else col.to_numpy()
    return obs, X, genes, md


def column(X, genes, name):
    return np.asarray(X[:, genes.index(name)].todense()).ravel()


def bh(p):
    """Benjamini-Hochberg over every gene; untestable genes (NaN) count as p = 1."""
    p = np.where(np.isnan(p), 1.0, p)
    m = len(p)
    order = np.argsort(p)
    ranked = p[order] * m / np.arange(1, m + 1)
    adj = np.minimum.accumulate(ranked[::-1])[::-1]
    out = np.empty(m)
    out[order] = np.minimum(adj, 1.0)
    return out


def pseudobulk_de(obs, X):
    """Donors are the samples: summed counts, log2(CPM + 1), Student t-test, BH."""
    donor, donors = obs["donor"]
    sex, sexes = obs["sex"]
    pb = np.vstack([np.asarray(X[donor == d].sum(axis=0)).ravel() for d in range(len(donors))])
    male = np.array([sexes[sex[donor == d][0]] == "M" for d in range(len(donors))])
    lib = pb.sum(axis=1, keepdims=True)
    logcpm = np.log2(pb * 1e6 / lib + 1.0)
    with np.errstate(all="ignore"):
        p = stats.ttest_ind(logcpm[male], logcpm[~male], equal_var=True).pvalue
    return bh(p) < 0.05


def housekeeping_genes(md):
    """The housekeeping genes as the dataset's description lists them."""
    m = re.search(r"housekeeping genes \(([^)]*)\)", md.get("sbx:simulated_description", ""))
    return [g.strip() for g in m.group(1).split(",")] if m else []


def pct_genes_sex_de(obs, X, genes, md):
    return 100.0 * pseudobulk_de(obs, X).mean()


def housekeeping_sex_de(obs, X, genes, md):
    sig = pseudobulk_de(obs, X)
    return float(sum(sig[genes.index(g)] for g in housekeeping_genes(md)))


def mbp_plp1_spearman(obs, X, genes, md):
    """Raw counts in oligodendrocytes (Spearman is rank-based; no library-size scaling)."""
    ct, cats = obs["cell_type"]
    rows = ct == cats.index("Oligodendrocyte")
    sub = X[rows]
    return stats.spearmanr(column(sub, genes, "Mbp"), column(sub, genes, "Plp1")).statistic


def mean_max_timepoint_fraction(obs, X, genes, md):
    """Integrate the timepoints (Harmony) before clustering, then ask how much each
    cluster is dominated by one timepoint."""
    import anndata
    import networkx as nx
    import scanpy as sc
    import harmonypy

    tp, tps = obs["timepoint"]
    ad = anndata.AnnData(X.astype(np.float32).tocsr())
    ad.obs["timepoint"] = [tps[c] for c in tp]
    sc.pp.normalize_total(ad, target_sum=1e4)
    sc.pp.log1p(ad)
    sc.pp.scale(ad, max_value=10)
    sc.pp.pca(ad, n_comps=20, random_state=1)
    # The kernels' parameters (theta 2, sigma 0.5, 10 clusters, 10 rounds); see the
    # batch case page for harmonypy's own defaults.
    # harmonypy directly: its 2.x result is cells x PCs, which scanpy's wrapper
    # (written for 0.0.x, PCs x cells) transposes into the wrong shape.
    ho = harmonypy.run_harmony(ad.obsm["X_pca"], ad.obs, "timepoint", theta=2.0, sigma=0.5,
                               nclust=10, max_iter_harmony=10, random_state=1, verbose=False)
    z = np.asarray(ho.Z_corr)
    ad.obsm["X_pca_harmony"] = z if z.shape[0] == ad.n_obs else z.T
    sc.pp.neighbors(ad, n_neighbors=15, use_rep="X_pca_harmony", random_state=1)
    g = nx.from_scipy_sparse_array(ad.obsp["connectivities"])
    clusters = nx.community.louvain_communities(g, resolution=1.0, seed=1)
    fractions = [np.bincount(tp[list(c)], minlength=len(tps)).max() / len(c) for c in clusters]
    return float(np.mean(fractions))


def positive(X, genes, rows, markers, min_distinct):
    m = np.column_stack([column(X, genes, g)[rows] for g in markers])
    return (m.sum(axis=1) >= 1) & ((m > 0).sum(axis=1) >= min_distinct)


def dbscan_labels(xy, eps=15.0, min_samples=3):
    from sklearn.cluster import DBSCAN

    if len(xy) == 0:
        return np.array([], dtype=int)
    return DBSCAN(eps=eps, min_samples=min_samples).fit(xy).labels_


OOCYTE = ["Zp3", "Gdf9", "Figla", "Bmp15"]
CUMULUS = ["Ptx3", "Has2", "Tnfaip6"]


def oocytes_per_timepoint(obs, X, genes):
    """Oocytes are many beads wide: density clusters of marker-positive beads
    (DBSCAN, eps 15 um, at least 3 beads) per section, isolated ambient beads are noise."""
    tp, tps = obs["timepoint"]
    xy = np.column_stack([obs["x"], obs["y"]])
    counts = []
    for t in range(len(tps)):
        rows = np.flatnonzero(tp == t)
        pos = positive(X, genes, rows, OOCYTE, 1)
        labels = dbscan_labels(xy[rows][pos])
        counts.append(len(set(labels) - {-1}))
    return counts


def oocyte_count_total(obs, X, genes, md):
    return float(sum(oocytes_per_timepoint(obs, X, genes)))


def oocyte_count_first_timepoint(obs, X, genes, md):
    return float(oocytes_per_timepoint(obs, X, genes)[0])


def cumulus_beads_unstimulated(obs, X, genes, md):
    """Beads with at least 2 distinct cumulus markers that form a coherent cluster."""
    tp, _ = obs["timepoint"]
    rows = np.flatnonzero(tp == 0)
    pos = positive(X, genes, rows, CUMULUS, 2)
    xy = np.column_stack([obs["x"], obs["y"]])[rows][pos]
    return float((dbscan_labels(xy) >= 0).sum())


NICHE_TYPES = ["Myofibroblast", "Macrophage", "T cell", "Injured PT"]


def niche_fractions(obs):
    """k-means (8 niches) on each cell's 15-nearest-neighbour cell-type composition;
    the fibro-inflammatory niches are those whose centroid is at least half niche
    cell types (else the one with the largest share)."""
    from sklearn.cluster import KMeans
    from sklearn.neighbors import NearestNeighbors

    ct, cats = obs["cell_type"]
    tp, tps = obs["timepoint"]
    xy = np.column_stack([obs["x"], obs["y"]])
    _, idx = NearestNeighbors(n_neighbors=16).fit(xy).kneighbors(xy)
    onehot = np.eye(len(cats))[ct]
    comp = onehot[idx[:, 1:]].mean(axis=1)
    km = KMeans(n_clusters=8, n_init=3, random_state=1).fit(comp)
    cols = [cats.index(t) for t in NICHE_TYPES if t in cats]
    score = km.cluster_centers_[:, cols].sum(axis=1)
    niches = np.flatnonzero(score >= 0.5)
    if len(niches) == 0:
        niches = [int(score.argmax())]
    inside = np.isin(km.labels_, niches)
    return [inside[tp == t].mean() for t in range(len(tps))]


def niche_colocalization_first(obs, X, genes, md):
    return float(niche_fractions(obs)[0])


def niche_colocalization_last(obs, X, genes, md):
    return float(niche_fractions(obs)[-1])


def niche_fold(obs, X, genes, md):
    f = niche_fractions(obs)
    return float(f[-1] / f[0])


ANSWERS = {f.__name__: f for f in [
    pct_genes_sex_de, housekeeping_sex_de, mbp_plp1_spearman, mean_max_timepoint_fraction,
    oocyte_count_total, oocyte_count_first_timepoint, cumulus_beads_unstimulated,
    niche_colocalization_first, niche_colocalization_last, niche_fold,
]}


def within(answer, truth, tol):
    half = abs(truth) * tol["value"] if tol["type"] == "relative" else tol["value"]
    return abs(answer - truth) <= half + 1e-12


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("demo_dir")
    ap.add_argument("--only", default="", help="comma-separated answer keys")
    args = ap.parse_args()
    only = set(filter(None, args.only.split(",")))
    cache = {}
    failed = 0
    for path in sorted(glob.glob(os.path.join(args.demo_dir, "sbx-demo/evals/*/*.json"))):
        ev = json.load(open(path))
        cfg = ev["grader"]["config"]
        node = ev["data_node"].replace("bundle://", "")
        for key, truth in cfg["ground_truth"].items():
            if only and key not in only:
                continue
            if node not in cache:
                cache[node] = load(os.path.join(args.demo_dir, node))
            answer = ANSWERS[key](*cache[node])
            ok = within(answer, truth, cfg["tolerances"][key])
            failed += not ok
            print(f"{'pass' if ok else 'FAIL'}  {ev['id']:<58} answer {answer:>10.4f}  grader {truth:>10.4f}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
