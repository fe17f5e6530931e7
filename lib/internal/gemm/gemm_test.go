package gemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// gemmCase is a batched product with its operands laid out in memory as
// [batch, rows, cols] or transposed [batch, cols, rows] (transA/transB), or
// with the batch axis last (batchLast), so that every stride pattern the
// DotGeneral executor produces is exercised.
type gemmCase struct {
	batch, m, n, k          int
	transA, transB, batchAt bool
}

// operand lays out rows×cols matrices (batch of them) per the flags and
// returns the flat data and the Operand view that reads it as [batch, rows, cols].
func gemmLayout(r *rand.Rand, batch, rows, cols int, trans, batchLast bool) ([]float32, Operand[float32]) {
	data := make([]float32, batch*rows*cols)
	for i := range data {
		data[i] = float32(r.NormFloat64())
	}
	op := Operand[float32]{Data: data}
	// Memory order of the three axes: batch, then rows/cols (or cols/rows), or batch last.
	inner := [2]int{rows, cols}
	if trans {
		inner = [2]int{cols, rows}
	}
	var sBatch, sOuter, sInner int
	if batchLast {
		sBatch, sOuter, sInner = 1, inner[1]*batch, batch
	} else {
		sBatch, sOuter, sInner = rows*cols, inner[1], 1
	}
	op.BatchStride = sBatch
	if trans {
		op.RowStride, op.ColStride = sInner, sOuter
	} else {
		op.RowStride, op.ColStride = sOuter, sInner
	}
	return data, op
}

// naiveGemm is the float64 reference: out[b,i,j] = Σ_k A(b,i,k)·B(b,k,j).
func naiveGemm(batch, m, n, k int, a, b Operand[float32]) []float64 {
	out := make([]float64, batch*m*n)
	for bb := range batch {
		for i := range m {
			for j := range n {
				var s float64
				for kk := range k {
					s += float64(a.at(bb, i, kk)) * float64(b.at(bb, kk, j))
				}
				out[(bb*m+i)*n+j] = s
			}
		}
	}
	return out
}

