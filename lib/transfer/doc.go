// Package transfer measures how much labelled data each way of reusing a
// pretrained network needs: a learning curve — test accuracy against the size of
// the training set — for three methods on the same corpus, the same test set and
// the same nested training subsets.
//
//   - Frozen: the pretrained feature extractor's embeddings, never changed, and a
//     logistic regression on them (lib/classify): the lecture's "frozen
//     embeddings + shallow classifier".
//   - FineTune: the pretrained network with a new classifier for the corpus's
//     classes (cnn.Model.WithClassifier), trained with a small learning rate on
//     the extractor's last layers and a larger one on the classifier. The layers up
//     to Options.FineTuneAfter stay frozen; their outputs are computed once
//     (cnn.Model.DatasetAt), so a training step runs only the layers that learn.
//   - Scratch: the same architecture, freshly initialised, every layer trained.
//
// The question it answers is the lecture's rule of thumb: "fine-tuning needs
// ≥1,000 labelled samples; below that, use frozen embeddings and a shallow
// classifier". Run gives one Row per (method, size, seed); Curves turns them into
// one metrics.LearningCurve per method (mean, minimum and maximum over the seeds), which
// metricsplots.LearningCurves draws.
//
// # The experiment
//
// The test set is TestPerClass clips of every class, drawn once (SplitSeed);
// the rest is the pool, less the other clips of the test clips' recordings
// (Corpus.Files), which are used nowhere: no recording is on both sides. For each seed the pool is shuffled class by class, and a
// training set of n clips takes ⌊n/C⌋ clips of each of the C classes, plus one
// more for n mod C classes chosen by the seed: stratified, and nested (the set
// of size 100 contains the one of size 60, for the same seed), so differences
// between sizes are not differences between draws. Training lengths follow one
// rule for FineTune and Scratch: ⌈Epochs·n/BatchSize⌉ steps, clamped to
// [MinSteps, MaxSteps] — the same number of steps for both, so Scratch is
// compared at equal optimisation effort, not trained to convergence.
//
// # Determinism and cache
//
// The same corpus, pretrained weights, options and engine give the same rows,
// bit for bit (the wall time aside). With Options.CacheDir set each row is
// stored in a file keyed by a SHA-256 over everything it depends on — the
// method, size and seed, every option that affects it, the corpus (its images
// and labels), the pretrained weights (not for Scratch) and the engine — so a
// re-run reads it back instantly and any change recomputes it.
//
// # Files
//
// corpus.go loads a label table's clips as images (Corpus, LoadCorpus);
// transfer.go runs the experiment (Options, Run, the three methods); keys.go
// holds the cache keys; table.go the learning curves and the text table
// (Curves, Table); csv.go the rows' CSV form (WriteCSV, ReadCSV); record.go the
// run record.
package transfer
