// Package search finds the embeddings most similar to an example — "more
// calls like this one" — by cosine similarity.
//
//   - Exact compares the query with every vector: the reference answer, as
//     float32 matrix products of queries and database blocks, split over the
//     cores. Batches of queries cost far less per query than single ones.
//     The products run in Go (lib/internal/gemm) by default; EngineGoMLX
//     runs them on the GoMLX engine (lib/backend), which on the pure-Go
//     engine measures about as fast (see Engine and lib/cmd/benchsearch).
//   - HNSW is an approximate index (hierarchical navigable small-world graph)
//     for large collections: milliseconds per query at the cost of missing a
//     few true neighbors; Recall measures how many, against Exact. It grows
//     by Add without rebuilding what it holds, and Save / LoadHNSW keep it
//     in a file (a versioned format with a SHA-256 digest, written
//     atomically; see HNSW.WriteTo), so a large collection is indexed once.
//
// # Inputs and results
//
// Vectors are a [][]float32, one row per item (an embedding), all of the same
// dimension, finite and non-zero (a zero vector has no direction: an error
// wrapping ErrZeroVector). Both indexes copy and normalize them, so the
// caller's slices are never kept or modified. A search returns Hits, best
// first: Index is the row in the vectors given to the index, so the caller
// maps it back to its own keys (an embedding's file, start and end, to show
// its spectrogram and play it), and Score is the cosine similarity in
// [−1, 1]. Equal scores are ordered by index.
//
// Scores are float32 dot products of unit vectors: two cosines closer than
// about 1e-6 may come back in either order relative to a float64 computation.
package search