func TestGemmFloat32AgainstFloat64Reference(t *testing.T) {
	cases := []gemmCase{
		{batch: 1, m: 1, n: 1, k: 1},
		{batch: 1, m: 1, n: 37, k: 5},
		{batch: 1, m: 29, n: 1, k: 7},
		{batch: 1, m: 4, n: 4, k: 4},
		{batch: 1, m: 5, n: 7, k: 3},
		{batch: 1, m: 64, n: 256, k: 1280},
		{batch: 1, m: 67, n: 517, k: 300},              // Crosses every block size, with ragged edges.
		{batch: 1, m: 9, n: 16, k: 5000},               // Long contraction, tiny output (kernel gradients).
		{batch: 1, m: 130, n: 3, k: 600, transA: true}, // Transposed lhs.
		{batch: 1, m: 33, n: 65, k: 257, transB: true},
		{batch: 1, m: 70, n: 20, k: 64, transA: true, transB: true},
		{batch: 3, m: 17, n: 23, k: 31},
		{batch: 5, m: 8, n: 9, k: 10, transA: true, batchAt: true},
		{batch: 4, m: 65, n: 6, k: 270, transB: true, batchAt: true},
		{batch: 2, m: 1, n: 1, k: 1000},
		{batch: 7, m: 3, n: 2, k: 0}, // Empty contraction: zeros.
		// A few rows against a transposed rhs: gemmDot's dot products.
		{batch: 1, m: 1, n: 300, k: 129, transB: true},
		{batch: 2, m: 4, n: 70, k: 7, transB: true},
		{batch: 3, m: 2, n: 5, k: 3, transB: true, batchAt: true},
	}
	r := rand.New(rand.NewPCG(1, 2))
	for _, c := range cases {
		name := fmt.Sprintf("b%d_m%d_n%d_k%d_tA%v_tB%v_bl%v", c.batch, c.m, c.n, c.k, c.transA, c.transB, c.batchAt)
		t.Run(name, func(t *testing.T) {
			_, a := gemmLayout(r, c.batch, c.m, c.k, c.transA, c.batchAt)
			_, b := gemmLayout(r, c.batch, c.k, c.n, c.transB, c.batchAt)
			want := naiveGemm(c.batch, c.m, c.n, c.k, a, b)
			dotCalls := gemmDotCalls.Load()
			defer func() {
				wantDot := c.k > 0 && c.m <= gemmDotMaxRows && a.ColStride == 1 && b.RowStride == 1
				if got := gemmDotCalls.Load() > dotCalls; got != wantDot {
					t.Errorf("went to gemmDot: %v, want %v", got, wantDot)
				}
			}()
			for _, kern := range float32Kernels() {
				for _, workers := range []int{1, 2, 3} {
					got := make([]float32, c.batch*c.m*c.n)
					for i := range got {
						got[i] = float32(math.NaN()) // Must be overwritten.
					}
					gemmWith(kern, c.batch, c.m, c.n, c.k, a, b, got, workers)
					// float32 accumulation of k terms of unit variance: error ≲ k·2⁻²⁴·Σ|aᵢbᵢ|.
					for i, w := range want {
						tol := 1e-5 * float64(c.k+1) * math.Max(1, math.Sqrt(float64(c.k)))
						if d := math.Abs(float64(got[i]) - w); !(d <= tol) {
							t.Fatalf("kernel %s, workers=%d: out[%d] = %g, want %g (|diff| %g > %g)", kern.name, workers, i, got[i], w, d, tol)
						}
					}
				}
			}
			// float64, every kernel, against the same reference.
			a64, b64 := toFloat64Operand(a), toFloat64Operand(b)
			for _, kern := range float64Kernels() {
				for _, workers := range []int{1, 2, 3} {
					got := make([]float64, c.batch*c.m*c.n)
					for i := range got {
						got[i] = math.NaN()
					}
					gemmWith(kern, c.batch, c.m, c.n, c.k, a64, b64, got, workers)
					for i, w := range want {
						if d := math.Abs(got[i] - w); !(d <= 1e-12*float64(c.k+1)) {
							t.Fatalf("float64 kernel %s, workers=%d: out[%d] = %g, want %g", kern.name, workers, i, got[i], w)
						}
					}
				}
			}
		})
	}
}

// TestGemmDeterministic checks that the result, float32 and float64, is
// bit-identical across runs and for any number of goroutines.
func TestGemmDeterministic(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, c := range []gemmCase{
		{batch: 1, m: 200, n: 300, k: 700},
		{batch: 1, m: 9, n: 16, k: 9000, transA: true},
		{batch: 6, m: 50, n: 70, k: 90, transB: true},
		{batch: 1, m: 3, n: 5000, k: 130, transB: true}, // gemmDot.
	} {
		_, a := gemmLayout(r, c.batch, c.m, c.k, c.transA, c.batchAt)
		_, b := gemmLayout(r, c.batch, c.k, c.n, c.transB, c.batchAt)
		for _, kern := range float32Kernels() {
			var first []float32
			for run, workers := range []int{1, 2, 2, 3, 4, 8, 0} {
				got := make([]float32, c.batch*c.m*c.n)
				gemmWith(kern, c.batch, c.m, c.n, c.k, a, b, got, workers)
				if run == 0 {
					first = got
					continue
				}
				if !slices.Equal(got, first) {
					t.Fatalf("%+v, kernel %s: workers=%d gives a result different from workers=1", c, kern.name, workers)
				}
			}
		}
		a64, b64 := toFloat64Operand(a), toFloat64Operand(b)
		for _, kern := range float64Kernels() {
			var first []float64
			for run, workers := range []int{1, 2, 3, 8, 0} {
				got := make([]float64, c.batch*c.m*c.n)
				gemmWith(kern, c.batch, c.m, c.n, c.k, a64, b64, got, workers)
				if run == 0 {
					first = got
					continue
				}
				if !slices.Equal(got, first) {
					t.Fatalf("%+v, float64 kernel %s: workers=%d gives a result different from workers=1", c, kern.name, workers)
				}
			}
		}
	}
}

