package fewshot

import (
	"fmt"
	"slices"

	"github.com/dawnchorus/dawnchorus/lib/metrics"
)

// PairLine writes Results[a]'s test accuracy minus Results[b]'s (Difference: paired by
// draw, 95 % t interval) as one line, in percentage points:
// "MLP 1024 − MLP 256: +0.05 [-1.20, +1.30] points, paired by draw". It is how a lesson
// quotes one pair a Table's reference column does not show.
func (c *Comparison) PairLine(a, b int) (string, error) {
	d, err := c.Difference(a, b)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s − %s: %s points, paired by draw\n", c.Results[a].Name, c.Results[b].Name, points(d)), nil
}

// MustPairLine is PairLine that panics on an error, for notebooks.
func (c *Comparison) MustPairLine(a, b int) string {
	s, err := c.PairLine(a, b)
	if err != nil {
		panic(err)
	}
	return s
}

// Gap returns the 95 % Student t interval on Results[k]'s training accuracy minus its
// test accuracy, draw by draw over the distinct draws: how far the model does worse on
// clips it never saw than on those it learnt from, the measure of overfitting. Both
// accuracies of a draw come from one fitted model, so the differences are paired. It is a
// fraction (0.15 is 15 points), clipped to [−1, 1]; NaN bounds for a single distinct draw,
// as Difference's. The interval covers the spread over draws of training clips; the test
// clips of a draw are all of the corpus's clips outside its training recordings.
func (c *Comparison) Gap(k int) (metrics.Interval, error) {
	if k < 0 || k >= len(c.Results) {
		return metrics.Interval{}, fmt.Errorf("%w: result %d of %d", ErrInput, k, len(c.Results))
	}
	r := c.Results[k]
	if len(r.TrainAccuracies) != len(r.Accuracies) {
		return metrics.Interval{}, fmt.Errorf("%w: %s has %d training accuracies and %d test accuracies", ErrInput,
			r.Name, len(r.TrainAccuracies), len(r.Accuracies))
	}
	iv, err := metrics.PairedRepeatsInterval(r.TrainAccuracies, r.Accuracies, c.distinctDraws(len(r.Accuracies)), 0.95)
	if err != nil {
		return metrics.Interval{}, fmt.Errorf("fewshot: %s, training minus test accuracy: %w", r.Name, err)
	}
	return iv.Clip(-1, 1), nil
}

// GapLine writes Gap as one line, in percentage points:
// "MLP 64: training − test accuracy +17.50 [+15.90, +19.10] points, paired by draw".
func (c *Comparison) GapLine(k int) (string, error) {
	g, err := c.Gap(k)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s: training − test accuracy %s points, paired by draw\n", c.Results[k].Name, points(g)), nil
}

// MustGapLine is GapLine that panics on an error, for notebooks.
func (c *Comparison) MustGapLine(k int) string {
	s, err := c.GapLine(k)
	if err != nil {
		panic(err)
	}
	return s
}

// SizeGain returns the 95 % Student t interval on feature set name's test accuracy with
// larger's training clips per class minus with smaller's, paired by seed: the two
// comparisons (CompareSizes' sizes) drew with the same seeds, so a seed's two accuracies
// share its luck of the draw more than two unrelated draws would, and the paired
// differences, not the overlap of two intervals, say whether the extra clips helped. It is
// a fraction (0.05 is 5 points), clipped to [−1, 1], over the seeds that are distinct
// draws at both sizes; different seeds, or a missing set, are an error.
func SizeGain(smaller, larger *Comparison, name string) (metrics.Interval, error) {
	if !slices.Equal(smaller.Seeds, larger.Seeds) {
		return metrics.Interval{}, fmt.Errorf("%w: seeds %s at %d clips per class and %s at %d, want the same", ErrInput,
			seedList(smaller.Seeds), smaller.PerClass, seedList(larger.Seeds), larger.PerClass)
	}
	small, large := smaller.Result(name), larger.Result(name)
	if small == nil || large == nil {
		return metrics.Interval{}, fmt.Errorf("%w: no feature set %q at %d and %d clips per class", ErrInput, name, smaller.PerClass, larger.PerClass)
	}
	if len(small.Accuracies) != len(large.Accuracies) {
		return metrics.Interval{}, fmt.Errorf("%w: %s has %d draws at %d clips per class and %d at %d", ErrInput,
			name, len(small.Accuracies), smaller.PerClass, len(large.Accuracies), larger.PerClass)
	}
	var both []int
	for _, i := range smaller.distinctDraws(len(small.Accuracies)) {
		if !slices.Contains(larger.Repeats, i) {
			both = append(both, i)
		}
	}
	iv, err := metrics.PairedRepeatsInterval(large.Accuracies, small.Accuracies, both, 0.95)
	if err != nil {
		return metrics.Interval{}, fmt.Errorf("fewshot: %s, %d minus %d clips per class: %w", name, larger.PerClass, smaller.PerClass, err)
	}
	return iv.Clip(-1, 1), nil
}

// SizeGainLine writes SizeGain as one line, in percentage points:
// "handcrafted (24), 30 − 20 clips per class: -0.10 [-2.00, +1.80] points, paired by seed".
func SizeGainLine(smaller, larger *Comparison, name string) (string, error) {
	d, err := SizeGain(smaller, larger, name)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s, %d − %d clips per class: %s points, paired by seed\n", name, larger.PerClass, smaller.PerClass,
		points(d)), nil
}

// MustSizeGainLine is SizeGainLine that panics on an error, for notebooks.
func MustSizeGainLine(smaller, larger *Comparison, name string) string {
	s, err := SizeGainLine(smaller, larger, name)
	if err != nil {
		panic(err)
	}
	return s
}
