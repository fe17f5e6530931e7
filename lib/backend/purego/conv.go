package purego

import (
	"fmt"
	"slices"

	"github.com/gomlx/gomlx/backends"
)

// onesOr returns a copy of values, or n ones when values is empty (GoMLX passes nil for "all 1").
func onesOr(values []int, n int) []int {
	if len(values) > 0 {
		return slices.Clone(values)
	}
	out := make([]int, n)
	for i := range out {
		out[i] = 1
	}
	return out
}

// product returns the product of dims (1 for none).
func product(dims []int) int {
	p := 1
	for _, d := range dims {
		p *= d
	}
	return p
}

// ConvGeneral is a convolution with any axes layout, strides, paddings, input
// (base) dilations, kernel dilations and channel groups. It is lowered to
// im2col. With one or two spatial axes and one group, where the output has at
// least as many positions as the kernel, and wherever Winograd's algorithm
// applies (below), it is a simplego ConvGeneral node in the canonical layout,
// which execConvIm2col runs (conv_exec.go; winograd_exec.go). Otherwise
// the padded (and input-dilated) input is cut into one strided Slice
// per kernel position (or, when the output has fewer positions than the
// kernel, as in the kernel gradient, one Slice per output position), the
// slices are concatenated, and a single DotGeneral with the kernel does the
// arithmetic at simplego's matrix-product speed. 3×3 stride-1 convolutions
// over 16 or more channels use Winograd's F(2×2, 3×3) instead (winogradConv),
// and 3×3 kernel gradients F(3×3, 2×2) where cheaper (winogradKernelGradient);
// kernel gradients of channels-last layers skip the transposes to the
// canonical layout (kernelGradientLayoutConv). Batch grouping
// (batchGroupCount > 1) and integer dtypes are passed to simplego's own
// ConvGeneral, with nil strides and dilations filled in.
func (b *Builder) ConvGeneral(input, kernel backends.Op, axes backends.ConvolveAxesConfig,
	strides []int, paddings [][2]int, inputDilations, kernelDilations []int,
	channelGroupCount, batchGroupCount int) (out backends.Op, err error) {
	defer recoverOp("ConvGeneral", &err)
	inShape, kShape := b.shapeOf(input), b.shapeOf(kernel)
	numSpatial := len(axes.InputSpatial)
	if inShape.Rank() != numSpatial+2 || kShape.Rank() != numSpatial+2 ||
		len(axes.KernelSpatial) != numSpatial || len(axes.OutputSpatial) != numSpatial {
		return nil, fmt.Errorf("input %s and kernel %s do not match the %d spatial axes of %+v", inShape, kShape, numSpatial, axes)
	}
	strides = onesOr(strides, numSpatial)
	inputDilations = onesOr(inputDilations, numSpatial)
	kernelDilations = onesOr(kernelDilations, numSpatial)
	if len(paddings) == 0 {
		paddings = make([][2]int, numSpatial)
	}
	channelGroupCount = max(channelGroupCount, 1)
	batchGroupCount = max(batchGroupCount, 1)
	if len(strides) != numSpatial || len(inputDilations) != numSpatial || len(kernelDilations) != numSpatial || len(paddings) != numSpatial {
		return nil, fmt.Errorf("strides %v, paddings %v, input dilations %v and kernel dilations %v must have one value per spatial axis (%d)",
			strides, paddings, inputDilations, kernelDilations, numSpatial)
	}
	for i := range numSpatial {
		if strides[i] < 1 || inputDilations[i] < 1 || kernelDilations[i] < 1 {
			return nil, fmt.Errorf("strides %v, input dilations %v and kernel dilations %v must be >= 1", strides, inputDilations, kernelDilations)
		}
	}
	if batchGroupCount > 1 || !inShape.DType.IsFloat() {
		return b.Builder.ConvGeneral(input, kernel, axes, strides, paddings, inputDilations, kernelDilations, channelGroupCount, batchGroupCount)
	}

	if out, ok := b.kernelGradientLayoutConv(input, kernel, axes, paddings, strides, inputDilations, kernelDilations, channelGroupCount); ok {
		return out, nil
	}

	// Canonical layouts: x [B, S..., C], w [K..., Cg, Cout].
	batch := inShape.Dimensions[axes.InputBatch]
	channels := inShape.Dimensions[axes.InputChannels]
	kernelIn := kShape.Dimensions[axes.KernelInputChannels]
	kernelOut := kShape.Dimensions[axes.KernelOutputChannels]
	groups := channelGroupCount
	if channels != kernelIn*groups || kernelOut%groups != 0 {
		return nil, fmt.Errorf("input channels %d must equal kernel input channels %d x %d groups, and kernel output channels %d divide by the groups",
			channels, kernelIn, groups, kernelOut)
	}
	xPerm := append(append([]int{axes.InputBatch}, axes.InputSpatial...), axes.InputChannels)
	x := b.transposeIfNeeded(input, xPerm)
	wPerm := append(slices.Clone(axes.KernelSpatial), axes.KernelInputChannels, axes.KernelOutputChannels)
	w := b.transposeIfNeeded(kernel, wPerm)

	pads := make([]backends.PadAxis, numSpatial+1)
	needsPad := false
	for i := range numSpatial {
		pads[i+1] = backends.PadAxis{Start: paddings[i][0], End: paddings[i][1], Interior: inputDilations[i] - 1}
		needsPad = needsPad || pads[i+1] != backends.PadAxis{}
	}
	unpadded := x
	if needsPad {
		x = must(b.Pad(x, b.scalarOf(inShape.DType, 0), pads...))
	}
	padded := b.shapeOf(x).Dimensions

	kernelDims := make([]int, numSpatial)
	effective := make([]int, numSpatial)
	outDims := make([]int, numSpatial)
	for i := range numSpatial {
		kernelDims[i] = kShape.Dimensions[axes.KernelSpatial[i]]
		effective[i] = (kernelDims[i]-1)*kernelDilations[i] + 1
		if padded[i+1] < effective[i] {
			return nil, fmt.Errorf("spatial axis %d: padded input size %d is smaller than the dilated kernel size %d", i, padded[i+1], effective[i])
		}
		outDims[i] = (padded[i+1]-effective[i])/strides[i] + 1
	}
	numKernel, numOut := product(kernelDims), product(outDims)

	var patches backends.Op
	var canonical backends.Op // [B, O..., Cout]
	groupOut := kernelOut / groups
	winograd := useWinograd(numSpatial, kernelDims, strides, kernelDilations, groups, kernelIn, padded)
	if winograd && !convIm2colExecutor {
		canonical = b.winogradConv(x, w)
	} else if !winograd && useWinogradKernelGradient(inShape.DType, numSpatial, kernelDims, outDims, strides, kernelDilations, groups, batch, kernelOut) {
		canonical = b.winogradKernelGradient(x, w, false)
	} else if convIm2colExecutor && (winograd || numKernel <= numOut && groups == 1 && numSpatial <= 2) {
		// simplego's ConvGeneral node, in the canonical layout, run by
		// execConvIm2col (conv_exec.go): winogradConv's algorithm
		// (winogradExec), or the im2col patches written once, straight from
		// the unpadded input (the Pad above is then unused and skipped).
		canonical = must(b.Builder.ConvGeneral(unpadded, w, canonicalConvAxes(numSpatial), strides, paddings,
			inputDilations, kernelDilations, 1, 1))
	} else if numKernel <= numOut {
		// One slice per kernel position: patches [numKernel, B, O..., C].
		parts := make([]backends.Op, 0, numKernel)
		forEachIndex(kernelDims, func(k []int) {
			starts, limits, steps := make([]int, numSpatial+2), slices.Clone(padded), onesOr(nil, numSpatial+2)
			for i := range numSpatial {
				starts[i+1] = k[i] * kernelDilations[i]
				limits[i+1] = starts[i+1] + (outDims[i]-1)*strides[i] + 1
				steps[i+1] = strides[i]
			}
			s := must(b.Builder.Slice(x, starts, limits, steps))
			parts = append(parts, must(b.Builder.Reshape(s, 1, batch*numOut*channels)))
		})
		patches = b.concat(0, parts)
		if groups == 1 {
			patches = must(b.Builder.Reshape(patches, numKernel, batch*numOut, channels))
			wk := must(b.Builder.Reshape(w, numKernel, kernelIn, kernelOut))
			canonical = must(b.DotGeneral(patches, []int{0, 2}, nil, wk, []int{0, 1}, nil)) // [B*O, Cout]
		} else {
			patches = must(b.Builder.Reshape(patches, numKernel, batch*numOut, groups, kernelIn))
			wk := must(b.Builder.Reshape(w, numKernel, kernelIn, groups, groupOut))
			canonical = must(b.DotGeneral(patches, []int{0, 3}, []int{2}, wk, []int{0, 1}, []int{2})) // [G, B*O, Og]
			canonical = must(b.Builder.Transpose(canonical, 1, 0, 2))
		}
	} else {
		// One slice per output position: patches [numOut, B, K..., C].
		parts := make([]backends.Op, 0, numOut)
		forEachIndex(outDims, func(o []int) {
			starts, limits, steps := make([]int, numSpatial+2), slices.Clone(padded), onesOr(nil, numSpatial+2)
			for i := range numSpatial {
				starts[i+1] = o[i] * strides[i]
				limits[i+1] = starts[i+1] + effective[i]
				steps[i+1] = kernelDilations[i]
			}
			s := must(b.Builder.Slice(x, starts, limits, steps))
			parts = append(parts, must(b.Builder.Reshape(s, 1, batch*numKernel*channels)))
		})
		patches = b.concat(0, parts)
		if groups == 1 {
			patches = must(b.Builder.Reshape(patches, numOut, batch, numKernel*channels))
			wk := must(b.Builder.Reshape(w, numKernel*kernelIn, kernelOut))
			canonical = must(b.DotGeneral(patches, []int{2}, nil, wk, []int{0}, nil)) // [O, B, Cout]
			canonical = must(b.Builder.Transpose(canonical, 1, 0, 2))
		} else {
			patches = must(b.Builder.Reshape(patches, numOut, batch, numKernel, groups, kernelIn))
			wk := must(b.Builder.Reshape(w, numKernel, kernelIn, groups, groupOut))
			canonical = must(b.DotGeneral(patches, []int{2, 4}, []int{3}, wk, []int{0, 1}, []int{2})) // [G, O, B, Og]
			canonical = must(b.Builder.Transpose(canonical, 2, 1, 0, 3))
		}
	}
	canonicalDims := append(append([]int{batch}, outDims...), kernelOut)
	canonical = must(b.Builder.Reshape(canonical, canonicalDims...))

	// Back to the requested output layout.
	outPerm := make([]int, numSpatial+2)
	outPerm[axes.OutputBatch] = 0
	outPerm[axes.OutputChannels] = numSpatial + 1
	for i, axis := range axes.OutputSpatial {
		outPerm[axis] = i + 1
	}
	return b.transposeIfNeeded(canonical, outPerm), nil
}

