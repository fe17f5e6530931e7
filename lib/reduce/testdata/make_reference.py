"""Reference values for lib/reduce's tests, computed with scikit-learn 1.2 and
umap-learn 0.5.3 (/usr/bin/python3 on Debian). Run from the repository root:

    /usr/bin/python3 lib/reduce/testdata/make_reference.py

It writes lib/reduce/testdata/reference.json. The inputs are generated here with a
fixed seed and saved too, so the Go tests read the same numbers.
"""
import json
import os

import numpy as np
from sklearn.decomposition import PCA
from sklearn.manifold import trustworthiness
from umap.umap_ import find_ab_params

rng = np.random.RandomState(7)
out = {}

# PCA: a 60 x 8 matrix with unequal variances, and a wide 10 x 30 one (d > n).
for name, (n, d) in {"tall": (60, 8), "wide": (10, 30)}.items():
    x = (rng.randn(n, d) * np.linspace(3, 0.5, d) + rng.randn(d)).astype(np.float32)
    k = 3
    p = PCA(n_components=k, svd_solver="full").fit(x.astype(np.float64))
    out["pca_" + name] = {
        "x": x.tolist(),
        "components": p.components_.tolist(),
        "explained_variance": p.explained_variance_.tolist(),
        "explained_variance_ratio": p.explained_variance_ratio_.tolist(),
        "transform": p.transform(x.astype(np.float64)).tolist(),
        "whitened": PCA(n_components=k, svd_solver="full", whiten=True).fit(x.astype(np.float64)).transform(x.astype(np.float64)).tolist(),
    }

# Trustworthiness of a noisy, partly scrambled 2-D layout of 3-D points.
high = rng.randn(80, 5).astype(np.float32)
low = high[:, :2].astype(np.float64) + 0.5 * rng.randn(80, 2)
out["trust"] = {
    "high": high.tolist(),
    "low": low.tolist(),
    "values": {str(k): float(trustworthiness(high.astype(np.float64), low, n_neighbors=k)) for k in (1, 5, 10, 20)},
}

# UMAP's a, b curve parameters.
out["ab"] = [
    {"spread": s, "min_dist": m, "a": float(a), "b": float(b)}
    for s, m in [(1.0, 0.1), (1.0, 0.0), (1.0, 0.5), (2.0, 0.3), (0.5, 0.05)]
    for a, b in [find_ab_params(s, m)]
]

# PCA on the top-components path (lib/reduce/pcatop.go: 2 components of 64
# dimensions): 100 x 64 with geometrically falling variances, so subspace
# iteration converges; the values are multiples of 1/64, exact in float32, so
# both sides fit the same numbers. Made last, so the entries above keep their
# random draws.
x = rng.randn(100, 64) * 4 * 0.85 ** np.arange(64) + rng.randn(64)
x = (np.round(x * 64) / 64).astype(np.float32)
p = PCA(n_components=2, svd_solver="full").fit(x.astype(np.float64))
out["pca_top"] = {
    "x": x.tolist(),
    "components": p.components_.tolist(),
    "explained_variance": p.explained_variance_.tolist(),
    "explained_variance_ratio": p.explained_variance_ratio_.tolist(),
    "transform": p.transform(x.astype(np.float64)).tolist(),
    "whitened": PCA(n_components=2, svd_solver="full", whiten=True).fit(x.astype(np.float64)).transform(x.astype(np.float64)).tolist(),
}

path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference.json")
with open(path + ".tmp", "w") as f:
    json.dump(out, f)
os.replace(path + ".tmp", path)
print("wrote", path)
