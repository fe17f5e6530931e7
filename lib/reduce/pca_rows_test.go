package reduce

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestPCARowsErrorsAsCheckRows: PCA checks its rows' values while it sums
// their mean, and calls checkRows only when something is wrong, so every bad
// input must still get exactly checkRows's error, the first problem in row
// order.
func TestPCARowsErrorsAsCheckRows(t *testing.T) {
	nan, inf := float32(math.NaN()), float32(math.Inf(1))
	for _, tc := range []struct {
		name string
		x    [][]float32
	}{
		{"empty", nil},
		{"no values", [][]float32{{}, {1}}},
		{"ragged", [][]float32{{1, 2}, {3, 4}, {5}}},
		{"nan", [][]float32{{1, 2}, {3, nan}, {5, 6}}},
		{"+inf", [][]float32{{1, 2}, {3, 4}, {inf, 6}}},
		{"-inf", [][]float32{{-inf, 2}, {3, 4}, {5, 6}}},
		{"+inf and -inf in one column", [][]float32{{inf, 2}, {-inf, 4}, {5, 6}}},
		{"nan before ragged", [][]float32{{1, 2}, {nan, 4}, {5}}},
		{"ragged before nan", [][]float32{{1, 2}, {3}, {nan, 6}}},
		{"largest finite values", [][]float32{{math.MaxFloat32, 2}, {math.MaxFloat32, 4}, {nan, 6}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, want := checkRows("PCA input", tc.x)
			if want == nil {
				t.Fatal("checkRows accepts the input")
			}
			_, got := PCA(tc.x, PCAOptions{Components: 1})
			if got == nil || got.Error() != want.Error() {
				t.Errorf("PCA error %v, want %v", got, want)
			}
		})
	}
}

// TestPCARowsMatchMatrixPath: PCA from float32 rows (one pass for mean and
// check, the centred copy in a pooled buffer) gives the same bits as pcaFit
// on the same values as float64 (its own fresh copy), fit after fit, with the
// buffer reused across sizes; and the explained-variance ratios divide by
// the total variance summed exactly as a separate pass over the centred
// values sums it.
func TestPCARowsMatchMatrixPath(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 5))
	for _, tc := range []struct{ n, d, k int }{
		{300, 40, 3}, {50, 8, 2}, {300, 40, 3}, {20, 60, 4}, {500, 128, 16},
	} {
		x := mixture(rng, tc.n, tc.d, 0.7)
		m := &matrix{n: tc.n, d: tc.d, v: make([]float64, tc.n*tc.d)}
		for i, r := range x {
			for j, v := range r {
				m.v[i*tc.d+j] = float64(v)
			}
		}
		want, err := pcaFit(m, PCAOptions{Components: tc.k})
		if err != nil {
			t.Fatal(err)
		}
		// The total variance the ratios divide by, summed over the centred
		// values in row order.
		total := 0.0
		for i := range tc.n {
			for j := range tc.d {
				c := m.v[i*tc.d+j] - want.mean[j]
				total += c * c
			}
		}
		total /= float64(tc.n - 1)
		for c, v := range want.variance {
			if want.ratio[c] != v/total {
				t.Errorf("n=%d d=%d k=%d: ratio %d is %v, want %v", tc.n, tc.d, tc.k, c, want.ratio[c], v/total)
			}
		}
		for range 2 {
			got, err := PCA(x, PCAOptions{Components: tc.k})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got.mean, want.mean) || !slices.Equal(got.components.v, want.components.v) ||
				!slices.Equal(got.variance, want.variance) || !slices.Equal(got.ratio, want.ratio) {
				t.Errorf("n=%d d=%d k=%d: rows and matrix paths differ", tc.n, tc.d, tc.k)
			}
		}
	}
}
