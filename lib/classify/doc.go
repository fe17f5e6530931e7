// Package classify holds the shallow classifiers of the course behind one
// interface, Classifier: Fit on feature rows and labels, PredictProba,
// Predict, NumWeights, Save — and Load, which reads back any saved kind.
// They work on embeddings (lib/embed) or on handcrafted features
// (lib/features) alike.
//
// The classifiers, and what each is for in the lessons:
//
//   - LogisticRegression: the lecture's "plane", a linear layer with softmax
//     (single-label) or sigmoid (multi-label) outputs, L2-penalized with
//     scikit-learn's C. Full-batch training: a GoMLX graph gives the loss and
//     its gradient, gonum's L-BFGS moves the weights.
//   - MLP: dense layers with ReLU; hidden sizes, steps, batch size, learning
//     rate, L2 weight decay, dropout and early stopping on a hold-out set are
//     options; it trains with Adam in plain Go (matrix products on
//     lib/internal/gemm, Adam's moments flushed to zero below the smallest
//     normal float32), or as a GoMLX graph on MLPOptions.Backend, and records
//     learning curves (History).
//   - DecisionTree (CART, Gini) and RandomForest (bootstrap, √features per
//     split, trees grown in parallel).
//   - SVM: linear or RBF kernel, one-vs-rest machines solved by SMO, Platt
//     probabilities.
//   - KNN: k nearest neighbours, uniform or distance-weighted votes,
//     Euclidean or cosine distance.
//
// Conventions:
//
//   - Features are [][]float32, one row per example. Labels are a
//     dataset.Labels, the one type for labels that lib/cnn takes too: either
//     one class index per example (dataset.SingleLabel, softmax outputs) or a
//     multi-hot row per example (dataset.MultiLabel, one independent sigmoid
//     per class); dataset.FromTable reads them from a label table. Tree, forest and
//     SVM treat multi-label data as one binary problem per class
//     (one-vs-rest); logistic regression, MLP and k-NN score classes
//     independently by construction.
//   - Every model standardizes its features (per-feature mean and population
//     standard deviation, learnt by Fit and saved with the model), so callers
//     pass raw features and a loaded model needs nothing else.
//   - Everything is seeded where randomness enters (MLP initialization,
//     shuffles, hold-out, dropout; forest bootstraps and feature draws): the
//     same data, options and engine give the same model.
//   - Bad input — no rows, ragged rows, NaN or ±Inf, labels that do not
//     match the rows, a single class, the wrong number of features at predict
//     time — returns an error wrapping ErrInput that names the row and value;
//     using a model before Fit returns ErrNotFitted.
//   - Save writes atomically (lib/atomicfile) a gob file whose header names
//     the kind of model; Load dispatches on it.
//
// Subset cuts a label table's rows into what a classifier is fitted on,
// FitAccuracy is one train-and-test measurement, and CompareSplits repeats it
// over split seeds and ways of splitting (by clip, by recording, by site) to
// measure how much a split's test part flatters a classifier against clips no
// split sees (lesson 05's leak table), with Student t intervals from
// lib/metrics over the distinct splits the seeds give.
//
// The values these models give are checked against scikit-learn 1.2.1
// (testdata/make_reference.py), and lib/cmd/benchclassify compares accuracy
// and fit time side by side with it.
package classify
