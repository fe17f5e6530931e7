package gemm

import (
	"math"
	"runtime"
)

// MultiplyTransposed computes the symmetric m×m product out = A·Aᵀ of the m×k
// matrix a (a's BatchStride is ignored: one matrix), as BLAS's syrk does: only
// the blocks on and above the diagonal are multiplied, by the same packing,
// blocking and micro-kernels as [Multiply], and the lower triangle is copied
// from the upper one. out (len ≥ m·m) is overwritten, row-major.
//
// Every element is summed exactly as Multiply sums it for lhs = a,
// rhs = aᵀ, and each product a(i,p)·a(j,p) is the same as a(j,p)·a(i,p), so
// the result is bit-identical to Multiply's full product, for any number of
// goroutines (up to maxWorkers; GOMAXPROCS when ≤ 0).
func MultiplyTransposed[T Float](m, k int, a Operand[T], out []T, maxWorkers int) {
	syrkWith(kernelFor[T](), m, k, a, out, maxWorkers)
}

// syrkWith is MultiplyTransposed with the given micro-kernel.
func syrkWith[T Float](kern gemmMicroKernel[T], m, k int, a Operand[T], out []T, maxWorkers int) {
	if m <= 0 {
		return
	}
	out = out[:m*m]
	a.BatchStride = 0
	at := Operand[T]{Data: a.Data, RowStride: a.ColStride, ColStride: a.RowStride}
	if m <= gemmDotMaxRows || k <= 0 {
		// A few rows: nothing to save, and Multiply's paths sum the same way.
		gemmWith(kern, 1, m, m, k, a, at, out, maxWorkers)
		return
	}
	workers := maxWorkers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if m*m*k/2 < gemmMinParallelWork {
		workers = 1
	}
	// Tasks: bands of rows [i0, i1), each multiplied by the columns [i0, m),
	// skipping the micro-kernel tiles below the diagonal (gemmTask.upper).
	// Every task packs all its columns of aᵀ, so there are as few as there are
	// goroutines, cut where they hold equal shares of the triangle: the rows
	// above r hold the share 1 − (1 − r/m)², so the t-th of T cuts lies at
	// r = m·(1 − √(1 − t/T)), rounded to whole micro-kernel tiles. The widest
	// band comes first.
	bounds := []int{0}
	for t := 1; t < workers; t++ {
		r := roundUp(int(float64(m)*(1-math.Sqrt(1-float64(t)/float64(workers)))), kern.mr)
		if r > bounds[len(bounds)-1] && r < m {
			bounds = append(bounds, r)
		}
	}
	bounds = append(bounds, m)
	numTasks := len(bounds) - 1
	task := func(t int) gemmTask {
		return gemmTask{i0: bounds[t], i1: bounds[t+1], j0: bounds[t], j1: m, upper: true}
	}
	runRectangles(&kern, numTasks, workers, task, m, m, k, &a, &at, out)
	// Mirror: the lower triangle from the upper one.
	for i := 1; i < m; i++ {
		row := out[i*m : i*m+i]
		for j := range row {
			row[j] = out[j*m+i]
		}
	}
}
