package fewshot

import (
	"fmt"
	"math"
	"time"

	"github.com/dawnchorus/dawnchorus/lib/audio"
	"github.com/dawnchorus/dawnchorus/lib/classify"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
)

// Split draws perClass training rows of each class of a single-label table
// (dataset.SamplePerClass over all rows, seeded) and returns them with the
// test rows: every other row, less the other clips of a recording that gave a
// training clip (dataset.CanonicalFile), so no recording is on both sides.
// Both are sorted.
func Split(labels *dataset.LabelTable, perClass int, seed uint64) (train, test []int, err error) {
	train, err = dataset.SamplePerClass(labels, nil, perClass, seed)
	if err != nil {
		return nil, nil, fmt.Errorf("fewshot: %w", err)
	}
	trainRecordings := map[string]bool{}
	for _, r := range train {
		trainRecordings[dataset.CanonicalFile(labels.Rows[r].File)] = true
	}
	for i, row := range labels.Rows {
		if !trainRecordings[dataset.CanonicalFile(row.File)] {
			test = append(test, i)
		}
	}
	return train, test, nil
}

// MustSplit is Split that panics on an error, for notebooks.
func MustSplit(labels *dataset.LabelTable, perClass int, seed uint64) (train, test []int) {
	train, test, err := Split(labels, perClass, seed)
	if err != nil {
		panic(err)
	}
	return train, test
}

// Rows returns the vectors of rows, in order (sharing them, not copying).
func Rows(vectors [][]float32, rows []int) [][]float32 {
	return pick(vectors, rows)
}

// Score is how a classifier fitted on some rows does.
type Score struct {
	// TrainAccuracy and TestAccuracy are the fractions in [0, 1] of training
	// and test rows whose predicted class is right.
	TrainAccuracy, TestAccuracy float64
	// FitSeconds is the wall time of Fit, in seconds.
	FitSeconds float64
}

// Evaluate fits model on the train rows of x (one vector per row of the
// single-label table labels) and measures it on the train and the test rows.
// Comparing the two accuracies is how overfitting shows: a model that fits
// its training rows far better than new ones has memorised them.
func Evaluate(model classify.Classifier, x [][]float32, labels *dataset.LabelTable, train, test []int) (Score, error) {
	s, _, err := evaluate(model, x, labels, train, test, dataset.ClassIndex)
	return s, err
}

// evaluate is Evaluate and Measure's one path: it fits model on the train rows of x with
// the labels encoded as kind asks, timing Fit, predicts the train and then the test rows
// once each, and returns the accuracies with each test row's exact match
// (classify.ExactMatches, the definition classify.Accuracy counts).
func evaluate(model classify.Classifier, x [][]float32, labels *dataset.LabelTable, train, test []int, kind dataset.LabelKind) (Score, []bool, error) {
	if len(x) != len(labels.Rows) {
		return Score{}, nil, fmt.Errorf("%w: %d vectors for %d label rows", ErrInput, len(x), len(labels.Rows))
	}
	yTrain, err := dataset.FromTable(labels, train, kind)
	if err != nil {
		return Score{}, nil, err
	}
	yTest, err := dataset.FromTable(labels, test, kind)
	if err != nil {
		return Score{}, nil, err
	}
	var s Score
	start := time.Now()
	if err := model.Fit(pick(x, train), yTrain); err != nil {
		return Score{}, nil, fmt.Errorf("fewshot: %s: %w", model.Name(), err)
	}
	s.FitSeconds = time.Since(start).Seconds()
	var testMatches []bool
	for _, part := range []struct {
		rows     []int
		truth    dataset.Labels
		accuracy *float64
		matches  *[]bool
	}{{train, yTrain, &s.TrainAccuracy, new([]bool)}, {test, yTest, &s.TestAccuracy, &testMatches}} {
		predicted, err := model.Predict(pick(x, part.rows))
		if err != nil {
			return Score{}, nil, fmt.Errorf("fewshot: %s: %w", model.Name(), err)
		}
		if *part.matches, err = classify.ExactMatches(part.truth, predicted); err != nil {
			return Score{}, nil, err
		}
		*part.accuracy = classify.FractionTrue(*part.matches)
	}
	return s, testMatches, nil
}

// Mixture is a clip that holds two clips of different classes added together.
type Mixture struct {
	Clip audio.Clip
	// Rows are the label-table rows mixed, Classes their class indices.
	Rows, Classes [2]int
}

// Mixtures returns n mixtures of pairs of rows of a single-label table: rows
// taken from both ends of rows (the first with the last, the second with the
// second-last, …), skipping pairs of one class, each mixed as 0.5·(a + b) so
// that the sum stays within full scale. load returns a row's samples and
// their rate (Hz); the two clips of a pair must have the same rate and length.
// Fewer than n usable pairs is an error.
func Mixtures(labels *dataset.LabelTable, rows []int, n int, load func(row int) ([]float32, int, error)) ([]Mixture, error) {
	var out []Mixture
	for k := 0; k < len(rows)/2 && len(out) < n; k++ {
		a, b := rows[k], rows[len(rows)-1-k]
		ca, cb := labels.Rows[a].ClassOf(), labels.Rows[b].ClassOf()
		if ca == cb {
			continue
		}
		sa, rateA, err := load(a)
		if err != nil {
			return nil, err
		}
		sb, rateB, err := load(b)
		if err != nil {
			return nil, err
		}
		if rateA != rateB || len(sa) != len(sb) {
			return nil, fmt.Errorf("%w: rows %d and %d: %d samples at %d Hz and %d at %d Hz cannot be mixed", ErrInput, a, b, len(sa), rateA, len(sb), rateB)
		}
		mixed := make([]float32, len(sa))
		for i := range mixed {
			mixed[i] = 0.5 * (sa[i] + sb[i])
		}
		out = append(out, Mixture{
			Clip: audio.Clip{File: fmt.Sprintf("mixture-%d-%d", a, b), EndSeconds: float64(len(mixed)) / float64(rateA), SampleRateHz: rateA, Samples: mixed},
			Rows: [2]int{a, b}, Classes: [2]int{ca, cb},
		})
	}
	if len(out) < n {
		return out, fmt.Errorf("%w: %d mixtures of two classes from %d rows, want %d", ErrInput, len(out), len(rows), n)
	}
	return out, nil
}

// ScoreSummary describes rows of class scores (probabilities in [0, 1]), as a
// softmax and a sigmoid classifier give them.
type ScoreSummary struct {
	// MeanSum is the mean over rows of the sum of a row's scores (1 for a
	// softmax), MeanMax the mean of each row's largest score.
	MeanSum, MeanMax float64
	// None counts the rows with no score ≥ 0.5 ("no class"), Several those with
	// two or more ("several classes").
	None, Several int
}

// SummariseScores summarises scores, one row per clip.
func SummariseScores(scores [][]float32) ScoreSummary {
	var s ScoreSummary
	for _, row := range scores {
		sum, top, above := 0.0, 0.0, 0
		for _, v := range row {
			sum, top = sum+float64(v), math.Max(top, float64(v))
			if v >= 0.5 {
				above++
			}
		}
		s.MeanSum += sum / float64(len(scores))
		s.MeanMax += top / float64(len(scores))
		if above == 0 {
			s.None++
		}
		if above >= 2 {
			s.Several++
		}
	}
	return s
}
