package purego

import (
	"runtime"

	"github.com/dawnchorus/dawnchorus/lib/internal/gemm"
	"github.com/dawnchorus/dawnchorus/lib/internal/parallel"
)

// winogradExec runs, inside execConvIm2col, the convolutions that
// ConvGeneral's lowering gave to winogradConv (3×3, stride 1, see
// useWinograd): the same F(m×m, 3×3) algorithm in one pass per stage instead
// of about a hundred graph ops. Each tile's input transform V = Bᵀ d B is
// written straight into the stacked [α², tiles, C] matrix from the unpadded
// input (padding, input dilation and the tiles' overhang read as zeros); the
// kernel transform U = G g Gᵀ and the α² products run on the GEMM with the
// operands winogradConv's DotGenerals gave it; the output transform Y = Aᵀ M A
// writes each m×m tile into the output. Every sum of the transforms is taken
// in winogradConv's order (combine: terms in coefficient order, ±1 as
// Add/Sub/Neg, other coefficients as a rounded product, never fused), with
// subnormals flushed where the graph's element-wise ops flushed them, so the
// outputs are winogradConv's bit for bit (TestConvExecutor compares them).
func winogradExec[T gemm.Float](geo convGeometry, input, kernel, out []T, flush bool, pools *convPools[T]) {
	padded := [2]int{}
	for a := range 2 {
		padded[a] = (geo.in[a]-1)*geo.inDilation[a] + 1 + geo.padStart[a] + geo.padEnd[a]
	}
	o1, o2 := padded[0]-2, padded[1]-2
	tr := winogradF2
	if winogradTileF4 && o1 >= winogradF4.minOut && o2 >= winogradF4.minOut {
		tr = winogradF4
	}
	m, alpha := tr.m, tr.m+2
	t1, t2 := (o1+m-1)/m, (o2+m-1)/m
	c, cOut := geo.channels, geo.outChannels
	numTiles := geo.batch * t1 * t2

	// V: [α², tiles, C].
	v := pools.get(alpha * alpha * numTiles * c)
	winogradInputTiles(tr, input, v, geo.batch, c, geo.in, geo.padStart, geo.inDilation, padded, t1, t2, flush)
	atRows := rowsKernelFor(coefficients[T](tr.at))

	// U = G g Gᵀ: [α², C, Cout], through the GEMM as winogradConv's two DotGenerals.
	g := make([]T, len(tr.g))
	for i, x := range tr.g {
		g[i] = T(x)
	}
	left := pools.get(alpha * 3 * c * cOut) // [α, 3, C, Cout]
	gemm.Multiply(1, alpha, 3*c*cOut, 3, gemm.Operand[T]{Data: g, RowStride: 3, ColStride: 1},
		gemm.Operand[T]{Data: kernel, RowStride: 3 * c * cOut, ColStride: 1}, left, 0)
	leftT := pools.get(len(left)) // [α, C, Cout, 3]
	for i := range alpha {
		for k := range 3 {
			for x := range c * cOut {
				leftT[(i*c*cOut+x)*3+k] = left[(i*3+k)*c*cOut+x]
			}
		}
	}
	both := pools.get(alpha * c * cOut * alpha) // [α, C, Cout, α]
	gemm.Multiply(1, alpha*c*cOut, alpha, 3, gemm.Operand[T]{Data: leftT, RowStride: 3, ColStride: 1},
		gemm.Operand[T]{Data: g, RowStride: 1, ColStride: 3}, both, 0)
	u := pools.get(alpha * alpha * c * cOut)
	for i := range alpha {
		for x := range c * cOut {
			for j := range alpha {
				u[(i*alpha+j)*c*cOut+x] = both[(i*c*cOut+x)*alpha+j]
			}
		}
	}

	// M: [α², tiles, Cout].
	prod := pools.get(alpha * alpha * numTiles * cOut)
	gemm.Multiply(alpha*alpha, numTiles, cOut, c,
		gemm.Operand[T]{Data: v, BatchStride: numTiles * c, RowStride: c, ColStride: 1},
		gemm.Operand[T]{Data: u, BatchStride: c * cOut, RowStride: cOut, ColStride: 1}, prod, 0)

	// Y = Aᵀ M A, tile by tile into out [B, o1, o2, Cout].
	outTile := func(first, last int) {
		mm := make([][]T, alpha*alpha)
		sRows := make([][]T, m*alpha)
		for k := range sRows {
			sRows[k] = make([]T, cOut)
		}
		ys := make([][]T, m)
		for k := range ys {
			ys[k] = make([]T, cOut)
		}
		column, dsts := make([][]T, alpha), make([][]T, m)
		for tile := first; tile < last; tile++ {
			b, i1, i2 := tile/(t1*t2), (tile/t2)%t1, tile%t2
			for k := range mm {
				at := (k*numTiles + tile) * cOut
				mm[k] = prod[at : at+cOut]
			}
			for j := range alpha {
				for k := range alpha {
					column[k] = mm[k*alpha+j]
				}
				for a := range m {
					dsts[a] = sRows[a*alpha+j]
				}
				atRows(dsts, column) // sRows[a][j] = Σ_k Aᵀ[a][k]·M[k][j].
			}
			for a := range m {
				oh := i1*m + a
				if oh >= o1 {
					continue
				}
				atRows(ys, sRows[a*alpha:(a+1)*alpha]) // ys[col] = Σ_k sRows[a][k]·Aᵀ[col][k].
				for col, y := range ys {
					if ow := i2*m + col; ow < o2 {
						copy(out[((b*o1+oh)*o2+ow)*cOut:], y)
					}
				}
			}
		}
	}
	inParallel(numTiles, alpha*alpha*cOut*numTiles, flush, outTile)
	pools.put(v, prod, left, leftT, both, u)
	rewriteCounts.winograd.Add(1)
}

