package search

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/dawnchorus/dawnchorus/lib/internal/vec"
)

// Hit is one result of a search: Index is the row of the vectors the index was
// built from (so callers map it back to their own keys, such as an embedding's
// file, start and end), and Score is the cosine similarity between the query
// and that row, in [−1, 1] (1 for the same direction).
type Hit struct {
	Index int
	Score float32
}

// ErrZeroVector is returned (wrapped) for a vector of zero length, whose
// cosine similarity to anything is undefined.
var ErrZeroVector = errors.New("zero vector has no direction for cosine similarity")

// rank is the one order of results, of hits and of HNSW's candidates alike:
// a higher score first, and among equal scores the lower index first, so that
// every result list is in one total order whatever the order of computation.
// It returns −1 when (aScore, aIndex) ranks first, 1 when (bScore, bIndex)
// does, 0 when they are the same, as slices.SortFunc wants.
func rank[I int | int32](aScore float32, aIndex I, bScore float32, bIndex I) int {
	if aScore != bScore {
		if aScore > bScore {
			return -1
		}
		return 1
	}
	return cmp.Compare(aIndex, bIndex)
}

// compareHits orders hits best first (see rank).
func compareHits(a, b Hit) int { return rank(a.Score, a.Index, b.Score, b.Index) }

// better reports whether hit a ranks before hit b (see rank).
func better(a, b Hit) bool { return compareHits(a, b) < 0 }

// sortHits sorts hits best first (see rank).
func sortHits(hits []Hit) { slices.SortFunc(hits, compareHits) }

// topK keeps the k best hits seen so far in a min-heap whose root is the worst
// kept hit.
type topK struct {
	k    int
	heap []Hit
}

func newTopK(k int) *topK { return &topK{k: k, heap: make([]Hit, 0, k)} }

// push offers a hit; it is kept when fewer than k are held or it is better
// than the worst held.
func (t *topK) push(h Hit) {
	if len(t.heap) < t.k {
		t.heap = append(t.heap, h)
		i := len(t.heap) - 1
		for i > 0 {
			p := (i - 1) / 2
			if !better(t.heap[p], t.heap[i]) {
				break
			}
			t.heap[p], t.heap[i] = t.heap[i], t.heap[p]
			i = p
		}
		return
	}
	if !better(h, t.heap[0]) {
		return
	}
	t.heap[0] = h
	t.down(0)
}

// worst returns the lowest score held, or −Inf while fewer than k are held.
func (t *topK) worst() float32 {
	if len(t.heap) < t.k {
		return float32(math.Inf(-1))
	}
	return t.heap[0].Score
}

func (t *topK) down(i int) {
	n := len(t.heap)
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		w := l
		if r := l + 1; r < n && better(t.heap[l], t.heap[r]) {
			w = r
		}
		if !better(t.heap[i], t.heap[w]) {
			return
		}
		t.heap[i], t.heap[w] = t.heap[w], t.heap[i]
		i = w
	}
}

// sorted returns the held hits, best first.
func (t *topK) sorted() []Hit {
	out := append([]Hit(nil), t.heap...)
	sortHits(out)
	return out
}

// UnitVectors returns every vector divided by its Euclidean length, as cosine search
// sees them: k-means on unit vectors groups by direction, like the cosine search. At least
// one vector is needed; all must have the same, non-zero number of dimensions, and each a
// non-zero length and finite values; an error names the first that does not. The input is
// not changed.
func UnitVectors(vectors [][]float32) ([][]float32, error) {
	flat, dim, err := normalizeRows(vectors)
	if err != nil {
		return nil, fmt.Errorf("search: unit vectors: %w", err)
	}
	out := make([][]float32, len(vectors))
	for i := range out {
		out[i] = flat[i*dim : (i+1)*dim : (i+1)*dim]
	}
	return out, nil
}

// MustUnitVectors is UnitVectors that panics on an error, for notebooks.
func MustUnitVectors(vectors [][]float32) [][]float32 {
	out, err := UnitVectors(vectors)
	if err != nil {
		panic(err)
	}
	return out
}

// normalizeRows checks vectors (same length, finite, non-zero) and returns
// them as unit vectors in one flat row-major slice, with their dimension.
func normalizeRows(vectors [][]float32) (unit []float32, dim int, err error) {
	if len(vectors) == 0 {
		return nil, 0, errors.New("no vectors to index")
	}
	dim = len(vectors[0])
	if dim == 0 {
		return nil, 0, errors.New("vector 0 has dimension 0")
	}
	unit = make([]float32, len(vectors)*dim)
	for i, v := range vectors {
		if len(v) != dim {
			return nil, 0, fmt.Errorf("vector %d has dimension %d, vector 0 has %d", i, len(v), dim)
		}
		if err := normalizeInto(unit[i*dim:(i+1)*dim], v); err != nil {
			return nil, 0, fmt.Errorf("vector %d: %w", i, err)
		}
	}
	return unit, dim, nil
}

// normalizeInto writes v / |v| into dst, or returns an error for a NaN, ±Inf
// or zero vector.
func normalizeInto(dst, v []float32) error {
	if j := vec.Finite(v); j >= 0 {
		return fmt.Errorf("element %d is %v", j, v[j])
	}
	norm := vec.Norm(v)
	if norm == 0 {
		return ErrZeroVector
	}
	for j, x := range v {
		dst[j] = float32(float64(x) / norm)
	}
	return nil
}

// normalizeQuery returns the query as a unit vector, checking its dimension.
func normalizeQuery(query []float32, dim int) ([]float32, error) {
	if len(query) != dim {
		return nil, fmt.Errorf("query has dimension %d, the index holds vectors of dimension %d", len(query), dim)
	}
	q := make([]float32, dim)
	if err := normalizeInto(q, query); err != nil {
		return nil, fmt.Errorf("query: %w", err)
	}
	return q, nil
}

// checkK returns an error unless 1 ≤ k ≤ n.
func checkK(k, n int) error {
	if k < 1 {
		return fmt.Errorf("k = %d: must be at least 1", k)
	}
	if k > n {
		return fmt.Errorf("k = %d is more than the %d vectors in the index", k, n)
	}
	return nil
}

// Recall returns the mean recall@k of approximate results against exact ones:
// for each query, the fraction of the exact k best indices that the
// approximate k best contain, averaged over queries. approx and exact hold one
// result list per query, in the same order; each exact list needs at least k
// hits (an approximate list may hold fewer: missing hits count as misses).
func Recall(approx, exact [][]Hit, k int) (float64, error) {
	if len(approx) != len(exact) {
		return 0, fmt.Errorf("recall: %d approximate result lists but %d exact ones", len(approx), len(exact))
	}
	if len(exact) == 0 {
		return 0, errors.New("recall: no queries")
	}
	if k < 1 {
		return 0, fmt.Errorf("recall: k = %d: must be at least 1", k)
	}
	var total float64
	for q := range exact {
		if len(exact[q]) < k {
			return 0, fmt.Errorf("recall: exact result %d holds %d hits, fewer than k = %d", q, len(exact[q]), k)
		}
		want := make(map[int]bool, k)
		for _, h := range exact[q][:k] {
			want[h.Index] = true
		}
		found := 0
		for _, h := range approx[q][:min(k, len(approx[q]))] {
			if want[h.Index] {
				found++
			}
		}
		total += float64(found) / float64(k)
	}
	return total / float64(len(exact)), nil
}
