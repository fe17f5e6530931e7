package purego

import (
	"github.com/dawnchorus/dawnchorus/lib/internal/gemm"
)

// rowsKernel writes dsts[r] = Σ_k coeffs[r][k]·terms[k] for every row r of a
// transform matrix coeffs fixed when the kernel is made (see rowsKernelFor);
// all slices are as long as dsts[0].
type rowsKernel[T gemm.Float] func(dsts, terms [][]T)

// rowsKernelFor returns the rows kernel of coeffs: for Winograd F(4×4, 3×3)'s
// Bᵀ, Aᵀ and A (the matrices of every transform of the reference CNN's 3×3
// layers) a fused one that computes all rows of one element in registers,
// one pass over the data instead of one per row and term; otherwise
// combineInto row by row. The fused kernels spell out combineInto's
// operations for their matrix — the same terms in the same order, the first
// copied, negated or scaled, the others added, subtracted or added after a
// rounded product (the conversions T(…) forbid fusing a product and a sum) —
// so they give its bits (TestFusedRowsKernels).
func rowsKernelFor[T gemm.Float](coeffs [][]T) rowsKernel[T] {
	if fused := fusedRowsKernel(coeffs); fused != nil {
		return fused
	}
	return func(dsts, terms [][]T) {
		for r, dst := range dsts {
			combineInto(dst, coeffs[r], terms)
		}
	}
}

// fusedRowsKernel returns the fused kernel of coeffs, or nil if it has none.
func fusedRowsKernel[T gemm.Float](coeffs [][]T) rowsKernel[T] {
	switch {
	case sameCoefficients(coeffs, winogradF4.bt):
		return fusedBt4[T]
	case sameCoefficients(coeffs, winogradF4.at):
		return fusedAt4[T]
	case sameCoefficients(coeffs, transposeRows(winogradF4.at)):
		return fusedA4[T]
	}
	return nil
}

// sameCoefficients reports whether coeffs holds exactly the values of rows.
func sameCoefficients[T gemm.Float](coeffs [][]T, rows [][]float64) bool {
	if len(coeffs) != len(rows) {
		return false
	}
	for r, row := range rows {
		if len(coeffs[r]) != len(row) {
			return false
		}
		for k, x := range row {
			if coeffs[r][k] != T(x) {
				return false
			}
		}
	}
	return true
}

// transposeRows returns the transpose of the matrix rows.
func transposeRows(rows [][]float64) [][]float64 {
	out := make([][]float64, len(rows[0]))
	for i := range out {
		out[i] = make([]float64, len(rows))
		for r := range rows {
			out[i][r] = rows[r][i]
		}
	}
	return out
}

// fusedBt4 is rowsKernelFor's kernel for F(4×4, 3×3)'s Bᵀ (6×6).
func fusedBt4[T gemm.Float](dsts, terms [][]T) {
	n := len(dsts[0])
	d0, d1, d2, d3, d4, d5 := terms[0][:n], terms[1][:n], terms[2][:n], terms[3][:n], terms[4][:n], terms[5][:n]
	r0, r1, r2, r3, r4, r5 := dsts[0][:n], dsts[1][:n], dsts[2][:n], dsts[3][:n], dsts[4][:n], dsts[5][:n]
	for i := range n {
		x0, x1, x2, x3, x4, x5 := d0[i], d1[i], d2[i], d3[i], d4[i], d5[i]
		// {4, 0, -5, 0, 1, 0}
		a := T(x0 * 4)
		a += T(x2 * -5)
		a += x4
		r0[i] = a
		// {0, -4, -4, 1, 1, 0}
		a = T(x1 * -4)
		a += T(x2 * -4)
		a += x3
		a += x4
		r1[i] = a
		// {0, 4, -4, -1, 1, 0}
		a = T(x1 * 4)
		a += T(x2 * -4)
		a -= x3
		a += x4
		r2[i] = a
		// {0, -2, -1, 2, 1, 0}
		a = T(x1 * -2)
		a -= x2
		a += T(x3 * 2)
		a += x4
		r3[i] = a
		// {0, 2, -1, -2, 1, 0}
		a = T(x1 * 2)
		a -= x2
		a += T(x3 * -2)
		a += x4
		r4[i] = a
		// {0, 4, 0, -5, 0, 1}
		a = T(x1 * 4)
		a += T(x3 * -5)
		a += x5
		r5[i] = a
	}
}

// fusedAt4 is rowsKernelFor's kernel for F(4×4, 3×3)'s Aᵀ (4×6).
func fusedAt4[T gemm.Float](dsts, terms [][]T) {
	n := len(dsts[0])
	m0, m1, m2, m3, m4, m5 := terms[0][:n], terms[1][:n], terms[2][:n], terms[3][:n], terms[4][:n], terms[5][:n]
	r0, r1, r2, r3 := dsts[0][:n], dsts[1][:n], dsts[2][:n], dsts[3][:n]
	for i := range n {
		x0, x1, x2, x3, x4, x5 := m0[i], m1[i], m2[i], m3[i], m4[i], m5[i]
		// {1, 1, 1, 1, 1, 0}
		a := x0
		a += x1
		a += x2
		a += x3
		a += x4
		r0[i] = a
		// {0, 1, -1, 2, -2, 0}
		a = x1
		a -= x2
		a += T(x3 * 2)
		a += T(x4 * -2)
		r1[i] = a
		// {0, 1, 1, 4, 4, 0}
		a = x1
		a += x2
		a += T(x3 * 4)
		a += T(x4 * 4)
		r2[i] = a
		// {0, 1, -1, 8, -8, 1}
		a = x1
		a -= x2
		a += T(x3 * 8)
		a += T(x4 * -8)
		a += x5
		r3[i] = a
	}
}

// fusedA4 is rowsKernelFor's kernel for F(4×4, 3×3)'s A (6×4), the transpose of Aᵀ.
func fusedA4[T gemm.Float](dsts, terms [][]T) {
	n := len(dsts[0])
	y0, y1, y2, y3 := terms[0][:n], terms[1][:n], terms[2][:n], terms[3][:n]
	r0, r1, r2, r3, r4, r5 := dsts[0][:n], dsts[1][:n], dsts[2][:n], dsts[3][:n], dsts[4][:n], dsts[5][:n]
	for i := range n {
		x0, x1, x2, x3 := y0[i], y1[i], y2[i], y3[i]
		// {1, 0, 0, 0}
		r0[i] = x0
		// {1, 1, 1, 1}
		a := x0
		a += x1
		a += x2
		a += x3
		r1[i] = a
		// {1, -1, 1, -1}
		a = x0
		a -= x1
		a += x2
		a -= x3
		r2[i] = a
		// {1, 2, 4, 8}
		a = x0
		a += T(x1 * 2)
		a += T(x2 * 4)
		a += T(x3 * 8)
		r3[i] = a
		// {1, -2, 4, -8}
		a = x0
		a += T(x1 * -2)
		a += T(x2 * 4)
		a += T(x3 * -8)
		r4[i] = a
		// {0, 0, 0, 1}
		r5[i] = x3
	}
}
