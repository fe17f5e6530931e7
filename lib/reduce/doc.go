// Package reduce maps high-dimensional embeddings to a few dimensions, to look at them:
// principal component analysis ([PCA]), t-distributed stochastic neighbour embedding
// ([TSNE]) and uniform manifold approximation and projection ([UMAP]), plus the
// [Trustworthiness] score that says how well a layout keeps each point's neighbours.
//
// Inputs are n points of d dimensions as [][]float32 (one row per point, the layout of
// lib/embed's embeddings); outputs are [][]float64, one row of Components values per
// point, in the same order. Coordinates have no unit: PCA's are in the input's units
// along orthogonal directions, t-SNE's and UMAP's only keep who is near whom (distances
// between far clusters and cluster sizes mean little).
//
// The algorithms follow the papers and the reference implementations' defaults, so that
// a figure made here looks like one made with scikit-learn or umap-learn:
//
//   - PCA: eigen-decomposition of the covariance (or of the Gram matrix when d > n), with
//     scikit-learn's sign convention (each component's largest projection is positive).
//   - t-SNE (van der Maaten & Hinton 2008; van der Maaten 2014): perplexity calibrated by
//     binary search, early exaggeration 12 for 250 iterations, momentum 0.5 then 0.8,
//     per-parameter gains, learning rate "auto" = max(n/12/4, 50) as scikit-learn; exact
//     gradients for small n, Barnes-Hut (quad-tree, θ = 0.5) on the 3·perplexity nearest
//     neighbours for larger n.
//   - UMAP (McInnes, Healy & Melville 2018): exact k-nearest neighbours, fuzzy simplicial
//     set (smooth k-NN distances, fuzzy union), the a, b curve fitted to min_dist and
//     spread, spectral initialisation, and stochastic gradient descent with edge sampling
//     in proportion to weight, negative sampling, gradient clipping at 4 and a linearly
//     decaying learning rate.
//
// Everything is seeded and deterministic: the same input and options give the same
// output bit for bit, on any number of cores. Work is spread over goroutines only where
// each goroutine owns a fixed share of the output (distances, k-NN rows, per-point
// forces) and partial sums are added in a fixed order; UMAP's gradient descent runs on
// one goroutine, as umap-learn does when given a random_state.
//
// Exact k-NN costs O(n²·d) time and O(n·block) memory: fine to ~20,000 points on a
// laptop; beyond that, subsample. Exact t-SNE costs O(n²) memory and is used below
// [TSNEAutoExactMax] points when Method is TSNEAuto.
package reduce
