// Package metrics measures how well a classifier's scores agree with the true labels:
// accuracy, precision/recall/F1 at a threshold and at the best-F1 threshold, ROC curves and
// AUROC, precision-recall curves and average precision (macro mAP, micro, and the class-wise
// cmAP of BirdCLEF/BirdSet), top-k accuracy, confusion matrices, calibration (reliability
// curve and expected calibration error), and bootstrap confidence intervals on any of them.
//
// # Inputs
//
// Scores are a [][]float64 with one row per clip and one column per class: scores[i][c] is
// the model's score for class c on clip i (a sigmoid output for multi-label models, a
// softmax output for single-label ones, or any real-valued score where only the order
// matters). Every row has the same length. Scores must be finite: NaN and ±Inf are errors
// that name the clip and class. Scores are float32, as lib/classify and lib/cnn give them,
// or float64 ([Score]): every function takes either and computes in float64. A function
// used as a value names the type, e.g. metrics.Accuracy[float64].
//
// Multi-label truth is a [][]int of the same shape holding 0 or 1: labels[i][c] == 1 when
// class c is present in clip i. Single-label truth is a []int of class indices, one per
// clip, in [0, numClasses); [OneHot] turns it into the 0/1 matrix, so every per-class metric
// serves both cases: the single-label versions are one-vs-rest. The metrics of a single
// prediction per clip ([Accuracy], [TopKAccuracy], [SingleLabelReport], [ConfusionMatrix],
// [TopLabelReliability]) take the class indices directly.
//
// Functions on a single class take one column: scores []float32 or []float64 and labels
// []int (0/1); [Column] and [LabelColumn] cut a column out of a matrix. No function
// modifies its inputs.
//
// # Definitions
//
// The definitions are scikit-learn's, and the tests check every value against
// scikit-learn 1.2 run on the same inputs (lib/metrics/testdata/make_reference.py):
//
//   - A clip is predicted positive at threshold t when its score is ≥ t.
//   - [ROCCurve] is sklearn.metrics.roc_curve with drop_intermediate=True: points collinear
//     with their neighbours are dropped (they do not change the area), and the curve starts
//     at (0, 0) with threshold +Inf (scikit-learn 1.2 writes max score + 1 there; 1.3 and
//     later write +Inf as here). Tied scores form a single point: the curve moves
//     diagonally across a tie.
//   - [AUROC] is the trapezoidal area under the ROC curve, so ties count one half, as in
//     roc_auc_score and the Mann-Whitney statistic.
//   - [PRCurve] is precision_recall_curve: recall falls from 1 to 0, and the last point is
//     (recall 0, precision 1) with no threshold.
//   - [AveragePrecision] is average_precision_score: the step-wise sum
//     Σₙ (Rₙ − Rₙ₋₁) Pₙ over thresholds, not interpolated.
//   - Macro averages are unweighted means over classes; micro averages pool every
//     (clip, class) pair into one binary problem.
//   - Precision, recall and F1 with a zero denominator are 0 (sklearn's zero_division=0).
//   - The best-F1 threshold ([AtBestF1]) is the distinct score that maximizes F1, the
//     highest such score on ties.
//
// # Edge cases
//
// These behaviours are defined and tested:
//
//   - A class with no positives: its AUROC is NaN (its true-positive rate has no
//     denominator), and macro AUROC averages only the classes whose AUROC is defined (sklearn
//     raises an error instead). Its average precision is 0 (sklearn 1.2 sets recall to 1 at
//     every threshold), and it counts as 0 in macro mAP but is left out of cmAP. Its
//     ROC curve has NaN true-positive rates, its PR curve recall 1.
//   - A class with all positives: AUROC NaN (no negatives), average precision 1.
//   - Constant scores: one ROC point besides the origin, AUROC 0.5, average precision equal
//     to the fraction of positives.
//   - Ties in scores: one threshold per distinct score value (see above). Ties in top-k and
//     argmax: [Argmax] picks the lowest class index (numpy's argmax); [TopKAccuracy] breaks
//     ties as sklearn's top_k_accuracy_score does, the higher class index first.
//
// # cmAP
//
// cmAP ("class-wise mean average precision", the BirdCLEF and BirdSet metric) is the mean of
// the per-class average precision over the classes that have at least one positive clip.
// Macro mAP is the mean over all classes. They differ exactly when some class has no
// positives in the evaluated clips, which is common on small test sets of rare species.
//
// # Calibration
//
// [Reliability] bins probabilities into equal-width bins on [0, 1] as sklearn's
// calibration_curve(strategy="uniform"): the first bin is [0, 1/n], the others (k/n, (k+1)/n]
// (a probability on an inner edge falls in the lower bin). The expected calibration error
// is Σ_b (n_b/N)·|fraction positive_b − mean probability_b| over the non-empty bins; it
// depends on the number of bins, so compare ECEs computed with the same number (10 or 15 is
// usual).
// [TopLabelReliability] measures a single-label classifier: confidence is the top score
// and the outcome is whether the top class is right (Guo et al., 2017).
//
// # Bootstrap
//
// [Bootstrap] resamples clips (or whole groups of clips, such as recordings, when clips
// from one recording are not independent) with replacement, evaluates a metric on each
// resample, and reports the percentile interval, seeded so it is the same on every run.
// The usual metrics have theirs written once: [AccuracyInterval] and
// [AccuracyDifferenceInterval], [BootstrapMean] and [BootstrapMeanDifference] (a mean of
// per-item values, and the paired difference of two), [BootstrapRatio] (a share of a
// subset, such as errors within a family, [ErrorsWithinGroups]) and [AUROCInterval] (scores
// resampled by group) and [PairAUROCInterval] (scores of pairs of items, a verification's:
// the items resampled, each pair weighted by the product of its two items' draws). Over a few seeds, where a bootstrap is too narrow, [MeanInterval]
// and [PairedInterval] give Student t intervals.
package metrics
