package exploring

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/cluster"
	"github.com/dawnchorus/dawnchorus/lib/search"
)

// randomVectors returns n random Gaussian vectors of dim dimensions.
func randomVectors(n, dim int, seed uint64) [][]float32 {
	rng := rand.New(rand.NewPCG(seed, 1))
	out := make([][]float32, n)
	for i := range out {
		out[i] = make([]float32, dim)
		for j := range out[i] {
			out[i][j] = float32(rng.NormFloat64())
		}
	}
	return out
}

// TestNearestClips checks the ranking on vectors whose cosines are worked out by hand,
// then against lib/search's exact index on random vectors.
//
// points: 3
func TestNearestClips(t *testing.T) {
	vectors := [][]float32{{1, 0}, {0, 1}, {1, 1}, {-1, 0}, {3, 0}, {2, 1}}
	for _, tc := range []struct {
		name  string
		query []float32
		k     int
		want  []int
	}{
		// Cosines with (1, 0): 1, 0, 0.707, −1, 1 (same direction, 3 times longer), 0.894.
		{"length does not matter; ties in index order", []float32{1, 0}, 3, []int{0, 4, 5}},
		{"k larger than the rows: all, ranked", []float32{1, 0}, 10, []int{0, 4, 5, 2, 1, 3}},
		// Cosines with (0, 2): 0, 1, 0.707, 0, 0, 0.447.
		{"another query", []float32{0, 2}, 4, []int{1, 2, 5, 0}},
		{"k = 1", []float32{-2, 0.1}, 1, []int{3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := NearestClips(vectors, tc.query, tc.k); !slices.Equal(got, tc.want) {
				t.Errorf("NearestClips(query %v, k %d) = %v, want %v", tc.query, tc.k, got,
					tc.want)
			}
		})
	}
	t.Run("random vectors, against lib/search", func(t *testing.T) {
		vectors := randomVectors(300, 16, 1)
		index := search.MustNewExact(vectors, search.ExactOptions{})
		for q, query := range randomVectors(20, 16, 2) {
			var want []int
			for _, h := range index.MustSearch(query, 10) {
				want = append(want, h.Index)
			}
			if got := NearestClips(vectors, query, 10); !slices.Equal(got, want) {
				t.Fatalf("query %d: NearestClips = %v, want %v", q, got, want)
			}
		}
	})
}

// TestPrecisionAtK checks the mean precision of the nearest neighbours on small sets
// worked out by hand.
//
// points: 2
func TestPrecisionAtK(t *testing.T) {
	// Two tight pairs, (0, 1) and (2, 3), at right angles; 3 is labelled like 0 and 1.
	pairs := [][]float32{{1, 0}, {1, 0.1}, {0, 1}, {0.1, 1}}
	pairLabels := []int{0, 0, 1, 0}
	// Points 0 and 1 are the same vector with different labels: a clip's own row must be
	// left out by its index, not by being the first hit.
	twins := [][]float32{{1, 0}, {1, 0}, {0, 1}}
	twinLabels := []int{0, 1, 1}
	for _, tc := range []struct {
		name    string
		vectors [][]float32
		labels  []int
		k       int
		want    float64
	}{
		// k = 1: 0→1 ✓, 1→0 ✓, 2→3 ✗, 3→2 ✗.
		{"pairs, k = 1", pairs, pairLabels, 1, 0.5},
		// k = 2: 0→{1, 3} 2/2, 1→{0, 3} 2/2, 2→{3, 1} 0/2, 3→{2, 1} 1/2.
		{"pairs, k = 2", pairs, pairLabels, 2, 0.625},
		// k = 1: 0→1 ✗, 1→0 ✗, 2→0 (ties with 1, index order) ✗.
		{"twins, k = 1", twins, twinLabels, 1, 0},
		// k = 2: 0→{1, 2} 0/2, 1→{0, 2} 1/2, 2→{0, 1} 1/2.
		{"twins, k = 2", twins, twinLabels, 2, 1.0 / 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := PrecisionAtK(tc.vectors, tc.labels, tc.k); math.Abs(got-tc.want) > 1e-9 {
				t.Errorf("PrecisionAtK(k = %d) = %.4f, want %.4f", tc.k, got, tc.want)
			}
		})
	}
}

