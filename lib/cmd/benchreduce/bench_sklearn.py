"""The Python peer of benchreduce: one method on one .npy file, as a user runs it.

    /usr/bin/python3 bench_sklearn.py METHOD IN.npy OUT.npy SEED

METHOD is pca (sklearn.decomposition.PCA), tsne (sklearn.manifold.TSNE, Barnes-Hut),
umap (umap.UMAP with random_state: deterministic, single-threaded layout) or
umap-parallel (umap.UMAP without random_state: parallel, not reproducible). It writes
the 2-D layout to OUT.npy as float64 and prints {"compute_s": ...} (the fit alone) as
JSON. benchreduce times the whole process (interpreter start, imports, load, fit,
save) from outside. Thread counts come from the environment (OMP_NUM_THREADS,
NUMBA_NUM_THREADS), which benchreduce sets.
"""
import json
import sys
import time

import numpy as np

method, src, dst, seed = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
x = np.load(src)
if method == "pca":
    from sklearn.decomposition import PCA

    t0 = time.perf_counter()
    y = PCA(n_components=2, random_state=seed).fit_transform(x)
elif method == "tsne":
    from sklearn.manifold import TSNE

    t0 = time.perf_counter()
    y = TSNE(n_components=2, init="pca", learning_rate="auto", random_state=seed).fit_transform(x)
elif method in ("umap", "umap-parallel"):
    import umap

    t0 = time.perf_counter()
    state = seed if method == "umap" else None
    y = umap.UMAP(n_neighbors=15, min_dist=0.1, random_state=state).fit_transform(x)
else:
    sys.exit("unknown method " + method)
compute = time.perf_counter() - t0
np.save(dst, np.asarray(y, dtype=np.float64))
print(json.dumps({"compute_s": compute}))
