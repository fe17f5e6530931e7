package purego

import (
	"slices"

	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/pkg/core/dtypes"
)

// winogradMinChannels is the fewest input channels for which a 3×3 stride-1
// convolution uses Winograd's F(2×2, 3×3) algorithm: below it, simplego's
// block padding of the channel contraction (to 32 for float32) eats the
// saving (measured with lib/cmd/benchengine: 16 beats 32 and 1). Tests lower it.
var winogradMinChannels = 16

// useWinograd reports whether the canonical convolution qualifies for winogradConv.
func useWinograd(numSpatial int, kernelDims, strides, kernelDilations []int, groups, kernelIn int, padded []int) bool {
	if numSpatial != 2 || groups != 1 || kernelIn < winogradMinChannels {
		return false
	}
	for i := range 2 {
		if kernelDims[i] != 3 || strides[i] != 1 || kernelDilations[i] != 1 || padded[i+1] < 3 {
			return false
		}
	}
	return true
}

// winogradTransforms are the matrices of Winograd's minimal filtering
// F(m, 3) (Lavin & Gray, "Fast Algorithms for Convolutional Neural
// Networks", 2016): Y = Aᵀ [(G g) ⊙ (Bᵀ d)] computes m outputs of a 3-tap
// correlation from m+2 inputs with m+2 products.
type winogradTransforms struct {
	m      int         // Outputs per tile and axis.
	bt     [][]float64 // Bᵀ, (m+2)×(m+2).
	g      []float64   // G, (m+2)×3, row-major.
	at     [][]float64 // Aᵀ, m×(m+2).
	minOut int         // Smallest output size (per axis) for which this tile size is used.
}

var (
	winogradF2 = winogradTransforms{
		m:  2,
		bt: [][]float64{{1, 0, -1, 0}, {0, 1, 1, 0}, {0, -1, 1, 0}, {0, 1, 0, -1}},
		g:  []float64{1, 0, 0, 0.5, 0.5, 0.5, 0.5, -0.5, 0.5, 0, 0, 1},
		at: [][]float64{{1, 1, 1, 0}, {0, 1, -1, -1}},
	}
	winogradF4 = winogradTransforms{
		m: 4,
		bt: [][]float64{
			{4, 0, -5, 0, 1, 0},
			{0, -4, -4, 1, 1, 0},
			{0, 4, -4, -1, 1, 0},
			{0, -2, -1, 2, 1, 0},
			{0, 2, -1, -2, 1, 0},
			{0, 4, 0, -5, 0, 1},
		},
		g: []float64{
			1.0 / 4, 0, 0,
			-1.0 / 6, -1.0 / 6, -1.0 / 6,
			-1.0 / 6, 1.0 / 6, -1.0 / 6,
			1.0 / 24, 1.0 / 12, 1.0 / 6,
			1.0 / 24, -1.0 / 12, 1.0 / 6,
			0, 0, 1,
		},
		at: [][]float64{
			{1, 1, 1, 1, 1, 0},
			{0, 1, -1, 2, -2, 0},
			{0, 1, 1, 4, 4, 0},
			{0, 1, -1, 8, -8, 1},
		},
		minOut: 4,
	}
	// winogradTileF4 switches the 4×4-output tiles on where outputs are large
	// enough; tests switch it to compare tile sizes.
	winogradTileF4 = true
)

// combine returns Σ coeffs[k]·terms[k], skipping zero coefficients and using
// Add/Sub/Neg for ±1. At least one coefficient must be non-zero.
func (b *Builder) combine(coeffs []float64, terms []backends.Op) backends.Op {
	var out backends.Op
	for k, c := range coeffs {
		if c == 0 {
			continue
		}
		term := terms[k]
		if c != 1 && c != -1 {
			term = must(b.Builder.Mul(term, b.scalarOf(b.shapeOf(term).DType, c)))
		}
		switch {
		case out == nil && c == -1:
			out = must(b.Builder.Neg(term))
		case out == nil:
			out = term
		case c == -1:
			out = must(b.Builder.Sub(out, term))
		default:
			out = must(b.Builder.Add(out, term))
		}
	}
	return out
}

