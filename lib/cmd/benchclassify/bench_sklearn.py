#!/usr/bin/python3
"""scikit-learn's side of benchclassify: fits the counterparts of lib/classify's
classifiers on the split benchclassify wrote, and prints one JSON object per
model (accuracy, best fit time over the repeats, predict time, iterations).

    /usr/bin/python3 bench_sklearn.py DIR REPEATS MODEL...

DIR holds x_train.npy, y_train.npy, x_test.npy, y_test.npy. Every model is a
StandardScaler + classifier pipeline, as lib/classify's models standardize
their features themselves.
"""
import json
import sys
import time
import warnings

import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier

MODELS = {
    # max_iter 1000: lib/classify's default (scikit-learn's 100 stops short on these embeddings).
    "logistic": lambda: LogisticRegression(C=1.0, max_iter=1000, tol=1e-4),
    "mlp": lambda: MLPClassifier(hidden_layer_sizes=(100,), alpha=1e-4, batch_size=200,
                                 learning_rate_init=1e-3, max_iter=200, tol=1e-4,
                                 n_iter_no_change=10, random_state=0),
    "mlp_early": lambda: MLPClassifier(hidden_layer_sizes=(100,), alpha=1e-4, batch_size=200,
                                       learning_rate_init=1e-3, max_iter=200, tol=1e-4,
                                       n_iter_no_change=10, early_stopping=True,
                                       validation_fraction=0.1, random_state=0),
    "tree": lambda: DecisionTreeClassifier(random_state=0),
    "forest": lambda: RandomForestClassifier(100, random_state=0),
    "svm_rbf": lambda: SVC(kernel="rbf", C=1.0, gamma="scale"),
    "knn": lambda: KNeighborsClassifier(5, algorithm="brute"),
}


def main():
    directory, repeats, names = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    load = lambda name: np.load(f"{directory}/{name}.npy")
    x_train, y_train, x_test, y_test = load("x_train"), load("y_train"), load("x_test"), load("y_test")
    warnings.simplefilter("ignore", ConvergenceWarning)
    for name in names:
        best = float("inf")
        for _ in range(repeats):
            model = make_pipeline(StandardScaler(), MODELS[name]())
            start = time.perf_counter()
            model.fit(x_train, y_train)
            best = min(best, time.perf_counter() - start)
        start = time.perf_counter()
        predicted = model.predict(x_test)
        predict_s = time.perf_counter() - start
        n_iter = getattr(model[-1], "n_iter_", 0)
        n_iter = int(np.max(n_iter)) if n_iter is not None else 0
        print(json.dumps({"model": name, "accuracy": float(np.mean(predicted == y_test)),
                          "fit_s": best, "predict_s": predict_s, "iterations": n_iter}), flush=True)


if __name__ == "__main__":
    main()
