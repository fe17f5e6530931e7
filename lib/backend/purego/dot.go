package purego

import (
	"slices"
	"sync/atomic"

	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/pkg/core/shapes"
)

// rewriteCounts counts the rewrites applied, by kind, for tests to check that
// a case really takes the path it is meant to cover.
var rewriteCounts struct {
	contraction, winograd, winogradKernelGradient, explicitBroadcast, fastBroadcast, broadcastFallback, fastSign, fastReduce, reduceFallback, kernelGradientLayout, rowOp atomic.Int64
}

// mulRecord holds the operands of a Mul built by this builder.
type mulRecord struct{ lhs, rhs backends.Op }

// broadcastRecord holds the source and axes of a BroadcastInDim built by this builder.
type broadcastRecord struct {
	source        backends.Op
	broadcastAxes []int
}

// Mul is simplego's Mul, with broadcasting made explicit (see
// broadcastForBinaryOp), and its operands recorded so that [Builder.ReduceSum] can
// turn a reduced product into a DotGeneral.
func (b *Builder) Mul(lhs, rhs backends.Op) (backends.Op, error) {
	out, err := b.binaryOp("Mul", b.Builder.Mul, lhs, rhs)
	if err == nil {
		b.muls[out] = mulRecord{lhs, rhs}
	}
	return out, err
}

// BroadcastInDim is simplego's BroadcastInDim, with its source recorded so that
// [Builder.ReduceSum] can see through it.
func (b *Builder) BroadcastInDim(x backends.Op, outputShape shapes.Shape, broadcastAxes []int) (backends.Op, error) {
	out, err := b.Builder.BroadcastInDim(x, outputShape, broadcastAxes)
	if err == nil {
		b.broadcasts[out] = broadcastRecord{x, slices.Clone(broadcastAxes)}
	}
	return out, err
}

// ReduceSum sums x over axes (all axes when none are given). When x is the
// product of two tensors that are broadcast along different axes — the form
// in which GoMLX v0.26.0 builds the gradients of Dot and DotGeneral — the sum
// is rebuilt as one DotGeneral of the unbroadcast operands, so the large
// broadcast product is never computed (simplego's executor skips the unused
// Mul). Otherwise it is simplego's ReduceSum.
func (b *Builder) ReduceSum(x backends.Op, axes ...int) (backends.Op, error) {
	if out, ok := b.contractionFor(x, axes); ok {
		return out, nil
	}
	return b.Builder.ReduceSum(x, axes...)
}

// unbroadcast returns op, or when op is a BroadcastInDim that only keeps axes
// in order, its source reshaped to op's rank with size-1 axes where it was broadcast.
func (b *Builder) unbroadcast(op backends.Op) backends.Op {
	rec, ok := b.broadcasts[op]
	if !ok {
		return op
	}
	src, dst := b.shapeOf(rec.source), b.shapeOf(op)
	dims, ok := keptDims(src.Dimensions, dst.Dimensions, rec.broadcastAxes)
	if !ok {
		return op
	}
	if slices.Equal(dims, src.Dimensions) {
		return rec.source
	}
	return must(b.Builder.Reshape(rec.source, dims...))
}

