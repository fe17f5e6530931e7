package purego

import (
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"
	_ "unsafe" // For go:linkname.

	"github.com/dawnchorus/dawnchorus/lib/internal/gemm"
	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/backends/simplego"
	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/shapes"
)

// This file makes simplego's executor run dawnchorus's own matrix product
// (lib/internal/gemm) for the DotGeneral nodes of purego's computations.
//
// simplego v0.26.0 has no exported hook for a node's executor: its executors
// live in an unexported table filled by setNodeExecutor, which honours a
// priority so that a "user" override (priority 100) wins over its generic
// kernels. We call setNodeExecutor through go:linkname, once, at init. The
// executor installed serves only the backends created by purego's [New]
// (registered in puregoBackends) and only float32 and float64 products; everything else —
// plain simplego backends, other dtypes, a node whose parameters cannot be
// read — goes to simplego's own execDotGeneral, reached the same way.
//
// The node's parameters (contracting and batch axes) are in simplego's
// unexported dotGeneralNodeData; they are read with reflect, which only reads.
// If a GoMLX upgrade renames them, gemmParams fails, the product falls back to
// simplego's kernel, and TestGemmExecutorServesPurego fails to say so. If it
// renames the linked functions, the build fails at link time.

//go:linkname simplegoSetNodeExecutor github.com/gomlx/gomlx/backends/simplego.setNodeExecutor
func simplegoSetNodeExecutor(opType backends.OpType, priority int, executor func(*simplego.Backend, *simplego.Node, []*simplego.Buffer, []bool) (*simplego.Buffer, error))

//go:linkname simplegoExecDotGeneral github.com/gomlx/gomlx/backends/simplego.execDotGeneral
func simplegoExecDotGeneral(backend *simplego.Backend, node *simplego.Node, inputs []*simplego.Buffer, inputsOwned []bool) (*simplego.Buffer, error)

// executorPriority is simplego's priorityUser, at which purego installs all
// its executors (this file's DotGeneral, broadcast_exec.go, reduce_exec.go,
// sign_exec.go): above simplego's generic, typed and architecture-specific ones.
const executorPriority = 100

// puregoBackends holds the simplego backends wrapped by purego's [New]: only
// their nodes run on purego's executors; plain simplego backends keep simplego's.
var puregoBackends sync.Map // *simplego.Backend → struct{}

func init() {
	simplegoSetNodeExecutor(backends.OpTypeDotGeneral, executorPriority, execDotGeneralGemm)
}

// execDotGeneralGemm is the DotGeneral executor installed in simplego: purego's
// GEMM for float32 and float64 products of purego backends, simplego's own otherwise.
func execDotGeneralGemm(backend *simplego.Backend, node *simplego.Node, inputs []*simplego.Buffer, inputsOwned []bool) (*simplego.Buffer, error) {
	lShape, rShape, ours, err := operandShapes(backend, inputs)
	if err != nil {
		return nil, err
	}
	if !ours {
		return simplegoExecDotGeneral(backend, node, inputs, inputsOwned)
	}
	dtype := lShape.DType
	if rShape.DType != dtype || (dtype != dtypes.Float32 && dtype != dtypes.Float64) {
		return simplegoExecDotGeneral(backend, node, inputs, inputsOwned)
	}
	p, ok := gemmParams(node)
	if !ok {
		gemmCounts.fallback.Add(1)
		return simplegoExecDotGeneral(backend, node, inputs, inputsOwned)
	}
	plan, err := planDotGeneral(lShape.Dimensions, rShape.Dimensions, p)
	if err != nil {
		return nil, fmt.Errorf("purego: DotGeneral of %s and %s: %w", lShape, rShape, err)
	}
	output, outFlat, err := newOutput(backend, shapes.Make(dtype, plan.batch, plan.m, plan.n), "DotGeneral")
	if err != nil {
		return nil, err
	}
	flats := []any{nil, nil, outFlat}
	for i, buf := range inputs {
		if flats[i], err = backend.BufferData(buf); err != nil {
			return nil, err
		}
	}
	if dtype == dtypes.Float32 {
		err = runPlan[float32](plan, flats)
	} else {
		err = runPlan[float64](plan, flats)
	}
	if err != nil {
		return nil, err
	}
	gemmCounts.served.Add(1)
	return output, nil
}