// winogradInputTransform returns Winograd's input transform V = Bᵀ D B of every
// (m+2)×(m+2) tile D of x [B, P1, P2, C], tiles starting every m along both spatial axes
// (x must hold at least m·t+2 positions on each): α² = (m+2)² ops, element i·α+j being
// V[i][j] of all tiles, each [B, t1, t2, C]. The convolution and its kernel gradient
// share it.
func (b *Builder) winogradInputTransform(x backends.Op, tr winogradTransforms, t1, t2 int) []backends.Op {
	m, alpha := tr.m, tr.m+2
	dims := b.shapeOf(x).Dimensions
	// d[i][j]: the (i, j) element of every input tile, [B, t1, t2, C].
	d := make([][]backends.Op, alpha)
	for i := range alpha {
		d[i] = make([]backends.Op, alpha)
		for j := range alpha {
			d[i][j] = must(b.Builder.Slice(x, []int{0, i, j, 0}, []int{dims[0], i + m*(t1-1) + 1, j + m*(t2-1) + 1, dims[3]}, []int{1, m, m, 1}))
		}
	}
	column := make([]backends.Op, alpha)
	rows := make([][]backends.Op, alpha) // rows[i][j] = (Bᵀ d)[i][j]
	for i := range alpha {
		rows[i] = make([]backends.Op, alpha)
	}
	for j := range alpha {
		for k := range alpha {
			column[k] = d[k][j]
		}
		for i := range alpha {
			rows[i][j] = b.combine(tr.bt[i], column)
		}
	}
	v := make([]backends.Op, 0, alpha*alpha)
	for i := range alpha {
		for j := range alpha {
			v = append(v, b.combine(tr.bt[j], rows[i]))
		}
	}
	return v
}

// winogradConv convolves x [B, P1, P2, C] (already padded) with the 3×3
// kernel w [3, 3, C, Cout], without padding, stride 1, returning
// [B, P1-2, P2-2, Cout]. It uses Winograd's minimal filtering F(m×m, 3×3)
// (see winogradTransforms; m = 4 when both outputs are at least 4, else 2):
// each m×m output tile comes from an (m+2)×(m+2) input tile through (m+2)²
// products instead of 9m², so the single batched DotGeneral
// [(m+2)², tiles, C]x[(m+2)², C, Cout] does 4/9 (m = 2) or 1/4 (m = 4) of
// im2col's multiply-adds; the transforms are adds and scalings.
func (b *Builder) winogradConv(x, w backends.Op) backends.Op {
	xShape, wShape := b.shapeOf(x), b.shapeOf(w)
	batch, p1, p2, channels := xShape.Dimensions[0], xShape.Dimensions[1], xShape.Dimensions[2], xShape.Dimensions[3]
	outChannels := wShape.Dimensions[3]
	o1, o2 := p1-2, p2-2
	tr := winogradF2
	if winogradTileF4 && o1 >= winogradF4.minOut && o2 >= winogradF4.minOut {
		tr = winogradF4
	}
	m, alpha := tr.m, tr.m+2
	t1, t2 := (o1+m-1)/m, (o2+m-1)/m
	if extra1, extra2 := m*t1+2-p1, m*t2+2-p2; extra1 > 0 || extra2 > 0 {
		x = must(b.Pad(x, b.scalarOf(xShape.DType, 0), backends.PadAxis{}, backends.PadAxis{End: extra1}, backends.PadAxis{End: extra2}))
	}
	// V = Bᵀ d B, stacked as [α², tiles, C].
	numTiles := batch * t1 * t2
	parts := b.winogradInputTransform(x, tr, t1, t2)
	for i, v := range parts {
		parts[i] = must(b.Builder.Reshape(v, 1, numTiles*channels))
	}
	vStack := must(b.Builder.Reshape(b.concat(0, parts), alpha*alpha, numTiles, channels))

	// U = G g Gᵀ: [α², C, Cout].
	g := must(b.Builder.Constant(tr.g, alpha, 3))
	g = must(b.Builder.ConvertDType(g, wShape.DType))
	left := must(b.DotGeneral(g, []int{1}, nil, w, []int{0}, nil))    // [α, 3, C, Cout]
	both := must(b.DotGeneral(left, []int{1}, nil, g, []int{1}, nil)) // [α, C, Cout, α]
	u := must(b.Builder.Reshape(must(b.Builder.Transpose(both, 0, 3, 1, 2)), alpha*alpha, channels, outChannels))

	prod := must(b.Builder.DotGeneral(vStack, []int{2}, []int{0}, u, []int{1}, []int{0})) // [α², tiles, Cout]
	mm := make([][]backends.Op, alpha)
	for i := range alpha {
		mm[i] = make([]backends.Op, alpha)
		for j := range alpha {
			mm[i][j] = must(b.Builder.Reshape(b.sliceAxis(prod, 0, alpha*i+j, alpha*i+j+1, 1), numTiles, outChannels))
		}
	}
	// Y = Aᵀ M A, then the m×m outputs of each tile interleaved: [B, t1, m, t2, m, Cout].
	column := make([]backends.Op, alpha)
	sRows := make([][]backends.Op, m) // sRows[a][j] = (Aᵀ M)[a][j]
	for a := range m {
		sRows[a] = make([]backends.Op, alpha)
		for j := range alpha {
			for k := range alpha {
				column[k] = mm[k][j]
			}
			sRows[a][j] = b.combine(tr.at[a], column)
		}
	}
	rowParts := make([]backends.Op, m)
	for a := range m {
		cols := make([]backends.Op, m)
		for c := range m {
			y := b.combine(tr.at[c], sRows[a])
			cols[c] = must(b.Builder.Reshape(y, batch, t1, 1, t2, 1, outChannels))
		}
		rowParts[a] = b.concat(4, cols)
	}
	out := must(b.Builder.Reshape(b.concat(2, rowParts), batch, m*t1, m*t2, outChannels))
	rewriteCounts.winograd.Add(1)
	if m*t1 != o1 || m*t2 != o2 {
		out = must(b.Builder.Slice(out, []int{0, 0, 0, 0}, []int{batch, o1, o2, outChannels}, []int{1, 1, 1, 1}))
	}
	return out
}

