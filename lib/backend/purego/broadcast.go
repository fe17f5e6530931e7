package purego

import (
	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/pkg/core/shapes"
)

// minExplicitBroadcast is the fewest output elements for which a binary op's
// implicit broadcasting is replaced by an explicit BroadcastInDim (see
// broadcastForBinaryOp); below it the extra node costs more than it saves.
const minExplicitBroadcast = 1 << 10

// broadcastForBinaryOp returns lhs and rhs ready for a same-shape elementwise
// op when they differ only by axes of size 1 that broadcast — a bias [1, C]
// added to activations [B, C], a row maximum [B, 1] subtracted from logits
// [B, C], or both at once. simplego broadcasts implicitly with a per-element
// index iterator (≈5 ns per element); the explicit BroadcastInDim built here
// instead runs on purego's executor (broadcast_exec.go), which copies or fills
// whole rows, and the same-shape op then runs at memory speed. ok is false
// when no rewrite applies: equal shapes, a single-element operand (simplego's
// own fast case), different ranks or dtypes, or a small output.
func (b *Builder) broadcastForBinaryOp(lhs, rhs backends.Op) (newLhs, newRhs backends.Op, ok bool) {
	ls, rs := b.shapeOf(lhs), b.shapeOf(rhs)
	if ls.Rank() != rs.Rank() || ls.Rank() == 0 || ls.DType != rs.DType || ls.Equal(rs) || ls.Size() == 1 || rs.Size() == 1 {
		return nil, nil, false
	}
	dims := make([]int, ls.Rank())
	for i, l := range ls.Dimensions {
		r := rs.Dimensions[i]
		switch {
		case l == r || r == 1:
			dims[i] = l
		case l == 1:
			dims[i] = r
		default:
			return nil, nil, false // Not broadcastable: let simplego report it.
		}
	}
	out := shapes.Make(ls.DType, dims...)
	if out.Size() < minExplicitBroadcast {
		return nil, nil, false
	}
	axes := make([]int, len(dims))
	for i := range axes {
		axes[i] = i
	}
	expand := func(op backends.Op, s shapes.Shape) backends.Op {
		if s.Equal(out) {
			return op
		}
		return must(b.Builder.BroadcastInDim(op, out, axes))
	}
	rewriteCounts.explicitBroadcast.Add(1)
	return expand(lhs, ls), expand(rhs, rs), true
}

// binaryOp runs op on lhs and rhs, broadcasting them explicitly first (see broadcastForBinaryOp).
func (b *Builder) binaryOp(name string, op func(lhs, rhs backends.Op) (backends.Op, error), lhs, rhs backends.Op) (out backends.Op, err error) {
	defer recoverOp(name, &err)
	if l, r, ok := b.broadcastForBinaryOp(lhs, rhs); ok {
		return op(l, r)
	}
	return op(lhs, rhs)
}

// Add is simplego's Add, with broadcasting made explicit (see
// broadcastForBinaryOp), except for a row vector rhs [1, ..., 1, C] added to
// lhs [..., C] — a bias — which execRowOp (rowop_exec.go) adds row by row
// without materializing the broadcast: the same sums, lhs + rhs, element by element.
//
// An Add of two scalar products of one shape — Adam's moments — is one fused
// node instead (adam_exec.go's fusedProducts); every Add is recorded for
// fusedAdamUpdate.
func (b *Builder) Add(lhs, rhs backends.Op) (out backends.Op, err error) {
	defer recoverOp("Add", &err)
	defer func() {
		if err == nil {
			b.record(out, backends.OpTypeAdd, lhs, rhs)
		}
	}()
	if fused, ok := b.fusedProducts(lhs, rhs); ok {
		return fused, nil
	}
	if ls, rs := b.shapeOf(lhs), b.shapeOf(rhs); ls.DType.IsFloat() && isRowVector(ls, rs) {
		return b.Builder.Add(lhs, rhs)
	}
	return b.binaryOp("Add", b.Builder.Add, lhs, rhs)
}

// Sub is simplego's Sub, with broadcasting made explicit (see
// broadcastForBinaryOp), except for Adam's parameter update w − step, built as
// one fused node (adam_exec.go's fusedAdamUpdate).
func (b *Builder) Sub(lhs, rhs backends.Op) (backends.Op, error) {
	if fused, ok := b.fusedAdamUpdate(lhs, rhs); ok {
		return fused, nil
	}
	return b.binaryOp("Sub", b.Builder.Sub, lhs, rhs)
}

// Div is simplego's Div, with broadcasting made explicit (see
// broadcastForBinaryOp) and its operands recorded for fusedAdamUpdate.
func (b *Builder) Div(lhs, rhs backends.Op) (backends.Op, error) {
	out, err := b.binaryOp("Div", b.Builder.Div, lhs, rhs)
	if err == nil {
		b.record(out, backends.OpTypeDiv, lhs, rhs)
	}
	return out, err
}

// Max is simplego's Max, with broadcasting made explicit (see broadcastForBinaryOp).
func (b *Builder) Max(lhs, rhs backends.Op) (backends.Op, error) {
	return b.binaryOp("Max", b.Builder.Max, lhs, rhs)
}

// Min is simplego's Min, with broadcasting made explicit (see broadcastForBinaryOp).
func (b *Builder) Min(lhs, rhs backends.Op) (backends.Op, error) {
	return b.binaryOp("Min", b.Builder.Min, lhs, rhs)
}
