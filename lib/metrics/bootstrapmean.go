package metrics

import (
	"fmt"
	"math"
	"slices"
)

// BootstrapMean returns a bootstrap confidence interval ([Bootstrap]) on the mean of
// values, one per item (a query's precision, a point's trustworthiness, 1 or 0 for a
// right or wrong answer): the items are resampled with replacement, or whole groups of
// them when config.Groups is set. values must not be empty, and NaN values are an error.
func BootstrapMean(values []float64, config BootstrapConfig) (Interval, error) {
	if err := finiteValues(values, "mean"); err != nil {
		return Interval{}, err
	}
	return Bootstrap(len(values), func(items []int) (float64, error) {
		return meanAt(values, items), nil
	}, config)
}

// BootstrapMeanDifference returns a paired bootstrap confidence interval on mean(a) −
// mean(b), where a[i] and b[i] are two measurements of the same item i (a point's
// trustworthiness on two maps): every resample draws the same items for both, so what
// the items share cancels and the interval is set by how the two differ item by item.
// An interval that holds 0 means these items cannot tell the two apart.
func BootstrapMeanDifference(a, b []float64, config BootstrapConfig) (Interval, error) {
	if len(a) != len(b) {
		return Interval{}, fmt.Errorf("metrics: paired bootstrap of %d and %d values, want one pair per item", len(a), len(b))
	}
	if err := finiteValues(a, "difference"); err != nil {
		return Interval{}, err
	}
	if err := finiteValues(b, "difference"); err != nil {
		return Interval{}, err
	}
	return Bootstrap(len(a), func(items []int) (float64, error) {
		return meanAt(a, items) - meanAt(b, items), nil
	}, config)
}

// BootstrapRatio returns a bootstrap confidence interval on Σ numerators / Σ denominators
// over the items: a share of a subset, such as the errors that stay within a family out of
// all errors (numerator 1 for such an error, denominator 1 for any error, both 0 for a
// right answer). A resample whose denominators sum to 0 has no ratio: it is skipped
// (Interval.Skipped). The estimate on all items must have a positive denominator.
func BootstrapRatio(numerators, denominators []float64, config BootstrapConfig) (Interval, error) {
	if len(numerators) != len(denominators) {
		return Interval{}, fmt.Errorf("metrics: ratio bootstrap of %d numerators and %d denominators, want one of each per item", len(numerators), len(denominators))
	}
	if err := finiteValues(numerators, "ratio"); err != nil {
		return Interval{}, err
	}
	if err := finiteValues(denominators, "ratio"); err != nil {
		return Interval{}, err
	}
	total := 0.0
	for _, d := range denominators {
		total += d
	}
	if total == 0 {
		return Interval{}, fmt.Errorf("metrics: ratio bootstrap: the denominators sum to 0 over all %d items", len(denominators))
	}
	return Bootstrap(len(numerators), func(items []int) (float64, error) {
		num, den := 0.0, 0.0
		for _, i := range items {
			num += numerators[i]
			den += denominators[i]
		}
		if den == 0 {
			return math.NaN(), nil
		}
		return num / den, nil
	}, config)
}

