package metrics

import (
	"errors"
	"fmt"
)

var errNaNThreshold = errors.New("metrics: threshold is NaN")

// Argmax returns, for every clip, the class with the highest score: the prediction of a
// single-label classifier. Ties go to the lowest class index, as numpy's argmax.
func Argmax(scores [][]float64) ([]int, error) {
	if _, err := checkScores(scores); err != nil {
		return nil, err
	}
	predicted := make([]int, len(scores))
	for i, row := range scores {
		for c, s := range row {
			if s > row[predicted[i]] {
				predicted[i] = c
			}
		}
	}
	return predicted, nil
}

// Accuracy returns the fraction of clips whose top-scoring class (Argmax) is the true
// class, classes[i] for clip i.
func Accuracy(scores [][]float64, classes []int) (float64, error) {
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
func TopKAccuracy(scores [][]float64, classes []int, k int) (float64, error) {
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
func SubsetAccuracy(scores [][]float64, labels [][]int, threshold float64) (float64, error) {
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