// runPlan runs plan on the flat data of lhs, rhs and output, which must be []T.
func runPlan[T gemm.Float](plan *dotPlan, flats []any) error {
	lhs, ok1 := flats[0].([]T)
	rhs, ok2 := flats[1].([]T)
	out, ok3 := flats[2].([]T)
	if !ok1 || !ok2 || !ok3 {
		return fmt.Errorf("purego: DotGeneral: buffers hold %T, %T and %T", flats[0], flats[1], flats[2])
	}
	l := gemm.Operand[T]{Data: lhs, BatchStride: plan.lhs.batchStride, RowStride: plan.lhs.rowStride, ColStride: plan.lhs.colStride}
	r := gemm.Operand[T]{Data: rhs, BatchStride: plan.rhs.batchStride, RowStride: plan.rhs.rowStride, ColStride: plan.rhs.colStride}
	if plan.lhs.perm != nil {
		l.Data = transposeFlat(lhs, plan.lhs.dims, plan.lhs.perm)
	}
	if plan.rhs.perm != nil {
		r.Data = transposeFlat(rhs, plan.rhs.dims, plan.rhs.perm)
	}
	gemm.Multiply(plan.batch, plan.m, plan.n, plan.k, l, r, out, 0)
	return nil
}

// gemmCounts counts the DotGeneral nodes executed by purego's GEMM (served)
// and those of purego backends left to simplego because their parameters
// could not be read (fallback), for tests.
var gemmCounts struct{ served, fallback atomic.Int64 }

// dotParams are a DotGeneral node's axes.
type dotParams struct {
	lhsContract, lhsBatch, rhsContract, rhsBatch []int
}

// gemmParams reads the axes of a simplego DotGeneral node (its unexported
// dotGeneralNodeData) with reflect; ok is false if they are not where
// simplego v0.26.0 keeps them.
func gemmParams(node *simplego.Node) (dotParams, bool) {
	return readNodeStruct(node, func(v reflect.Value) (p dotParams, ok bool) {
		ints := func(name string) ([]int, bool) { return reflectInts(v.FieldByName(name)) }
		var ok1, ok2, ok3, ok4 bool
		p.lhsContract, ok1 = ints("lhsContractingAxes")
		p.lhsBatch, ok2 = ints("lhsBatchAxes")
		p.rhsContract, ok3 = ints("rhsContractingAxes")
		p.rhsBatch, ok4 = ints("rhsBatchAxes")
		return p, ok1 && ok2 && ok3 && ok4
	})
}

// dotPlan is how one DotGeneral runs on gemmFloat32: the operands as
// [batch, m, k] and [batch, k, n] strided views, each either read in place
// (when each of its batch, cross and contracting axis groups is a run of
// adjacent axes in the right order) or first copied into that layout (perm set).
type dotPlan struct {
	batch, m, n, k int
	lhs, rhs       operandPlan
}

// operandPlan is one operand's strided view as [batch, rows, cols] (see
// gemmOperand); when perm is set, the operand is first transposed by perm,
// and the strides are those of the transposed copy.
type operandPlan struct {
	batchStride, rowStride, colStride int
	perm                              []int // nil: read in place.
	dims                              []int // the operand's dimensions (for the transposition).
}

// planDotGeneral works out the views of a DotGeneral with operands of
// dimensions lDims, rDims. The output is [batch, lhsCross, rhsCross].
func planDotGeneral(lDims, rDims []int, p dotParams) (*dotPlan, error) {
	if len(p.lhsContract) != len(p.rhsContract) || len(p.lhsBatch) != len(p.rhsBatch) {
		return nil, fmt.Errorf("axes counts differ: %+v", p)
	}
	size := func(dims, axes []int) int {
		s := 1
		for _, a := range axes {
			s *= dims[a]
		}
		return s
	}
	lCross, rCross := crossAxes(len(lDims), p.lhsContract, p.lhsBatch), crossAxes(len(rDims), p.rhsContract, p.rhsBatch)
	plan := &dotPlan{
		batch: size(lDims, p.lhsBatch),
		m:     size(lDims, lCross),
		n:     size(rDims, rCross),
		k:     size(lDims, p.lhsContract),
	}
	if plan.batch != size(rDims, p.rhsBatch) || plan.k != size(rDims, p.rhsContract) {
		return nil, fmt.Errorf("batch or contracting sizes differ")
	}
	// lhs rows are its cross axes, columns its contracting axes; rhs rows are
	// its contracting axes, columns its cross axes.
	plan.lhs = planOperand(lDims, p.lhsBatch, lCross, p.lhsContract)
	plan.rhs = planOperand(rDims, p.rhsBatch, p.rhsContract, rCross)
	return plan, nil
}

