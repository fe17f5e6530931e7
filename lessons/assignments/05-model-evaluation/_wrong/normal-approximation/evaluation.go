// Package evaluation, wrong: no resampling at all — both intervals are the normal
// approximation p ± z·√(p(1−p)/n) (n clips, or n recordings for the grouped one),
// and the seed is ignored. It scored full marks before issue 20.
//
// caught by: TestBootstrapAccuracy, TestGroupedBootstrapAccuracy, TestBootstrapDraws
package evaluation

import "math"

func BootstrapAccuracy(correct []bool, resamples int, level float64,
	seed uint64) (lower, upper float64) {
	// BEGIN SOLUTION
	right := 0
	for _, c := range correct {
		if c {
			right++
		}
	}
	p := float64(right) / float64(len(correct))
	z := math.Sqrt2 * math.Erfinv(level)
	half := z * math.Sqrt(p*(1-p)/float64(len(correct)))
	return p - half, p + half
	// END SOLUTION
}

func GroupedBootstrapAccuracy(correct []bool, groups []string, resamples int, level float64,
	seed uint64) (lower, upper float64) {
	// BEGIN SOLUTION
	right := 0
	distinct := map[string]bool{}
	for i, c := range correct {
		distinct[groups[i]] = true
		if c {
			right++
		}
	}
	p := float64(right) / float64(len(correct))
	z := math.Sqrt2 * math.Erfinv(level)
	half := z * math.Sqrt(p*(1-p)/float64(len(distinct)))
	return p - half, p + half
	// END SOLUTION
}