// winogradKernelGradientEnabled switches winogradKernelGradient on; tests
// switch it off to compare against im2col.
var winogradKernelGradientEnabled = true

// useWinogradKernelGradient reports whether a convolution with a 3×3 output
// (the shape of a 3×3 kernel's gradient: the input correlated with the
// output's gradient) qualifies for winogradKernelGradient: stride 1, no
// dilation, one group, and cheaper than im2col in multiply-adds (rows padded to the GEMM's tile).
func useWinogradKernelGradient(dtype dtypes.DType, numSpatial int, kernelDims, outDims, strides, kernelDilations []int, groups, batch, outChannels int) bool {
	if !winogradKernelGradientEnabled || numSpatial != 2 || groups != 1 || (dtype != dtypes.Float32 && dtype != dtypes.Float64) {
		return false
	}
	for i := range 2 {
		if outDims[i] != 3 || strides[i] != 1 || kernelDilations[i] != 1 || kernelDims[i] < 2 {
			return false
		}
	}
	blockDim := 4 // The GEMM (lib/internal/gemm) pads rows to its micro-kernel's tile: 4 for the portable one.
	m := winogradF2.m
	if winogradTileF4 && kernelDims[0] >= winogradF4.minOut && kernelDims[1] >= winogradF4.minOut {
		m = winogradF4.m
	}
	// Per m² units of contraction: im2col's [9·batch, Cout] m² times against
	// Winograd's (m+2)² products [batch, Cout].
	im2col := ceilBlock(9*batch, blockDim) * ceilBlock(outChannels, blockDim) * m * m
	winograd := (m + 2) * (m + 2) * ceilBlock(batch, blockDim) * ceilBlock(outChannels, blockDim)
	return winograd*5 < im2col*4
}

