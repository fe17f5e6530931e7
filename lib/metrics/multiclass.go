package metrics

import (
	"errors"
	"fmt"
	"math"

	"github.com/dawnchorus/dawnchorus/lib/internal/vec"
)

var errNaNThreshold = errors.New("metrics: threshold is NaN")

// Argmax returns, for every clip, the class with the highest score: the prediction of a
// single-label classifier. Ties go to the lowest class index, as numpy's argmax.
func Argmax[S Score](scores [][]S) ([]int, error) {
	return argmaxFloat64(float64Rows(scores))
}

// argmaxFloat64 is Argmax on float64 scores.
func argmaxFloat64(scores [][]float64) ([]int, error) {
	if _, err := checkScores(scores); err != nil {
		return nil, err
	}
	predicted := make([]int, len(scores))
	for i, row := range scores {
		predicted[i] = vec.Argmax(row)
	}
	return predicted, nil
}

// Accuracy returns the fraction of clips whose top-scoring class (Argmax) is the true
// class, classes[i] for clip i.
func Accuracy[S Score](scores [][]S, classes []int) (float64, error) {
	return accuracyFloat64(float64Rows(scores), classes)
}

// accuracyFloat64 is Accuracy on float64 scores.
func accuracyFloat64(scores [][]float64, classes []int) (float64, error) {
	if _, err := checkSingleLabel(scores, classes); err != nil {
		return 0, err
	}
	predicted, _ := Argmax(scores)
	correct := 0
	for i, c := range classes {
		if predicted[i] == c {
			correct++
		}
	}
	return float64(correct) / float64(len(classes)), nil
}

// TopKAccuracy returns the fraction of clips whose true class is among the k top-scoring
// classes, as sklearn's top_k_accuracy_score: among classes with equal scores the higher
// class index ranks first. With k ≥ the number of classes it is 1.
func TopKAccuracy[S Score](scores [][]S, classes []int, k int) (float64, error) {
	return topKAccuracyFloat64(float64Rows(scores), classes, k)
}

// topKAccuracyFloat64 is TopKAccuracy on float64 scores.
func topKAccuracyFloat64(scores [][]float64, classes []int, k int) (float64, error) {
	if _, err := checkSingleLabel(scores, classes); err != nil {
		return 0, err
	}
	if k < 1 {
		return 0, fmt.Errorf("metrics: top-k accuracy with k = %d, want k ≥ 1", k)
	}
	hits := 0
	for i, row := range scores {
		truth := row[classes[i]]
		// Classes ranked ahead of the true one: higher score, or equal score and higher index.
		ahead := 0
		for c, s := range row {
			if s > truth || (s == truth && c > classes[i]) {
				ahead++
			}
		}
		if ahead < k {
			hits++
		}
	}
	return float64(hits) / float64(len(classes)), nil
}

// SubsetAccuracy returns, for a multi-label problem, the fraction of clips whose every
// class is right when scores ≥ threshold are called present (sklearn's accuracy_score on
// label indicator matrices).
func SubsetAccuracy[S Score](scores [][]S, labels [][]int, threshold float64) (float64, error) {
	return subsetAccuracyFloat64(float64Rows(scores), labels, threshold)
}

// subsetAccuracyFloat64 is SubsetAccuracy on float64 scores.
func subsetAccuracyFloat64(scores [][]float64, labels [][]int, threshold float64) (float64, error) {
	if _, err := checkMultiLabel(scores, labels); err != nil {
		return 0, err
	}
	correct := 0
	for i, row := range scores {
		allRight := true
		for c, s := range row {
			if (s >= threshold) != (labels[i][c] == 1) {
				allRight = false
				break
			}
		}
		if allRight {
			correct++
		}
	}
	return float64(correct) / float64(len(scores)), nil
}

// ConfusionMatrix counts clips by true class (row) and predicted class (column), as
// sklearn's confusion_matrix: matrix[t][p] is the number of clips of class t predicted as
// p, so the diagonal holds the correct predictions. Both slices hold class indices in
// [0, numClasses).
func ConfusionMatrix(trueClasses, predictedClasses []int, numClasses int) ([][]int, error) {
	if len(trueClasses) != len(predictedClasses) {
		return nil, fmt.Errorf("metrics: %d true classes but %d predicted classes", len(trueClasses), len(predictedClasses))
	}
	if numClasses <= 0 {
		return nil, fmt.Errorf("metrics: confusion matrix with %d classes, want at least 1", numClasses)
	}
	matrix := make([][]int, numClasses)
	for t := range matrix {
		matrix[t] = make([]int, numClasses)
	}
	for i, t := range trueClasses {
		p := predictedClasses[i]
		if t < 0 || t >= numClasses {
			return nil, fmt.Errorf("metrics: trueClasses[%d] = %d, want a class index in [0, %d)", i, t, numClasses)
		}
		if p < 0 || p >= numClasses {
			return nil, fmt.Errorf("metrics: predictedClasses[%d] = %d, want a class index in [0, %d)", i, p, numClasses)
		}
		matrix[t][p]++
	}
	return matrix, nil
}

// CountsFromConfusion returns the one-vs-rest counts of every class from a confusion
// matrix (rows true classes, columns predicted classes): for class c, the true positives
// are matrix[c][c], the false positives the rest of column c, the false negatives the rest
// of row c.
func CountsFromConfusion(matrix [][]int) []Counts {
	total := 0
	rowSums := make([]int, len(matrix))
	columnSums := make([]int, len(matrix))
	for t, row := range matrix {
		for p, n := range row {
			rowSums[t] += n
			columnSums[p] += n
			total += n
		}
	}
	counts := make([]Counts, len(matrix))
	for c := range matrix {
		tp := matrix[c][c]
		counts[c] = Counts{
			TruePositives:  tp,
			FalsePositives: columnSums[c] - tp,
			FalseNegatives: rowSums[c] - tp,
			TrueNegatives:  total - rowSums[c] - columnSums[c] + tp,
		}
	}
	return counts
}

// SingleLabelReport returns per-class precision, recall and F1 of a single-label
// classifier that predicts its top-scoring class (Argmax), with their macro and micro
// averages, as sklearn's precision_recall_fscore_support on the predicted classes. There is
// no threshold: each ThresholdResult's Threshold is NaN. The micro averages all equal the
// accuracy, since every wrong clip is one false positive and one false negative.
func SingleLabelReport[S Score](scores [][]S, classes []int) (ThresholdSummary, error) {
	return singleLabelReportFloat64(float64Rows(scores), classes)
}

// singleLabelReportFloat64 is SingleLabelReport on float64 scores.
func singleLabelReportFloat64(scores [][]float64, classes []int) (ThresholdSummary, error) {
	numClasses, err := checkSingleLabel(scores, classes)
	if err != nil {
		return ThresholdSummary{}, err
	}
	predicted, _ := Argmax(scores)
	matrix, err := ConfusionMatrix(classes, predicted, numClasses)
	if err != nil {
		return ThresholdSummary{}, err
	}
	perClass := make([]ThresholdResult, numClasses)
	for c, counts := range CountsFromConfusion(matrix) {
		perClass[c] = ThresholdResult{math.NaN(), counts, counts.Precision(), counts.Recall(), counts.F1()}
	}
	return summarize(perClass), nil
}
