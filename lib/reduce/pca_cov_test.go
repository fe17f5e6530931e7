package reduce

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/internal/gemm"
	"gonum.org/v1/gonum/mat"
)

// TestPCACovarianceOneTriangle checks the covariance PCA forms from one
// triangle, block by block of rows (centredCovariance), against the full
// product Xcᵀ·Xc of all rows that PCA formed before (bit for bit; the sum of
// squares too, against one pass) and against a direct sum (1e-12 relative), and
// PCA's variances and components against the full decomposition of that full
// product, with scikit-learn's sign convention, to 1e-9. With -short (the race
// detector's run, ~20× slower here) the 5000-row cases have 1300 rows: still
// six blocks of gemm.BlockK rows, the last ragged, over the same parallel tiles.
func TestPCACovarianceOneTriangle(t *testing.T) {
	for _, tc := range []struct {
		n, d, k int
		seed    uint64
	}{
		{n: 5000, d: 128, k: 2, seed: 1},  // benchreduce's shape.
		{n: 5000, d: 128, k: 16, seed: 2}, // The full decomposition at d = 128.
		{n: 700, d: 67, k: 5, seed: 3},    // Ragged against every tile size.
		{n: 300, d: 256, k: 4, seed: 4},   // Subspace iteration.
		{n: 40, d: 7, k: 3, seed: 5},
	} {
		if testing.Short() {
			tc.n = min(tc.n, 1300)
		}
		t.Run(fmt.Sprintf("n%d_d%d_k%d", tc.n, tc.d, tc.k), func(t *testing.T) {
			x := mixture(rand.New(rand.NewPCG(tc.seed, 19)), tc.n, tc.d, 0.7)
			n, d, k := tc.n, tc.d, tc.k
			mean := make([]float64, d)
			for _, r := range x {
				for j, v := range r {
					mean[j] += float64(v)
				}
			}
			xc := make([]float64, n*d)
			for i, r := range x {
				for j, v := range r {
					xc[i*d+j] = float64(v) - mean[j]/float64(n)
				}
			}
			got, sumSq := centredCovariance(n, d, func(i0, i1 int) []float64 { return xc[i0*d : i1*d] })
			wantSq := 0.0
			for _, v := range xc {
				wantSq += v * v
			}
			if sumSq != wantSq {
				t.Errorf("sum of squares %v, in one pass %v", sumSq, wantSq)
			}
			full := make([]float64, d*d)
			gemm.Multiply(1, d, d, n,
				gemm.Operand[float64]{Data: xc, RowStride: 1, ColStride: d},
				gemm.Operand[float64]{Data: xc, RowStride: d, ColStride: 1}, full, 0)
			direct := covariance(x)
			scale := 0.0
			for _, v := range direct {
				scale = max(scale, math.Abs(v))
			}
			for i := range full {
				full[i] /= float64(n - 1)
				if math.Float64bits(got[i]) != math.Float64bits(full[i]) {
					t.Fatalf("C[%d, %d] = %v, the full product %v", i/d, i%d, got[i], full[i])
				}
				if e := math.Abs(got[i] - direct[i]); !(e <= 1e-12*scale) {
					t.Fatalf("C[%d, %d] = %v, direct sum %v (|diff| %g > 1e-12·%g)", i/d, i%d, got[i], direct[i], e, scale)
				}
			}

			// The reference fit: full decomposition of the full product, top k,
			// each sign making the largest-magnitude projection positive.
			var eig mat.EigenSym
			if !eig.Factorize(mat.NewSymDense(d, full), true) {
				t.Fatal("reference eigen-decomposition failed")
			}
			vals := eig.Values(nil)
			var vecs mat.Dense
			eig.VectorsTo(&vecs)
			for _, solver := range []eigenSolver{eigenAuto, eigenFull} {
				p, err := pcaRows(x, PCAOptions{Components: k}, solver)
				if err != nil {
					t.Fatal(err)
				}
				comps, variance := p.Components(), p.ExplainedVariance()
				for c := range k {
					src := d - 1 - c
					if !closeTo(variance[c], vals[src], 1e-9) {
						t.Errorf("solver %d, component %d: variance %v, reference %v", solver, c, variance[c], vals[src])
					}
					want := make([]float64, d)
					for j := range want {
						want[j] = vecs.At(j, src)
					}
					best, bestAbs := 0.0, -1.0
					for i := range n {
						s := 0.0
						for j, w := range want {
							s += xc[i*d+j] * w
						}
						if a := math.Abs(s); a > bestAbs {
							best, bestAbs = s, a
						}
					}
					if best < 0 {
						for j := range want {
							want[j] = -want[j]
						}
					}
					for j, w := range want {
						if math.Abs(comps[c][j]-w) > 1e-9 {
							t.Fatalf("solver %d, component %d[%d] = %v, reference %v", solver, c, j, comps[c][j], w)
						}
					}
				}
			}
		})
	}
}
