#!/usr/bin/python3
"""Reference values for lib/cluster, computed with scikit-learn, scipy and numpy.

Run from the repository root with Debian's interpreter (python3-sklearn 1.2.1,
python3-scipy, python3-numpy):

    /usr/bin/python3 lib/cluster/testdata/make_reference.py

It writes lib/cluster/testdata/reference.json next to itself. The Go tests read that file
and need no Python. Every case holds its inputs (seeded here) and the reference outputs.
"""

import json
import os

import numpy as np
import scipy
import sklearn
from scipy.sparse.csgraph import minimum_spanning_tree
from scipy.spatial.distance import cdist
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score, silhouette_samples, silhouette_score
from sklearn.neighbors import NearestNeighbors


def f32(x):
    """Rounds to float32 and back, as the Go side holds float32 vectors."""
    return np.asarray(x, dtype=np.float32).astype(np.float64)


def main():
    rng = np.random.default_rng(20261127)
    out = {"sklearn": sklearn.__version__, "scipy": scipy.__version__, "numpy": np.__version__}

    # Adjusted Rand index: random labelings and the edge cases.
    ari = []
    for n, kt, kp in [(50, 3, 3), (200, 5, 8), (37, 2, 6), (500, 10, 10)]:
        t = rng.integers(0, kt, n)
        p = rng.integers(0, kp, n)
        ari.append({"name": f"random n={n}", "truth": t.tolist(), "pred": p.tolist()})
    t = rng.integers(0, 4, 60)
    mixed = t.copy()
    mixed[:15] = rng.integers(0, 4, 15)
    ari += [
        {"name": "permuted labels", "truth": t.tolist(), "pred": ((t + 1) % 4 * 7).tolist()},
        {"name": "partly mixed", "truth": t.tolist(), "pred": mixed.tolist()},
        {"name": "both one cluster", "truth": [0] * 10, "pred": [5] * 10},
        {"name": "both singletons", "truth": list(range(8)), "pred": list(range(8, 0, -1))},
        {"name": "one cluster vs singletons", "truth": [0] * 8, "pred": list(range(8))},
        {"name": "singletons vs two", "truth": list(range(6)), "pred": [0, 0, 0, 1, 1, 1]},
        {"name": "noise label -1", "truth": [0, 0, 1, 1, 2, 2, 2], "pred": [-1, 0, 1, 1, -1, 2, 2]},
        {"name": "two samples", "truth": [0, 1], "pred": [0, 0]},
    ]
    for c in ari:
        c["ari"] = float(adjusted_rand_score(c["truth"], c["pred"]))
    out["ari"] = ari

    # Silhouette: Euclidean, on blobs, several labelings including a singleton cluster.
    x, y = make_blobs(n_samples=80, n_features=3, centers=4, cluster_std=1.5, random_state=3)
    x = f32(x)
    sil = []
    noisy = y.copy()
    noisy[::7] = (noisy[::7] + 1) % 4
    single = y.copy()
    single[5] = 9
    two = (y >= 2).astype(int)
    for name, labels in [("true blobs", y), ("noisy", noisy), ("with a singleton", single), ("two groups", two)]:
        sil.append({
            "name": name,
            "labels": labels.tolist(),
            "score": float(silhouette_score(x, labels)),
            "samples": silhouette_samples(x, labels).tolist(),
        })
    out["silhouette"] = {"x": x.tolist(), "cases": sil}

    # K-means (Lloyd) from explicit initial centroids: same start, so the same
    # iterations, labels and inertia are expected.
    km = []
    for name, n, d, k, std, seed in [("separated", 300, 4, 5, 0.8, 1), ("overlapping", 400, 6, 6, 3.0, 2)]:
        x, y = make_blobs(n_samples=n, n_features=d, centers=k, cluster_std=std, random_state=seed)
        x = f32(x)
        init = x[rng.choice(n, size=k, replace=False)]
        model = KMeans(n_clusters=k, init=init, n_init=1, max_iter=300, tol=1e-4, algorithm="lloyd").fit(x)
        km.append({
            "name": name, "x": x.tolist(), "truth": y.tolist(), "k": k, "init": init.tolist(),
            "inertia": float(model.inertia_), "labels": model.labels_.tolist(),
            "centers": model.cluster_centers_.tolist(), "iterations": int(model.n_iter_),
        })
    out["kmeans"] = km

    # HDBSCAN's first two steps, independently: core distances (distance to the
    # min_samples-th nearest point, the point itself counted first) and the total
    # weight of a minimum spanning tree of the mutual reachability distances
    # max(core(a), core(b), d(a, b)).
    hd = []
    for name, n, min_samples, seed in [("blobs", 120, 5, 4), ("blobs small k", 90, 2, 5)]:
        x, _ = make_blobs(n_samples=n, n_features=2, centers=3, cluster_std=0.7, random_state=seed)
        x = f32(x)
        dist, _ = NearestNeighbors(n_neighbors=min_samples).fit(x).kneighbors(x)
        core = dist[:, -1]
        d = cdist(x, x)
        mr = np.maximum(d, np.maximum(core[:, None], core[None, :]))
        np.fill_diagonal(mr, 0)
        mst = minimum_spanning_tree(mr)
        hd.append({"name": name, "x": x.tolist(), "min_samples": min_samples,
                   "core": core.tolist(), "mst_weight": float(mst.sum())})
    out["hdbscan"] = hd

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference.json")
    with open(path + ".tmp", "w") as f:
        json.dump(out, f)
    os.replace(path + ".tmp", path)


if __name__ == "__main__":
    main()
