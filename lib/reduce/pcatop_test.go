package reduce

import (
	"math"
	"math/rand/v2"
	"testing"

	"gonum.org/v1/gonum/mat"
)

// covariance returns the d×d covariance (ddof 1) of x, computed directly.
func covariance(x [][]float32) []float64 {
	n, d := len(x), len(x[0])
	mean := make([]float64, d)
	for _, r := range x {
		for j, v := range r {
			mean[j] += float64(v) / float64(n)
		}
	}
	c := make([]float64, d*d)
	for _, r := range x {
		for j := range d {
			for l := range d {
				c[j*d+l] += (float64(r[j]) - mean[j]) * (float64(r[l]) - mean[l]) / float64(n-1)
			}
		}
	}
	return c
}

// TestTopEigenSymMatchesFull checks subspace iteration's top eigenpairs
// against gonum's full decomposition of the same covariance, on mixtures whose
// leading variances are well separated (the iteration must converge there, so
// the test fails if PCA silently always falls back) and on a nearly flat
// spectrum (where it must either match or decline).
func TestTopEigenSymMatchesFull(t *testing.T) {
	tests := []struct {
		name    string
		n, d, k int
		sd      float64
		mustRun bool
	}{
		{"clusters sd 0.3, k=2", 2000, 96, 2, 0.3, true},
		{"clusters sd 0.7, k=5", 3000, 128, 5, 0.7, true},
		{"clusters sd 0.5, k=10", 2000, 128, 10, 0.5, true},
		{"nearly flat spectrum, k=3", 2000, 64, 3, 8, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			x := mixture(rand.New(rand.NewPCG(7, uint64(tc.d))), tc.n, tc.d, tc.sd)
			c := covariance(x)
			vals, vecs, ok := topEigenSym(c, tc.d, tc.k)
			if !ok {
				if tc.mustRun {
					t.Fatal("the iteration did not converge")
				}
				return
			}
			var eig mat.EigenSym
			if !eig.Factorize(mat.NewSymDense(tc.d, c), true) {
				t.Fatal("gonum's EigenSym failed")
			}
			want := eig.Values(nil)
			var wantVecs mat.Dense
			eig.VectorsTo(&wantVecs)
			for i := 0; i < tc.k; i++ {
				src := tc.d - 1 - i
				if !closeTo(vals[i], want[src], 1e-10) {
					t.Errorf("eigenvalue %d = %v, full decomposition %v", i, vals[i], want[src])
				}
				cos := 0.0
				for j := range tc.d {
					cos += vecs[i][j] * wantVecs.At(j, src)
				}
				if math.Abs(math.Abs(cos)-1) > 1e-10 {
					t.Errorf("eigenvector %d: |cos| with the full decomposition's = %v, want 1", i, math.Abs(cos))
				}
			}
		})
	}
}
