package search

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// clustered returns n seeded vectors of dimension dim around `centers` random
// centers, with Gaussian spread `spread` (per coordinate) around unit-variance
// centers.
func clustered(n, dim, centers int, spread float64, seed uint64) [][]float32 {
	rng := rand.New(rand.NewPCG(seed, 1))
	cs := make([][]float64, centers)
	for c := range cs {
		cs[c] = make([]float64, dim)
		for j := range cs[c] {
			cs[c][j] = rng.NormFloat64()
		}
	}
	out := make([][]float32, n)
	for i := range out {
		c := cs[rng.IntN(centers)]
		out[i] = make([]float32, dim)
		for j := range out[i] {
			out[i][j] = float32(c[j] + spread*rng.NormFloat64())
		}
	}
	return out
}

// bruteForce returns every vector's cosine similarity to q in float64, the
// independent reference.
func bruteForce(vectors [][]float32, q []float32) []float64 {
	var qn float64
	for _, x := range q {
		qn += float64(x) * float64(x)
	}
	out := make([]float64, len(vectors))
	for i, v := range vectors {
		var dot, vn float64
		for j, x := range v {
			dot += float64(x) * float64(q[j])
			vn += float64(x) * float64(x)
		}
		out[i] = dot / math.Sqrt(qn*vn)
	}
	return out
}

// checkTopK checks hits against float64 brute force: scores are the true
// cosines (within float32 rounding), best first, distinct, and no vector left
// out scores more than the k-th hit (ties within tol may swap: float32 dot
// products cannot order cosines closer than their rounding).
func checkTopK(t *testing.T, name string, hits []Hit, truth []float64, k int) {
	t.Helper()
	const tol = 2e-6
	if len(hits) != k {
		t.Fatalf("%s: %d hits, want %d", name, len(hits), k)
	}
	seen := map[int]bool{}
	for r, h := range hits {
		if seen[h.Index] {
			t.Fatalf("%s: index %d returned twice", name, h.Index)
		}
		seen[h.Index] = true
		if math.Abs(float64(h.Score)-truth[h.Index]) > tol {
			t.Errorf("%s: hit %d (index %d) score %v, float64 cosine %v", name, r, h.Index, h.Score, truth[h.Index])
		}
		if r > 0 && h.Score > hits[r-1].Score {
			t.Errorf("%s: hits not sorted at rank %d", name, r)
		}
	}
	sorted := slices.Clone(truth)
	slices.SortFunc(sorted, func(a, b float64) int { return -cmpF(a, b) })
	if kth := float64(hits[k-1].Score); kth < sorted[k-1]-tol {
		t.Errorf("%s: k-th hit scores %v, but the float64 k-th best is %v", name, kth, sorted[k-1])
	}
}

