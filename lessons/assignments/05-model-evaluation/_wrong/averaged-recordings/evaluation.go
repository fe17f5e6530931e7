// Package evaluation, wrong: a grouped replicate's accuracy is the mean of its drawn
// recordings' accuracies (the wrong average) instead of right clips over clips drawn.
//
// caught by: TestGroupedBootstrapAccuracy, TestBootstrapDraws
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
	accuracyOf := map[string]float64{}
	for g, clips := range clipsOf {
		right := 0
		for _, i := range clips {
			if correct[i] {
				right++
			}
		}
		accuracyOf[g] = float64(right) / float64(len(clips))
	}
	rng := rand.New(rand.NewPCG(seed, 0))
	replicates := make([]float64, resamples)
	for r := range replicates {
		sum := 0.0
		for range names {
			sum += accuracyOf[names[rng.IntN(len(names))]]
		}
		replicates[r] = sum / float64(len(names))
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