// contractionFor rebuilds ReduceSum(Mul(lhs, rhs), axes) as a DotGeneral when
// every axis of the product is one of: present in both operands (a batch axis
// if kept, a contracting axis if summed), present in one operand only and
// kept (a cross axis), or of size 1 in both. ok is false, and nothing is
// built, when the pattern does not match.
func (b *Builder) contractionFor(x backends.Op, axes []int) (out backends.Op, ok bool) {
	rec, found := b.muls[x]
	if !found {
		return nil, false
	}
	xShape := b.shapeOf(x)
	if !xShape.DType.IsFloat() || xShape.Rank() == 0 {
		return nil, false
	}
	rank := xShape.Rank()
	if len(axes) == 0 {
		axes = make([]int, rank)
		for i := range axes {
			axes[i] = i
		}
	}
	reduced := make([]bool, rank)
	for _, a := range axes {
		if a < 0 || a >= rank || reduced[a] {
			return nil, false
		}
		reduced[a] = true
	}
	defer declineOnOpError(&out, &ok)
	lhs, rhs := b.unbroadcast(rec.lhs), b.unbroadcast(rec.rhs)
	lShape, rShape := b.shapeOf(lhs), b.shapeOf(rhs)
	if lShape.Rank() != rank || rShape.Rank() != rank {
		return nil, false
	}
	// Classify the axes of the product.
	var lKeep, rKeep []int // Axes of the product kept in each operand (size > 1 there).
	var contract, batch, lCross, rCross []int
	for axis := range rank {
		ld, rd := lShape.Dimensions[axis], rShape.Dimensions[axis]
		switch {
		case ld == 1 && rd == 1:
		case ld == rd:
			lKeep, rKeep = append(lKeep, axis), append(rKeep, axis)
			if reduced[axis] {
				contract = append(contract, axis)
			} else {
				batch = append(batch, axis)
			}
		case rd == 1 && !reduced[axis]:
			lKeep = append(lKeep, axis)
			lCross = append(lCross, axis)
		case ld == 1 && !reduced[axis]:
			rKeep = append(rKeep, axis)
			rCross = append(rCross, axis)
		default:
			return nil, false
		}
	}
	if len(contract) == 0 || len(lCross)+len(rCross) == 0 {
		// Without contraction there is nothing to gain; without cross axes the
		// product is no larger than its operands and Mul+ReduceSum is as fast.
		return nil, false
	}
	squeeze := func(op backends.Op, keep []int, dims []int) backends.Op {
		kept := make([]int, len(keep))
		for i, a := range keep {
			kept[i] = dims[a]
		}
		if len(kept) == len(dims) {
			return op
		}
		return must(b.Builder.Reshape(op, kept...))
	}
	position := func(keep []int, axis int) int { return slices.Index(keep, axis) }
	positions := func(keep, list []int) []int {
		out := make([]int, len(list))
		for i, a := range list {
			out[i] = position(keep, a)
		}
		return out
	}
	l := squeeze(lhs, lKeep, lShape.Dimensions)
	r := squeeze(rhs, rKeep, rShape.Dimensions)
	// The DotGeneral output is [batch..., lCross..., rCross...]; ReduceSum keeps the
	// remaining axes in their original order. When swapping the operands gives
	// that order and the original order does not, swap them: it saves a Transpose
	// of the output (GoMLX builds a dense layer's weight gradient this way).
	order := slices.Concat(batch, lCross, rCross)
	if swapped := slices.Concat(batch, rCross, lCross); !slices.IsSorted(order) && slices.IsSorted(swapped) {
		l, r = r, l
		lKeep, rKeep = rKeep, lKeep
		order = swapped
	}
	dot := must(b.DotGeneral(l, positions(lKeep, contract), positions(lKeep, batch),
		r, positions(rKeep, contract), positions(rKeep, batch)))
	sorted := slices.Clone(order)
	slices.Sort(sorted)
	perm := make([]int, len(order))
	for i, a := range sorted {
		perm[i] = slices.Index(order, a)
	}
	dot = b.transposeIfNeeded(dot, perm)
	var outDims []int
	for axis := range rank {
		if !reduced[axis] {
			outDims = append(outDims, xShape.Dimensions[axis])
		}
	}
	if !slices.Equal(b.shapeOf(dot).Dimensions, outDims) {
		dot = must(b.Builder.Reshape(dot, outDims...))
	}
	rewriteCounts.contraction.Add(1)
	return dot, true
}

// Dot is the matrix/vector product, built with [Builder.DotGeneral].
func (b *Builder) Dot(lhs, rhs backends.Op) (out backends.Op, err error) {
	defer recoverOp("Dot", &err)
	lr, rr := b.shapeOf(lhs).Rank(), b.shapeOf(rhs).Rank()
	switch {
	case lr == 1 && rr == 1, lr == 2 && rr == 1, lr == 2 && rr == 2:
		return b.DotGeneral(lhs, []int{lr - 1}, nil, rhs, []int{0}, nil)
	}
	return b.Builder.Dot(lhs, rhs)
}

// DotGeneral is simplego's DotGeneral node, which purego's executor runs on
// its own packed, cache-blocked and parallel GEMM (lib/internal/gemm, gemm_exec.go) for
// float32 and float64: any batch, contracting and cross axes, with transposed
// operands read through packing, no padding of small dimensions, and
// bit-identical results on every run.
func (b *Builder) DotGeneral(lhs backends.Op, lhsContractingAxes, lhsBatchAxes []int,
	rhs backends.Op, rhsContractingAxes, rhsBatchAxes []int) (backends.Op, error) {
	return b.Builder.DotGeneral(lhs, lhsContractingAxes, lhsBatchAxes, rhs, rhsContractingAxes, rhsBatchAxes)
}

// ceilBlock rounds n up to a multiple of blockDim.
func ceilBlock(n, blockDim int) int { return (n + blockDim - 1) / blockDim * blockDim }
