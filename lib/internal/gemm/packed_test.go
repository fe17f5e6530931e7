package gemm

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestMultiplyRowsPackedMatchesMultiply: products of scattered rows with a
// packed rhs give Multiply's bits, for every micro-kernel this CPU runs, for
// row counts below and above gemmDotMaxRows and gemmMC, n across gemmNC and
// k across gemmKC.
func TestMultiplyRowsPackedMatchesMultiply(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for _, c := range []gemmCase{
		{batch: 1, m: 200, n: 100, k: 1536, transB: true}, // k-means: points by centroids.
		{batch: 1, m: 3, n: 100, k: 300, transB: true},    // gemmDot.
		{batch: 1, m: 5, n: 33, k: 257},
		{batch: 1, m: 97, n: 530, k: 40, transB: true},
		{batch: 1, m: 13, n: 7, k: 1},
	} {
		flat, a := gemmLayout(r, 1, c.m, c.k, false, false)
		_, b := gemmLayout(r, 1, c.k, c.n, c.transB, false)
		rows := make([][]float32, c.m) // Each row in its own array.
		for i := range rows {
			rows[i] = append([]float32(nil), flat[i*c.k:(i+1)*c.k]...)
		}
		saved := gemmKernelFloat32
		for _, kern := range float32Kernels() {
			gemmKernelFloat32 = kern
			want := make([]float32, c.m*c.n)
			Multiply(1, c.m, c.n, c.k, a, b, want, 1)
			got := make([]float32, c.m*c.n)
			MultiplyRowsPacked(got, rows, PackRHS(c.k, c.n, b))
			for i := range want {
				if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
					gemmKernelFloat32 = saved
					t.Fatalf("%+v, kernel %s: element %d is %v, Multiply gives %v", c, kern.name, i, got[i], want[i])
				}
			}
		}
		gemmKernelFloat32 = saved
	}
}