// AUROCInterval returns a bootstrap confidence interval on the area under the ROC curve
// of scores against labels (1 positive, 0 negative; ties count a half, as [AUROC]).
// groups, when not nil, gives each score's group (the recording a pair of recordings is
// counted with, in a verification): whole groups are resampled, as many draws as there
// are groups, which [Bootstrap]'s Groups would do with string keys; nil resamples the
// scores one by one. Pairs that share a recording are not independent, so resampling
// them one by one makes the interval far too narrow. config.Groups must be nil. A
// resample without positives or negatives has no AUROC and is skipped.
//
// It sorts the scores once and sweeps them once per resample, weighting each score by
// how often its group was drawn, so a million scores resampled 1000 times take seconds.
func AUROCInterval(scores []float64, labels []int, groups []int, config BootstrapConfig) (Interval, error) {
	if config.Groups != nil {
		return Interval{}, fmt.Errorf("metrics: AUROCInterval takes its groups as an argument, not in config.Groups")
	}
	if len(scores) == 0 || len(labels) != len(scores) || (groups != nil && len(groups) != len(scores)) {
		return Interval{}, fmt.Errorf("metrics: AUROC interval over %d scores, %d labels and %d groups, want one of each per score (groups may be nil), at least 1", len(scores), len(labels), len(groups))
	}
	if err := finiteValues(scores, "AUROC"); err != nil {
		return Interval{}, err
	}
	// Group numbers 0…G−1 in order of first appearance.
	groupOf := make([]int, len(scores))
	numGroups := 0
	if groups == nil {
		for i := range groupOf {
			groupOf[i] = i
		}
		numGroups = len(scores)
	} else {
		number := map[int]int{}
		for i, g := range groups {
			n, ok := number[g]
			if !ok {
				n = len(number)
				number[g] = n
			}
			groupOf[i] = n
		}
		numGroups = len(number)
	}
	for i, l := range labels {
		if l != 0 && l != 1 {
			return Interval{}, fmt.Errorf("metrics: AUROC interval: label %d is %d, want 0 or 1", i, l)
		}
	}
	order := make([]int, len(scores))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		switch {
		case scores[a] < scores[b]:
			return -1
		case scores[a] > scores[b]:
			return 1
		}
		return 0
	})
	sortedGroup := make([]int32, len(order))
	sortedPositive := make([]bool, len(order))
	var blockEnds []int // blocks of tied scores, in increasing order
	for k, i := range order {
		sortedGroup[k], sortedPositive[k] = int32(groupOf[i]), labels[i] == 1
		if k > 0 && scores[i] != scores[order[k-1]] {
			blockEnds = append(blockEnds, k)
		}
	}
	blockEnds = append(blockEnds, len(order))
	weight := make([]float64, numGroups)
	return Bootstrap(numGroups, func(drawn []int) (float64, error) {
		clear(weight)
		for _, g := range drawn {
			weight[g]++
		}
		below, area, positives := 0.0, 0.0, 0.0
		start := 0
		for _, end := range blockEnds {
			pos, neg := 0.0, 0.0
			for k := start; k < end; k++ {
				if sortedPositive[k] {
					pos += weight[sortedGroup[k]]
				} else {
					neg += weight[sortedGroup[k]]
				}
			}
			area += pos * (below + neg/2)
			below += neg
			positives += pos
			start = end
		}
		if positives == 0 || below == 0 {
			return math.NaN(), nil
		}
		return area / (positives * below), nil
	}, config)
}

// finiteValues says which value is NaN or infinite, for the bootstrap of what (name).
func finiteValues(values []float64, name string) error {
	if len(values) == 0 {
		return fmt.Errorf("metrics: bootstrap %s over no values, want at least 1", name)
	}
	for i, v := range values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("metrics: bootstrap %s: value %d is %v, want a finite number", name, i, v)
		}
	}
	return nil
}

// RunAverages returns each run's value averaged over the curve's points: Values[k][r]
// averaged over k for run r, one number per run, in run order, to compare two curves run
// by run over their whole length ([PairedInterval]). It is an error when a point has
// fewer runs than the first, or the curve was built without Add.
func (c LearningCurve) RunAverages() ([]float64, error) {
	if len(c.Values) == 0 {
		return nil, fmt.Errorf("metrics: curve %q has no per-run values (built without Add)", c.Name)
	}
	runs := len(c.Values[0])
	averages := make([]float64, runs)
	for k, values := range c.Values {
		if len(values) != runs {
			return nil, fmt.Errorf("metrics: curve %q has %d runs at point %d and %d at point 0", c.Name, len(values), k, runs)
		}
		for r, v := range values {
			averages[r] += v
		}
	}
	for r := range averages {
		averages[r] /= float64(len(c.Values))
	}
	return averages, nil
}

// Decimals writes the interval as String does, with n decimals in place of three
// ("0.9982 [0.9979, 0.9984]" for 4): for a metric whose interval is narrower than 0.001,
// which three decimals would show as a single value.
func (i Interval) Decimals(n int) string {
	return fmt.Sprintf("%.*f [%.*f, %.*f]", n, i.Estimate, n, i.Lower, n, i.Upper)
}