// float32Kernels are the micro-kernels to test: the portable one and the
// assembly ones this CPU runs.
func float32Kernels() []gemmMicroKernel[float32] {
	return append([]gemmMicroKernel[float32]{goKernel[float32]()}, asmFloat32Kernels()...)
}

// float64Kernels are float32Kernels' float64 counterparts.
func float64Kernels() []gemmMicroKernel[float64] {
	return append([]gemmMicroKernel[float64]{goKernel[float64]()}, asmFloat64Kernels()...)
}

// toFloat64Operand converts a float32 operand, keeping its layout.
func toFloat64Operand(o Operand[float32]) Operand[float64] {
	data := make([]float64, len(o.Data))
	for i, v := range o.Data {
		data[i] = float64(v)
	}
	return Operand[float64]{Data: data, BatchStride: o.BatchStride, RowStride: o.RowStride, ColStride: o.ColStride}
}

func BenchmarkGemmFloat32(b *testing.B) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, c := range []gemmCase{
		{batch: 1, m: 64, n: 256, k: 1280},
		{batch: 1, m: 1280, n: 256, k: 64, transA: true},
		{batch: 1, m: 4096, n: 64, k: 288},
		{batch: 1, m: 512, n: 512, k: 512},
		{batch: 1, m: 512, n: 100, k: 1536, transB: true}, // k-means: a block of points by 100 centroids.
	} {
		_, x := gemmLayout(r, c.batch, c.m, c.k, c.transA, false)
		_, y := gemmLayout(r, c.batch, c.k, c.n, c.transB, false)
		out := make([]float32, c.batch*c.m*c.n)
		for _, kern := range float32Kernels() {
			b.Run(fmt.Sprintf("%s_m%d_n%d_k%d_tA%v", kern.name, c.m, c.n, c.k, c.transA), func(b *testing.B) {
				for b.Loop() {
					gemmWith(kern, c.batch, c.m, c.n, c.k, x, y, out, 0)
				}
				b.ReportMetric(float64(2*c.batch*c.m*c.n*c.k)*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}

// TestGemmAsmKernelsAgree: the float32 assembly micro-kernels of different
// widths (AVX2 6×16, AVX-512 6×32) accumulate each element in the same order
// with the same FMAs, so they give the same bits, edge tiles included. Skipped
// where the CPU runs fewer than two of them.
func TestGemmAsmKernelsAgree(t *testing.T) {
	kerns := asmFloat32Kernels()
	if len(kerns) < 2 {
		t.Skipf("this CPU runs %d float32 assembly kernel(s)", len(kerns))
	}
	r := rand.New(rand.NewPCG(7, 8))
	for _, c := range []gemmCase{
		{batch: 1, m: 200, n: 100, k: 1536, transB: true}, // k-means' shape: 100 centroids, 4 columns past the last full 32.
		{batch: 1, m: 7, n: 33, k: 300},
		{batch: 2, m: 61, n: 530, k: 257, transA: true},
		{batch: 1, m: 96, n: 16, k: 5},
		{batch: 1, m: 13, n: 48, k: 1},
	} {
		_, a := gemmLayout(r, c.batch, c.m, c.k, c.transA, c.batchAt)
		_, b := gemmLayout(r, c.batch, c.k, c.n, c.transB, c.batchAt)
		want := make([]float32, c.batch*c.m*c.n)
		gemmWith(kerns[0], c.batch, c.m, c.n, c.k, a, b, want, 2)
		for _, kern := range kerns[1:] {
			got := make([]float32, len(want))
			gemmWith(kern, c.batch, c.m, c.n, c.k, a, b, got, 2)
			for i := range want {
				if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
					t.Fatalf("%+v: element %d is %v with %s, %v with %s", c, i, got[i], kern.name, want[i], kerns[0].name)
				}
			}
		}
	}
}
