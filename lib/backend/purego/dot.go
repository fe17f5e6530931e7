package purego

import (
	"runtime"
	"slices"
	"sync/atomic"

	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/backends/simplego"
	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/shapes"
)

// rewriteCounts counts the rewrites applied, by kind, for tests to check that
// a case really takes the path it is meant to cover.
var rewriteCounts struct {
	contraction, tiny, split, blockDiagonal, diagonal, winograd, winogradKernelGradient, tiledBroadcast, kernelGradientLayout atomic.Int64
}

// mulRecord holds the operands of a Mul built by this builder.
type mulRecord struct{ lhs, rhs backends.Op }

// broadcastRecord holds the source and axes of a BroadcastInDim built by this builder.
type broadcastRecord struct {
	source        backends.Op
	broadcastAxes []int
}

// Mul is simplego's Mul, with leading-axes broadcasting done by tiling (see
// tileForBinaryOp), and its operands recorded so that [Builder.ReduceSum] can
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
	dims := make([]int, dst.Rank())
	for i := range dims {
		dims[i] = 1
	}
	for i, axis := range rec.broadcastAxes {
		if i > 0 && axis <= rec.broadcastAxes[i-1] {
			return op
		}
		if d := src.Dimensions[i]; d != 1 && d != dst.Dimensions[axis] {
			return op
		}
		dims[axis] = src.Dimensions[i]
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
	dot := must(b.DotGeneral(l, positions(lKeep, contract), positions(lKeep, batch),
		r, positions(rKeep, contract), positions(rKeep, batch)))
	// The DotGeneral output is [batch..., lCross..., rCross...]; ReduceSum keeps the
	// remaining axes in their original order.
	order := slices.Concat(batch, lCross, rCross)
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

// Dot is the matrix/vector product, built with [Builder.DotGeneral] so that it
// gets the same parallel split (simplego's own Dot calls its DotGeneral directly).
func (b *Builder) Dot(lhs, rhs backends.Op) (out backends.Op, err error) {
	defer recoverOp("Dot", &err)
	lr, rr := b.shapeOf(lhs).Rank(), b.shapeOf(rhs).Rank()
	switch {
	case lr == 1 && rr == 1, lr == 2 && rr == 1, lr == 2 && rr == 2:
		return b.DotGeneral(lhs, []int{lr - 1}, nil, rhs, []int{0}, nil)
	}
	return b.Builder.Dot(lhs, rhs)
}

// DotGeneral is simplego's DotGeneral (which purego configures to always use
// its blocked, parallel algorithm), except for:
//
//   - tiny products (at most [maxTinyProduct] multiply-adds), built as a
//     broadcast Mul and a ReduceSum, which avoids padding them to 64×64 blocks;
//   - products with a single batch example and few outputs, where a
//     contracting axis is split into [parallelism, rest], the parallelism part
//     becomes a batch axis so each core takes a share, and the partial
//     products are summed.
func (b *Builder) DotGeneral(lhs backends.Op, lhsContractingAxes, lhsBatchAxes []int,
	rhs backends.Op, rhsContractingAxes, rhsBatchAxes []int) (backends.Op, error) {
	if out, ok := b.tinyContraction(lhs, lhsContractingAxes, lhsBatchAxes, rhs, rhsContractingAxes, rhsBatchAxes); ok {
		return out, nil
	}
	if out, ok := b.blockPaddingRewrite(lhs, lhsContractingAxes, lhsBatchAxes, rhs, rhsContractingAxes, rhsBatchAxes); ok {
		return out, nil
	}
	return b.parallelDotGeneral(lhs, lhsContractingAxes, lhsBatchAxes, rhs, rhsContractingAxes, rhsBatchAxes)
}

// parallelDotGeneral is simplego's DotGeneral, with the contraction split
// across cores when simplego would run it on one (see splitContraction).
func (b *Builder) parallelDotGeneral(lhs backends.Op, lhsContractingAxes, lhsBatchAxes []int,
	rhs backends.Op, rhsContractingAxes, rhsBatchAxes []int) (backends.Op, error) {
	if out, ok := b.splitContraction(lhs, lhsContractingAxes, lhsBatchAxes, rhs, rhsContractingAxes, rhsBatchAxes); ok {
		return out, nil
	}
	return b.Builder.DotGeneral(lhs, lhsContractingAxes, lhsBatchAxes, rhs, rhsContractingAxes, rhsBatchAxes)
}

// splitParallelism is how many parts splitContraction cuts a contraction into.
var splitParallelism = min(runtime.NumCPU(), runtime.GOMAXPROCS(0), 8)

// minSplitWork is the number of multiply-adds below which splitting is not worth it.
const minSplitWork = 1 << 20

func (b *Builder) splitContraction(lhs backends.Op, lhsContract, lhsBatch []int,
	rhs backends.Op, rhsContract, rhsBatch []int) (out backends.Op, ok bool) {
	parts := splitParallelism
	if parts < 2 {
		return nil, false
	}
	defer declineOnOpError(&out, &ok)
	ls, rs := b.shapeOf(lhs), b.shapeOf(rhs)
	if ls.DType != rs.DType || (ls.DType != dtypes.Float32 && ls.DType != dtypes.Float64) ||
		len(lhsContract) != len(rhsContract) || len(lhsBatch) != len(rhsBatch) {
		return nil, false
	}
	size := func(dims []int, axes []int) int {
		p := 1
		for _, a := range axes {
			if a < 0 || a >= len(dims) {
				return -1
			}
			p *= dims[a]
		}
		return p
	}
	batchSize := size(ls.Dimensions, lhsBatch)
	contractSize := size(ls.Dimensions, lhsContract)
	if batchSize < 0 || contractSize < 0 || batchSize >= parts {
		return nil, false
	}
	lhsCross := ls.Size() / max(batchSize*contractSize, 1)
	rhsCross := rs.Size() / max(batchSize*contractSize, 1)
	blockDim := 1 << simplego.DotGeneralTargetBlockLog2Dim[ls.DType]
	if lhsCross*rhsCross > 16*blockDim*blockDim || batchSize*lhsCross*rhsCross*contractSize < minSplitWork {
		return nil, false // simplego's large-problem algorithm is already parallel, or too little work.
	}
	// Pick the largest contracting axis divisible by parts.
	pick := -1
	for i, a := range lhsContract {
		d := ls.Dimensions[a]
		if d%parts == 0 && d >= 2*parts && (pick < 0 || d > ls.Dimensions[lhsContract[pick]]) {
			pick = i
		}
	}
	if pick < 0 {
		return nil, false
	}
	split := func(op backends.Op, dims []int, axis int) backends.Op {
		newDims := slices.Concat(dims[:axis], []int{parts, dims[axis] / parts}, dims[axis+1:])
		return must(b.Builder.Reshape(op, newDims...))
	}
	// Axis indices after inserting one axis at position at (the parts axis): those >= at shift by one.
	shift := func(axes []int, at int) []int {
		out := make([]int, len(axes))
		for i, a := range axes {
			out[i] = a
			if a >= at {
				out[i]++
			}
		}
		return out
	}
	la, ra := lhsContract[pick], rhsContract[pick]
	lhs2 := split(lhs, ls.Dimensions, la)
	rhs2 := split(rhs, rs.Dimensions, ra)
	lc, rc := shift(lhsContract, la), shift(rhsContract, ra)
	lc[pick], rc[pick] = la+1, ra+1
	lb := append([]int{la}, shift(lhsBatch, la)...)
	rb := append([]int{ra}, shift(rhsBatch, ra)...)
	partial := must(b.Builder.DotGeneral(lhs2, lc, lb, rhs2, rc, rb)) // [parts, batch..., crosses...]
	out = must(b.Builder.ReduceSum(partial, 0))
	rewriteCounts.split.Add(1)
	return out, true
}

// maxTinyProduct is the most multiply-adds a product may need for
// tinyContraction to build it elementwise.
const maxTinyProduct = 1 << 14

// tinyContraction builds very small products as Transpose/Reshape, a
// broadcast Mul [batch, lhsCross, rhsCross, contract] and a ReduceSum.
func (b *Builder) tinyContraction(lhs backends.Op, lhsContract, lhsBatch []int,
	rhs backends.Op, rhsContract, rhsBatch []int) (out backends.Op, ok bool) {
	defer declineOnOpError(&out, &ok)
	ls, rs := b.shapeOf(lhs), b.shapeOf(rhs)
	if ls.DType != rs.DType || !ls.DType.IsFloat() || len(lhsContract) != len(rhsContract) || len(lhsBatch) != len(rhsBatch) {
		return nil, false
	}
	cross := func(rank int, contract, batch []int) []int {
		var axes []int
		for a := range rank {
			if !slices.Contains(contract, a) && !slices.Contains(batch, a) {
				axes = append(axes, a)
			}
		}
		return axes
	}
	for _, a := range slices.Concat(lhsContract, lhsBatch) {
		if a < 0 || a >= ls.Rank() {
			return nil, false
		}
	}
	for _, a := range slices.Concat(rhsContract, rhsBatch) {
		if a < 0 || a >= rs.Rank() {
			return nil, false
		}
	}
	lCross, rCross := cross(ls.Rank(), lhsContract, lhsBatch), cross(rs.Rank(), rhsContract, rhsBatch)
	dimsOf := func(dims, axes []int) []int {
		out := make([]int, len(axes))
		for i, a := range axes {
			out[i] = dims[a]
		}
		return out
	}
	batchDims := dimsOf(ls.Dimensions, lhsBatch)
	lCrossDims, rCrossDims := dimsOf(ls.Dimensions, lCross), dimsOf(rs.Dimensions, rCross)
	contractSize := product(dimsOf(ls.Dimensions, lhsContract))
	if contractSize != product(dimsOf(rs.Dimensions, rhsContract)) || !slices.Equal(batchDims, dimsOf(rs.Dimensions, rhsBatch)) {
		return nil, false
	}
	nb, nl, nr := product(batchDims), product(lCrossDims), product(rCrossDims)
	if nb*nl*nr*contractSize > maxTinyProduct || nb*nl*nr*contractSize == 0 {
		return nil, false
	}
	l := b.transposeIfNeeded(lhs, slices.Concat(lhsBatch, lCross, lhsContract))
	l = must(b.Builder.Reshape(l, nb, nl, 1, contractSize))
	r := b.transposeIfNeeded(rhs, slices.Concat(rhsBatch, rCross, rhsContract))
	r = must(b.Builder.Reshape(r, nb, 1, nr, contractSize))
	full := shapes.Make(ls.DType, nb, nl, nr, contractSize)
	l = must(b.Builder.BroadcastInDim(l, full, []int{0, 1, 2, 3}))
	r = must(b.Builder.BroadcastInDim(r, full, []int{0, 1, 2, 3}))
	summed := must(b.Builder.ReduceSum(must(b.Builder.Mul(l, r)), 3))
	out = must(b.Builder.Reshape(summed, slices.Concat(batchDims, lCrossDims, rCrossDims)...))
	rewriteCounts.tiny.Add(1)
	return out, true
}

// ceilBlock rounds n up to a multiple of blockDim, simplego's block dimension (32 for float32).
func ceilBlock(n, blockDim int) int { return (n + blockDim - 1) / blockDim * blockDim }

// blockPaddingRewrite reshapes products with tiny dimensions so that
// simplego's blocked algorithm, which pads every dimension to a multiple of
// its block dimension (32 for float32, 16 for float64), wastes less. Two forms, with R chosen by a cost model of the padded work:
//
//   - block-diagonal: the lhs's last cross axis d is split into [d/R, R] and R
//     joins the contraction, against the rhs laid out R times along a
//     diagonal [R, R, rhs...]. Used for a convolution's first layer:
//     [B·H·W, 9]x[9, 16] becomes [B·H·W/2, 18]x[18, 32].
//   - diagonal: a long contracting axis S is split into [R, S/R], R becomes a
//     cross axis on both sides, and the diagonal of the [R, R] result is
//     summed. Used for the kernel gradient of that layer: [9, B·H·W]x[B·H·W, 16].
//
// Only products without batch axes, of float dtype and with enough work, are considered.
func (b *Builder) blockPaddingRewrite(lhs backends.Op, lhsContract, lhsBatch []int,
	rhs backends.Op, rhsContract, rhsBatch []int) (out backends.Op, ok bool) {
	if len(lhsBatch) != 0 || len(rhsBatch) != 0 || len(lhsContract) == 0 || len(lhsContract) != len(rhsContract) {
		return nil, false
	}
	defer declineOnOpError(&out, &ok)
	ls, rs := b.shapeOf(lhs), b.shapeOf(rhs)
	if ls.DType != rs.DType || (ls.DType != dtypes.Float32 && ls.DType != dtypes.Float64) {
		return nil, false
	}
	for i := range lhsContract {
		if lhsContract[i] < 0 || lhsContract[i] >= ls.Rank() || rhsContract[i] < 0 || rhsContract[i] >= rs.Rank() ||
			ls.Dimensions[lhsContract[i]] != rs.Dimensions[rhsContract[i]] {
			return nil, false
		}
	}
	var lCross, rCross []int
	for a := range ls.Rank() {
		if !slices.Contains(lhsContract, a) {
			lCross = append(lCross, a)
		}
	}
	for a := range rs.Rank() {
		if !slices.Contains(rhsContract, a) {
			rCross = append(rCross, a)
		}
	}
	blockDim := 1 << simplego.DotGeneralTargetBlockLog2Dim[ls.DType]
	m, n := 1, 1
	for _, a := range lCross {
		m *= ls.Dimensions[a]
	}
	for _, a := range rCross {
		n *= rs.Dimensions[a]
	}
	k := 1
	for _, a := range lhsContract {
		k *= ls.Dimensions[a]
	}
	if m*n*k < minSplitWork {
		return nil, false
	}
	cost := func(m, k, n int) int { return ceilBlock(m, blockDim) * ceilBlock(k, blockDim) * ceilBlock(n, blockDim) }
	bestCost := cost(m, k, n) * 2 / 3 // A rewrite must save at least a third.
	bestForm, bestR, bestAxis := "", 0, -1
	for _, r := range []int{2, 4, 8, 16} {
		if len(lCross) > 0 {
			if d := ls.Dimensions[lCross[len(lCross)-1]]; d%r == 0 {
				if c := cost(m/r, r*k, r*n); c < bestCost {
					bestCost, bestForm, bestR = c, "block-diagonal", r
				}
			}
		}
		for i, a := range lhsContract {
			if d := ls.Dimensions[a]; d%r == 0 && d/r >= blockDim {
				if c := cost(r*m, k/r, r*n) * 1; c < bestCost {
					bestCost, bestForm, bestR, bestAxis = c, "diagonal", r, i
				}
			}
		}
	}
	switch bestForm {
	case "block-diagonal":
		out = b.blockDiagonalDot(lhs, lhsContract, lCross, rhs, rhsContract, bestR)
		rewriteCounts.blockDiagonal.Add(1)
		return out, true
	case "diagonal":
		out = b.diagonalDot(lhs, lhsContract, rhs, rhsContract, bestAxis, bestR)
		rewriteCounts.diagonal.Add(1)
		return out, true
	}
	return nil, false
}

// eyeLike returns the identity [r, r] of dtype broadcast into shape along axes.
func (b *Builder) eyeLike(r int, shape shapes.Shape, axes [2]int) backends.Op {
	square := shapes.Make(dtypes.Int32, r, r)
	eq := must(b.Builder.Equal(must(b.Builder.Iota(square, 0)), must(b.Builder.Iota(square, 1))))
	eye := must(b.Builder.ConvertDType(eq, shape.DType))
	return must(b.Builder.BroadcastInDim(eye, shape, axes[:]))
}

// blockDiagonalDot: see blockPaddingRewrite.
func (b *Builder) blockDiagonalDot(lhs backends.Op, lhsContract, lCross []int, rhs backends.Op, rhsContract []int, r int) backends.Op {
	ls, rs := b.shapeOf(lhs), b.shapeOf(rhs)
	a := lCross[len(lCross)-1]
	d := ls.Dimensions[a]
	// lhs: split axis a into [d/r, r]; the r part (axis a+1) is contracted.
	lDims := slices.Concat(ls.Dimensions[:a], []int{d / r, r}, ls.Dimensions[a+1:])
	lhs2 := must(b.Builder.Reshape(lhs, lDims...))
	lc := make([]int, 0, len(lhsContract)+1)
	lc = append(lc, a+1)
	for _, c := range lhsContract {
		if c > a {
			c++
		}
		lc = append(lc, c)
	}
	// rhs: [rOut, rIn, rhs...] with rhs on the diagonal rOut == rIn; rIn is contracted.
	wide := shapes.Make(rs.DType, slices.Concat([]int{r, r}, rs.Dimensions)...)
	rhsAxes := make([]int, rs.Rank())
	for i := range rhsAxes {
		rhsAxes[i] = i + 2
	}
	rhs2 := must(b.Builder.Mul(must(b.Builder.BroadcastInDim(rhs, wide, rhsAxes)), b.eyeLike(r, wide, [2]int{0, 1})))
	rc := make([]int, 0, len(rhsContract)+1)
	rc = append(rc, 1)
	for _, c := range rhsContract {
		rc = append(rc, c+2)
	}
	out := must(b.parallelDotGeneral(lhs2, lc, nil, rhs2, rc, nil)) // [lCross with d/r..., rOut, rCross...]
	var outDims []int
	for _, c := range lCross {
		outDims = append(outDims, ls.Dimensions[c])
	}
	for ax := range rs.Rank() {
		if !slices.Contains(rhsContract, ax) {
			outDims = append(outDims, rs.Dimensions[ax])
		}
	}
	return must(b.Builder.Reshape(out, outDims...))
}

// diagonalDot: see blockPaddingRewrite.
func (b *Builder) diagonalDot(lhs backends.Op, lhsContract []int, rhs backends.Op, rhsContract []int, pick, r int) backends.Op {
	ls, rs := b.shapeOf(lhs), b.shapeOf(rhs)
	la, ra := lhsContract[pick], rhsContract[pick]
	split := func(op backends.Op, dims []int, axis int) backends.Op {
		return must(b.Builder.Reshape(op, slices.Concat(dims[:axis], []int{r, dims[axis] / r}, dims[axis+1:])...))
	}
	shift := func(axes []int, at int) []int {
		out := make([]int, len(axes))
		for i, a := range axes {
			out[i] = a
			if a >= at {
				out[i]++
			}
		}
		return out
	}
	lhs2, rhs2 := split(lhs, ls.Dimensions, la), split(rhs, rs.Dimensions, ra)
	lc, rc := shift(lhsContract, la), shift(rhsContract, ra)
	lc[pick], rc[pick] = la+1, ra+1
	out := must(b.parallelDotGeneral(lhs2, lc, nil, rhs2, rc, nil))
	// The r axes are cross axes: position of la among lhs2's crosses, and of ra among rhs2's.
	position := func(rank int, contract []int, axis int) (pos, count int) {
		for a := range rank {
			if slices.Contains(contract, a) {
				continue
			}
			if a == axis {
				pos = count
			}
			count++
		}
		return pos, count
	}
	lPos, lCount := position(ls.Rank()+1, lc, la)
	rPos, _ := position(rs.Rank()+1, rc, ra)
	outShape := b.shapeOf(out)
	masked := must(b.Builder.Mul(out, b.eyeLike(r, outShape, [2]int{lPos, lCount + rPos})))
	return must(b.Builder.ReduceSum(masked, lPos, lCount+rPos))
}
