#!/usr/bin/python3
"""Writes embeddings_fixture.json: PCA references from scikit-learn/numpy, trustworthiness references, and
Gaussian clusters with scikit-learn's exact t-SNE trustworthiness as a quality level.

Run with Debian's /usr/bin/python3:  /usr/bin/python3 generate_embeddings.py
Component signs are normalised (largest-magnitude entry positive), as Affetto's Pca does.
"""
import json
import os

import numpy as np
import sklearn
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE, trustworthiness

rng = np.random.default_rng(7)


def normalise_signs(components):
    c = components.copy()
    for k in range(c.shape[0]):
        arg = int(np.argmax(np.abs(c[k])))
        if c[k, arg] < 0:
            c[k] = -c[k]
    return c


pca_cases = []
for name, n, d, k in [("tall", 60, 6, 3), ("square", 12, 12, 5), ("wide", 8, 20, 4), ("embed", 200, 16, 8)]:
    scales = np.linspace(3.0, 0.3, d)
    x = rng.standard_normal((n, d)) * scales @ np.linalg.qr(rng.standard_normal((d, d)))[0] + rng.standard_normal(d)
    pca = PCA(n_components=k, svd_solver="full").fit(x)
    comps = normalise_signs(pca.components_)
    pca_cases.append({
        "name": name,
        "data": x.tolist(),
        "components": comps.tolist(),
        "mean": pca.mean_.tolist(),
        "explained_variance": pca.explained_variance_.tolist(),
        "explained_variance_ratio": pca.explained_variance_ratio_.tolist(),
        "transformed": ((x - pca.mean_) @ comps.T).tolist(),
    })

# Trustworthiness of fixed random embeddings (checks the metric itself).
trust_cases = []
for n, d, k in [(30, 5, 3), (50, 8, 5), (40, 3, 10)]:
    x = rng.standard_normal((n, d))
    y = x[:, :2] + 0.5 * rng.standard_normal((n, 2))
    trust_cases.append({"original": x.tolist(), "embedded": y.tolist(), "k": k,
                        "trustworthiness": float(trustworthiness(x, y, n_neighbors=k))})

# Four well-separated Gaussian clusters in 10-D; scikit-learn's exact t-SNE trustworthiness is the reference level.
centres = rng.standard_normal((4, 10)) * 10
labels = np.repeat(np.arange(4), 30)
clusters = centres[labels] + rng.standard_normal((120, 10))
tsne = TSNE(n_components=2, perplexity=20, method="exact", init="pca", learning_rate="auto", random_state=0, n_iter=1000)
emb = tsne.fit_transform(clusters)
# Exactness of the pieces: joint P from the perplexity search, and KL and its gradient at a fixed embedding.
from scipy.spatial.distance import pdist, squareform
from sklearn.manifold._t_sne import _joint_probabilities, _kl_divergence
small = np.round(rng.standard_normal((25, 4)) * 64) / 64  # float32-exact squared distances (sklearn casts them)
dist = squareform(pdist(small, "sqeuclidean"))
p_condensed = _joint_probabilities(dist, 8.0, 0)
y_fixed = rng.standard_normal((25, 2))
kl, grad = _kl_divergence(y_fixed.ravel(), p_condensed, 1, 25, 2)
pieces = {"data": small.tolist(), "perplexity": 8.0, "p": squareform(p_condensed).tolist(),
          "y": y_fixed.tolist(), "kl": float(kl), "grad": grad.reshape(25, 2).tolist()}

out = {
    "tsne_pieces": pieces,
    "generator": f"generate_embeddings.py, scikit-learn {sklearn.__version__}, numpy {np.__version__}",
    "pca": pca_cases,
    "trustworthiness": trust_cases,
    "tsne": {
        "data": clusters.tolist(),
        "labels": labels.tolist(),
        "perplexity": 20,
        "sklearn_trustworthiness_k10": float(trustworthiness(clusters, emb, n_neighbors=10)),
        "sklearn_kl_divergence": float(tsne.kl_divergence_),
    },
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "embeddings_fixture.json")
with open(path, "w") as fh:
    json.dump(out, fh, separators=(",", ":"))
print(f"wrote {path}")
