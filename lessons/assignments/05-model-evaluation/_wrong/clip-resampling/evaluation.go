// Package evaluation, wrong: GroupedBootstrapAccuracy resamples clips one by one,
// as BootstrapAccuracy does, ignoring the recordings.
//
// caught by: TestGroupedBootstrapAccuracy, TestBootstrapDraws
package evaluation

func GroupedBootstrapAccuracy(correct []bool, groups []string, resamples int, level float64,
	seed uint64) (lower, upper float64) {
	// BEGIN SOLUTION
	return BootstrapAccuracy(correct, resamples, level, seed)
	// END SOLUTION
}
