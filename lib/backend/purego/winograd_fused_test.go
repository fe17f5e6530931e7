package purego

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/internal/gemm"
)

// TestFusedRowsKernels: rowsKernelFor picks the fused kernels for F(4×4,
// 3×3)'s Bᵀ, Aᵀ and A, and each gives, in float32 and float64, the bits of
// combineInto row by row on random values mixed with ±0, ±Inf, NaN,
// subnormals and values near overflow; other matrices get combineInto.
func TestFusedRowsKernels(t *testing.T) {
	testFusedRowsKernels[float32](t)
	testFusedRowsKernels[float64](t)
}

func testFusedRowsKernels[T gemm.Float](t *testing.T) {
	rng := rand.New(rand.NewPCG(45, 46))
	specials := []float64{0, math.Copysign(0, -1), math.Inf(1), math.Inf(-1), math.NaN(), 1e-40, -3e-39, 5e-320, 3e38, -1.7e308}
	matrices := []struct {
		name  string
		rows  [][]float64
		fused bool
	}{
		{"Bt", winogradF4.bt, true},
		{"At", winogradF4.at, true},
		{"A", transposeRows(winogradF4.at), true},
		{"F2 Bt", winogradF2.bt, false},
	}
	for _, mat := range matrices {
		coeffs := coefficients[T](mat.rows)
		kernel := fusedRowsKernel(coeffs)
		if (kernel != nil) != mat.fused {
			t.Errorf("%s: has a fused kernel: %v, want %v", mat.name, kernel != nil, mat.fused)
		}
		if kernel == nil {
			kernel = rowsKernelFor(coeffs)
		}
		const n = 257
		terms := make([][]T, len(mat.rows[0]))
		for k := range terms {
			terms[k] = make([]T, n)
			for i := range terms[k] {
				if rng.IntN(4) == 0 {
					terms[k][i] = T(specials[rng.IntN(len(specials))])
				} else {
					terms[k][i] = T(rng.NormFloat64() * math.Pow(10, float64(rng.IntN(9)-4)))
				}
			}
		}
		got, want := make([][]T, len(mat.rows)), make([][]T, len(mat.rows))
		for r := range got {
			got[r], want[r] = make([]T, n), make([]T, n)
			combineInto(want[r], coeffs[r], terms)
		}
		kernel(got, terms)
		for r := range got {
			for i := range got[r] {
				if math.Float64bits(float64(got[r][i])) != math.Float64bits(float64(want[r][i])) {
					t.Fatalf("%s %T row %d element %d: %v, want %v (terms %v)", mat.name, got[r][i], r, i, got[r][i], want[r][i], func() []T {
						var c []T
						for _, term := range terms {
							c = append(c, term[i])
						}
						return c
					}())
				}
			}
		}
	}
}
