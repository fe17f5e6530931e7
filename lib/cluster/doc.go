// Package cluster groups embeddings without labels and scores the groups: the
// "how many kinds of call are in my recordings?" step of the course.
//
//   - KMeans: Lloyd's algorithm from k-means++ seeding (or given centroids),
//     with restarts; parallel over points and deterministic for a seed (the
//     result does not depend on the number of workers). Needs K.
//   - ChooseK: k-means for a range of K with the two usual guides, the
//     inertia elbow and the silhouette.
//   - HDBSCAN: density-based clustering that finds the number of clusters
//     itself and calls sparse points Noise (label −1). O(n²) time, O(n)
//     memory: for up to some tens of thousands of points.
//   - Purity, AdjustedRandIndex: agreement of clusters with known classes.
//   - Silhouette, SilhouetteSamples: how well separated clusters are, without
//     labels; SilhouetteOptions.SampleSize bounds the O(n²) cost.
//
// # Inputs and units
//
// Points are a [][]float32, one row per point (an embedding), all of the
// same dimension and finite; functions never modify them. Distances are
// Euclidean, in the units of the data; inertia is in squared units. For
// cosine-like clustering of embeddings, normalize the rows to unit length
// first. Labels are []int, one per point; any int values serve as labels in
// the metrics, and Noise is just one more label there.
//
// The reference values in the tests come from scikit-learn 1.2.1 and scipy
// (testdata/make_reference.py). scikit-learn 1.2.1 has no HDBSCAN: its core
// distances and spanning tree are checked against scikit-learn's
// NearestNeighbors and scipy's minimum_spanning_tree, and the condensed tree
// and cluster selection against a case worked by hand.
package cluster
