package search_test

import (
	"fmt"

	"github.com/dawnchorus/dawnchorus/lib/search"
)

// Find the vectors closest in direction to a query; Index maps back to the
// caller's rows (and so to clip keys).
func ExampleExact() {
	embeddings := [][]float32{{1, 0}, {0, 1}, {1, 1}, {-1, 0}}
	index := search.MustNewExact(embeddings, search.ExactOptions{})
	for _, hit := range index.MustSearch([]float32{2, 1}, 2) {
		fmt.Printf("row %d cosine %.3f\n", hit.Index, hit.Score)
	}
	// Output:
	// row 2 cosine 0.949
	// row 0 cosine 0.894
}

// An approximate index gives the same answer here, and Recall says how often
// it does in general.
func ExampleHNSW() {
	embeddings := [][]float32{{1, 0}, {0, 1}, {1, 1}, {-1, 0}, {1, -1}}
	exact := search.MustNewExact(embeddings, search.ExactOptions{})
	approx := search.MustNewHNSW(embeddings, search.HNSWOptions{Seed: 1})
	query := []float32{2, 1}
	recall, _ := search.Recall([][]search.Hit{approx.MustSearch(query, 2)}, [][]search.Hit{exact.MustSearch(query, 2)}, 2)
	fmt.Println("recall@2:", recall)
	// Output:
	// recall@2: 1
}
