package metrics

import (
	"fmt"
	"math"
)

// checkBinary checks one class's scores and 0/1 labels.
func checkBinary(scores []float64, labels []int) error {
	if len(scores) != len(labels) {
		return fmt.Errorf("metrics: %d scores but %d labels", len(scores), len(labels))
	}
	if len(scores) == 0 {
		return fmt.Errorf("metrics: no clips (empty scores)")
	}
	for i, s := range scores {
		if math.IsNaN(s) || math.IsInf(s, 0) {
			return fmt.Errorf("metrics: scores[%d] is %v, want a finite number", i, s)
		}
	}
	for i, l := range labels {
		if l != 0 && l != 1 {
			return fmt.Errorf("metrics: labels[%d] = %d, want 0 or 1", i, l)
		}
	}
	return nil
}

// checkScores checks that scores is a non-empty rectangular matrix of finite numbers and
// returns its number of classes.
func checkScores(scores [][]float64) (numClasses int, err error) {
	if len(scores) == 0 {
		return 0, fmt.Errorf("metrics: no clips (empty scores)")
	}
	numClasses = len(scores[0])
	if numClasses == 0 {
		return 0, fmt.Errorf("metrics: scores[0] is empty, want one score per class")
	}
	for i, row := range scores {
		if len(row) != numClasses {
			return 0, fmt.Errorf("metrics: scores[%d] has %d classes, scores[0] has %d", i, len(row), numClasses)
		}
		for c, s := range row {
			if math.IsNaN(s) || math.IsInf(s, 0) {
				return 0, fmt.Errorf("metrics: scores[%d][%d] is %v, want a finite number", i, c, s)
			}
		}
	}
	return numClasses, nil
}

// checkMultiLabel checks scores and a 0/1 label matrix of the same shape and returns the
// number of classes.
func checkMultiLabel(scores [][]float64, labels [][]int) (numClasses int, err error) {
	numClasses, err = checkScores(scores)
	if err != nil {
		return 0, err
	}
	if len(labels) != len(scores) {
		return 0, fmt.Errorf("metrics: scores has %d clips but labels has %d", len(scores), len(labels))
	}
	for i, row := range labels {
		if len(row) != numClasses {
			return 0, fmt.Errorf("metrics: labels[%d] has %d classes, scores has %d", i, len(row), numClasses)
		}
		for c, l := range row {
			if l != 0 && l != 1 {
				return 0, fmt.Errorf("metrics: labels[%d][%d] = %d, want 0 or 1", i, c, l)
			}
		}
	}
	return numClasses, nil
}

// checkSingleLabel checks scores and class indices and returns the number of classes.
func checkSingleLabel(scores [][]float64, classes []int) (numClasses int, err error) {
	numClasses, err = checkScores(scores)
	if err != nil {
		return 0, err
	}
	if len(classes) != len(scores) {
		return 0, fmt.Errorf("metrics: scores has %d clips but classes has %d", len(scores), len(classes))
	}
	for i, c := range classes {
		if c < 0 || c >= numClasses {
			return 0, fmt.Errorf("metrics: classes[%d] = %d, want a class index in [0, %d)", i, c, numClasses)
		}
	}
	return numClasses, nil
}

// Column returns column class of scores: one score per clip for that class.
// It panics if class is out of range for any row.
func Column[S Score](scores [][]S, class int) []float64 {
	column := make([]float64, len(scores))
	for i, row := range scores {
		column[i] = float64(row[class])
	}
	return column
}

// LabelColumn returns column class of a 0/1 label matrix.
// It panics if class is out of range for any row.
func LabelColumn(labels [][]int, class int) []int {
	column := make([]int, len(labels))
	for i, row := range labels {
		column[i] = row[class]
	}
	return column
}

// OneHot turns single-label class indices into a 0/1 label matrix with numClasses columns,
// so that the per-class (one-vs-rest) metrics apply to single-label classifiers.
func OneHot(classes []int, numClasses int) ([][]int, error) {
	if numClasses <= 0 {
		return nil, fmt.Errorf("metrics: OneHot with %d classes, want at least 1", numClasses)
	}
	labels := make([][]int, len(classes))
	for i, c := range classes {
		if c < 0 || c >= numClasses {
			return nil, fmt.Errorf("metrics: classes[%d] = %d, want a class index in [0, %d)", i, c, numClasses)
		}
		labels[i] = make([]int, numClasses)
		labels[i][c] = 1
	}
	return labels, nil
}

// Rows returns the rows of m at the given indices, in that order, repeats included: the
// resampled data set of a bootstrap replicate. The rows are shared, not copied.
func Rows[T any](m []T, indices []int) []T {
	out := make([]T, len(indices))
	for j, i := range indices {
		out[j] = m[i]
	}
	return out
}

// CheckMultiLabel checks multi-label inputs as every metric here does (a non-empty
// rectangular matrix of finite scores, and 0/1 labels of the same shape) and returns the
// number of classes. Use it in code that takes the same inputs, such as plots.
func CheckMultiLabel[S Score](scores [][]S, labels [][]int) (numClasses int, err error) {
	return checkMultiLabel(float64Rows(scores), labels)
}
