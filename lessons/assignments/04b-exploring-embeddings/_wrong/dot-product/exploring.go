// Package exploring, wrong: NearestClips ranks rows by their dot product with the
// query, not by cosine similarity, so long vectors come first.
//
// caught by: TestNearestClips
package exploring

import "sort"

func NearestClips(embeddings [][]float32, query []float32, k int) []int {
	// BEGIN SOLUTION
	scores := make([]float64, len(embeddings))
	order := make([]int, len(embeddings))
	for i, row := range embeddings {
		for j, x := range row {
			scores[i] += float64(x) * float64(query[j])
		}
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return scores[order[a]] > scores[order[b]] })
	return order[:min(k, len(order))]
	// END SOLUTION
}
