package reduce

import (
	"math"
	"math/rand/v2"
	"testing"
)

// gaussianClusters draws n points in d dimensions around k cluster centres placed
// sep apart on average (unit noise), labelled by cluster.
func gaussianClusters(n, d, k int, sep float64, seed uint64) ([][]float32, []int) {
	rng := rand.New(rand.NewPCG(seed, 99))
	centres := make([][]float64, k)
	for c := range centres {
		centres[c] = make([]float64, d)
		for j := range centres[c] {
			centres[c][j] = sep * rng.NormFloat64() / math.Sqrt(2)
		}
	}
	x := make([][]float32, n)
	labels := make([]int, n)
	for i := range x {
		c := i % k
		labels[i] = c
		x[i] = make([]float32, d)
		for j := range x[i] {
			x[i][j] = float32(centres[c][j] + rng.NormFloat64())
		}
	}
	return x, labels
}

// nnAgreement is the share of points whose nearest other point in the layout has the
// same label: 1 when clusters are cleanly separated.
func nnAgreement(y [][]float64, labels []int) float64 {
	agree := 0
	for i := range y {
		best, bestD := -1, math.Inf(1)
		for j := range y {
			if j == i {
				continue
			}
			d := 0.0
			for c := range y[i] {
				e := y[i][c] - y[j][c]
				d += e * e
			}
			if d < bestD {
				best, bestD = j, d
			}
		}
		if labels[best] == labels[i] {
			agree++
		}
	}
	return float64(agree) / float64(len(y))
}

func sameLayout(t *testing.T, a, b [][]float64) {
	t.Helper()
	for i := range a {
		for c := range a[i] {
			if math.Float64bits(a[i][c]) != math.Float64bits(b[i][c]) {
				t.Fatalf("point %d coordinate %d: %v then %v: not deterministic", i, c, a[i][c], b[i][c])
			}
		}
	}
}
