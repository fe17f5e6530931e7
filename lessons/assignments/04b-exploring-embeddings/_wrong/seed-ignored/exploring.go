// Package exploring, wrong: ClusterScores runs k-means with seed 1 and one start,
// whatever seed it is given.
//
// caught by: TestClusterScores
package exploring

import (
	"fmt"

	"github.com/dawnchorus/dawnchorus/lib/cluster"
)

func ClusterScores(embeddings [][]float32, truth []int, k int,
	seed uint64) (purity, ari float64, err error) {
	// BEGIN SOLUTION
	result, err := cluster.KMeans(embeddings, cluster.KMeansOptions{K: k, Seed: 1})
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
