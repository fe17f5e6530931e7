package gemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestMultiplyTransposed checks A·Aᵀ from one triangle against Multiply's full
// product (bit-identical, float32 and float64, every kernel and worker count)
// and, in float64, against a plain-loop reference to 1e-12 relative.
func TestMultiplyTransposed(t *testing.T) {
	cases := []struct {
		m, k  int
		trans bool // a stored k×m (a column per row of a): PCA's Xcᵀ.
	}{
		{m: 1, k: 9},
		{m: 4, k: 33}, // A few rows: Multiply's gemmDot path.
		{m: 5, k: 7},
		{m: 7, k: 1},
		{m: 13, k: 0}, // Empty contraction: zeros.
		{m: 25, k: 300},
		{m: 64, k: 257, trans: true},
		{m: 67, k: 600},
		{m: 128, k: 5000, trans: true}, // PCA's covariance at benchreduce's size.
		{m: 130, k: 513},
		{m: 300, k: 70, trans: true}, // Bands wider than four tiles.
	}
	r := rand.New(rand.NewPCG(7, 8))
	for _, c := range cases {
		t.Run(fmt.Sprintf("m%d_k%d_t%v", c.m, c.k, c.trans), func(t *testing.T) {
			_, a32 := gemmLayout(r, 1, c.m, c.k, c.trans, false)
			at32 := Operand[float32]{Data: a32.Data, RowStride: a32.ColStride, ColStride: a32.RowStride}
			for _, kern := range float32Kernels() {
				want := make([]float32, c.m*c.m)
				gemmWith(kern, 1, c.m, c.m, c.k, a32, at32, want, 1)
				for _, workers := range []int{1, 2, 3} {
					got := make([]float32, c.m*c.m)
					for i := range got {
						got[i] = float32(math.NaN()) // Must be overwritten.
					}
					syrkWith(kern, c.m, c.k, a32, got, workers)
					if !slices.Equal(got, want) {
						t.Fatalf("float32 kernel %s, workers=%d: differs from the full product", kern.name, workers)
					}
				}
			}
			a64 := toFloat64Operand(a32)
			at64 := Operand[float64]{Data: a64.Data, RowStride: a64.ColStride, ColStride: a64.RowStride}
			ref := naiveGemm(1, c.m, c.m, c.k, a32, at32)
			scale := 0.0 // The largest |A·Aᵀ| entry: the diagonal's.
			for _, v := range ref {
				scale = max(scale, math.Abs(v))
			}
			for _, kern := range float64Kernels() {
				want := make([]float64, c.m*c.m)
				gemmWith(kern, 1, c.m, c.m, c.k, a64, at64, want, 1)
				for _, workers := range []int{1, 2, 3} {
					got := make([]float64, c.m*c.m)
					for i := range got {
						got[i] = math.NaN()
					}
					syrkWith(kern, c.m, c.k, a64, got, workers)
					if !slices.Equal(got, want) {
						t.Fatalf("float64 kernel %s, workers=%d: differs from the full product", kern.name, workers)
					}
					for i, w := range ref {
						if d := math.Abs(got[i] - w); !(d <= 1e-12*scale) {
							t.Fatalf("float64 kernel %s, workers=%d: out[%d] = %g, want %g (|diff| %g > 1e-12·%g)", kern.name, workers, i, got[i], w, d, scale)
						}
					}
				}
			}
		})
	}
}

// TestMultiplyTransposedBlocks checks A·Aᵀ from blocks of A handed over one
// at a time against MultiplyTransposed on the whole of A: bit for bit, float64,
// every kernel and worker count, the block buffer reused and overwritten with
// NaN after each call (so a block read late would show), out filled with NaN
// before (so any entry not written would show). It also checks the blocks
// asked for: consecutive, BlockK wide, covering [0, k) once.
func TestMultiplyTransposedBlocks(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for _, c := range []struct{ m, k int }{
		{m: 3, k: 600}, // A few rows: gathered whole.
		{m: 5, k: 7},
		{m: 13, k: 0},
		{m: 64, k: 256}, // Exactly one block.
		{m: 64, k: 257},
		{m: 128, k: 5000}, // PCA's covariance at benchreduce's size.
		{m: 130, k: 1024},
		{m: 300, k: 70},
	} {
		t.Run(fmt.Sprintf("m%d_k%d", c.m, c.k), func(t *testing.T) {
			at := make([]float64, c.k*c.m) // Aᵀ, k rows of m.
			for i := range at {
				at[i] = r.NormFloat64() + 3
			}
			a := Operand[float64]{Data: at, RowStride: 1, ColStride: c.m}
			for _, kern := range float64Kernels() {
				for _, workers := range []int{1, 2, 3} {
					want := make([]float64, c.m*c.m)
					syrkWith(kern, c.m, c.k, a, want, workers)
					got := make([]float64, c.m*c.m)
					for i := range got {
						got[i] = math.NaN()
					}
					buf := make([]float64, BlockK*c.m)
					next := 0
					syrkBlocksWith(kern, c.m, c.k, func(k0, kb int) []float64 {
						if k0 != next || kb != min(BlockK, c.k-k0) || kb <= 0 {
							t.Fatalf("block (%d, %d) asked for, want (%d, %d)", k0, kb, next, min(BlockK, c.k-k0))
						}
						next = k0 + kb
						for i := range buf {
							buf[i] = math.NaN()
						}
						copy(buf, at[k0*c.m:(k0+kb)*c.m])
						return buf[:kb*c.m]
					}, got, workers)
					if next != c.k {
						t.Fatalf("blocks covered [0, %d), want [0, %d)", next, c.k)
					}
					for i := range got {
						if math.Float64bits(got[i]) != math.Float64bits(want[i]) {
							t.Fatalf("kernel %s, workers=%d: out[%d] = %v, MultiplyTransposed %v", kern.name, workers, i, got[i], want[i])
						}
					}
				}
			}
		})
	}
}

// BenchmarkMultiplyTransposed compares A·Aᵀ from one triangle with the full
// product, float64, at PCA's covariance shapes (Xcᵀ·Xc of 5000 points).
func BenchmarkMultiplyTransposed(b *testing.B) {
	r := rand.New(rand.NewPCG(9, 10))
	for _, m := range []int{128, 512} {
		_, a32 := gemmLayout(r, 1, m, 5000, true, false)
		a := toFloat64Operand(a32)
		at := Operand[float64]{Data: a.Data, RowStride: a.ColStride, ColStride: a.RowStride}
		out := make([]float64, m*m)
		b.Run(fmt.Sprintf("m%d_k5000/full", m), func(b *testing.B) {
			for b.Loop() {
				Multiply(1, m, m, 5000, a, at, out, 0)
			}
		})
		b.Run(fmt.Sprintf("m%d_k5000/triangle", m), func(b *testing.B) {
			for b.Loop() {
				MultiplyTransposed(m, 5000, a, out, 0)
			}
		})
	}
}
