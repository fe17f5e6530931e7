#!/usr/bin/python3
"""Reference values for lib/metrics, computed with scikit-learn and numpy.

Run from the repository root with Debian's interpreter (python3-sklearn, python3-numpy):

    /usr/bin/python3 lib/metrics/testdata/make_reference.py

It writes lib/metrics/testdata/reference.json next to itself. The Go tests read that file
and need no Python. Every case holds its inputs and the reference outputs: scikit-learn's,
or this script's numpy code where scikit-learn has no such function (the expected
calibration error, the largest calibration gap, the bin counts, the best-F1 search);
"sources" says which for every key. JSON has no NaN or Inf: an undefined value (sklearn
raises, or returns nan) is written as null.
"""

import json
import math
import os
import warnings

import numpy as np
import sklearn
from sklearn.calibration import calibration_curve
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.preprocessing import label_binarize
from sklearn.metrics import (
    accuracy_score,
    average_precision_score,
    confusion_matrix,
    f1_score,
    precision_recall_curve,
    precision_recall_fscore_support,
    precision_score,
    recall_score,
    roc_auc_score,
    roc_curve,
    top_k_accuracy_score,
)

warnings.simplefilter("ignore", UndefinedMetricWarning)
warnings.simplefilter("ignore", UserWarning)
warnings.simplefilter("ignore", RuntimeWarning)

THRESHOLD = 0.5

# Where each reference value comes from, by its JSON key: scikit-learn's own functions,
# or this script's numpy code where sklearn has no such function (the Go tests say which
# when a value differs).
SKLEARN_ECE_NOTE = "sklearn has no expected calibration error"
SOURCES = {
    "roc_fpr": "sklearn.metrics.roc_curve",
    "roc_tpr": "sklearn.metrics.roc_curve",
    "roc_thresholds_after_first": "sklearn.metrics.roc_curve",
    "auroc": "sklearn.metrics.roc_auc_score",
    "pr_precision": "sklearn.metrics.precision_recall_curve",
    "pr_recall": "sklearn.metrics.precision_recall_curve",
    "pr_thresholds": "sklearn.metrics.precision_recall_curve",
    "average_precision": "sklearn.metrics.average_precision_score",
    "at_threshold": "sklearn.metrics precision_score, recall_score, f1_score",
    "best_f1": "make_reference.py best_f1(): the highest threshold of best F1 over the distinct scores, "
               "each scored by sklearn.metrics.f1_score (sklearn has no such search)",
    "fraction_positive": "sklearn.calibration.calibration_curve (uniform bins)",
    "mean_probability": "sklearn.calibration.calibration_curve (uniform bins)",
    "counts": "numpy in make_reference.py ece(): numpy.bincount over calibration_curve's uniform bins",
    "ece": "numpy in make_reference.py ece(): the bins' |fraction positive - mean probability| weighted by "
           "their share of the clips, over calibration_curve's uniform bins (" + SKLEARN_ECE_NOTE + ")",
    "max_error": "numpy in make_reference.py ece(): the largest |fraction positive - mean probability| of a bin "
                 "(" + SKLEARN_ECE_NOTE + ")",
    "auroc_per_class": "sklearn.metrics.roc_auc_score per class",
    "auroc_macro_defined": "numpy mean of sklearn.metrics.roc_auc_score over the classes where it is defined",
    "auroc_micro": "sklearn.metrics.roc_auc_score on the flattened labels and scores",
    "ap_per_class": "sklearn.metrics.average_precision_score per class",
    "ap_macro": "sklearn.metrics.average_precision_score (average=macro)",
    "cmap": "sklearn.metrics.average_precision_score (average=macro) over the classes with a positive clip",
    "ap_micro": "sklearn.metrics.average_precision_score (average=micro)",
    "precision_per_class": "sklearn.metrics.precision_recall_fscore_support",
    "recall_per_class": "sklearn.metrics.precision_recall_fscore_support",
    "f1_per_class": "sklearn.metrics.precision_recall_fscore_support",
    "macro": "sklearn.metrics.precision_recall_fscore_support (average=macro)",
    "micro": "sklearn.metrics.precision_recall_fscore_support (average=micro)",
    "subset_accuracy": "sklearn.metrics.accuracy_score",
    "best_f1_thresholds": "make_reference.py best_f1() per class (see best_f1)",
    "best_f1_macro": "sklearn.metrics.precision_recall_fscore_support (average=macro) at make_reference.py's best-F1 thresholds",
    "best_f1_micro": "sklearn.metrics.precision_recall_fscore_support (average=micro) at make_reference.py's best-F1 thresholds",
    "argmax": "numpy.argmax",
    "accuracy": "sklearn.metrics.accuracy_score",
    "top_k": "sklearn.metrics.top_k_accuracy_score",
    "confusion": "sklearn.metrics.confusion_matrix",
    "ovr_auroc_per_class": "sklearn.metrics.roc_auc_score per class on the one-hot labels",
    "ovr_auroc_macro": "sklearn.metrics.roc_auc_score (multi_class=ovr, average=macro)",
    "ovr_ap_per_class": "sklearn.metrics.average_precision_score per class on the one-hot labels",
    "percentiles": "numpy.percentile (linear interpolation)",
}


