// Package exploring, wrong: Purity averages the clusters' purities (the wrong
// average), so a small pure cluster weighs as much as a large mixed one.
//
// caught by: TestPurity
package exploring

func Purity(clusters, truth []int) float64 {
	// BEGIN SOLUTION
	counts := map[int]map[int]int{}
	sizes := map[int]int{}
	for i, c := range clusters {
		if counts[c] == nil {
			counts[c] = map[int]int{}
		}
		counts[c][truth[i]]++
		sizes[c]++
	}
	sum := 0.0
	for c, byClass := range counts {
		best := 0
		for _, n := range byClass {
			best = max(best, n)
		}
		sum += float64(best) / float64(sizes[c])
	}
	return sum / float64(len(counts))
	// END SOLUTION
}
