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
			if !useSubspace(tc.d, tc.k) {
				t.Fatalf("useSubspace(%d, %d) is false: the case does not test the iteration", tc.d, tc.k)
			}
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

// TestPCATopComponentsMatchSVD checks PCA through the subspace path against
// gonum's SVD of the centred data.
func TestPCATopComponentsMatchSVD(t *testing.T) {
	x := mixture(rand.New(rand.NewPCG(3, 4)), 1500, 128, 0.5)
	n, d, k := len(x), len(x[0]), 4
	p := MustPCA(x, PCAOptions{Components: k})
	xc := mat.NewDense(n, d, nil)
	mean := p.Mean()
	for i := range x {
		for j := range x[i] {
			xc.Set(i, j, float64(x[i][j])-mean[j])
		}
	}
	var svd mat.SVD
	if !svd.Factorize(xc, mat.SVDThin) {
		t.Fatal("SVD failed")
	}
	s := svd.Values(nil)
	var v mat.Dense
	svd.VTo(&v)
	for c := 0; c < k; c++ {
		if want := s[c] * s[c] / float64(n-1); !closeTo(p.ExplainedVariance()[c], want, 1e-9) {
			t.Errorf("component %d: variance %v, SVD %v", c, p.ExplainedVariance()[c], want)
		}
		cos := 0.0
		for j := 0; j < d; j++ {
			cos += p.Components()[c][j] * v.At(j, c)
		}
		if math.Abs(math.Abs(cos)-1) > 1e-9 {
			t.Errorf("component %d: |cos| with SVD's vector %v, want 1", c, math.Abs(cos))
		}
	}
}