def num(x):
    """A float for JSON: null for nan (undefined)."""
    x = float(x)
    if math.isnan(x):
        return None
    if math.isinf(x):
        raise ValueError("infinite value in reference")
    return x


def nums(xs):
    return [num(x) for x in xs]


def auroc_or_none(y, s):
    try:
        return roc_auc_score(y, s)
    except ValueError:  # "Only one class present in y_true"
        return float("nan")


def best_f1(y, s):
    """Threshold with the highest F1 over the distinct scores, highest threshold on ties."""
    best = None
    for t in sorted(np.unique(s), reverse=True):
        pred = (s >= t).astype(int)
        f1 = f1_score(y, pred, zero_division=0)
        if best is None or f1 > best[1]:
            best = (t, f1)
    t = best[0]
    pred = (s >= t).astype(int)
    return {
        "threshold": num(t),
        "precision": num(precision_score(y, pred, zero_division=0)),
        "recall": num(recall_score(y, pred, zero_division=0)),
        "f1": num(best[1]),
    }


def ece(y, p, n_bins):
    """Expected calibration error with calibration_curve's uniform bins, in plain numpy."""
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    bins = np.searchsorted(edges[1:-1], p)
    total = 0.0
    worst = 0.0
    for b in range(n_bins):
        mask = bins == b
        if mask.sum() == 0:
            continue
        gap = abs(y[mask].mean() - p[mask].mean())
        total += mask.sum() / len(p) * gap
        worst = max(worst, gap)
    return total, worst, np.bincount(bins, minlength=n_bins)


def reliability(y, p, n_bins):
    prob_true, prob_pred = calibration_curve(y, p, n_bins=n_bins, strategy="uniform")
    e, worst, counts = ece(y, p, n_bins)
    return {
        "n_bins": n_bins,
        "fraction_positive": nums(prob_true),
        "mean_probability": nums(prob_pred),
        "counts": [int(c) for c in counts if c > 0],
        "ece": num(e),
        "max_error": num(worst),
    }


def binary_case(name, scores, labels):
    s = np.asarray(scores, dtype=float)
    y = np.asarray(labels, dtype=int)
    fpr, tpr, thr = roc_curve(y, s, drop_intermediate=True)
    precision, recall, pr_thr = precision_recall_curve(y, s)
    pred = (s >= THRESHOLD).astype(int)
    tn, fp, fn, tp = confusion_matrix(y, pred, labels=[0, 1]).ravel()
    case = {
        "name": name,
        "scores": s.tolist(),
        "labels": y.tolist(),
        "roc_fpr": nums(fpr),
        "roc_tpr": nums(tpr),
        # sklearn 1.2 writes max score + 1 as the first threshold; Go writes +Inf.
        "roc_thresholds_after_first": nums(thr[1:]),
        "auroc": num(auroc_or_none(y, s)),
        "pr_precision": nums(precision),
        "pr_recall": nums(recall),
        "pr_thresholds": nums(pr_thr),
        "average_precision": num(average_precision_score(y, s)),
        "threshold": THRESHOLD,
        "at_threshold": {
            "tp": int(tp), "fp": int(fp), "fn": int(fn), "tn": int(tn),
            "precision": num(precision_score(y, pred, zero_division=0)),
            "recall": num(recall_score(y, pred, zero_division=0)),
            "f1": num(f1_score(y, pred, zero_division=0)),
        },
        "best_f1": best_f1(y, s),
    }
    if s.min() >= 0 and s.max() <= 1:
        case["reliability"] = [reliability(y, s, n) for n in (1, 5, 10)]
    return case