// TestPurity checks purity on labellings worked out by hand, then against lib/cluster
// on random labellings.
//
// points: 2
func TestPurity(t *testing.T) {
	for _, tc := range []struct {
		name            string
		clusters, truth []int
		want            float64
	}{
		{"perfect, other label values", []int{0, 0, 0, 1, 1, 1}, []int{5, 5, 5, 7, 7, 7}, 1},
		{"one cluster: its majority class", []int{0, 0, 0, 0}, []int{1, 1, 1, 2}, 0.75},
		{"singletons are pure", []int{3, 1, 2, 0}, []int{1, 2, 1, 2}, 1},
		{"each cluster half and half", []int{0, 0, 1, 1, 2, 2}, []int{0, 1, 0, 1, 0, 1}, 0.5},
		{"noise (−1) is one more cluster", []int{-1, -1, 0, 0, 0}, []int{0, 1, 1, 1, 0}, 0.6},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Purity(tc.clusters, tc.truth); math.Abs(got-tc.want) > 1e-12 {
				t.Errorf("Purity(%v, %v) = %.4f, want %.4f", tc.clusters, tc.truth, got,
					tc.want)
			}
		})
	}
	t.Run("random labellings, against lib/cluster", func(t *testing.T) {
		rng := rand.New(rand.NewPCG(3, 4))
		for trial := range 20 {
			n := 10 + rng.IntN(90)
			clusters, truth := make([]int, n), make([]int, n)
			for i := range n {
				clusters[i], truth[i] = rng.IntN(1+trial%7), rng.IntN(5)
			}
			want, err := cluster.Purity(clusters, truth)
			if err != nil {
				t.Fatal(err)
			}
			if got := Purity(clusters, truth); math.Abs(got-want) > 1e-12 {
				t.Fatalf("trial %d: Purity = %.4f, want %.4f", trial, got, want)
			}
		}
	})
}

// TestClusterScores clusters three far-apart blobs of 10 points into k groups and checks
// purity and the adjusted Rand index against values worked out by hand, then, on random
// points whose clusters depend on the k-means++ draws, against lib/cluster run here with
// the same seed and restarts.
//
// points: 3
func TestClusterScores(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var points [][]float32
	var truth []int
	for class, centre := range [][2]float32{{0, 0}, {10, 0}, {0, 10}} {
		for range 10 {
			points = append(points,
				[]float32{centre[0] + float32(rng.Float64()-0.5),
					centre[1] + float32(rng.Float64()-0.5)})
			truth = append(truth, class)
		}
	}
	// k = 2 merges the two nearest blobs (20 points) and keeps the third (10). Pair counts:
	// within both clusters and classes 3·C(10,2) = 135; within classes 135; within clusters
	// C(20,2) + C(10,2) = 235; all pairs C(30,2) = 435. ARI = (135 − E) / ((135+235)/2 − E)
	// with E = 135·235/435.
	expected := 135.0 * 235 / 435
	ari2 := (135 - expected) / ((135.0+235)/2 - expected)
	for _, tc := range []struct {
		k           int
		purity, ari float64
		wantErr     bool
	}{
		{k: 3, purity: 1, ari: 1},
		{k: 2, purity: 2.0 / 3, ari: ari2},
		{k: 1, purity: 1.0 / 3, ari: 0},
		{k: 0, wantErr: true},
		{k: 31, wantErr: true},
	} {
		purity, ari, err := ClusterScores(points, truth, tc.k, 1)
		if tc.wantErr {
			if err == nil {
				t.Errorf("k = %d: no error", tc.k)
			}
			continue
		}
		if err != nil {
			t.Fatalf("k = %d: %v", tc.k, err)
		}
		if math.Abs(purity-tc.purity) > 1e-9 || math.Abs(ari-tc.ari) > 1e-9 {
			t.Errorf("k = %d: purity %.4f, ARI %.4f; want %.4f, %.4f", tc.k, purity, ari,
				tc.purity, tc.ari)
		}
	}
	// Uniform random points have no clusters to find: what k-means returns depends on
	// where its draws start it, so the seed (and the restarts) show in the scores.
	random := randomVectors(60, 2, 9)
	randomTruth := make([]int, len(random))
	for i := range randomTruth {
		randomTruth[i] = i % 3
	}
	scores := map[[2]float64]bool{}
	for seed := uint64(1); seed <= 4; seed++ {
		result, err := cluster.KMeans(random,
			cluster.KMeansOptions{K: 5, Seed: seed, Restarts: 4})
		if err != nil {
			t.Fatal(err)
		}
		wantPurity, err := cluster.Purity(result.Labels, randomTruth)
		if err != nil {
			t.Fatal(err)
		}
		wantARI, err := cluster.AdjustedRandIndex(randomTruth, result.Labels)
		if err != nil {
			t.Fatal(err)
		}
		purity, ari, err := ClusterScores(random, randomTruth, 5, seed)
		if err != nil {
			t.Fatalf("random points, seed %d: %v", seed, err)
		}
		if math.Abs(purity-wantPurity) > 1e-9 || math.Abs(ari-wantARI) > 1e-9 {
			t.Errorf("random points, k = 5, seed %d: purity %.4f, ARI %.4f; lib/cluster's "+
				"k-means with that seed and 4 restarts gives %.4f, %.4f",
				seed, purity, ari, wantPurity, wantARI)
		}
		scores[[2]float64{wantPurity, wantARI}] = true
	}
	if len(scores) < 2 {
		t.Fatalf("the check's own data do not depend on the seed: choose others")
	}
}
