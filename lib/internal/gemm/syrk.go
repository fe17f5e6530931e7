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
	a.BatchStride = 0
	if m <= gemmDotMaxRows || k <= 0 {
		// A few rows: nothing to save, and Multiply's paths sum the same way.
		at := Operand[T]{Data: a.Data, RowStride: a.ColStride, ColStride: a.RowStride}
		gemmWith(kern, 1, m, m, k, a, at, out, maxWorkers)
		return
	}
	syrkPart(kern, m, k, a, out, maxWorkers, false)
	mirrorUpper(m, out)
}

// MultiplyTransposedBlocks computes out = A·Aᵀ exactly as [MultiplyTransposed]
// does, bit for bit, for an m×k matrix A that is never held whole: block(k0,
// kb) returns columns [k0, k0+kb) of A as kb rows of m values (rows of Aᵀ,
// row-major, len kb·m), and is called in order for k0 = 0, BlockK,
// 2·BlockK, … on the calling goroutine; the slice it returns is read before
// the next call, so it may be the same buffer every time. The product of each
// block is accumulated from zero and added to out, which is how
// MultiplyTransposed sums its contraction blocks of BlockK anyway. So a
// caller that produces A on the fly (PCA centres its float32 rows) needs a
// buffer of BlockK·m values instead of a copy of all k·m: touching fresh
// memory costs page faults, about 2.5 ms per MiB on the development VM, more
// than the product itself at PCA's shapes.
func MultiplyTransposedBlocks[T Float](m, k int, block func(k0, kb int) []T, out []T, maxWorkers int) {
	syrkBlocksWith(kernelFor[T](), m, k, block, out, maxWorkers)
}

// BlockK is the contraction block (see the file comment of gemm.go): every
// output element is the sum, in increasing block order, of partial sums over
// BlockK consecutive k, each accumulated from zero.
const BlockK = gemmKC

// syrkBlocksWith is MultiplyTransposedBlocks with the given micro-kernel.
func syrkBlocksWith[T Float](kern gemmMicroKernel[T], m, k int, block func(k0, kb int) []T, out []T, maxWorkers int) {
	if m <= 0 {
		return
	}
	if m <= gemmDotMaxRows || k <= 0 {
		// MultiplyTransposed takes Multiply's dot-product path here, which
		// sums over all of k at once: gather A whole (at most 4 rows).
		at := make([]T, k*m)
		for k0 := 0; k0 < k; k0 += gemmKC {
			kb := min(gemmKC, k-k0)
			copy(at[k0*m:(k0+kb)*m], block(k0, kb)[:kb*m])
		}
		syrkWith(kern, m, k, Operand[T]{Data: at, RowStride: 1, ColStride: m}, out, maxWorkers)
		return
	}
	for k0 := 0; k0 < k; k0 += gemmKC {
		kb := min(gemmKC, k-k0)
		a := Operand[T]{Data: block(k0, kb)[:kb*m], RowStride: 1, ColStride: m}
		syrkPart(kern, m, kb, a, out, maxWorkers, k0 > 0)
	}
	mirrorUpper(m, out)
}

// mirrorUpper copies the upper triangle of the m×m row-major out to the lower.
func mirrorUpper[T Float](m int, out []T) {
	for i := 1; i < m; i++ {
		row := out[i*m : i*m+i]
		for j := range row {
			row[j] = out[j*m+i]
		}
	}
}

// syrkPart computes the tiles of A·Aᵀ on and above the diagonal into out
// (stored, or added to what is there when add), leaving the tiles wholly
// below it to mirrorUpper; m > gemmDotMaxRows and k > 0.
func syrkPart[T Float](kern gemmMicroKernel[T], m, k int, a Operand[T], out []T, maxWorkers int, add bool) {
	out = out[:m*m]
	a.BatchStride = 0
	at := Operand[T]{Data: a.Data, RowStride: a.ColStride, ColStride: a.RowStride}
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
		return gemmTask{i0: bounds[t], i1: bounds[t+1], j0: bounds[t], j1: m, upper: true, add: add}
	}
	runRectangles(&kern, numTasks, workers, task, m, m, k, &a, &at, out)
}
