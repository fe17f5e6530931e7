// Package exploring is the assignment of lesson 04b, exploring embeddings: the two
// questions a researcher asks of a pile of unlabelled clips. Which clips sound like this
// one? (NearestClips, PrecisionAtK.) Do the clips fall into groups that match the
// species? (Purity, ClusterScores.)
//
// Write the four functions, then grade your work from the repository's root with
//
//	make grade A=04b-exploring-embeddings
package exploring

import (
	"fmt"
	"math"
	"sort"

	"github.com/dawnchorus/dawnchorus/lib/cluster"
)

// NearestClips returns the indices of the k rows of embeddings most similar to query by
// cosine similarity (the dot product of the two vectors divided by the product of their
// lengths), most similar first; rows equally similar come in index order. When k is
// larger than the number of rows, every row is returned. Rows and query are non-zero
// vectors of the same length.
func NearestClips(embeddings [][]float32, query []float32, k int) []int {
	// BEGIN SOLUTION score every row by its cosine similarity to query, sort, keep the k best
	norm := func(v []float32) float64 {
		s := 0.0
		for _, x := range v {
			s += float64(x) * float64(x)
		}
		return math.Sqrt(s)
	}
	queryNorm := norm(query)
	scores := make([]float64, len(embeddings))
	order := make([]int, len(embeddings))
	for i, row := range embeddings {
		dot := 0.0
		for j, x := range row {
			dot += float64(x) * float64(query[j])
		}
		scores[i] = dot / (norm(row) * queryNorm)
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return scores[order[a]] > scores[order[b]] })
	return order[:min(k, len(order))]
	// END SOLUTION
}

// PrecisionAtK is the mean, over every row i of embeddings, of the share of its k nearest
// other rows (by cosine similarity, as NearestClips ranks them, row i itself left out)
// whose label is labels[i]: 1 when every clip's neighbours are of its own species.
func PrecisionAtK(embeddings [][]float32, labels []int, k int) float64 {
	// BEGIN SOLUTION for every row, take its k+1 nearest, skip the row itself, count same labels
	total := 0.0
	for i, row := range embeddings {
		same, seen := 0, 0
		for _, j := range NearestClips(embeddings, row, k+1) {
			if j == i || seen == k {
				continue
			}
			seen++
			if labels[j] == labels[i] {
				same++
			}
		}
		total += float64(same) / float64(k)
	}
	return total / float64(len(embeddings))
	// END SOLUTION
}

// Purity is the share of points whose cluster's most common true class is their own
// class: Σ over clusters of (the count of that cluster's most common class) / n. clusters
// and truth hold one label per point; label values are arbitrary ints.
func Purity(clusters, truth []int) float64 {
	// BEGIN SOLUTION count classes per cluster, add up each cluster's largest count, divide by n
	counts := map[int]map[int]int{}
	for i, c := range clusters {
		if counts[c] == nil {
			counts[c] = map[int]int{}
		}
		counts[c][truth[i]]++
	}
	majority := 0
	for _, byClass := range counts {
		best := 0
		for _, n := range byClass {
			best = max(best, n)
		}
		majority += best
	}
	return float64(majority) / float64(len(clusters))
	// END SOLUTION
}

// ClusterScores groups embeddings into k clusters with k-means (lib/cluster's KMeans,
// with the given seed and 4 restarts) and says how well the clusters match the true
// classes: their Purity and their adjusted Rand index (lib/cluster's AdjustedRandIndex).
func ClusterScores(embeddings [][]float32, truth []int, k int,
	seed uint64) (purity, ari float64, err error) {
	// BEGIN SOLUTION run cluster.KMeans, then score its labels with Purity and cluster.AdjustedRandIndex
	result, err := cluster.KMeans(embeddings,
		cluster.KMeansOptions{K: k, Seed: seed, Restarts: 4})
	if err != nil {
		return 0, 0, fmt.Errorf("k-means with k = %d: %w", k, err)
	}
	ari, err = cluster.AdjustedRandIndex(truth, result.Labels)
	if err != nil {
		return 0, 0, err
	}
	return Purity(result.Labels, truth), ari, nil
	// END SOLUTION
}