def multilabel_case(name, scores, labels):
    s = np.asarray(scores, dtype=float)
    y = np.asarray(labels, dtype=int)
    n_classes = s.shape[1]
    per_auroc = np.array([auroc_or_none(y[:, c], s[:, c]) for c in range(n_classes)])
    defined = per_auroc[~np.isnan(per_auroc)]
    per_ap = [average_precision_score(y[:, c], s[:, c]) for c in range(n_classes)]
    present = [c for c in range(n_classes) if y[:, c].sum() > 0]
    pred = (s >= THRESHOLD).astype(int)
    p, r, f, _ = precision_recall_fscore_support(y, pred, average=None, zero_division=0)
    mp, mr, mf, _ = precision_recall_fscore_support(y, pred, average="macro", zero_division=0)
    up, ur, uf, _ = precision_recall_fscore_support(y, pred, average="micro", zero_division=0)
    best = [best_f1(y[:, c], s[:, c]) for c in range(n_classes)]
    best_pred = np.stack([(s[:, c] >= best[c]["threshold"]).astype(int) for c in range(n_classes)], axis=1)
    bp, br, bf, _ = precision_recall_fscore_support(y, best_pred, average="micro", zero_division=0)
    bmp, bmr, bmf, _ = precision_recall_fscore_support(y, best_pred, average="macro", zero_division=0)
    return {
        "name": name,
        "scores": s.tolist(),
        "labels": y.tolist(),
        "auroc_per_class": nums(per_auroc),
        "auroc_macro_defined": num(defined.mean()) if len(defined) else None,
        "auroc_micro": num(auroc_or_none(y.ravel(), s.ravel())),
        "ap_per_class": nums(per_ap),
        "ap_macro": num(average_precision_score(y, s, average="macro")),
        "cmap": num(average_precision_score(y[:, present], s[:, present], average="macro")) if present else None,
        "ap_micro": num(average_precision_score(y, s, average="micro")),
        "threshold": THRESHOLD,
        "precision_per_class": nums(p),
        "recall_per_class": nums(r),
        "f1_per_class": nums(f),
        "macro": nums([mp, mr, mf]),
        "micro": nums([up, ur, uf]),
        "subset_accuracy": num(accuracy_score(y, pred)),
        "best_f1_thresholds": [b["threshold"] for b in best],
        "best_f1_macro": nums([bmp, bmr, bmf]),
        "best_f1_micro": nums([bp, br, bf]),
    }


def singlelabel_case(name, scores, classes):
    s = np.asarray(scores, dtype=float)
    y = np.asarray(classes, dtype=int)
    n_classes = s.shape[1]
    pred = s.argmax(axis=1)
    case = {
        "name": name,
        "scores": s.tolist(),
        "classes": y.tolist(),
        "argmax": pred.tolist(),
        "accuracy": num(accuracy_score(y, pred)),
        "top_k": {str(k): num(top_k_accuracy_score(y, s, k=k, labels=list(range(n_classes))))
                  for k in range(1, n_classes + 1)},
        "confusion": confusion_matrix(y, pred, labels=list(range(n_classes))).tolist(),
    }
    p, r, f, _ = precision_recall_fscore_support(y, pred, labels=list(range(n_classes)), average=None, zero_division=0)
    case["precision_per_class"] = nums(p)
    case["recall_per_class"] = nums(r)
    case["f1_per_class"] = nums(f)
    for average in ("macro", "micro"):
        case[average] = nums(precision_recall_fscore_support(
            y, pred, labels=list(range(n_classes)), average=average, zero_division=0)[:3])
    # One-vs-rest AUROC and AP on the one-hot labels.
    onehot = label_binarize(y, classes=list(range(n_classes)))
    case["ovr_auroc_per_class"] = nums([auroc_or_none(onehot[:, c], s[:, c]) for c in range(n_classes)])
    case["ovr_ap_per_class"] = nums([average_precision_score(onehot[:, c], s[:, c]) for c in range(n_classes)])
    if np.allclose(s.sum(axis=1), 1) and len(np.unique(y)) == n_classes:
        case["ovr_auroc_macro"] = num(roc_auc_score(y, s, multi_class="ovr", average="macro"))
    if s.min() >= 0 and s.max() <= 1:
        confidence = s.max(axis=1)
        correct = (pred == y).astype(int)
        case["top_label_reliability"] = [reliability(correct, confidence, n) for n in (5, 10)]
    return case


def softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def main():
    rng = np.random.default_rng(20261127)
    binary = [
        binary_case("sklearn docstring", [0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1]),
        binary_case("ties", [0.1, 0.4, 0.4, 0.8, 0.8, 0.8, 0.2, 0.4], [0, 0, 1, 1, 0, 1, 1, 0]),
        binary_case("constant scores", [0.5] * 6, [0, 1, 0, 0, 1, 1]),
        binary_case("no positives", [0.1, 0.7, 0.3, 0.9], [0, 0, 0, 0]),
        binary_case("all positives", [0.1, 0.7, 0.3, 0.9], [1, 1, 1, 1]),
        binary_case("single positive clip", [0.3], [1]),
        binary_case("single negative clip", [0.3], [0]),
        binary_case("perfect", [0.9, 0.8, 0.7, 0.2, 0.1], [1, 1, 1, 0, 0]),
        binary_case("inverted", [0.9, 0.8, 0.7, 0.2, 0.1], [0, 0, 0, 1, 1]),
        binary_case("bin edges", [0.0, 0.1, 0.2, 0.4, 0.5, 0.6, 0.8, 1.0, 1.0, 0.3], [0, 0, 1, 0, 1, 0, 1, 1, 1, 0]),
        binary_case("unbounded scores", [-3.5, 2.0, 0.0, 7.25, -1.0, 2.0], [0, 1, 0, 1, 1, 0]),
    ]
    for n in (10, 50, 400):
        y = (rng.random(n) < 0.3).astype(int)
        s = np.clip(0.3 * y + rng.random(n) * 0.7, 0, 1)
        binary.append(binary_case(f"random n={n}", s, y))
        binary.append(binary_case(f"random rounded n={n}", np.round(s, 1), y))

    multilabel = [
        multilabel_case(
            "hand-made: class 1 has no positives, class 2 all positives, ties",
            [[0.9, 0.2, 0.5], [0.4, 0.2, 0.5], [0.4, 0.7, 0.1], [0.1, 0.2, 0.8], [0.6, 0.0, 0.5]],
            [[1, 0, 1], [0, 0, 1], [1, 0, 1], [0, 0, 1], [1, 0, 1]],
        ),
        multilabel_case("single clip", [[0.2, 0.8, 0.5]], [[0, 1, 1]]),
        multilabel_case("constant scores", [[0.5, 0.5]] * 4, [[1, 0], [0, 1], [1, 1], [0, 0]]),
    ]
    for n, c in ((8, 3), (60, 5), (300, 8)):
        y = (rng.random((n, c)) < rng.uniform(0.05, 0.5, size=c)).astype(int)
        if c > 3:
            y[:, -1] = 0  # a class with no positives
        s = 1 / (1 + np.exp(-(1.5 * y + rng.normal(size=(n, c)) - 0.8)))
        multilabel.append(multilabel_case(f"random {n}x{c}", s, y))
        multilabel.append(multilabel_case(f"random rounded {n}x{c}", np.round(s, 1), y))

    singlelabel = [
        singlelabel_case("hand-made ties", [[0.2, 0.4, 0.4], [0.5, 0.5, 0.0], [0.1, 0.3, 0.6], [1 / 3, 1 / 3, 1 / 3]], [2, 0, 1, 1]),
        singlelabel_case("single clip", [[0.1, 0.6, 0.3]], [0]),
    ]
    for n, c in ((12, 3), (80, 4), (300, 6)):
        y = rng.integers(0, c, size=n)
        z = rng.normal(size=(n, c))
        z[np.arange(n), y] += 1.5
        singlelabel.append(singlelabel_case(f"random softmax {n}x{c}", softmax(z), y))
        singlelabel.append(singlelabel_case(f"random rounded {n}x{c}", np.round(softmax(z), 1), y))

    values = rng.normal(size=37)
    percentiles = {
        "values": values.tolist(),
        "q": [0.0, 0.025, 0.1, 0.5, 0.9, 0.975, 1.0],
        "percentiles": [float(np.percentile(values, 100 * q)) for q in [0.0, 0.025, 0.1, 0.5, 0.9, 0.975, 1.0]],
    }

    reference = {
        "generator": "lib/metrics/testdata/make_reference.py",
        "sklearn_version": sklearn.__version__,
        "numpy_version": np.__version__,
        "sources": SOURCES,
        "binary": binary,
        "multilabel": multilabel,
        "singlelabel": singlelabel,
        "percentile": percentiles,
    }
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference.json")
    with open(out, "w") as f:
        json.dump(reference, f, allow_nan=False)
        f.write("\n")
    print("wrote", out)


if __name__ == "__main__":
    main()
