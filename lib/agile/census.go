package agile

import (
	"fmt"
	"path/filepath"
	"slices"

	"github.com/dawnchorus/dawnchorus/lib/active"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
)

// Truth reads a label table (lib/dataset's CSV: file, start_time, end_time
// and one 0/1 column per class; files relative to the table's folder) and
// returns, by pool index, 1 where the window holds class and 0 elsewhere. It
// is what a labelled evaluation set says about the archive, for checking the
// loop's claims (Census) or playing the person who answers
// (active.NewYesNoOracle). Windows the table does not name are 0; a row whose
// window is not in the archive is an error naming the table and line, since
// the archive and the table then disagree about the recordings.
func (a *Archive) Truth(labelsCSV, class string) ([]int, error) {
	table, err := dataset.ReadLabelCSV(labelsCSV)
	if err != nil {
		return nil, err
	}
	column := slices.Index(table.Classes, class)
	if column < 0 {
		return nil, fmt.Errorf("agile: %s has no class %q (its classes: %v)", labelsCSV, class, table.Classes)
	}
	out := make([]int, a.Len())
	for _, row := range table.Rows {
		i, ok := a.Find(filepath.Join(filepath.Dir(labelsCSV), row.File), row.StartSeconds)
		if !ok {
			return nil, fmt.Errorf("agile: %s line %d: %s at %g s is not a window of %s", labelsCSV, row.Line, row.File, row.StartSeconds, a.DB.Path())
		}
		out[i] = row.Labels[column]
	}
	return out, nil
}

// Files returns the recordings (file names as stored) of the windows at the
// pool indices: for instance those a classifier was trained on, which an
// honest validation leaves out (SampleOptions.Exclude, ValidatePrecision).
func (a *Archive) Files(indices []int) map[string]bool {
	files := map[string]bool{}
	for _, i := range indices {
		files[a.Windows.Keys[i].File] = true
	}
	return files
}

// TrainScores is one round of the loop after labelling: TrainingSet (the
// labels plus weakNegatives windows drawn with seed), Train, and Scores over
// the whole archive. It returns the scores by pool index and the pool
// indices the classifier was trained on (TrainingSet's order: positives,
// negatives, weak negatives).
func (a *Archive) TrainScores(l Labelled, weakNegatives int, seed uint64) (scores []float64, trainedOn []int, err error) {
	x, y, trainedOn, err := a.TrainingSet(l, weakNegatives, seed)
	if err != nil {
		return nil, nil, err
	}
	clf, err := Train(x, y)
	if err != nil {
		return nil, nil, err
	}
	if scores, err = a.Scores(clf); err != nil {
		return nil, nil, err
	}
	return scores, trainedOn, nil
}

// CountAbove returns how many scores are at least threshold.
func CountAbove(scores []float64, threshold float64) int {
	n := 0
	for _, s := range scores {
		if s >= threshold {
			n++
		}
	}
	return n
}

// CountAnswers returns how many answers are Yes and how many Unsure.
func CountAnswers(answers []active.Answer) (yes, unsure int) {
	for _, ans := range answers {
		switch ans {
		case active.Yes:
			yes++
		case active.Unsure:
			unsure++
		}
	}
	return yes, unsure
}

// Census is what a validation sample estimates (Estimate), counted exactly
// over every window it stands for: possible only where every window's truth
// is known, as on a labelled evaluation set, to see whether the estimates and
// their intervals hold the true values.
type Census struct {
	Threshold float64
	// Windows counts the windows counted (excluded files left out);
	// Positives those that hold the class; Above those scoring at least
	// Threshold; PositivesAbove those that do both.
	Windows, Positives, Above, PositivesAbove int
}

// CensusOf counts, over the windows of files not in exclude, the positives
// by truth (1 positive, by pool index, as Truth returns) and the windows
// scoring at least threshold.
func (a *Archive) CensusOf(scores []float64, truth []int, threshold float64, exclude map[string]bool) (Census, error) {
	if len(scores) != a.Len() || len(truth) != a.Len() {
		return Census{}, fmt.Errorf("agile: %d scores and %d truths for %d windows", len(scores), len(truth), a.Len())
	}
	c := Census{Threshold: threshold}
	for i, score := range scores {
		if exclude[a.Windows.Keys[i].File] {
			continue
		}
		positive := truth[i] == 1
		c.Windows++
		if positive {
			c.Positives++
		}
		if score >= threshold {
			c.Above++
			if positive {
				c.PositivesAbove++
			}
		}
	}
	return c, nil
}

// ratio is k/n, and 0 when n is 0.
func ratio(k, n int) float64 {
	if n == 0 {
		return 0
	}
	return float64(k) / float64(n)
}

// Precision is the share of positives among the windows at or above the
// threshold (0 when none is).
func (c Census) Precision() float64 { return ratio(c.PositivesAbove, c.Above) }

// Density is the share of positives among all windows counted.
func (c Census) Density() float64 { return ratio(c.Positives, c.Windows) }

// Recall is the share of the positives that score at least the threshold.
func (c Census) Recall() float64 { return ratio(c.PositivesAbove, c.Positives) }

func (c Census) String() string {
	return fmt.Sprintf("all %d windows: precision %.2f (%d of the %d at score ≥ %.2f), density %.3f (%d of %d), recall %.2f (%d of %d)",
		c.Windows, c.Precision(), c.PositivesAbove, c.Above, c.Threshold, c.Density(), c.Positives, c.Windows,
		c.Recall(), c.PositivesAbove, c.Positives)
}
