package reduce

import (
	"math"
	"math/rand/v2"
	"sort"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/metrics"
)

// TestTrustworthinessScores checks each point's score against the definition computed
// here by sorting every point's distances, and their mean against Trustworthiness.
func TestTrustworthinessScores(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	const n, k = 40, 4
	high := make([][]float32, n)
	low := make([][]float64, n)
	for i := range high {
		high[i] = []float32{float32(rng.NormFloat64()), float32(rng.NormFloat64()), float32(rng.NormFloat64())}
		low[i] = []float64{float64(high[i][0]) + rng.NormFloat64(), float64(high[i][1])}
	}
	// order returns the other points by increasing distance from i (ties by index).
	order := func(i int, dist func(a, b int) float64) []int {
		var others []int
		for j := range n {
			if j != i {
				others = append(others, j)
			}
		}
		sort.SliceStable(others, func(a, b int) bool { return dist(i, others[a]) < dist(i, others[b]) })
		return others
	}
	dHigh := func(a, b int) float64 {
		s := 0.0
		for d := range high[a] {
			e := float64(high[a][d] - high[b][d])
			s += e * e
		}
		return s
	}
	dLow := func(a, b int) float64 { return math.Hypot(low[a][0]-low[b][0], low[a][1]-low[b][1]) }
	got, err := TrustworthinessScores(high, low, k)
	if err != nil {
		t.Fatal(err)
	}
	mean := 0.0
	for i := range n {
		rank := map[int]int{}
		for r, j := range order(i, dHigh) {
			rank[j] = r + 1
		}
		penalty := 0
		for _, j := range order(i, dLow)[:k] {
			if rank[j] > k {
				penalty += rank[j] - k
			}
		}
		want := 1 - 2*float64(penalty)/float64(k*(2*n-3*k-1))
		if math.Abs(got[i]-want) > 1e-12 {
			t.Errorf("point %d: score %v, want %v", i, got[i], want)
		}
		mean += got[i] / n
	}
	whole := MustTrustworthiness(high, low, k)
	if math.Abs(mean-whole) > 1e-12 {
		t.Errorf("mean score %v, Trustworthiness %v", mean, whole)
	}
	config := metrics.BootstrapConfig{Seed: 1, Resamples: 300}
	in := MustTrustworthinessInterval(high, low, k, config)
	if math.Abs(in.Estimate-whole) > 1e-12 || in.Lower > whole || in.Upper < whole || in.Lower == in.Upper {
		t.Errorf("interval %v around %v", in, whole)
	}
	same := MustTrustworthinessDifference(high, low, low, k, config)
	if same.Estimate != 0 || same.Lower != 0 || same.Upper != 0 {
		t.Errorf("a layout against itself: difference %v, want 0 [0, 0]", same)
	}
	if _, err := TrustworthinessDifference(high, low, low[:10], k, config); err == nil {
		t.Error("a layout of 10 points: want an error")
	}
}

func TestLargestShift(t *testing.T) {
	a := [][]float64{{0, 1}, {2, 3}}
	b := [][]float64{{0.5, 1}, {2, -1}}
	if got := MustLargestShift(a, b); got != 4 {
		t.Errorf("got %v, want 4 (point 1, coordinate 1: 3 against −1)", got)
	}
	if got := MustLargestShift(a, a); got != 0 {
		t.Errorf("a layout against itself: %v, want 0", got)
	}
	if _, err := LargestShift(a, b[:1]); err == nil {
		t.Error("layouts of 2 and 1 points: want an error")
	}
	if _, err := LargestShift(a, [][]float64{{0}, {1, 2}}); err == nil {
		t.Error("a point with one coordinate: want an error")
	}
}
