"""The same conversion as `sbx prepare IN.h5ad -o OUT.arrow --top-genes N`, in Python
(anndata + pyarrow), to time it against sbx. Prints the wall time in ms."""
import sys
import time

t0 = time.perf_counter()
import anndata as ad
import numpy as np
import pyarrow as pa
import scipy.sparse as sp

src, out, top = sys.argv[1], sys.argv[2], int(sys.argv[3])
a = ad.read_h5ad(src)
X = sp.csc_matrix(a.X) if sp.issparse(a.X) else sp.csc_matrix(np.asarray(a.X))
var = np.asarray(X.copy().log1p().power(2).mean(axis=0)).ravel() - np.asarray(X.copy().log1p().mean(axis=0)).ravel() ** 2
genes = np.argsort(-var, kind="stable")[:top]
cols = {"x": pa.array(a.obsm["spatial"][:, 0].astype(np.float32)), "y": pa.array(a.obsm["spatial"][:, 1].astype(np.float32))}
for c in a.obs.columns:
    s = a.obs[c]
    cols[c] = pa.DictionaryArray.from_arrays(s.cat.codes.to_numpy().astype(np.int32), list(s.cat.categories)) if hasattr(s, "cat") else pa.array(s.to_numpy())
cols["total_counts"] = pa.array(np.asarray(X.sum(axis=1)).ravel().astype(np.float32))
for g in genes:
    cols[a.var_names[g]] = pa.array(X[:, g].toarray().ravel().astype(np.float32))
table = pa.table(cols)
with pa.OSFile(out, "wb") as f, pa.ipc.new_file(f, table.schema) as w:
    w.write_table(table)
print(round((time.perf_counter() - t0) * 1e3, 1))
