#!/usr/bin/python3
"""Writes metrics_fixture.json: random label vectors and scikit-learn's classification metrics for them.

Run with Debian's /usr/bin/python3 (scikit-learn installed):  /usr/bin/python3 generate_metrics.py
The C# tests (ConfusionMatrixTests) recompute every value and compare to 1e-12.
"""
import json
import os
import warnings

import numpy as np
import sklearn
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import accuracy_score, confusion_matrix, precision_recall_fscore_support

warnings.filterwarnings("ignore", category=UndefinedMetricWarning)
rng = np.random.default_rng(20261121)
cases = []


def add(name, truth, pred, labels):
    truth = [str(t) for t in truth]
    pred = [str(p) for p in pred]
    p, r, f, s = precision_recall_fscore_support(truth, pred, labels=labels, average=None, zero_division="warn")
    wp, wr, wf, _ = precision_recall_fscore_support(truth, pred, labels=labels, average="weighted", zero_division="warn")
    mp, mr, mf, _ = precision_recall_fscore_support(truth, pred, labels=labels, average="macro", zero_division="warn")
    cases.append({
        "name": name,
        "labels": list(labels),
        "truth": truth,
        "pred": pred,
        "accuracy": float(accuracy_score(truth, pred)),
        "precision": [float(v) for v in p],
        "recall": [float(v) for v in r],
        "f1": [float(v) for v in f],
        "support": [int(v) for v in s],
        "weighted_precision": float(wp),
        "weighted_recall": float(wr),
        "weighted_f1": float(wf),
        "macro_precision": float(mp),
        "macro_recall": float(mr),
        "macro_f1": float(mf),
        "confusion": confusion_matrix(truth, pred, labels=labels).tolist(),
    })


# Random cases: accuracy from chance to near perfect, 2..10 classes, 1..300 items.
for case in range(40):
    k = int(rng.integers(2, 11))
    n = int(rng.integers(1, 301))
    labels = [f"c{i}" for i in range(k)]
    probs = rng.dirichlet(np.ones(k))
    truth = rng.choice(k, size=n, p=probs)
    noise = rng.random()
    pred = np.where(rng.random(n) < noise, rng.integers(0, k, size=n), truth)
    add(f"random{case}", [labels[t] for t in truth], [labels[p] for p in pred], labels)

Q = ["Q1", "Q2", "Q3", "Q4"]
# Zero-division cases: a class never predicted, a class never true, a class absent from both.
add("never_predicted", ["Q1", "Q2", "Q3", "Q4", "Q1"], ["Q1", "Q1", "Q3", "Q3", "Q1"], Q)
add("never_true", ["Q1", "Q1", "Q2", "Q2"], ["Q1", "Q4", "Q2", "Q3"], Q)
add("absent_label", ["Q1", "Q2", "Q1", "Q2"], ["Q1", "Q2", "Q2", "Q2"], Q)
add("all_wrong", ["Q1", "Q2", "Q3"], ["Q2", "Q3", "Q1"], Q)
add("perfect", Q * 3, Q * 3, Q)
add("single_item", ["Q3"], ["Q3"], Q)

out = {
    "generator": f"generate_metrics.py, scikit-learn {sklearn.__version__}, numpy {np.__version__}",
    "cases": cases,
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "metrics_fixture.json")
with open(path, "w") as fh:
    json.dump(out, fh, separators=(",", ":"))
print(f"wrote {len(cases)} cases to {path}")