// winogradKernelGradient computes the 3×3-output convolution of x [B', P1,
// P2, C'] (padded, P = K+2) with the large kernel w [K1, K2, C', Cout] (or,
// with contractionFirst, of x [C', P1, P2, B'] with w [C', K1, K2, Cout], the
// layout in which the gradient of a channels-last layer arrives) — how
// a 3×3 kernel's gradient reaches the engine, with B' the layer's input
// channels, C' the batch and w the output's gradient — returning
// [B', 3, 3, Cout]. It uses Winograd's F(3×3, m×m), the transpose of
// F(m×m, 3×3): with the same matrices, dW = Gᵀ [Σ_tiles (A Y Aᵀ) ⊙ (Bᵀ D B)] G,
// where Y are m×m tiles of w and D the matching (m+2)×(m+2) tiles of x; the
// sum over tiles, batch and the channel outer product is one batched
// DotGeneral [(m+2)², B', tiles·C']x[(m+2)², tiles·C', Cout], with 4/9 (m = 2)
// or 1/4 (m = 4) of im2col's multiply-adds.
func (b *Builder) winogradKernelGradient(x, w backends.Op, contractionFirst bool) backends.Op {
	xShape, wShape := b.shapeOf(x), b.shapeOf(w)
	batch, channels := xShape.Dimensions[0], xShape.Dimensions[3]
	wSpatial := 0 // First spatial axis of w.
	if contractionFirst {
		batch, channels = channels, batch
		wSpatial = 1
	}
	k1, k2, outChannels := wShape.Dimensions[wSpatial], wShape.Dimensions[wSpatial+1], wShape.Dimensions[3]
	tr := winogradF2
	if winogradTileF4 && k1 >= winogradF4.minOut && k2 >= winogradF4.minOut {
		tr = winogradF4
	}
	m, alpha := tr.m, tr.m+2
	t1, t2 := (k1+m-1)/m, (k2+m-1)/m
	zero := b.scalarOf(xShape.DType, 0)
	if m*t1 != k1 || m*t2 != k2 {
		pads := make([]backends.PadAxis, 4)
		pads[wSpatial].End, pads[wSpatial+1].End = m*t1-k1, m*t2-k2
		w = must(b.Pad(w, zero, pads...))
	}
	if e1, e2 := m*t1+2-xShape.Dimensions[1], m*t2+2-xShape.Dimensions[2]; e1 > 0 || e2 > 0 {
		x = must(b.Pad(x, zero, backends.PadAxis{}, backends.PadAxis{End: e1}, backends.PadAxis{End: e2}))
	}
	wDims := b.shapeOf(w).Dimensions
	numTiles := t1 * t2

	// V = Bᵀ D B per tile: [α², B', tiles·C'] (or [α², C'·tiles, B']).
	vParts := b.winogradInputTransform(x, tr, t1, t2)
	for i, v := range vParts {
		vParts[i] = must(b.Builder.Reshape(v, 1, batch*numTiles*channels))
	}
	vStack := must(b.Builder.Reshape(b.concat(0, vParts), alpha*alpha, batch, numTiles*channels))
	vContract := 2
	if contractionFirst {
		vStack = must(b.Builder.Reshape(vStack, alpha*alpha, channels*numTiles, batch))
		vContract = 1
	}

	// Q = A Y Aᵀ per m×m tile Y of w, A = (Aᵀ)ᵀ: [α², tiles·C', Cout].
	y := make([][]backends.Op, m)
	for a := range m {
		y[a] = make([]backends.Op, m)
		for c := range m {
			starts, limits, steps := []int{0, 0, 0, 0}, slices.Clone(wDims), []int{1, 1, 1, 1}
			starts[wSpatial], starts[wSpatial+1] = a, c
			limits[wSpatial], limits[wSpatial+1] = a+m*(t1-1)+1, c+m*(t2-1)+1
			steps[wSpatial], steps[wSpatial+1] = m, m
			y[a][c] = must(b.Builder.Slice(w, starts, limits, steps))
		}
	}
	aColumn := func(i int) []float64 { // Row i of A, that is column i of Aᵀ.
		col := make([]float64, m)
		for a := range m {
			col[a] = tr.at[a][i]
		}
		return col
	}
	half := make([][]backends.Op, alpha) // half[i][c] = (A Y)[i][c]
	yColumn := make([]backends.Op, m)
	for i := range alpha {
		half[i] = make([]backends.Op, m)
		for c := range m {
			for a := range m {
				yColumn[a] = y[a][c]
			}
			half[i][c] = b.combine(aColumn(i), yColumn)
		}
	}
	qParts := make([]backends.Op, 0, alpha*alpha)
	for i := range alpha {
		for j := range alpha {
			q := b.combine(aColumn(j), half[i])
			qParts = append(qParts, must(b.Builder.Reshape(q, 1, numTiles*channels*outChannels)))
		}
	}
	qStack := must(b.Builder.Reshape(b.concat(0, qParts), alpha*alpha, numTiles*channels, outChannels))

	prod := must(b.Builder.DotGeneral(vStack, []int{vContract}, []int{0}, qStack, []int{1}, []int{0})) // [α², B', Cout]
	prod = must(b.Builder.Reshape(prod, alpha, alpha, batch, outChannels))
	// dW = Gᵀ M G.
	g := must(b.Builder.Constant(tr.g, alpha, 3))
	g = must(b.Builder.ConvertDType(g, xShape.DType))
	left := must(b.DotGeneral(g, []int{0}, nil, prod, []int{0}, nil)) // [3, α, B', Cout]
	both := must(b.DotGeneral(left, []int{1}, nil, g, []int{0}, nil)) // [3, B', Cout, 3]
	rewriteCounts.winogradKernelGradient.Add(1)
	return must(b.Builder.Transpose(both, 1, 0, 3, 2)) // [B', 3, 3, Cout]
}
