package purego

import (
	"github.com/dawnchorus/dawnchorus/lib/internal/gemm"
)

// winogradKernelGradientExec runs, inside execConvIm2col, the kernel
// gradients of channels-last 3×3 layers that kernelGradientLayoutConv gave to
// winogradKernelGradient (a 3×3 output, stride 1: see
// useWinogradKernelGradient): geo.gradientLayout, input [C', S1, S2, B']
// (the layer's batch C' as channels, its input channels B' as batch), kernel
// [C', K1, K2, Cout] (the output's gradient), output [B', 3, 3, Cout]. It is
// winogradKernelGradient's F(3×3, m×m) in one pass per stage instead of some
// two hundred graph ops (Slices of the padded input and of the kernel,
// element-wise transforms, Concatenates): the input transform V = Bᵀ D B
// written straight into the stacked [α², C'·tiles, B'] matrix from the
// unpadded input (winogradInputTiles, shared with winogradExec); the
// transform Q = A Y Aᵀ of the kernel's m×m tiles (its overhang read as zeros)
// straight into [α², C'·tiles, Cout]; then the same three DotGenerals
// (planned by planDotGeneral, as execDotGeneralGemm plans them) and the final
// transpose. Every sum of the transforms is taken in the graph's order
// (combineInto), with subnormals flushed where the graph's element-wise ops
// flushed them, so the outputs are winogradKernelGradient's bit for bit
// (TestConvExecutor compares them).
func winogradKernelGradientExec[T gemm.Float](geo convGeometry, input, kernel, out []T, flush bool, pools *convPools[T]) {
	batch, channels, cOut := geo.batch, geo.channels, geo.outChannels // B', C', Cout.
	k1, k2 := geo.kernel[0], geo.kernel[1]
	tr := winogradF2
	if winogradTileF4 && k1 >= winogradF4.minOut && k2 >= winogradF4.minOut {
		tr = winogradF4
	}
	m, alpha := tr.m, tr.m+2
	t1, t2 := (k1+m-1)/m, (k2+m-1)/m
	numTiles := channels * t1 * t2 // C'·tiles.
	var padded [2]int
	for a := range 2 {
		padded[a] = geo.in[a] + geo.padStart[a] + geo.padEnd[a]
	}

	// V: [α², C'·tiles, B'].
	v := pools.get(alpha * alpha * numTiles * batch)
	winogradInputTiles(tr, input, v, channels, batch, geo.in, geo.padStart, [2]int{1, 1}, padded, t1, t2, flush)

	// Q = A Y Aᵀ of each m×m tile Y of the kernel: [α², C'·tiles, Cout].
	aColumns := make([][]T, alpha) // aColumns[i]: row i of A, that is column i of Aᵀ.
	for i := range alpha {
		aColumns[i] = make([]T, m)
		for a := range m {
			aColumns[i][a] = T(tr.at[a][i])
		}
	}
	aRows := rowsKernelFor(aColumns)
	q := pools.get(alpha * alpha * numTiles * cOut)
	qTile := func(first, last int) {
		zero := make([]T, cOut)
		y := make([][]T, m*m) // y[a*m+c]: element (a, c) of the tile, Cout values.
		half := make([][]T, alpha*m)
		for k := range half {
			half[k] = make([]T, cOut)
		}
		column, dsts := make([][]T, m), make([][]T, alpha)
		for tile := first; tile < last; tile++ {
			cc, i1, i2 := tile/(t1*t2), (tile/t2)%t1, tile%t2
			for a := range m {
				h := i1*m + a
				for c := range m {
					w := i2*m + c
					if h < k1 && w < k2 {
						at := ((cc*k1+h)*k2 + w) * cOut
						y[a*m+c] = kernel[at : at+cOut]
					} else {
						y[a*m+c] = zero
					}
				}
			}
			for c := range m { // half[i][c] = (A Y)[i][c].
				for a := range m {
					column[a] = y[a*m+c]
				}
				for i := range alpha {
					dsts[i] = half[i*m+c]
				}
				aRows(dsts, column)
			}
			for i := range alpha { // Q[i][j] = Σ_c half[i][c]·A[j][c].
				for j := range alpha {
					at := ((i*alpha+j)*numTiles + tile) * cOut
					dsts[j] = q[at : at+cOut]
				}
				aRows(dsts, half[i*m:(i+1)*m])
			}
		}
	}
	inParallel(numTiles, alpha*alpha*cOut*numTiles, flush, qTile)

	// M = Σ V ⊙ Q over C'·tiles, one product per α² element: [α², B', Cout].
	prod := pools.get(alpha * alpha * batch * cOut)
	runDot(v, []int{alpha * alpha, numTiles, batch}, []int{1}, []int{0},
		q, []int{alpha * alpha, numTiles, cOut}, []int{1}, []int{0}, prod)
	// dW = Gᵀ M G: [3, α, B', Cout], then [3, B', Cout, 3].
	g := make([]T, len(tr.g))
	for i, x := range tr.g {
		g[i] = T(x)
	}
	left := pools.get(3 * alpha * batch * cOut)
	runDot(g, []int{alpha, 3}, []int{0}, nil, prod, []int{alpha, alpha, batch, cOut}, []int{0}, nil, left)
	both := pools.get(3 * batch * cOut * 3)
	runDot(left, []int{3, alpha, batch, cOut}, []int{1}, nil, g, []int{alpha, 3}, []int{0}, nil, both)
	// out [B', 3, 3, Cout] = both transposed (1, 0, 3, 2).
	for b := range batch {
		for i := range 3 {
			for j := range 3 {
				row := out[((b*3+i)*3+j)*cOut : ((b*3+i)*3+j+1)*cOut]
				for co := range row {
					row[co] = both[((i*batch+b)*cOut+co)*3+j]
				}
			}
		}
	}
	pools.put(v, q, prod, left, both)
	rewriteCounts.winogradKernelGradient.Add(1)
}

// runDot computes the DotGeneral of lhs (dimensions lDims) and rhs (rDims)
// with the given contracting and batch axes into out, exactly as
// execDotGeneralGemm runs such a node (planDotGeneral, runPlan): the same
// views, so the same products summed in the same order.
func runDot[T gemm.Float](lhs []T, lDims, lContract, lBatch []int, rhs []T, rDims, rContract, rBatch []int, out []T) {
	plan, err := planDotGeneral(lDims, rDims, dotParams{lhsContract: lContract, lhsBatch: lBatch, rhsContract: rContract, rhsBatch: rBatch})
	if err != nil {
		panic(err) // The callers' dimensions match by construction.
	}
	if err := runPlan[T](plan, []any{lhs, rhs, out}); err != nil {
		panic(err)
	}
}