func cmpF(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func TestExactMatchesBruteForce(t *testing.T) {
	vectors := clustered(3000, 24, 20, 0.5, 7)
	queries := clustered(40, 24, 20, 0.5, 8)
	// The Go path's scores do not depend on how rows are split over workers.
	one := must(NewExact(vectors, ExactOptions{Engine: EngineGo, Workers: 1}))
	three := must(NewExact(vectors, ExactOptions{Engine: EngineGo, Workers: 3}))
	a, b := must(one.SearchBatch(queries, 50)), must(three.SearchBatch(queries, 50))
	for q := range a {
		if !slices.Equal(a[q], b[q]) {
			t.Fatalf("query %d: 1 and 3 workers differ: %v vs %v", q, a[q][:3], b[q][:3])
		}
	}
	engines := []struct {
		name   string
		engine Engine
	}{{"go", EngineGo}, {"gomlx", EngineGoMLX}}
	for _, eng := range engines {
		for _, workers := range []int{1, 3} {
			ex, err := NewExact(vectors, ExactOptions{Engine: eng.engine, Workers: workers})
			if err != nil {
				t.Fatal(err)
			}
			for _, k := range []int{1, 10, 3000} {
				res, err := ex.SearchBatch(queries, k)
				if err != nil {
					t.Fatal(err)
				}
				for qi, q := range queries {
					checkTopK(t, eng.name, res[qi], bruteForce(vectors, q), k)
				}
			}
			single, err := ex.Search(queries[0], 5)
			if err != nil {
				t.Fatal(err)
			}
			checkTopK(t, eng.name+" single", single, bruteForce(vectors, queries[0]), 5)
		}
	}
}

// TestExactTies: duplicated vectors score the same; equal scores come back in
// index order, from both engines.
func TestExactTies(t *testing.T) {
	vectors := [][]float32{{1, 0}, {0, 1}, {2, 0}, {0, 3}, {5, 0}}
	for _, eng := range []Engine{EngineGo, EngineGoMLX} {
		ex := MustNewExact(vectors, ExactOptions{Engine: eng})
		hits := ex.MustSearch([]float32{3, 0}, 4)
		want := []Hit{{0, 1}, {2, 1}, {4, 1}, {1, 0}}
		if !slices.Equal(hits, want) {
			t.Errorf("engine %d: hits %v, want %v", eng, hits, want)
		}
	}
}

func TestBadInput(t *testing.T) {
	good := [][]float32{{1, 0}, {0, 1}}
	cases := []struct {
		name    string
		vectors [][]float32
		query   []float32
		k       int
		want    string
	}{
		{"no vectors", nil, []float32{1, 0}, 1, "no vectors"},
		{"ragged", [][]float32{{1, 0}, {1}}, []float32{1, 0}, 1, "vector 1 has dimension 1"},
		{"zero vector", [][]float32{{1, 0}, {0, 0}}, []float32{1, 0}, 1, "vector 1: zero vector"},
		{"NaN", [][]float32{{1, float32(math.NaN())}}, []float32{1, 0}, 1, "vector 0: element 1 is NaN"},
		{"query dim", good, []float32{1, 0, 0}, 1, "query has dimension 3, the index holds vectors of dimension 2"},
		{"zero query", good, []float32{0, 0}, 1, "zero vector"},
		{"k > n", good, []float32{1, 0}, 3, "k = 3 is more than the 2 vectors"},
		{"k = 0", good, []float32{1, 0}, 0, "k = 0: must be at least 1"},
	}
	for _, c := range cases {
		builders := map[string]func() (interface {
			Search([]float32, int) ([]Hit, error)
		}, error){
			"exact": func() (interface {
				Search([]float32, int) ([]Hit, error)
			}, error) {
				return NewExact(c.vectors, ExactOptions{})
			},
			"hnsw": func() (interface {
				Search([]float32, int) ([]Hit, error)
			}, error) {
				return NewHNSW(c.vectors, HNSWOptions{})
			},
		}
		for name, build := range builders {
			idx, err := build()
			if err == nil {
				_, err = idx.Search(c.query, c.k)
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s %s: error %v, want one containing %q", c.name, name, err, c.want)
			}
			if c.name == "zero query" && !errors.Is(err, ErrZeroVector) {
				t.Errorf("%s %s: error %v does not wrap ErrZeroVector", c.name, name, err)
			}
		}
	}
	if _, err := NewHNSW(good, HNSWOptions{M: 1}); err == nil || !strings.Contains(err.Error(), "M = 1") {
		t.Errorf("M = 1: error %v", err)
	}
}

func TestRecall(t *testing.T) {
	exact := [][]Hit{{{1, .9}, {2, .8}, {3, .7}}, {{4, .9}, {5, .8}, {6, .7}}}
	approx := [][]Hit{{{1, .9}, {3, .7}, {9, .1}}, {{7, .9}}}
	got, err := Recall(approx, exact, 2)
	if err != nil {
		t.Fatal(err)
	}
	// Query 0: {1,3} ∩ {1,2} = 1 of 2; query 1: {7} ∩ {4,5} = 0 of 2.
	if got != 0.25 {
		t.Errorf("Recall = %v, want 0.25", got)
	}
	if _, err := Recall(approx, exact, 4); err == nil {
		t.Error("k larger than the exact lists: no error")
	}
	if _, err := Recall(approx[:1], exact, 1); err == nil {
		t.Error("mismatched query counts: no error")
	}
}

// TestHNSWRecall: on 10,000 clustered 64-d vectors, the default options find
// at least 95% of the exact 10 nearest neighbors.
func TestHNSWRecall(t *testing.T) {
	n := 10000
	if testing.Short() {
		n = 2000
	}
	vectors := clustered(n, 64, 50, 0.6, 11)
	queries := clustered(200, 64, 50, 0.6, 12)
	h, err := NewHNSW(vectors, HNSWOptions{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	approx, err := h.SearchBatch(queries, 10)
	if err != nil {
		t.Fatal(err)
	}
	recall, err := Recall(approx, exactTop(vectors, queries, 10), 10)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("recall@10 = %.4f (n = %d, ef = %d)", recall, n, h.Options().EfSearch)
	if recall < 0.95 {
		t.Errorf("recall@10 = %.4f, want ≥ 0.95", recall)
	}
	for qi := range approx {
		for _, hit := range approx[qi] {
			if want := bruteForce(vectors[hit.Index:hit.Index+1], queries[qi])[0]; math.Abs(float64(hit.Score)-want) > 2e-6 {
				t.Fatalf("query %d hit %d: score %v, cosine %v", qi, hit.Index, hit.Score, want)
			}
		}
	}
}

// TestHNSWDeterministic: the same seed builds the same graph with 1 or 4
// workers; another seed builds another one.
func TestHNSWDeterministic(t *testing.T) {
	vectors := clustered(3000, 16, 10, 0.5, 3)
	a := MustNewHNSW(vectors, HNSWOptions{Seed: 5, Workers: 1})
	b := MustNewHNSW(vectors, HNSWOptions{Seed: 5, Workers: 4})
	c := MustNewHNSW(vectors, HNSWOptions{Seed: 6, Workers: 4})
	same := func(x, y *HNSW) bool {
		if x.entry != y.entry || !slices.Equal(x.levels, y.levels) {
			return false
		}
		for i := range x.links {
			for l := range x.links[i] {
				if !slices.Equal(x.links[i][l], y.links[i][l]) {
					return false
				}
			}
		}
		return true
	}
	if !same(a, b) {
		t.Error("seed 5 built different graphs with 1 and 4 workers")
	}
	if same(a, c) {
		t.Error("seeds 5 and 6 built the same graph")
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestRank: hits and HNSW candidates share one order — higher score first,
// then lower index — so sorting the same (score, index) pairs as hits or as
// candidates gives the same list, ties included.
func TestRank(t *testing.T) {
	for _, tc := range []struct {
		a, b Hit
		want int
	}{
		{Hit{1, 0.9}, Hit{0, 0.5}, -1},
		{Hit{0, 0.5}, Hit{1, 0.9}, 1},
		{Hit{2, 0.7}, Hit{5, 0.7}, -1},
		{Hit{5, 0.7}, Hit{2, 0.7}, 1},
		{Hit{3, -0.2}, Hit{3, -0.2}, 0},
		{Hit{4, -1}, Hit{0, -0.99}, 1},
	} {
		if got := compareHits(tc.a, tc.b); got != tc.want {
			t.Errorf("compareHits(%v, %v) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
		ca, cb := candidate{tc.a.Score, int32(tc.a.Index)}, candidate{tc.b.Score, int32(tc.b.Index)}
		if got := compareCandidates(ca, cb); got != tc.want {
			t.Errorf("compareCandidates(%v, %v) = %d, want %d", ca, cb, got, tc.want)
		}
		if better(tc.a, tc.b) != (tc.want < 0) || closer(ca, cb) != (tc.want < 0) {
			t.Errorf("better/closer(%v, %v) disagree with %d", tc.a, tc.b, tc.want)
		}
	}
	rng := rand.New(rand.NewPCG(5, 6))
	hits := make([]Hit, 200)
	cands := make([]candidate, len(hits))
	for i := range hits {
		score := float32(rng.IntN(10)) / 10 // many ties
		hits[i] = Hit{Index: len(hits) - 1 - i, Score: score}
		cands[i] = candidate{sim: score, node: int32(len(hits) - 1 - i)}
	}
	sortHits(hits)
	slices.SortFunc(cands, compareCandidates)
	for i := range hits {
		if i > 0 && !better(hits[i-1], hits[i]) {
			t.Fatalf("hits %d and %d out of order: %v, %v", i-1, i, hits[i-1], hits[i])
		}
		if hits[i].Index != int(cands[i].node) || hits[i].Score != cands[i].sim {
			t.Fatalf("position %d: hit %v, candidate %v", i, hits[i], cands[i])
		}
	}
}