// transposeIfNeeded returns Transpose(x, perm), or x when perm is the identity.
func (b *Builder) transposeIfNeeded(x backends.Op, perm []int) backends.Op {
	for i, p := range perm {
		if i != p {
			return must(b.Builder.Transpose(x, perm...))
		}
	}
	return x
}

// concat concatenates parts on axis, or returns the only part.
func (b *Builder) concat(axis int, parts []backends.Op) backends.Op {
	if len(parts) == 1 {
		return parts[0]
	}
	return must(b.Builder.Concatenate(axis, parts...))
}

// forEachIndex calls fn with every multi-index in the box dims, last axis fastest.
// fn must not keep the slice.
func forEachIndex(dims []int, fn func(idx []int)) {
	idx := make([]int, len(dims))
	if product(dims) == 0 {
		return
	}
	for {
		fn(idx)
		axis := len(dims) - 1
		for axis >= 0 {
			idx[axis]++
			if idx[axis] < dims[axis] {
				break
			}
			idx[axis] = 0
			axis--
		}
		if axis < 0 {
			return
		}
	}
}

// kernelGradientLayoutConv handles, without transposing its large operands,
// the convolutions GoMLX builds for the kernel gradient of a channels-last
// layer: input [C', S..., B'] (the layer's batch as channels, its channels as
// batch) and kernel [C', K..., Cout] (the output's gradient), with an output
// smaller than the kernel. It uses winogradKernelGradient where that applies,
// else im2col: with one or two spatial axes a simplego ConvGeneral node in
// this layout that kernelGradientIm2col runs (conv_exec.go), otherwise one
// Slice per output position. ok is false, with nothing
// built, for any other configuration.
func (b *Builder) kernelGradientLayoutConv(input, kernel backends.Op, axes backends.ConvolveAxesConfig,
	paddings [][2]int, strides, inputDilations, kernelDilations []int, groups int) (out backends.Op, ok bool) {
	n := len(axes.InputSpatial)
	if groups != 1 || axes.InputChannels != 0 || axes.InputBatch != n+1 || axes.KernelInputChannels != 0 || axes.KernelOutputChannels != n+1 {
		return nil, false
	}
	for i := range n {
		if axes.InputSpatial[i] != i+1 || axes.KernelSpatial[i] != i+1 || inputDilations[i] != 1 {
			return nil, false
		}
	}
	inShape, kShape := b.shapeOf(input), b.shapeOf(kernel)
	contractChannels, batch := inShape.Dimensions[0], inShape.Dimensions[n+1]
	outChannels := kShape.Dimensions[n+1]
	if kShape.Dimensions[0] != contractChannels {
		return nil, false
	}
	pads := make([]backends.PadAxis, n+2)
	needsPad := false
	for i := range n {
		pads[i+1] = backends.PadAxis{Start: paddings[i][0], End: paddings[i][1]}
		needsPad = needsPad || pads[i+1] != backends.PadAxis{}
	}
	kernelDims, effective, outDims := make([]int, n), make([]int, n), make([]int, n)
	for i := range n {
		kernelDims[i] = kShape.Dimensions[i+1]
		effective[i] = (kernelDims[i]-1)*kernelDilations[i] + 1
		padded := inShape.Dimensions[i+1] + paddings[i][0] + paddings[i][1]
		if padded < effective[i] {
			return nil, false
		}
		outDims[i] = (padded-effective[i])/strides[i] + 1
	}
	numKernel, numOut := product(kernelDims), product(outDims)
	if numOut >= numKernel {
		return nil, false
	}
	x := input
	if needsPad {
		x = must(b.Pad(x, b.scalarOf(inShape.DType, 0), pads...))
	}
	var canonical backends.Op // [B', O..., Cout]
	if convIm2colExecutor && n <= 2 {
		// simplego's ConvGeneral node in this layout (output canonical), run
		// from the unpadded input by winogradKernelGradientExec where
		// useWinogradKernelGradient holds (winograd_grad_exec.go), else by
		// kernelGradientIm2col (conv_exec.go).
		canonical = must(b.Builder.ConvGeneral(input, kernel, gradientConvAxes(n), strides, paddings, nil, kernelDilations, 1, 1))
	} else if useWinogradKernelGradient(inShape.DType, n, kernelDims, outDims, strides, kernelDilations, groups, batch, outChannels) {
		canonical = b.winogradKernelGradient(x, kernel, true)
	} else {
		xDims := b.shapeOf(x).Dimensions
		parts := make([]backends.Op, 0, numOut)
		forEachIndex(outDims, func(o []int) {
			starts, limits, steps := make([]int, n+2), slices.Clone(xDims), onesOr(nil, n+2)
			for i := range n {
				starts[i+1] = o[i] * strides[i]
				limits[i+1] = starts[i+1] + effective[i]
				steps[i+1] = kernelDilations[i]
			}
			s := must(b.Builder.Slice(x, starts, limits, steps)) // [C', K..., B']
			parts = append(parts, must(b.Builder.Reshape(s, 1, contractChannels*numKernel*batch)))
		})
		patches := must(b.Builder.Reshape(b.concat(0, parts), numOut, contractChannels*numKernel, batch))
		wk := must(b.Builder.Reshape(kernel, contractChannels*numKernel, outChannels))
		canonical = must(b.DotGeneral(patches, []int{1}, nil, wk, []int{0}, nil)) // [O, B', Cout]
		canonical = must(b.Builder.Transpose(canonical, 1, 0, 2))
	}
	canonical = must(b.Builder.Reshape(canonical, slices.Concat([]int{batch}, outDims, []int{outChannels})...))
	outPerm := make([]int, n+2)
	outPerm[axes.OutputBatch] = 0
	outPerm[axes.OutputChannels] = n + 1
	for i, axis := range axes.OutputSpatial {
		outPerm[axis] = i + 1
	}
	rewriteCounts.kernelGradientLayout.Add(1)
	return b.transposeIfNeeded(canonical, outPerm), true
}
