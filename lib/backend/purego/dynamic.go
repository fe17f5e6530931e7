package purego

import (
	"fmt"
	"slices"

	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/shapes"
)

// startVector clamps each scalar start index to [0, dims[i]-sizes[i]] and
// returns them as one Int32 vector [rank].
func (b *Builder) startVector(startIndices []backends.Op, dims, sizes []int) backends.Op {
	parts := make([]backends.Op, len(startIndices))
	for i, start := range startIndices {
		s := b.shapeOf(start)
		if s.Rank() != 0 || !s.DType.IsInt() {
			panic(opError{fmt.Errorf("start index %d must be an integer scalar, got %s", i, s)})
		}
		idx := start
		if s.DType != dtypes.Int32 {
			idx = must(b.Builder.ConvertDType(idx, dtypes.Int32))
		}
		lo := must(b.Builder.Constant([]int32{0}))
		lo = must(b.Builder.Reshape(lo))
		hi := must(b.Builder.Constant([]int32{int32(dims[i] - sizes[i])}))
		hi = must(b.Builder.Reshape(hi))
		idx = must(b.Builder.Clamp(lo, idx, hi))
		parts[i] = must(b.Builder.Reshape(idx, 1))
	}
	return b.concat(0, parts)
}

// DynamicSlice returns the block of operand of dimensions sliceDims starting
// at startIndices (one integer scalar per axis, clamped so the block fits). It
// is a Gather of one block.
func (b *Builder) DynamicSlice(operand backends.Op, startIndices []backends.Op, sliceDims []int) (out backends.Op, err error) {
	defer recoverOp("DynamicSlice", &err)
	shape := b.shapeOf(operand)
	rank := shape.Rank()
	if len(startIndices) != rank || len(sliceDims) != rank {
		return nil, fmt.Errorf("operand %s needs %d start indices and slice dimensions, got %d and %v", shape, rank, len(startIndices), sliceDims)
	}
	for i, d := range sliceDims {
		if d < 0 || d > shape.Dimensions[i] {
			return nil, fmt.Errorf("slice dimensions %v do not fit operand %s", sliceDims, shape)
		}
	}
	if rank == 0 {
		return must(b.Builder.Identity(operand)), nil
	}
	starts := b.startVector(startIndices, shape.Dimensions, sliceDims)
	allAxes := make([]int, rank)
	for i := range allAxes {
		allAxes[i] = i
	}
	return must(b.Builder.Gather(operand, starts, 0, allAxes, nil, allAxes, slices.Clone(sliceDims), true)), nil
}

// DynamicUpdateSlice returns operand with the block update written at
// startIndices (one integer scalar per axis, clamped so the block fits). Each
// position of operand gathers its value from update (with clamped indices),
// and Where keeps operand's value outside the block.
func (b *Builder) DynamicUpdateSlice(operand, update backends.Op, startIndices []backends.Op) (out backends.Op, err error) {
	defer recoverOp("DynamicUpdateSlice", &err)
	shape, uShape := b.shapeOf(operand), b.shapeOf(update)
	rank := shape.Rank()
	if len(startIndices) != rank || uShape.Rank() != rank || uShape.DType != shape.DType {
		return nil, fmt.Errorf("operand %s, update %s and %d start indices do not match", shape, uShape, len(startIndices))
	}
	for i, d := range uShape.Dimensions {
		if d > shape.Dimensions[i] {
			return nil, fmt.Errorf("update %s does not fit operand %s", uShape, shape)
		}
	}
	if rank == 0 {
		return must(b.Builder.Identity(update)), nil
	}
	starts := b.startVector(startIndices, shape.Dimensions, uShape.Dimensions) // [rank]
	iShape := shapes.Make(dtypes.Int32, shape.Dimensions...)
	expanded := append(slices.Clone(shape.Dimensions), 1)
	zero := must(b.Builder.Reshape(must(b.Builder.Constant([]int32{0}))))
	var inside backends.Op
	parts := make([]backends.Op, rank)
	allAxes := make([]int, rank)
	ones := make([]int, rank)
	for axis := range rank {
		allAxes[axis], ones[axis] = axis, 1
		start := must(b.Builder.Reshape(b.sliceAxis(starts, 0, axis, axis+1, 1)))
		relative := must(b.Builder.Sub(must(b.Builder.Iota(iShape, axis)), must(b.Builder.BroadcastInDim(start, iShape, nil))))
		last := must(b.Builder.Reshape(must(b.Builder.Constant([]int32{int32(uShape.Dimensions[axis] - 1)}))))
		lo := must(b.Builder.BroadcastInDim(zero, iShape, nil))
		hi := must(b.Builder.BroadcastInDim(last, iShape, nil))
		axisInside := must(b.Builder.LogicalAnd(must(b.Builder.GreaterOrEqual(relative, lo)), must(b.Builder.LessOrEqual(relative, hi))))
		if inside == nil {
			inside = axisInside
		} else {
			inside = must(b.Builder.LogicalAnd(inside, axisInside))
		}
		clamped := must(b.Builder.Clamp(zero, relative, last))
		parts[axis] = must(b.Builder.Reshape(clamped, expanded...))
	}
	indices := b.concat(rank, parts) // [dims..., rank]
	gathered := must(b.Builder.Gather(update, indices, rank, nil, allAxes, allAxes, ones, false))
	return must(b.Builder.Where(inside, gathered, operand)), nil
}
