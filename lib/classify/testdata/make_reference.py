#!/usr/bin/python3
"""Reference values for lib/classify's tests, from scikit-learn.

Run from the repository root with Debian's Python (scikit-learn 1.2.1):

    /usr/bin/python3 lib/classify/testdata/make_reference.py

It writes lib/classify/testdata/reference.json: two small seeded data sets
(single-label, 3 classes; multi-label, 4 classes), their train/test split, and
what scikit-learn's counterparts of lib/classify's classifiers predict on the
test rows. Every model standardizes its features first (StandardScaler), as
lib/classify's models do.
"""
import json
import os

import numpy as np
import sklearn
from sklearn.datasets import make_classification, make_multilabel_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.neighbors import KNeighborsClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier

x, y = make_classification(n_samples=300, n_features=8, n_informative=5, n_redundant=1,
                           n_classes=3, n_clusters_per_class=1, class_sep=1.0, random_state=0)
x = x.astype(np.float32)
x[:, 2] = x[:, 2] * 50 + 7  # Features on different scales: standardization matters.
x_train, y_train, x_test, y_test = x[:200], y[:200], x[200:], y[200:]

mx, my = make_multilabel_classification(n_samples=300, n_features=8, n_classes=4, n_labels=2,
                                        random_state=1)
mx = mx.astype(np.float32)
mx_train, my_train, mx_test, my_test = mx[:200], my[:200], mx[200:], my[200:]


def scaled(model):
    return make_pipeline(StandardScaler(), model)


def proba(model, xtr, ytr, xte):
    m = scaled(model).fit(xtr, ytr)
    return m.predict_proba(xte).tolist()


def accuracy(model, xtr=x_train, ytr=y_train, xte=x_test, yte=y_test):
    return float(scaled(model).fit(xtr, ytr).score(xte, yte))


ref = {
    "sklearn_version": sklearn.__version__,
    "x_train": x_train.tolist(), "y_train": y_train.tolist(),
    "x_test": x_test.tolist(), "y_test": y_test.tolist(),
    "mx_train": mx_train.tolist(), "my_train": my_train.tolist(),
    "mx_test": mx_test.tolist(), "my_test": my_test.tolist(),
}

# Logistic regression, converged tightly (lbfgs), at two strengths.
tight = dict(max_iter=10000, tol=1e-10)
ref["logistic_c1_proba"] = proba(LogisticRegression(C=1.0, **tight), x_train, y_train, x_test)
ref["logistic_c01_proba"] = proba(LogisticRegression(C=0.1, **tight), x_train, y_train, x_test)
# Two classes: scikit-learn fits one sigmoid.
two = y_train < 2
two_test = y_test < 2
ref["logistic_binary_proba"] = proba(LogisticRegression(C=1.0, **tight), x_train[two], y_train[two], x_test[two_test])
ref["binary_test_rows"] = np.nonzero(two_test)[0].tolist()
# Multi-label: one binary logistic regression per class.
ref["logistic_multilabel_proba"] = proba(OneVsRestClassifier(LogisticRegression(C=1.0, **tight)),
                                         mx_train, my_train, mx_test)

# k-NN (exact, brute force).
ref["knn5_uniform_euclidean_proba"] = proba(KNeighborsClassifier(5, algorithm="brute"), x_train, y_train, x_test)
ref["knn7_distance_euclidean_proba"] = proba(KNeighborsClassifier(7, weights="distance", algorithm="brute"),
                                             x_train, y_train, x_test)
ref["knn5_uniform_cosine_proba"] = proba(KNeighborsClassifier(5, metric="cosine", algorithm="brute"),
                                         x_train, y_train, x_test)
ref["knn5_multilabel_proba"] = [p[:, 1].tolist() for p in
                                scaled(KNeighborsClassifier(5, algorithm="brute")).fit(mx_train, my_train).predict_proba(mx_test)]

# Accuracies of the models whose fits differ in details (ties, random draws,
# one-vs-one): the Go tests compare within a few points.
ref["tree_accuracy"] = accuracy(DecisionTreeClassifier(random_state=0))
ref["tree_depth3_accuracy"] = accuracy(DecisionTreeClassifier(max_depth=3, random_state=0))
ref["forest_accuracy"] = float(np.mean([accuracy(RandomForestClassifier(100, random_state=s)) for s in range(5)]))
ref["svm_linear_accuracy"] = accuracy(SVC(kernel="linear", C=1.0))
# The same machines as lib/classify's SVM: one binary SVC per class against the rest.
for kernel in ["linear", "rbf"]:
    ovr = scaled(OneVsRestClassifier(SVC(kernel=kernel, C=1.0, gamma="scale"))).fit(x_train, y_train)
    ref[f"svm_ovr_{kernel}_decision"] = ovr.decision_function(x_test).tolist()
    ref[f"svm_ovr_{kernel}_accuracy"] = float(ovr.score(x_test, y_test))
ref["svm_rbf_accuracy"] = accuracy(SVC(kernel="rbf", C=1.0, gamma="scale"))
ref["mlp_accuracy"] = float(np.mean([accuracy(MLPClassifier((32,), max_iter=500, random_state=s)) for s in range(5)]))
ref["mlp_multilabel_accuracy"] = float(np.mean([accuracy(MLPClassifier((32,), max_iter=500, random_state=s),
                                                         mx_train, my_train, mx_test, my_test) for s in range(5)]))
ref["logistic_multilabel_accuracy"] = accuracy(OneVsRestClassifier(LogisticRegression(C=1.0, **tight)),
                                               mx_train, my_train, mx_test, my_test)

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "reference.json")
with open(out + ".tmp", "w") as f:
    json.dump(ref, f)
os.replace(out + ".tmp", out)
for k, v in ref.items():
    if k.endswith("accuracy"):
        print(f"{k}: {v:.3f}")
