// Package exploring is the assignment of lesson 04b, exploring embeddings: the two
// questions a researcher asks of a pile of unlabelled clips. Which clips sound like this
// one? (NearestClips, PrecisionAtK.) Do the clips fall into groups that match the
// species? (Purity, ClusterScores.)
//
// Write the four functions, then grade your work from the repository's root with
//
//	make grade A=04b-exploring-embeddings
package exploring

// NearestClips returns the indices of the k rows of embeddings most similar to query by
// cosine similarity (the dot product of the two vectors divided by the product of their
// lengths), most similar first; rows equally similar come in index order. When k is
// larger than the number of rows, every row is returned. Rows and query are non-zero
// vectors of the same length.
func NearestClips(embeddings [][]float32, query []float32, k int) []int {
	// TODO: score every row by its cosine similarity to query, sort, keep the k best
	panic("not implemented: score every row by its cosine similarity to query, sort, keep the k best")
}

// PrecisionAtK is the mean, over every row i of embeddings, of the share of its k nearest
// other rows (by cosine similarity, as NearestClips ranks them, row i itself left out)
// whose label is labels[i]: 1 when every clip's neighbours are of its own species.
func PrecisionAtK(embeddings [][]float32, labels []int, k int) float64 {
	// TODO: for every row, take its k+1 nearest, skip the row itself, count same labels
	panic("not implemented: for every row, take its k+1 nearest, skip the row itself, count same labels")
}

// Purity is the share of points whose cluster's most common true class is their own
// class: Σ over clusters of (the count of that cluster's most common class) / n. clusters
// and truth hold one label per point; label values are arbitrary ints.
func Purity(clusters, truth []int) float64 {
	// TODO: count classes per cluster, add up each cluster's largest count, divide by n
	panic("not implemented: count classes per cluster, add up each cluster's largest count, divide by n")
}

// ClusterScores groups embeddings into k clusters with k-means (lib/cluster's KMeans,
// with the given seed and 4 restarts) and says how well the clusters match the true
// classes: their Purity and their adjusted Rand index (lib/cluster's AdjustedRandIndex).
func ClusterScores(embeddings [][]float32, truth []int, k int,
	seed uint64) (purity, ari float64, err error) {
	// TODO: run cluster.KMeans, then score its labels with Purity and cluster.AdjustedRandIndex
	panic("not implemented: run cluster.KMeans, then score its labels with Purity and cluster.AdjustedRandIndex")
}
