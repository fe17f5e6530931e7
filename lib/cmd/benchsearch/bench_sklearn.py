#!/usr/bin/python3
"""The scikit-learn peer of lib/cmd/benchsearch (run by it; not meant to be run alone).

    /usr/bin/python3 bench_sklearn.py DATA QUERIES INIT N DIM NQ K KMEANS_K KMEANS_ITER SINGLE

DATA, QUERIES and INIT are raw little-endian float32 files written by the Go side: N×DIM
vectors, NQ×DIM queries and KMEANS_K×DIM initial centroids. It measures
NearestNeighbors(algorithm="brute", metric="cosine"): fit time, the latency of SINGLE
one-query searches (median) and of one batch of NQ queries; and KMeans (Lloyd, n_init=1,
the given initial centroids, KMEANS_ITER iterations, tol=0). Prints one JSON object with
the timings (seconds), the neighbors found (for the Go side to compare), the inertia and
the peak resident memory (ru_maxrss, bytes). Thread counts come from OMP_NUM_THREADS and
OPENBLAS_NUM_THREADS, which the Go side sets.
"""

import json
import resource
import sys
import time

import numpy as np
import sklearn
from sklearn.cluster import KMeans
from sklearn.neighbors import NearestNeighbors


def main():
    data, queries, init = sys.argv[1:4]
    n, dim, nq, k, kmk, kmiter, single = (int(v) for v in sys.argv[4:11])
    x = np.fromfile(data, dtype="<f4").reshape(n, dim)
    q = np.fromfile(queries, dtype="<f4").reshape(nq, dim)
    c0 = np.fromfile(init, dtype="<f4").reshape(kmk, dim)
    out = {"sklearn": sklearn.__version__, "numpy": np.__version__}

    t = time.perf_counter()
    nn = NearestNeighbors(n_neighbors=k, algorithm="brute", metric="cosine").fit(x)
    out["fit_s"] = time.perf_counter() - t
    lat = []
    for i in range(single):
        t = time.perf_counter()
        nn.kneighbors(q[i : i + 1])
        lat.append(time.perf_counter() - t)
    out["single_median_s"] = float(np.median(lat))
    t = time.perf_counter()
    dist, idx = nn.kneighbors(q)
    out["batch_s"] = time.perf_counter() - t
    out["neighbors"] = idx.tolist()
    out["rss_after_search"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

    t = time.perf_counter()
    km = KMeans(n_clusters=kmk, init=c0, n_init=1, max_iter=kmiter, tol=0, algorithm="lloyd").fit(x)
    out["kmeans_s"] = time.perf_counter() - t
    out["kmeans_iter"] = int(km.n_iter_)
    out["kmeans_inertia"] = float(km.inertia_)
    out["rss_peak"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
