package purego

import (
	"fmt"
	_ "unsafe" // For go:linkname.

	"github.com/dawnchorus/dawnchorus/lib/internal/gemm"
	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/backends/simplego"
	"github.com/gomlx/gomlx/pkg/core/shapes"
)

// This file installs purego's executors for Mul and Add of float32 and
// float64, serving one case: lhs of the output's shape [..., C] and rhs
// [1, ..., 1, C], a per-channel vector — batch normalisation's scale and
// shift (batchnorm.go's normalize builds them so). Each row of lhs is
// multiplied by, or added to, the vector directly, where the graph used to
// broadcast the vector to the whole activation first (a full-size copy
// each) and then run a same-shape op. Every element is still lhs·rhs or
// lhs+rhs, one rounding, so results are simplego's bit for bit. Other shapes,
// dtypes and backends go to simplego's executors.

//go:linkname simplegoExecMul github.com/gomlx/gomlx/backends/simplego.execMul
func simplegoExecMul(backend *simplego.Backend, node *simplego.Node, inputs []*simplego.Buffer, inputsOwned []bool) (*simplego.Buffer, error)

//go:linkname simplegoExecAdd github.com/gomlx/gomlx/backends/simplego.execAdd
func simplegoExecAdd(backend *simplego.Backend, node *simplego.Node, inputs []*simplego.Buffer, inputsOwned []bool) (*simplego.Buffer, error)

func init() {
	simplegoSetNodeExecutor(backends.OpTypeMul, executorPriority, func(b *simplego.Backend, n *simplego.Node, in []*simplego.Buffer, owned []bool) (*simplego.Buffer, error) {
		return execRowOp(true, b, n, in, owned)
	})
	simplegoSetNodeExecutor(backends.OpTypeAdd, executorPriority, func(b *simplego.Backend, n *simplego.Node, in []*simplego.Buffer, owned []bool) (*simplego.Buffer, error) {
		if len(in) == 4 || len(in) == 5 { // Adam's fused moments (adam_exec.go).
			return execFusedProducts(b, in, owned)
		}
		return execRowOp(false, b, n, in, owned)
	})
}

// isRowVector reports whether rhs is [1, ..., 1, C] for an lhs [..., C] of
// the same rank (and more than one row: else it is simplego's same-shape case).
func isRowVector(lhs, rhs shapes.Shape) bool {
	rank := lhs.Rank()
	if rank < 2 || rhs.Rank() != rank || lhs.DType != rhs.DType || rhs.Dimensions[rank-1] != lhs.Dimensions[rank-1] || lhs.Size() == rhs.Size() {
		return false
	}
	for _, d := range rhs.Dimensions[:rank-1] {
		if d != 1 {
			return false
		}
	}
	return true
}

// execRowOp runs a Mul (isMul) or Add node.
func execRowOp(isMul bool, backend *simplego.Backend, node *simplego.Node, inputs []*simplego.Buffer, inputsOwned []bool) (*simplego.Buffer, error) {
	fallback := simplegoExecAdd
	if isMul {
		fallback = simplegoExecMul
	}
	lShape, rShape, ours, err := operandShapes(backend, inputs)
	if err != nil {
		return nil, err
	}
	if !ours {
		return fallback(backend, node, inputs, inputsOwned)
	}
	if !isRowVector(lShape, rShape) {
		return fallback(backend, node, inputs, inputsOwned)
	}
	lhs, isFloat, err := floatData(backend, inputs[0])
	if err != nil {
		return nil, err
	}
	if !isFloat {
		return fallback(backend, node, inputs, inputsOwned)
	}
	rhs, err := backend.BufferData(inputs[1])
	if err != nil {
		return nil, err
	}
	output, out, err := newOutput(backend, lShape, "Mul/Add")
	if err != nil {
		return nil, err
	}
	switch lhs := lhs.(type) {
	case []float32:
		err = rowOp(isMul, lhs, rhs, out)
	case []float64:
		err = rowOp(isMul, lhs, rhs, out)
	}
	if err != nil {
		return nil, err
	}
	rewriteCounts.rowOp.Add(1)
	return output, nil
}

// rowOp writes lhs·v (isMul) or lhs+v into out, row by row, v = rhs of one row's length.
func rowOp[T gemm.Float](isMul bool, lhs []T, rhsData, outData any) error {
	v, ok1 := rhsData.([]T)
	out, ok2 := outData.([]T)
	if !ok1 || !ok2 || len(v) == 0 || len(out) != len(lhs) {
		return fmt.Errorf("purego: Mul/Add: buffers hold %T, %T and %T", lhs, rhsData, outData)
	}
	for at := 0; at < len(lhs); at += len(v) {
		x, y := lhs[at:at+len(v)], out[at:at+len(v)]
		if isMul {
			for i, f := range v {
				y[i] = x[i] * f
			}
		} else {
			for i, s := range v {
				y[i] = x[i] + s
			}
		}
	}
	return nil
}
