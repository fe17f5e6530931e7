// Package evaluation, wrong: both bootstraps resample, but always from seed 1,
// whatever seed they are given.
//
// caught by: TestBootstrapAccuracy, TestGroupedBootstrapAccuracy, TestBootstrapDraws
package evaluation

import (
	"math/rand/v2"
	"sort"
)

func GroupedBootstrapAccuracy(correct []bool, groups []string, resamples int, level float64,
	seed uint64) (lower, upper float64) {
	// BEGIN SOLUTION
	clipsOf := map[string][]int{}
	var names []string
	for i, g := range groups {
		if _, ok := clipsOf[g]; !ok {
			names = append(names, g)
		}
		clipsOf[g] = append(clipsOf[g], i)
	}
	rng := rand.New(rand.NewPCG(1, 0))
	replicates := make([]float64, resamples)
	for r := range replicates {
		right, total := 0, 0
		for range names {
			for _, i := range clipsOf[names[rng.IntN(len(names))]] {
				if correct[i] {
					right++
				}
				total++
			}
		}
		replicates[r] = float64(right) / float64(total)
	}
	sort.Float64s(replicates)
	quantile := func(q float64) float64 {
		pos := q * float64(len(replicates)-1)
		k := int(pos)
		if k+1 >= len(replicates) {
			return replicates[len(replicates)-1]
		}
		return replicates[k] + (pos-float64(k))*(replicates[k+1]-replicates[k])
	}
	return quantile((1 - level) / 2), quantile((1 + level) / 2)
	// END SOLUTION
}
