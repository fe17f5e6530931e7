package purego

import (
	"fmt"
	"slices"

	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/shapes"
)

// scalarOf returns a scalar constant of dtype holding v (converted from float64).
func (b *Builder) scalarOf(dtype dtypes.DType, v float64) backends.Op {
	c := must(b.Builder.Constant([]float64{v}))
	if dtype == dtypes.Float64 {
		return c
	}
	return must(b.Builder.ConvertDType(c, dtype))
}

// fill returns a tensor of the given dtype and dimensions holding the scalar op value everywhere.
func (b *Builder) fill(value backends.Op, dims []int) backends.Op {
	dtype := b.shapeOf(value).DType
	return must(b.Builder.BroadcastInDim(value, shapes.Make(dtype, dims...), nil))
}

// sliceAxis returns x[..., start:limit:stride, ...] on axis only.
func (b *Builder) sliceAxis(x backends.Op, axis, start, limit, stride int) backends.Op {
	dims := b.shapeOf(x).Dimensions
	starts := make([]int, len(dims))
	limits := slices.Clone(dims)
	strides := make([]int, len(dims))
	for i := range strides {
		strides[i] = 1
	}
	starts[axis], limits[axis], strides[axis] = start, limit, stride
	return must(b.Builder.Slice(x, starts, limits, strides))
}

// withDim returns dims with dims[axis] replaced by size.
func withDim(dims []int, axis, size int) []int {
	out := slices.Clone(dims)
	out[axis] = size
	return out
}

// Pad adds Start values before, End values after and Interior values between
// the elements of each axis of x, all equal to the scalar fillValue; negative
// Start or End remove elements instead. Axes without a PadAxis are left as they are.
// It is built from Reshape, BroadcastInDim, Concatenate and Slice.
func (b *Builder) Pad(x, fillValue backends.Op, axesConfig ...backends.PadAxis) (out backends.Op, err error) {
	defer recoverOp("Pad", &err)
	shape := b.shapeOf(x)
	if len(axesConfig) > shape.Rank() {
		return nil, fmt.Errorf("got %d axes of padding for operand %s of rank %d", len(axesConfig), shape, shape.Rank())
	}
	if fs := b.shapeOf(fillValue); fs.Rank() != 0 || fs.DType != shape.DType {
		return nil, fmt.Errorf("fill value must be a scalar of dtype %s, got %s", shape.DType, fs)
	}
	out = x
	for axis, pad := range axesConfig {
		if pad.Interior < 0 {
			return nil, fmt.Errorf("negative interior padding %d on axis %d", pad.Interior, axis)
		}
		out = b.padAxis(out, fillValue, axis, pad)
	}
	if out == x {
		out = must(b.Builder.Identity(x))
	}
	return out, nil
}

// padAxis pads one axis: interior first, then the edges (which may be negative).
func (b *Builder) padAxis(x, fillValue backends.Op, axis int, pad backends.PadAxis) backends.Op {
	dims := b.shapeOf(x).Dimensions
	n := dims[axis]
	if pad.Interior > 0 && n > 1 {
		// [..., n, ...] -> [..., n, 1, ...] ++ fill [..., n, interior, ...] -> [..., n*(1+interior), ...] -> drop the last interior.
		expanded := slices.Insert(slices.Clone(dims), axis+1, 1)
		x = must(b.Builder.Reshape(x, expanded...))
		holes := b.fill(fillValue, withDim(expanded, axis+1, pad.Interior))
		x = must(b.Builder.Concatenate(axis+1, x, holes))
		x = must(b.Builder.Reshape(x, withDim(dims, axis, n*(1+pad.Interior))...))
		n = n + (n-1)*pad.Interior
		x = b.sliceAxis(x, axis, 0, n, 1)
		dims = withDim(dims, axis, n)
	}
	// The result holds positions [0, total), with x at [pad.Start, pad.Start+n):
	// negative edges crop, positive ones fill.
	total := pad.Start + n + pad.End
	if total < 0 {
		panic(opError{fmt.Errorf("padding %+v leaves a negative size on axis %d of size %d", pad, axis, dims[axis])})
	}
	lo, hi := max(pad.Start, 0), min(pad.Start+n, total)
	parts := make([]backends.Op, 0, 3)
	if hi > lo {
		if lo-pad.Start != 0 || hi-pad.Start != n {
			x = b.sliceAxis(x, axis, lo-pad.Start, hi-pad.Start, 1)
		}
		if lo > 0 {
			parts = append(parts, b.fill(fillValue, withDim(dims, axis, lo)))
		}
		parts = append(parts, x)
		if total > hi {
			parts = append(parts, b.fill(fillValue, withDim(dims, axis, total-hi)))
		}
	} else if total > 0 {
		parts = append(parts, b.fill(fillValue, withDim(dims, axis, total)))
	} else {
		panic(opError{fmt.Errorf("padding %+v leaves an empty axis %d", pad, axis)})
	}
	if len(parts) == 1 {
		return parts[0]
	}
	return must(b.Builder.Concatenate(axis, parts...))
}

// Reverse returns x with the order of the elements of each of axes reversed.
// It is built from Slice and Concatenate.
func (b *Builder) Reverse(x backends.Op, axes ...int) (out backends.Op, err error) {
	defer recoverOp("Reverse", &err)
	shape := b.shapeOf(x)
	out = x
	for _, axis := range axes {
		if axis < 0 || axis >= shape.Rank() {
			return nil, fmt.Errorf("axis %d out of range for operand %s", axis, shape)
		}
		n := shape.Dimensions[axis]
		if n <= 1 {
			continue
		}
		parts := make([]backends.Op, n)
		for i := range n {
			parts[i] = b.sliceAxis(out, axis, n-1-i, n-i, 1)
		}
		out = must(b.Builder.Concatenate(axis, parts...))
	}
	if out == x {
		out = must(b.Builder.Identity(x))
	}
	return out, nil
}
