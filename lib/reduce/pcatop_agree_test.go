package reduce

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/internal/vec"
)

// withSpectrum returns n points of d dimensions whose sample covariance
// (ddof 1) has exactly the eigenvalues spectrum (before rounding to float32),
// along random orthonormal directions: the centred rows are orthonormal
// columns scaled by √((n−1)·λ) and rotated by a random orthogonal matrix.
func withSpectrum(rng *rand.Rand, n int, spectrum []float64) [][]float32 {
	d := len(spectrum)
	gauss := func(count, length int) [][]float64 {
		vs := make([][]float64, count)
		for i := range vs {
			vs[i] = make([]float64, length)
			for j := range vs[i] {
				vs[i][j] = rng.NormFloat64()
			}
		}
		return vs
	}
	columns := gauss(d, n) // d columns of n values, centred, then orthonormal.
	for _, c := range columns {
		mean := 0.0
		for _, v := range c {
			mean += v / float64(n)
		}
		for i := range c {
			c[i] -= mean
		}
	}
	rotation := gauss(d, d) // Its rows become orthonormal directions.
	if !orthonormalize(columns) || !orthonormalize(rotation) {
		panic("withSpectrum: dependent random vectors")
	}
	x := make([][]float32, n)
	for i := range x {
		x[i] = make([]float32, d)
		for j := range d {
			s := 0.0
			for l, lambda := range spectrum {
				s += columns[l][i] * math.Sqrt(float64(n-1)*lambda) * rotation[l][j]
			}
			x[i][j] = float32(s)
		}
	}
	return x
}

// geometricSpectrum is d eigenvalues: the top ones given, then a tail
// falling geometrically from tailStart by ratio per dimension.
func geometricSpectrum(d int, top []float64, tailStart, ratio float64) []float64 {
	s := append([]float64(nil), top...)
	for v := tailStart; len(s) < d; v *= ratio {
		s = append(s, v)
	}
	return s
}

// withZeros is d eigenvalues: top, then zeros.
func withZeros(d int, top ...float64) []float64 {
	s := make([]float64, d)
	copy(s, top)
	return s
}

// nearlyEqual is count eigenvalues from top down, each rel below the last.
func nearlyEqual(count int, top, rel float64) []float64 {
	s := make([]float64, count)
	for i := range s {
		s[i] = top * (1 - rel*float64(i))
	}
	return s
}

// TestPCATopComponentsMatchFull fits PCA with the top-components solver and
// with the full eigen-decomposition on seeded data, one with a clear spectrum
// and ones whose leading variances nearly coincide, and checks that the
// subspace iteration ran (it converged on the covariance), that each
// component agrees with the full decomposition's up to sign, that the
// explained variances agree to 1e-6 relative, and that the projections have
// the same shape and agree.
//
// withSpectrum gives the sample covariance its eigenvalues exactly whatever n
// (n > d), so with -short (the race detector's run, which slows every loop
// here ~20×) each case has 600 points instead of 3000–5000: the same
// spectra, and still three blocks of gemm.BlockK (256) rows, the last
// ragged, through the covariance's parallel tiles.
func TestPCATopComponentsMatchFull(t *testing.T) {
	tests := []struct {
		name     string
		n        int
		spectrum []float64
		k        int
	}{
		{"clear spectrum, k=2", 3000, geometricSpectrum(256, []float64{20, 12}, 2, 0.97), 2},
		{"clear spectrum, k=16", 3000, geometricSpectrum(256, nil, 30, 0.85), 16},
		{"mixture-like, k=16", 5000, geometricSpectrum(256, nearlyEqual(19, 5, 0.03), 0.5, 0.999), 16},
		{"near-degenerate 1e-3, k=8", 3000, geometricSpectrum(256, nearlyEqual(8, 10, 1e-3), 1, 0.95), 8},
		{"near-degenerate 1e-5, k=8", 3000, geometricSpectrum(256, nearlyEqual(8, 10, 1e-5), 1, 0.95), 8},
		// Rank-deficient: 10 or 3 non-zero variances of 256 (the rest only
		// float32 rounding), fewer than the iterated vectors.
		{"rank 10 of 256, k=4", 3000, withZeros(256, 50, 40, 30, 20, 10, 8, 6, 4, 2, 1), 4},
		{"rank 3 of 256, k=2", 3000, withZeros(256, 9, 3, 1), 2},
	}
	for _, tc := range tests {
		if testing.Short() {
			tc.n = 600
		}
		t.Run(tc.name, func(t *testing.T) {
			x := withSpectrum(rand.New(rand.NewPCG(19, uint64(tc.k))), tc.n, tc.spectrum)
			d := len(tc.spectrum)
			if !useSubspace(d, tc.k) {
				t.Fatalf("useSubspace(%d, %d) is false: the case does not test the iteration", d, tc.k)
			}
			if _, _, ok := topEigenSym(covariance(x), d, tc.k); !ok {
				t.Fatal("the iteration did not converge: PCA would fall back, the case tests nothing")
			}
			o := PCAOptions{Components: tc.k}
			top, err := pcaRows(x, o, eigenAuto)
			if err != nil {
				t.Fatal(err)
			}
			full, err := pcaRows(x, o, eigenFull)
			if err != nil {
				t.Fatal(err)
			}
			topVar, fullVar := top.ExplainedVariance(), full.ExplainedVariance()
			topComps, fullComps := top.Components(), full.Components()
			for i := range tc.k {
				if math.Abs(topVar[i]-fullVar[i]) > 1e-6*fullVar[i] {
					t.Errorf("component %d: explained variance %v, full decomposition %v", i, topVar[i], fullVar[i])
				}
				if cos := math.Abs(vec.DotFour(topComps[i], fullComps[i])); cos < 1-1e-9 {
					t.Errorf("component %d: |cos| with the full decomposition's = %v, want 1", i, cos)
				}
			}
			topY, fullY := top.MustTransform(x), full.MustTransform(x)
			if len(topY) != len(fullY) || len(topY[0]) != tc.k || len(fullY[0]) != tc.k {
				t.Fatalf("projections %d×%d and %d×%d, want both %d×%d",
					len(topY), len(topY[0]), len(fullY), len(fullY[0]), len(x), tc.k)
			}
			for i := range topY {
				for c := range tc.k { // Same sign convention: the same coordinates.
					if math.Abs(topY[i][c]-fullY[i][c]) > 1e-6*math.Sqrt(fullVar[c]) {
						t.Fatalf("point %d coordinate %d: %v, full decomposition %v", i, c, topY[i][c], fullY[i][c])
					}
				}
			}
			again, err := PCA(x, o)
			if err != nil {
				t.Fatal(err)
			}
			sameLayout(t, topY, again.MustTransform(x))
		})
	}
}
