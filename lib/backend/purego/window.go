package purego

import (
	"fmt"
	"math"
	"slices"

	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/pkg/core/dtypes"
)

// windowConfig is the normalized geometry of a windowed op over a rank-r operand.
type windowConfig struct {
	window, strides, baseDilations, windowDilations []int
	paddings                                        [][2]int
}

// normalizeWindow fills the defaults GoMLX allows to be nil: strides equal to
// the window, dilations of 1, no padding.
func normalizeWindow(rank int, window, strides, baseDilations, windowDilations []int, paddings [][2]int) (windowConfig, error) {
	c := windowConfig{
		window:          onesOr(window, rank),
		baseDilations:   onesOr(baseDilations, rank),
		windowDilations: onesOr(windowDilations, rank),
		paddings:        paddings,
	}
	if len(strides) > 0 {
		c.strides = slices.Clone(strides)
	} else {
		c.strides = slices.Clone(c.window)
	}
	if len(c.paddings) == 0 {
		c.paddings = make([][2]int, rank)
	}
	if len(c.window) != rank || len(c.strides) != rank || len(c.baseDilations) != rank ||
		len(c.windowDilations) != rank || len(c.paddings) != rank {
		return c, fmt.Errorf("window %v, strides %v, base dilations %v, window dilations %v and paddings %v must have one value per axis (%d)",
			window, strides, baseDilations, windowDilations, paddings, rank)
	}
	for i := range rank {
		if c.window[i] < 1 || c.strides[i] < 1 || c.baseDilations[i] < 1 || c.windowDilations[i] < 1 ||
			c.paddings[i][0] < 0 || c.paddings[i][1] < 0 {
			return c, fmt.Errorf("window %v, strides %v and dilations %v, %v must be >= 1 and paddings %v >= 0",
				c.window, c.strides, c.baseDilations, c.windowDilations, c.paddings)
		}
	}
	return c, nil
}

// padForWindow pads x with value as the window config says (base dilation as
// interior padding) and returns the padded tensor and the output dimensions.
func (b *Builder) padForWindow(x, value backends.Op, c windowConfig) (backends.Op, []int) {
	rank := len(c.window)
	pads := make([]backends.PadAxis, rank)
	needed := false
	for i := range rank {
		pads[i] = backends.PadAxis{Start: c.paddings[i][0], End: c.paddings[i][1], Interior: c.baseDilations[i] - 1}
		needed = needed || pads[i] != backends.PadAxis{}
	}
	if needed {
		x = must(b.Pad(x, value, pads...))
	}
	padded := b.shapeOf(x).Dimensions
	outDims := make([]int, rank)
	for i := range rank {
		effective := (c.window[i]-1)*c.windowDilations[i] + 1
		if padded[i] < effective {
			outDims[i] = 0
		} else {
			outDims[i] = (padded[i]-effective)/c.strides[i] + 1
		}
	}
	return x, outDims
}

// windowSlices returns one strided Slice of padded per window position,
// each shaped outDims, and the window positions' count.
func (b *Builder) windowSlices(padded backends.Op, c windowConfig, outDims []int) []backends.Op {
	dims := b.shapeOf(padded).Dimensions
	var parts []backends.Op
	forEachIndex(c.window, func(k []int) {
		starts, limits := make([]int, len(dims)), make([]int, len(dims))
		for i := range dims {
			starts[i] = k[i] * c.windowDilations[i]
			limits[i] = starts[i] + (outDims[i]-1)*c.strides[i] + 1
		}
		parts = append(parts, must(b.Builder.Slice(padded, starts, limits, c.strides)))
	})
	return parts
}

// isTiled reports whether windows do not overlap nor leave gaps: strides equal
// to the window, without dilations.
func (c windowConfig) isTiled() bool {
	for i := range c.window {
		if c.strides[i] != c.window[i] || c.windowDilations[i] != 1 {
			return false
		}
	}
	return true
}

// tiledDims returns, for padded dimensions cut to outDims*window, the
// interleaved dimensions [o0, w0, o1, w1, ...].
func tiledDims(outDims, window []int) []int {
	dims := make([]int, 0, 2*len(window))
	for i := range window {
		dims = append(dims, outDims[i], window[i])
	}
	return dims
}

// identityFor returns the reduction's identity for dtype, and whether it is supported.
func identityFor(reduction backends.ReduceOpType, dtype dtypes.DType) (float64, bool) {
	if !dtype.IsFloat() {
		return 0, false
	}
	switch reduction {
	case backends.ReduceOpMax:
		return math.Inf(-1), true
	case backends.ReduceOpMin:
		return math.Inf(1), true
	case backends.ReduceOpSum:
		return 0, true
	case backends.ReduceOpProduct:
		return 1, true
	}
	return 0, false
}