// winogradInputTiles writes Winograd's input transform V = Bᵀ d B of every
// (m+2)×(m+2) tile d of input [batch, in[0], in[1], c] into v [α², tiles, c]
// (tiles = batch·t1·t2, starting every m positions of the padded input along
// both spatial axes), as winogradInputTransform does in the graph: padding
// (padStart, up to padded[a] positions), input dilation and the tiles'
// overhang read as zeros, and every sum in combine's order. winogradExec
// (a convolution's input) and winogradKernelGradientExec (a kernel
// gradient's input) share it.
func winogradInputTiles[T gemm.Float](tr winogradTransforms, input, v []T, batch, c int, in, padStart, inDilation, padded [2]int, t1, t2 int, flush bool) {
	m, alpha := tr.m, tr.m+2
	numTiles := batch * t1 * t2
	// src[a][p]: the input index along axis a at padded position p, or -1.
	var src [2][]int
	for a, t := range [2]int{t1, t2} {
		src[a] = make([]int, m*t+2)
		for p := range src[a] {
			d := p - padStart[a]
			src[a][p] = -1
			if p < padded[a] && d >= 0 && d%inDilation[a] == 0 && d/inDilation[a] < in[a] {
				src[a][p] = d / inDilation[a]
			}
		}
	}
	btRows := rowsKernelFor(coefficients[T](tr.bt))
	inTile := func(first, last int) {
		d := make([][]T, alpha*alpha) // d[i*α+j]: element (i, j) of the tile, c values.
		rows := make([][]T, alpha*alpha)
		for k := range d {
			d[k], rows[k] = make([]T, c), make([]T, c)
		}
		column, dsts := make([][]T, alpha), make([][]T, alpha)
		for tile := first; tile < last; tile++ {
			b, i1, i2 := tile/(t1*t2), (tile/t2)%t1, tile%t2
			image := input[b*in[0]*in[1]*c : (b+1)*in[0]*in[1]*c]
			for i := range alpha {
				ih := src[0][i1*m+i]
				for j := range alpha {
					iw := src[1][i2*m+j]
					if ih < 0 || iw < 0 {
						clear(d[i*alpha+j])
					} else {
						copy(d[i*alpha+j], image[(ih*in[1]+iw)*c:])
					}
				}
			}
			for j := range alpha {
				for k := range alpha {
					column[k], dsts[k] = d[k*alpha+j], rows[k*alpha+j]
				}
				btRows(dsts, column) // rows[i*α+j] = Σ_k Bᵀ[i][k]·d[k][j].
			}
			for i := range alpha {
				for j := range alpha {
					at := ((i*alpha+j)*numTiles + tile) * c
					dsts[j] = v[at : at+c]
				}
				btRows(dsts, rows[i*alpha:(i+1)*alpha]) // V[i][j] = Σ_k rows[i][k]·Bᵀ[j][k].
			}
		}
	}
	inParallel(numTiles, alpha*alpha*c*numTiles, flush, inTile)
}

// coefficients converts a transform's rows to T, as winogradConv's scalars are.
func coefficients[T gemm.Float](rows [][]float64) [][]T {
	out := make([][]T, len(rows))
	for i, row := range rows {
		out[i] = make([]T, len(row))
		for k, x := range row {
			out[i][k] = T(x)
		}
	}
	return out
}

// combineInto writes Σ coeffs[k]·terms[k] into dst element by element, with
// the operations and order of Builder.combine: zero coefficients skipped, the
// first term copied (or negated for −1), later ones added (+1), subtracted
// (−1) or added after a rounded product (any other coefficient).
func combineInto[T gemm.Float](dst []T, coeffs []T, terms [][]T) {
	first := true
	for k, coef := range coeffs {
		if coef == 0 {
			continue
		}
		t := terms[k][:len(dst)]
		switch {
		case first && coef == 1:
			copy(dst, t)
		case first && coef == -1:
			for i, x := range t {
				dst[i] = -x
			}
		case first:
			for i, x := range t {
				dst[i] = x * coef
			}
		case coef == 1:
			for i, x := range t {
				dst[i] += x
			}
		case coef == -1:
			for i, x := range t {
				dst[i] -= x
			}
		default:
			for i, x := range t {
				dst[i] += T(x * coef) // The conversion keeps the product rounded (no fused multiply-add).
			}
		}
		first = false
	}
}

// inParallel calls fn over [0, n) split in contiguous ranges, one per core
// when work (values written) is large enough, each on its own goroutine with
// subnormals flushed to zero when flush is set (as the graph's element-wise
// ops flush them).
func inParallel(n, work int, flush bool, fn func(first, last int)) {
	run := func(first, last int) {
		if flush {
			runtime.LockOSThread()
			old := enterFlushToZero()
			defer func() {
				leaveFlushToZero(old)
				runtime.UnlockOSThread()
			}()
		}
		fn(first, last)
	}
	parallel.Ranges(n, min(runtime.GOMAXPROCS(0), max(1, work/(1<<16)), n), run)
}
