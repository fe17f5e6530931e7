package purego

import (
	"github.com/gomlx/gomlx/backends"
)

// minTiledBroadcast is the fewest output elements for which a binary op's
// implicit broadcasting is replaced by tiling (see tileForBinaryOp).
const minTiledBroadcast = 1 << 15

// tileForBinaryOp returns lhs and rhs ready for a same-shape elementwise op
// when one of them broadcasts over leading axes only — a bias [1, …, 1, C]
// added to activations [B, H, W, C], say. simplego broadcasts implicitly with
// a per-element index iterator (≈5 ns per element); tiling the small operand
// by repeated Concatenate doubling copies whole blocks instead, and the
// same-shape op then runs at memory speed. ok is false when the pattern does
// not match or the tensors are too small to matter.
func (b *Builder) tileForBinaryOp(lhs, rhs backends.Op) (newLhs, newRhs backends.Op, ok bool) {
	ls, rs := b.shapeOf(lhs), b.shapeOf(rhs)
	if ls.Rank() != rs.Rank() || ls.Rank() < 2 || ls.DType != rs.DType || ls.Equal(rs) {
		return nil, nil, false
	}
	small, big := rhs, lhs
	ss, bs := rs, ls
	if rs.Size() > ls.Size() {
		small, big, ss, bs = lhs, rhs, ls, rs
	}
	if bs.Size() < minTiledBroadcast {
		return nil, nil, false
	}
	// small must be [1, …, 1, d_k, …, d_r] with d_i == big's for i >= k, k >= 1.
	k := 0
	for k < ss.Rank() && ss.Dimensions[k] == 1 && bs.Dimensions[k] != 1 {
		k++
	}
	if k == 0 {
		return nil, nil, false
	}
	for i := k; i < ss.Rank(); i++ {
		if ss.Dimensions[i] != bs.Dimensions[i] {
			return nil, nil, false
		}
	}
	rows := product(bs.Dimensions[:k])
	rowSize := product(bs.Dimensions[k:])
	tiled := b.tileRows(must(b.Builder.Reshape(small, 1, rowSize)), rows)
	tiled = must(b.Builder.Reshape(tiled, bs.Dimensions...))
	rewriteCounts.tiledBroadcast.Add(1)
	if small == rhs {
		return big, tiled, true
	}
	return tiled, big, true
}

// tileRows repeats the single row of row [1, n] to [rows, n] by Concatenate
// doubling: about 2·log2(rows) ops, each a block copy.
func (b *Builder) tileRows(row backends.Op, rows int) backends.Op {
	var parts []backends.Op
	power := row // 2^i rows
	for count := rows; count > 0; count >>= 1 {
		if count&1 == 1 {
			parts = append(parts, power)
		}
		if count > 1 {
			power = must(b.Builder.Concatenate(0, power, power))
		}
	}
	return b.concat(0, parts)
}

// binaryOp runs op on lhs and rhs, tiling a leading-axes broadcast first.
func (b *Builder) binaryOp(name string, op func(lhs, rhs backends.Op) (backends.Op, error), lhs, rhs backends.Op) (out backends.Op, err error) {
	defer recoverOp(name, &err)
	if l, r, ok := b.tileForBinaryOp(lhs, rhs); ok {
		return op(l, r)
	}
	return op(lhs, rhs)
}

// Add is simplego's Add, with leading-axes broadcasting done by tiling (see tileForBinaryOp).
func (b *Builder) Add(lhs, rhs backends.Op) (backends.Op, error) {
	return b.binaryOp("Add", b.Builder.Add, lhs, rhs)
}

// Sub is simplego's Sub, with leading-axes broadcasting done by tiling (see tileForBinaryOp).
func (b *Builder) Sub(lhs, rhs backends.Op) (backends.Op, error) {
	return b.binaryOp("Sub", b.Builder.Sub, lhs, rhs)
}

// Div is simplego's Div, with leading-axes broadcasting done by tiling (see tileForBinaryOp).
func (b *Builder) Div(lhs, rhs backends.Op) (backends.Op, error) {
	return b.binaryOp("Div", b.Builder.Div, lhs, rhs)
}

// Max is simplego's Max, with leading-axes broadcasting done by tiling (see tileForBinaryOp).
func (b *Builder) Max(lhs, rhs backends.Op) (backends.Op, error) {
	return b.binaryOp("Max", b.Builder.Max, lhs, rhs)
}

// Min is simplego's Min, with leading-axes broadcasting done by tiling (see tileForBinaryOp).
func (b *Builder) Min(lhs, rhs backends.Op) (backends.Op, error) {
	return b.binaryOp("Min", b.Builder.Min, lhs, rhs)
}