// ReduceWindow reduces each window of x (max, min, sum or product). For float
// dtypes it is lowered to Pad plus either one Reshape and Reduce (windows
// that tile the input, as in the usual pooling) or one strided Slice per
// window position combined elementwise (overlapping or dilated windows).
// Other dtypes and reductions go to simplego's own ReduceWindow.
func (b *Builder) ReduceWindow(x backends.Op, reductionType backends.ReduceOpType,
	windowDimensions, strides, baseDilations, windowDilations []int, paddings [][2]int) (out backends.Op, err error) {
	defer recoverOp("ReduceWindow", &err)
	shape := b.shapeOf(x)
	identity, ok := identityFor(reductionType, shape.DType)
	if !ok || shape.Rank() == 0 {
		return b.Builder.ReduceWindow(x, reductionType, windowDimensions, strides, baseDilations, windowDilations, paddings)
	}
	c, err := normalizeWindow(shape.Rank(), windowDimensions, strides, baseDilations, windowDilations, paddings)
	if err != nil {
		return nil, err
	}
	padded, outDims := b.padForWindow(x, b.scalarOf(shape.DType, identity), c)
	if product(outDims) == 0 {
		return b.Builder.ReduceWindow(x, reductionType, windowDimensions, strides, baseDilations, windowDilations, paddings)
	}
	if c.isTiled() {
		limits := make([]int, len(outDims))
		for i := range limits {
			limits[i] = outDims[i] * c.window[i]
		}
		cut := padded
		if !slices.Equal(limits, b.shapeOf(padded).Dimensions) {
			cut = must(b.Builder.Slice(padded, make([]int, len(limits)), limits, onesOr(nil, len(limits))))
		}
		tiles := must(b.Builder.Reshape(cut, tiledDims(outDims, c.window)...))
		windowAxes := make([]int, len(outDims))
		for i := range windowAxes {
			windowAxes[i] = 2*i + 1
		}
		var reduced backends.Op
		switch reductionType {
		case backends.ReduceOpMax:
			reduced = must(b.Builder.ReduceMax(tiles, windowAxes...))
		case backends.ReduceOpMin:
			reduced = must(b.Builder.ReduceMin(tiles, windowAxes...))
		case backends.ReduceOpSum:
			reduced = must(b.Builder.ReduceSum(tiles, windowAxes...))
		default:
			reduced = must(b.Builder.ReduceProduct(tiles, windowAxes...))
		}
		return reduced, nil
	}
	parts := b.windowSlices(padded, c, outDims)
	out = parts[0]
	for _, part := range parts[1:] {
		switch reductionType {
		case backends.ReduceOpMax:
			out = must(b.Builder.Max(out, part))
		case backends.ReduceOpMin:
			out = must(b.Builder.Min(out, part))
		case backends.ReduceOpSum:
			out = must(b.Builder.Add(out, part))
		default:
			out = must(b.Builder.Mul(out, part))
		}
	}
	if len(parts) == 1 {
		out = must(b.Builder.Identity(out))
	}
	return out, nil
}

// SelectAndScatterMax is the gradient of max-pooling: for each window of
// operand it adds the matching value of source to the position of the
// window's maximum (the first one, on ties), and returns a tensor shaped like
// operand. Padding positions are never selected over real values.
func (b *Builder) SelectAndScatterMax(operand, source backends.Op, windowDimensions, windowStrides []int, paddings [][2]int) (out backends.Op, err error) {
	defer recoverOp("SelectAndScatterMax", &err)
	return b.selectAndScatter(operand, source, windowDimensions, windowStrides, paddings, false), nil
}

// SelectAndScatterMin is [Builder.SelectAndScatterMax] for the minimum, the gradient of min-pooling.
func (b *Builder) SelectAndScatterMin(operand, source backends.Op, windowDimensions, windowStrides []int, paddings [][2]int) (out backends.Op, err error) {
	defer recoverOp("SelectAndScatterMin", &err)
	return b.selectAndScatter(operand, source, windowDimensions, windowStrides, paddings, true), nil
}

