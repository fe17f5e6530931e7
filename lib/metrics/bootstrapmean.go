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
// groups, when not nil, gives each score's group (the recording a clip's score comes
// from): whole groups are resampled, as many draws as there are groups, which
// [Bootstrap]'s Groups would do with string keys; nil resamples the scores one by one.
// config.Groups must be nil. A resample without positives or negatives has no AUROC and
// is skipped. Scores of pairs of items (a verification) take [PairAUROCInterval].
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
	if groups == nil {
		groups = make([]int, len(scores))
		for i := range groups {
			groups[i] = i
		}
	}
	numbered, numGroups := numberByFirstAppearance(groups)
	sorted, err := sortScores(scores, labels, numbered, nil)
	if err != nil {
		return Interval{}, err
	}
	return sorted.bootstrap(numGroups, config)
}

// PairAUROCInterval returns a bootstrap confidence interval on the AUROC of scores that
// each compare two items (labels as in [AUROCInterval]): score p is the similarity of
// items first[p] and second[p], as in a verification, where every pair of recordings is
// scored and labelled 1 when both are of the same individual. The pairs of one item share
// it and are not independent, so the items are resampled, not the pairs: a resample that
// draws item i w_i times and item j w_j times holds their pair w_i·w_j times, every pair
// of draws of two different items, as scoring the pairs of the resampled collection
// would (a draw paired with another draw of its own item has no score and is left out).
// Resampling the pairs one by one, or by their first item only, gives an interval too
// narrow. The items are the numbers that appear in first and second, numbered in order
// of first appearance (first[0], second[0], first[1], …); a resample draws as many as
// there are. first[p] must differ from second[p], and config.Groups must be nil. A
// resample without positive or negative pairs is skipped.
//
// Like AUROCInterval, it sorts the scores once and sweeps them once per resample.
func PairAUROCInterval(scores []float64, labels []int, first, second []int, config BootstrapConfig) (Interval, error) {
	if config.Groups != nil {
		return Interval{}, fmt.Errorf("metrics: PairAUROCInterval resamples the items of first and second, not config.Groups")
	}
	if len(scores) == 0 || len(labels) != len(scores) || len(first) != len(scores) || len(second) != len(scores) {
		return Interval{}, fmt.Errorf("metrics: pair AUROC interval over %d scores, %d labels, %d first and %d second items, want one of each per score, at least 1", len(scores), len(labels), len(first), len(second))
	}
	items := make([]int, 0, 2*len(scores))
	for p := range first {
		if first[p] == second[p] {
			return Interval{}, fmt.Errorf("metrics: pair AUROC interval: pair %d compares item %d with itself", p, first[p])
		}
		items = append(items, first[p], second[p])
	}
	numbered, numItems := numberByFirstAppearance(items)
	a, b := make([]int, len(scores)), make([]int, len(scores))
	for p := range a {
		a[p], b[p] = numbered[2*p], numbered[2*p+1]
	}
	sorted, err := sortScores(scores, labels, a, b)
	if err != nil {
		return Interval{}, err
	}
	return sorted.bootstrap(numItems, config)
}

// numberByFirstAppearance returns keys renumbered 0…n−1 in order of first appearance,
// and n.
func numberByFirstAppearance(keys []int) ([]int, int) {
	number := map[int]int{}
	out := make([]int, len(keys))
	for i, k := range keys {
		n, ok := number[k]
		if !ok {
			n = len(number)
			number[k] = n
		}
		out[i] = n
	}
	return out, len(number)
}

// sortedScores holds scores sorted once, for an AUROC on any weighting of them: each
// score's unit (and second unit, for a pair), whether it is positive, and where each
// block of tied scores ends.
type sortedScores struct {
	unit, second []int32 // second is nil unless the scores are of pairs
	positive     []bool
	blockEnds    []int // blocks of tied scores, in increasing order of score
}

// sortScores checks scores and labels and sorts them; units[p] (and seconds[p], when not
// nil) is score p's unit, numbered from 0.
func sortScores(scores []float64, labels, units, seconds []int) (sortedScores, error) {
	if err := finiteValues(scores, "AUROC"); err != nil {
		return sortedScores{}, err
	}
	for i, l := range labels {
		if l != 0 && l != 1 {
			return sortedScores{}, fmt.Errorf("metrics: AUROC interval: label %d is %d, want 0 or 1", i, l)
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
	s := sortedScores{unit: make([]int32, len(order)), positive: make([]bool, len(order))}
	if seconds != nil {
		s.second = make([]int32, len(order))
	}
	for k, i := range order {
		s.unit[k], s.positive[k] = int32(units[i]), labels[i] == 1
		if seconds != nil {
			s.second[k] = int32(seconds[i])
		}
		if k > 0 && scores[i] != scores[order[k-1]] {
			s.blockEnds = append(s.blockEnds, k)
		}
	}
	s.blockEnds = append(s.blockEnds, len(order))
	return s, nil
}

// auroc returns the AUROC with score k weighted by weight[unit[k]] (times
// weight[second[k]] for a pair), or NaN when the positives or the negatives weigh 0.
func (s sortedScores) auroc(weight []float64) float64 {
	below, area, positives := 0.0, 0.0, 0.0
	start := 0
	for _, end := range s.blockEnds {
		pos, neg := 0.0, 0.0
		for k := start; k < end; k++ {
			w := weight[s.unit[k]]
			if s.second != nil {
				w *= weight[s.second[k]]
			}
			if s.positive[k] {
				pos += w
			} else {
				neg += w
			}
		}
		area += pos * (below + neg/2)
		below += neg
		positives += pos
		start = end
	}
	if positives == 0 || below == 0 {
		return math.NaN()
	}
	return area / (positives * below)
}

// bootstrap resamples the numUnits units with [Bootstrap] and returns the interval on
// the weighted AUROC, each unit weighted by how often it was drawn.
func (s sortedScores) bootstrap(numUnits int, config BootstrapConfig) (Interval, error) {
	weight := make([]float64, numUnits)
	return Bootstrap(numUnits, func(drawn []int) (float64, error) {
		clear(weight)
		for _, u := range drawn {
			weight[u]++
		}
		return s.auroc(weight), nil
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
// another number of runs than the first, or the curve was built without Add.
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
