package cluster_test

import (
	"fmt"

	"github.com/dawnchorus/dawnchorus/lib/cluster"
)

// Two groups on a line: k-means finds them, and they agree with the classes.
func ExampleKMeans() {
	points := [][]float32{{0}, {1}, {2}, {10}, {11}, {12}}
	classes := []int{0, 0, 0, 1, 1, 1}
	res := cluster.MustKMeans(points, cluster.KMeansOptions{K: 2, Seed: 1})
	ari, _ := cluster.AdjustedRandIndex(classes, res.Labels)
	fmt.Printf("inertia %.1f, ARI %.1f\n", res.Inertia, ari)
	// Output:
	// inertia 4.0, ARI 1.0
}

// HDBSCAN finds the two dense groups by itself and leaves the far point out.
func ExampleHDBSCAN() {
	points := [][]float32{{0}, {1}, {2}, {3}, {20}, {21}, {22}, {23}, {50}}
	res := cluster.MustHDBSCAN(points, cluster.HDBSCANOptions{MinClusterSize: 3, MinSamples: 2})
	fmt.Println(res.NumClusters, "clusters, labels", res.Labels)
	// Output:
	// 2 clusters, labels [0 0 0 0 1 1 1 1 -1]
}