// crossAxes lists, in order, the axes of a rank-rank operand that are neither contracting nor batch.
func crossAxes(rank int, contract, batch []int) []int {
	used := make([]bool, rank)
	for _, a := range contract {
		used[a] = true
	}
	for _, a := range batch {
		used[a] = true
	}
	var out []int
	for a := range rank {
		if !used[a] {
			out = append(out, a)
		}
	}
	return out
}

// planOperand views an operand as [batch, rows, cols] where each of the three
// is the flattening of a list of axes (in the order given). Axes of size 1 are
// ignored. If each list is a run of adjacent axes, the view reads the operand
// in place; otherwise the operand is transposed to [batch..., rows..., cols...].
func planOperand(dims, batch, rows, cols []int) operandPlan {
	drop1 := func(axes []int) []int {
		var out []int
		for _, a := range axes {
			if dims[a] != 1 {
				out = append(out, a)
			}
		}
		return out
	}
	b, r, c := drop1(batch), drop1(rows), drop1(cols)
	strides := make([]int, len(dims))
	s := 1
	for a := len(dims) - 1; a >= 0; a-- {
		strides[a] = s
		s *= dims[a]
	}
	// groupStride is the stride of a flattened run of adjacent axes, or -1.
	groupStride := func(axes []int) int {
		if len(axes) == 0 {
			return 0
		}
		for i := 1; i < len(axes); i++ {
			if axes[i] != axes[i-1]+1 {
				return -1
			}
		}
		return strides[axes[len(axes)-1]]
	}
	sb, sr, sc := groupStride(b), groupStride(r), groupStride(c)
	if sb >= 0 && sr >= 0 && sc >= 0 {
		return operandPlan{batchStride: sb, rowStride: sr, colStride: sc}
	}
	perm := append(append(append([]int{}, batch...), rows...), cols...)
	rowsSize, colsSize := 1, 1
	for _, a := range rows {
		rowsSize *= dims[a]
	}
	for _, a := range cols {
		colsSize *= dims[a]
	}
	return operandPlan{
		batchStride: rowsSize * colsSize, rowStride: colsSize, colStride: 1,
		perm: perm,
		dims: dims,
	}
}

// transposeFlat returns x (of dimensions dims, row-major) with its axes
// permuted: output axis i is input axis perm[i].
func transposeFlat[T any](x []T, dims, perm []int) []T {
	rank := len(dims)
	out := make([]T, len(x))
	if len(x) == 0 {
		return out
	}
	inStrides := make([]int, rank)
	s := 1
	for a := rank - 1; a >= 0; a-- {
		inStrides[a] = s
		s *= dims[a]
	}
	// Odometer over the output's indices, tracking the input's flat index.
	outDims := make([]int, rank)
	stride := make([]int, rank) // Input stride of each output axis.
	for i, a := range perm {
		outDims[i] = dims[a]
		stride[i] = inStrides[a]
	}
	// Row by row along the last output axis (a copy where it is the input's
	// last axis too, a strided gather otherwise), with an odometer over the others.
	if rank == 0 {
		copy(out, x)
		return out
	}
	last := rank - 1
	rowLen, rowStride := outDims[last], stride[last]
	idx := make([]int, rank)
	in := 0
	for o := 0; o < len(out); o += rowLen {
		row := out[o : o+rowLen]
		if rowStride == 1 {
			copy(row, x[in:in+rowLen])
		} else {
			for i := range row {
				row[i] = x[in+i*rowStride]
			}
		}
		for ax := last - 1; ax >= 0; ax-- {
			idx[ax]++
			in += stride[ax]
			if idx[ax] < outDims[ax] {
				break
			}
			in -= stride[ax] * outDims[ax]
			idx[ax] = 0
		}
	}
	return out
}
