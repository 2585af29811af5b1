"""Recomputes the panel composition of the real targeted datasets with scanpy
and compares it with what the site shows (bundle/datasets/panel-composition.json,
written at build time by `sbx datasets`).

    python bench/real/panel_composition.py [--shared ../shared] [--json dist/bundle/datasets/panel-composition.json]

Needs scanpy, anndata, pandas, scipy (run.sh makes a virtualenv). Exit status 1 when
any number differs by more than 1e-6 (shares) or 1e-4 (Spearman rho, computed on
float32 values on both sides).
"""
import argparse, json, sys
from pathlib import Path

import anndata as ad
import numpy as np
import pandas as pd
import scanpy as sc
import scipy.sparse as sp
from scipy.stats import spearmanr


def xenium(folder: Path) -> ad.AnnData:
    """jazzPanda Xenium: annotated cells of both replicates (clusters.csv order), 20-gene counts."""
    parts = []
    for rep in ["rep1", "rep2"]:
        cl = pd.read_csv(folder / f"{rep}_clusters.csv")
        counts = pd.read_csv(folder / f"{rep}_counts_20genes_by_cell.csv", index_col=0)  # genes x cells
        counts.columns = counts.columns.astype(str)
        ids = cl["cells"].astype(str)
        # cells without a counts column have no counts (as the Rust reader does)
        m = counts.reindex(columns=ids, fill_value=0).T.astype(np.float32)
        a = ad.AnnData(X=sp.csr_matrix(m.values), obs=pd.DataFrame({"cell_type": cl["anno"].values}, index=[f"{rep}:{i}" for i in ids]))
        a.var_names = m.columns.astype(str)
        parts.append(a)
    return ad.concat(parts, join="outer", fill_value=0)


def dense(x):
    return np.asarray(x.todense()) if sp.issparse(x) else np.asarray(x)


def composition(a: ad.AnnData, grouped: bool):
    X = dense(a.X).astype(np.float64)
    keep = X.sum(1) > 0
    a = a[keep].copy()
    X = X[keep]
    groups = a.obs["cell_type"].astype(str).values if grouped else np.array(["all cells"] * a.n_obs)
    names, sizes = np.unique(groups, return_counts=True)
    order = sorted(range(len(names)), key=lambda i: (-sizes[i], names[i]))
    out = []
    for i in order:
        g = names[i]
        Xg = X[groups == g]
        sums = Xg.sum(0)
        top = np.argsort(-sums, kind="stable")[:3]
        tot = sums.sum()
        cell_sorted = -np.sort(-Xg, axis=1)
        cell_tot = Xg.sum(1)
        out.append({
            "group": g, "n_cells": int(Xg.shape[0]),
            "top_genes": [a.var_names[j] for j in top],
            "pooled_top1": sums[top[0]] / tot, "pooled_top3": sums[top].sum() / tot,
            "median_cell_top1": float(np.median(cell_sorted[:, 0] / cell_tot)),
            "median_cell_top3": float(np.median(cell_sorted[:, :3].sum(1) / cell_tot)),
        })
    g = names[order[0]]
    sub = a[groups == g].copy()
    sums = dense(sub.X).sum(0)
    ga, gb = np.argsort(-sums, kind="stable")[:2]
    raw = dense(sub.X)
    rho_raw = spearmanr(raw[:, ga], raw[:, gb]).statistic
    sc.pp.normalize_total(sub, target_sum=1e4)
    sc.pp.log1p(sub)
    norm = dense(sub.X)
    rho_lib = spearmanr(norm[:, ga], norm[:, gb]).statistic
    co = {"group": g, "gene_a": sub.var_names[ga], "gene_b": sub.var_names[gb], "n_cells": int(sub.n_obs),
          "spearman_raw": float(rho_raw), "spearman_libsize": float(rho_lib)}
    return {"n_cells": int(a.n_obs), "n_empty_cells": int((~keep).sum()), "groups": out, "coexpression": co}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--shared", default=str(Path(__file__).resolve().parents[3] / "shared"))
    p.add_argument("--json", default=str(Path(__file__).resolve().parents[2] / "dist/bundle/datasets/panel-composition.json"))
    args = p.parse_args()
    data = Path(args.shared) / "spatial-data"
    site = {d["id"]: d["composition"] for d in json.load(open(args.json))["datasets"]}
    inputs = {
        "jazzPanda_breast_rep1_rep2": (xenium(data / "xenium/jazzPanda_breast_rep1_rep2"), True),
        "giottodata_vizgen_mouse_brain_mini": (ad.read_h5ad(data / "merfish/giottodata_vizgen_mouse_brain_mini/derived_vizgen_cell_by_gene.h5ad"), False),
        "spacexr_moffitt_hypothalamus_vignette": (ad.read_h5ad(data / "merfish/spacexr_moffitt_hypothalamus_vignette/derived_merfish_vignette.h5ad"), False),
    }
    worst = 0.0
    bad = []
    for id_, (a, grouped) in inputs.items():
        py = composition(a, grouped)
        rs = site.get(id_)
        if rs is None:
            bad.append(f"{id_}: not in {args.json}")
            continue
        print(f"\n{id_}: {py['n_cells']} cells ({py['n_empty_cells']} without counts left out)")
        if (py["n_cells"], py["n_empty_cells"]) != (rs["n_cells"], rs["n_empty_cells"]):
            bad.append(f"{id_}: cell counts differ")
        for gp, gr in zip(py["groups"], rs["groups"]):
            diffs = [abs(gp[k] - gr[k]) for k in ["pooled_top1", "pooled_top3", "median_cell_top1", "median_cell_top3"]]
            worst = max(worst, *diffs)
            same = gp["group"] == gr["group"] and gp["n_cells"] == gr["n_cells"]
            print(f"  {gp['group']:<14} {gp['n_cells']:>5} cells  top1 {gp['pooled_top1']:.4f} (site {gr['pooled_top1']:.4f})  top3 {gp['pooled_top3']:.4f}  "
                  f"cell top1 median {gp['median_cell_top1']:.4f} (site {gr['median_cell_top1']:.4f})  genes {','.join(gp['top_genes'])}")
            if not same or max(diffs) > 1e-6:
                bad.append(f"{id_} {gp['group']}: differs")
        if len(py["groups"]) != len(rs["groups"]):
            bad.append(f"{id_}: {len(py['groups'])} groups here, {len(rs['groups'])} on the site")
        cp, cr = py["coexpression"], rs["coexpression"]
        d = max(abs(cp["spearman_raw"] - cr["spearman_raw"]), abs(cp["spearman_libsize"] - cr["spearman_libsize"]))
        print(f"  {cp['gene_a']}-{cp['gene_b']} in {cp['group']} ({cp['n_cells']} cells): rho raw {cp['spearman_raw']:.4f} (site {cr['spearman_raw']:.4f}), "
              f"library size {cp['spearman_libsize']:.4f} (site {cr['spearman_libsize']:.4f})")
        if (cp["gene_a"], cp["gene_b"], cp["group"]) != (cr["gene_a"], cr["gene_b"], cr["group"]) or d > 1e-4:
            bad.append(f"{id_}: co-expression differs")
    print(f"\nlargest share difference: {worst:.2e}")
    for b in bad:
        print("MISMATCH:", b)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
