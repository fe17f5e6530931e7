package fewshot

import (
	"fmt"
	"slices"

	"github.com/dawnchorus/dawnchorus/lib/classify"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/metrics"
)

// Measured is how a classifier fitted on one split does on each of its test rows:
// Evaluate's accuracies, with what an interval over the test set needs.
type Measured struct {
	Score
	// Test holds the test rows (label-table indices), Correct[i] whether row Test[i]'s
	// predicted labels equal its true ones exactly (every class right), and Recordings[i]
	// the recording it was cut from (dataset.CanonicalFile), the group a bootstrap
	// resamples.
	Test       []int
	Correct    []bool
	Recordings []string
}

// IntervalResamples and IntervalSeed set the bootstrap of Measured's intervals: 2000
// resamples, seeded, so that a lesson prints the same interval on every run.
const (
	IntervalResamples = 2000
	IntervalSeed      = 1
)

// Measure fits model on the train rows of x (one vector per row of labels) with the
// labels encoded as kind asks (dataset.ClassIndex for a softmax, dataset.MultiHot for one
// sigmoid per class) and measures it on the train and test rows, keeping each test row's
// exact-match result (classify.ExactMatches) for Interval and Difference. It fits and
// predicts as Evaluate does (one shared path), so with dataset.ClassIndex its Score is
// Evaluate's.
func Measure(model classify.Classifier, x [][]float32, labels *dataset.LabelTable, train, test []int, kind dataset.LabelKind) (Measured, error) {
	if len(train) == 0 || len(test) == 0 {
		return Measured{}, fmt.Errorf("%w: %d training and %d test rows, want at least one of each", ErrInput, len(train), len(test))
	}
	score, correct, err := evaluate(model, x, labels, train, test, kind)
	if err != nil {
		return Measured{}, err
	}
	m := Measured{Score: score, Test: slices.Clone(test), Correct: correct}
	for _, r := range test {
		m.Recordings = append(m.Recordings, dataset.CanonicalFile(labels.Rows[r].File))
	}
	return m, nil
}

// MustMeasure is Measure that panics on an error, for notebooks.
func MustMeasure(model classify.Classifier, x [][]float32, labels *dataset.LabelTable, train, test []int, kind dataset.LabelKind) Measured {
	m, err := Measure(model, x, labels, train, test, kind)
	if err != nil {
		panic(err)
	}
	return m
}

// asClasses encodes exact-match results as the class indices metrics' accuracy intervals
// take: true class 1 for every row, predicted 1 where the row is right, 0 where wrong.
func asClasses(correct []bool) (truth, predicted []int) {
	truth, predicted = make([]int, len(correct)), make([]int, len(correct))
	for i, right := range correct {
		truth[i] = 1
		if right {
			predicted[i] = 1
		}
	}
	return truth, predicted
}

// bootstrapConfig is the grouped bootstrap of Measured's intervals.
func (m Measured) bootstrapConfig() metrics.BootstrapConfig {
	return metrics.BootstrapConfig{Resamples: IntervalResamples, Seed: IntervalSeed, Groups: m.Recordings}
}

// Interval returns the 95 % bootstrap interval on the test accuracy
// (metrics.AccuracyInterval), resampling whole test recordings (clips of one recording
// tend to be right or wrong together). It says how well this test set pins the accuracy
// of this one fitted model down, not how another draw of training clips would do.
func (m Measured) Interval() (metrics.Interval, error) {
	if len(m.Correct) == 0 {
		return metrics.Interval{}, fmt.Errorf("%w: no test rows measured", ErrInput)
	}
	truth, predicted := asClasses(m.Correct)
	return metrics.AccuracyInterval(truth, predicted, m.bootstrapConfig())
}

// MustInterval is Interval that panics on an error, for notebooks.
func (m Measured) MustInterval() metrics.Interval {
	iv, err := m.Interval()
	if err != nil {
		panic(err)
	}
	return iv
}

// Difference returns the 95 % paired bootstrap interval on m's test accuracy minus
// other's (metrics.AccuracyDifferenceInterval), resampling whole test recordings: both
// must have been measured on the same test rows, so the clips both get right or both get
// wrong cancel. A fraction (0.05 is 5 points); an interval that holds 0 means this test
// set cannot tell the two apart.
func (m Measured) Difference(other Measured) (metrics.Interval, error) {
	if !slices.Equal(m.Test, other.Test) || len(m.Correct) != len(other.Correct) {
		return metrics.Interval{}, fmt.Errorf("%w: the two measurements have different test rows (%d and %d)", ErrInput, len(m.Test), len(other.Test))
	}
	if len(m.Correct) == 0 {
		return metrics.Interval{}, fmt.Errorf("%w: no test rows measured", ErrInput)
	}
	truth, a := asClasses(m.Correct)
	_, b := asClasses(other.Correct)
	return metrics.AccuracyDifferenceInterval(truth, a, b, m.bootstrapConfig())
}

// MustDifference is Difference that panics on an error, for notebooks.
func (m Measured) MustDifference(other Measured) metrics.Interval {
	iv, err := m.Difference(other)
	if err != nil {
		panic(err)
	}
	return iv
}