// selectAndScatter implements SelectAndScatterMax/Min: one strided Slice per
// window position stacked as [K, O], ArgMinMax over the positions, a one-hot
// Where per position, then either one Transpose back (windows that tile the
// input) or one interior Pad per window position, summed (overlapping ones).
func (b *Builder) selectAndScatter(operand, source backends.Op, window, strides []int, paddings [][2]int, isMin bool) backends.Op {
	shape, srcShape := b.shapeOf(operand), b.shapeOf(source)
	if !shape.DType.IsFloat() || srcShape.DType != shape.DType {
		panic(opError{fmt.Errorf("operand %s and source %s must share a float dtype", shape, srcShape)})
	}
	rank := shape.Rank()
	c, err := normalizeWindow(rank, window, strides, nil, nil, paddings)
	if err != nil {
		panic(opError{err})
	}
	fillValue := math.Inf(-1)
	if isMin {
		fillValue = math.Inf(1)
	}
	padded, outDims := b.padForWindow(operand, b.scalarOf(shape.DType, fillValue), c)
	if !slices.Equal(outDims, srcShape.Dimensions) {
		panic(opError{fmt.Errorf("source %s does not match the %v windows of operand %s", srcShape, outDims, shape)})
	}
	if out, ok := b.tiledSelectAndScatterNode(operand, source, c, outDims, isMin); ok {
		return out // One node, run by execSelectAndScatterTiled (window_exec.go).
	}
	paddedDims := b.shapeOf(padded).Dimensions
	numWindow := product(c.window)
	zero := b.scalarOf(shape.DType, 0)

	// Window values stacked as [K, O]: one strided Slice per window position.
	parts := b.windowSlices(padded, c, outDims)
	for k, part := range parts {
		parts[k] = must(b.Builder.Reshape(part, 1, product(outDims)))
	}
	selected := b.oneHotScatter(b.concat(0, parts), source, numWindow, outDims, isMin) // [K, O]

	var scattered backends.Op // Shaped like padded.
	if c.isTiled() {
		// Tiled windows: [w0, w1, ..., o0, o1, ...] -> [o0, w0, o1, w1, ...] is the padded layout.
		limits := make([]int, rank)
		for i := range limits {
			limits[i] = outDims[i] * c.window[i]
		}
		inverse := make([]int, 2*rank) // Output axis 2i is o_i (input axis rank+i), 2i+1 is w_i (input axis i).
		for i := range rank {
			inverse[2*i], inverse[2*i+1] = rank+i, i
		}
		back := must(b.Builder.Reshape(selected, slices.Concat(c.window, outDims)...))
		back = b.transposeIfNeeded(back, inverse)
		scattered = must(b.Builder.Reshape(back, limits...))
		if !slices.Equal(limits, paddedDims) {
			pads := make([]backends.PadAxis, rank)
			for i := range rank {
				pads[i].End = paddedDims[i] - limits[i]
			}
			scattered = must(b.Pad(scattered, zero, pads...))
		}
	} else {
		k := 0
		forEachIndex(c.window, func(pos []int) {
			part := b.sliceAxis(selected, 0, k, k+1, 1)
			part = must(b.Builder.Reshape(part, outDims...))
			pads := make([]backends.PadAxis, rank)
			for i := range rank {
				start := pos[i]
				used := start + (outDims[i]-1)*c.strides[i] + 1
				pads[i] = backends.PadAxis{Start: start, End: paddedDims[i] - used, Interior: c.strides[i] - 1}
			}
			part = must(b.Pad(part, zero, pads...))
			if scattered == nil {
				scattered = part
			} else {
				scattered = must(b.Builder.Add(scattered, part))
			}
			k++
		})
	}
	// Remove the padding.
	pads := make([]backends.PadAxis, rank)
	needed := false
	for i := range rank {
		pads[i] = backends.PadAxis{Start: -c.paddings[i][0], End: -c.paddings[i][1]}
		needed = needed || c.paddings[i] != [2]int{}
	}
	if needed {
		scattered = must(b.Pad(scattered, zero, pads...))
	}
	return scattered
}

// oneHotScatter takes window values stacked as [K, O] and returns [K, O] with
// source (flattened to O) at the arg-max (or arg-min) of each column and zero
// elsewhere. Each window position k is built separately from the [O]-sized
// arg and source (Equal with k, Where), so no [K, O] index or broadcast
// tensors are materialized.
func (b *Builder) oneHotScatter(stacked, source backends.Op, numWindow int, outDims []int, isMin bool) backends.Op {
	dtype := b.shapeOf(stacked).DType
	numOut := product(outDims)
	arg := must(b.Builder.ArgMinMax(stacked, 0, dtypes.Int32, isMin)) // [O]
	src := must(b.Builder.Reshape(source, numOut))
	zero := b.scalarOf(dtype, 0)
	parts := make([]backends.Op, numWindow)
	for k := range numWindow {
		position := must(b.Builder.Reshape(must(b.Builder.Constant([]int32{int32(k)}))))
		hit := must(b.Builder.Equal(arg, position))
		parts[k] = must(b.Builder.Reshape(must(b.Builder.Where(hit, src, zero)), 1, numOut))
	}
	return b.concat(0, parts)
}
