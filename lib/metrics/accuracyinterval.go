package metrics

import (
	"fmt"
	"math"
)

// AccuracyInterval returns a bootstrap confidence interval ([Bootstrap]) on the accuracy of
// predicted against truth: the share of clips whose predicted class index equals the true
// one. truth and predicted hold one class index per clip. config.Groups, when set, resamples
// whole groups (the recording or the bird each clip comes from): clips of one group tend to
// be right or wrong together, and resampling them one by one would make the interval too
// narrow.
func AccuracyInterval(truth, predicted []int, config BootstrapConfig) (Interval, error) {
	correct, err := agreement(truth, predicted, "predictions")
	if err != nil {
		return Interval{}, err
	}
	return Bootstrap(len(correct), func(clips []int) (float64, error) {
		return meanAt(correct, clips), nil
	}, config)
}

// AccuracyDifferenceInterval returns a paired bootstrap confidence interval on the
// difference of two classifiers' accuracies on the same clips, accuracy(predictedA) −
// accuracy(predictedB), in [−1, 1]. Every resample draws the same clips (or groups) for
// both, so the clips both get right or both get wrong cancel, and the interval is set by the
// clips where they disagree: it is narrower than the two accuracies' own intervals suggest,
// and an interval that holds 0 means the test set cannot tell the two apart.
func AccuracyDifferenceInterval(truth, predictedA, predictedB []int, config BootstrapConfig) (Interval, error) {
	correctA, err := agreement(truth, predictedA, "predictions A")
	if err != nil {
		return Interval{}, err
	}
	correctB, err := agreement(truth, predictedB, "predictions B")
	if err != nil {
		return Interval{}, err
	}
	return Bootstrap(len(correctA), func(clips []int) (float64, error) {
		return meanAt(correctA, clips) - meanAt(correctB, clips), nil
	}, config)
}

// agreement returns 1 where predicted equals truth and 0 elsewhere; name says which
// predictions an error is about.
func agreement(truth, predicted []int, name string) ([]float64, error) {
	if len(truth) == 0 {
		return nil, fmt.Errorf("metrics: accuracy interval over no clips, want at least 1")
	}
	if len(predicted) != len(truth) {
		return nil, fmt.Errorf("metrics: accuracy interval: %d %s for %d true classes, want one per clip", len(predicted), name, len(truth))
	}
	correct := make([]float64, len(truth))
	for i := range truth {
		if predicted[i] == truth[i] {
			correct[i] = 1
		}
	}
	return correct, nil
}

// meanAt returns the mean of values at the given indices (repeats counted each time).
func meanAt(values []float64, indices []int) float64 {
	sum := 0.0
	for _, i := range indices {
		sum += values[i]
	}
	return sum / float64(len(indices))
}

// AccuracyGapInterval returns a bootstrap confidence interval on the gap between a
// classifier's accuracies on two different sets of clips, accuracy(A) − accuracy(B): its
// training and its validation clips, say, where the gap measures overfitting. truthA and
// predictedA hold one class index per clip of A, truthB and predictedB per clip of B.
//
// config.Groups, when set, holds one key per clip of A followed by one per clip of B
// (len(truthA)+len(truthB) keys), and whole groups are resampled from the two sets pooled:
// a group with clips in both (a bird heard in training and in validation) is drawn for both
// at once, so the dependence between the two sides is kept. Without Groups every clip is
// its own unit. A resample that draws no clip of A or none of B has no gap and is skipped
// (Interval.Skipped). The classifier is held fixed: the interval says how well these clips
// pin its gap down, not how the gap would move if the classifier were trained again.
func AccuracyGapInterval(truthA, predictedA, truthB, predictedB []int, config BootstrapConfig) (Interval, error) {
	correctA, err := agreement(truthA, predictedA, "predictions A")
	if err != nil {
		return Interval{}, err
	}
	correctB, err := agreement(truthB, predictedB, "predictions B")
	if err != nil {
		return Interval{}, err
	}
	n, correct := len(correctA), append(append([]float64(nil), correctA...), correctB...)
	return Bootstrap(len(correct), func(clips []int) (float64, error) {
		var sumA, sumB, countA, countB float64
		for _, i := range clips {
			if i < n {
				sumA, countA = sumA+correct[i], countA+1
			} else {
				sumB, countB = sumB+correct[i], countB+1
			}
		}
		if countA == 0 || countB == 0 {
			return math.NaN(), nil
		}
		return sumA/countA - sumB/countB, nil
	}, config)
}

// MustAccuracyInterval is [AccuracyInterval] for notebooks: it panics on error.
func MustAccuracyInterval(truth, predicted []int, config BootstrapConfig) Interval {
	return must(AccuracyInterval(truth, predicted, config))
}

// MustAccuracyDifferenceInterval is [AccuracyDifferenceInterval] for notebooks: it panics
// on error.
func MustAccuracyDifferenceInterval(truth, predictedA, predictedB []int, config BootstrapConfig) Interval {
	return must(AccuracyDifferenceInterval(truth, predictedA, predictedB, config))
}

// MustAccuracyGapInterval is [AccuracyGapInterval] for notebooks: it panics on error.
func MustAccuracyGapInterval(truthA, predictedA, truthB, predictedB []int, config BootstrapConfig) Interval {
	return must(AccuracyGapInterval(truthA, predictedA, truthB, predictedB, config))
}

// must returns the interval, and panics when err is not nil.
func must(i Interval, err error) Interval {
	if err != nil {
		panic(err)
	}
	return i
}
