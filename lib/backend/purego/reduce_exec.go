package purego

import (
	"math"
	_ "unsafe" // For go:linkname.

	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/backends/simplego"
	"github.com/gomlx/gomlx/pkg/core/shapes"
)

// This file installs purego's executors for ReduceSum and ReduceMax on
// float32 and float64, the way gemm_exec.go installs DotGeneral's. simplego
// finds each value's output with a per-element index iterator; when the axes
// reduced are consecutive — a row's sum or maximum over its last axis (softmax,
// log-sum-exp), a sum over the batch axis (bias gradients) — the operand is
// [outer, reduced, inner] and this executor adds whole rows of inner values
// instead. Each output element still takes its values in increasing operand
// order from the same start (0 for sums, −∞ for maxima), so results are
// simplego's, bit for bit. Other axes, dtypes and ops go to simplego.

//go:linkname simplegoExecReduce github.com/gomlx/gomlx/backends/simplego.execReduce
func simplegoExecReduce(backend *simplego.Backend, node *simplego.Node, inputs []*simplego.Buffer, inputsOwned []bool) (*simplego.Buffer, error)

func init() {
	simplegoSetNodeExecutor(backends.OpTypeReduceSum, executorPriority, func(b *simplego.Backend, n *simplego.Node, in []*simplego.Buffer, owned []bool) (*simplego.Buffer, error) {
		return execReduceFast(false, b, n, in, owned)
	})
	simplegoSetNodeExecutor(backends.OpTypeReduceMax, executorPriority, func(b *simplego.Backend, n *simplego.Node, in []*simplego.Buffer, owned []bool) (*simplego.Buffer, error) {
		return execReduceFast(true, b, n, in, owned)
	})
}

// execReduceFast runs a ReduceSum (isMax false) or ReduceMax node.
func execReduceFast(isMax bool, backend *simplego.Backend, node *simplego.Node, inputs []*simplego.Buffer, inputsOwned []bool) (*simplego.Buffer, error) {
	if _, ours := puregoBackends.Load(backend); !ours || len(inputs) != 1 {
		return simplegoExecReduce(backend, node, inputs, inputsOwned)
	}
	in, err := backend.BufferShape(inputs[0])
	if err != nil {
		return nil, err
	}
	axes, ok1 := nodeDataInts(node)
	outDims, ok2 := nodeOutputDims(node)
	if !ok1 || !ok2 {
		rewriteCounts.reduceFallback.Add(1)
		return simplegoExecReduce(backend, node, inputs, inputsOwned)
	}
	outer, reduced, inner, ok := reduceLayout(in.Dimensions, axes)
	strided := !ok && isMax && validAxes(in.Rank(), axes) // Max-pooling's tiles: see reduceMaxStrided.
	if !ok && !strided {
		return simplegoExecReduce(backend, node, inputs, inputsOwned)
	}
	src, isFloat, err := floatData(backend, inputs[0])
	if err != nil {
		return nil, err
	}
	if !isFloat {
		return simplegoExecReduce(backend, node, inputs, inputsOwned)
	}
	output, dst, err := newOutput(backend, shapes.Make(in.DType, outDims...), "Reduce")
	if err != nil {
		return nil, err
	}
	switch s := src.(type) {
	case []float32:
		if strided {
			reduceMaxStrided(s, dst.([]float32), in.Dimensions, axes)
		} else {
			reduceRows(isMax, s, dst.([]float32), outer, reduced, inner)
		}
	case []float64:
		if strided {
			reduceMaxStrided(s, dst.([]float64), in.Dimensions, axes)
		} else {
			reduceRows(isMax, s, dst.([]float64), outer, reduced, inner)
		}
	}
	rewriteCounts.fastReduce.Add(1)
	return output, nil
}

// reduceLayout views an operand of dimensions dims as [outer, reduced, inner]
// when axes (sorted or not) are consecutive; ok is false otherwise or when
// there are none.
func reduceLayout(dims, axes []int) (outer, reduced, inner int, ok bool) {
	if len(axes) == 0 {
		return 0, 0, 0, false
	}
	lo, hi := axes[0], axes[0]
	seen := make(map[int]bool, len(axes))
	for _, a := range axes {
		if a < 0 || a >= len(dims) || seen[a] {
			return 0, 0, 0, false
		}
		seen[a] = true
		lo, hi = min(lo, a), max(hi, a)
	}
	if hi-lo+1 != len(axes) {
		return 0, 0, 0, false
	}
	outer, reduced, inner = 1, 1, 1
	for a, d := range dims {
		switch {
		case a < lo:
			outer *= d
		case a <= hi:
			reduced *= d
		default:
			inner *= d
		}
	}
	return outer, reduced, inner, true
}

// reduceRows writes into dst ([outer, inner]) the sum (or maximum) over the
// middle axis of src ([outer, reduced, inner]), taking values in increasing
// order of the middle index from 0 (or −∞).
func reduceRows[T float32 | float64](isMax bool, src, dst []T, outer, reduced, inner int) {
	dst = dst[:outer*inner]
	for o := range outer {
		acc := dst[o*inner : (o+1)*inner]
		start := T(0)
		if isMax {
			start = T(negInf)
		}
		for i := range acc {
			acc[i] = start
		}
		block := src[o*reduced*inner : (o+1)*reduced*inner]
		if inner == 1 {
			v := start
			if isMax {
				for _, x := range block {
					v = max(v, x)
				}
			} else {
				for _, x := range block {
					v += x
				}
			}
			acc[0] = v
			continue
		}
		for r := range reduced {
			row := block[r*inner : (r+1)*inner]
			if isMax {
				for i, x := range row {
					acc[i] = max(acc[i], x)
				}
			} else {
				for i, x := range row {
					acc[i] += x
				}
			}
		}
	}
}

// negInf is −∞, the start of a maximum.
var negInf = math.Inf(-1)

// validAxes reports whether axes are distinct axes of a rank-rank operand.
func validAxes(rank int, axes []int) bool {
	seen := make([]bool, rank)
	for _, a := range axes {
		if a < 0 || a >= rank || seen[a] {
			return false
		}
		seen[a] = true
	}
	return len(axes) > 0
}

// reduceMaxStrided writes into dst the maximum of src (dimensions dims) over
// any axes — those of max-pooling's tiles [B, 1, H/2, 2, W/2, 2, C, 1]
// (ReduceWindow in window.go) are not consecutive. Go's max is commutative
// and associative on floats (NaN wins, +0 beats −0), so taking the values in
// another order than simplego's gives the same bits. Axes of size 1 are
// dropped and adjacent axes of the same kind merged; the walk then copies or
// maximizes whole rows of the innermost axis.
func reduceMaxStrided[T float32 | float64](src, dst []T, dims, axes []int) {
	isReduced := make([]bool, len(dims))
	for _, a := range axes {
		isReduced[a] = true
	}
	var gDims []int
	var gReduced []bool
	for a, d := range dims {
		if d == 1 {
			continue
		}
		if n := len(gDims); n > 0 && gReduced[n-1] == isReduced[a] {
			gDims[n-1] *= d
			continue
		}
		gDims, gReduced = append(gDims, d), append(gReduced, isReduced[a])
	}
	for i := range dst {
		dst[i] = T(negInf)
	}
	if len(gDims) == 0 {
		for _, x := range src {
			dst[0] = max(dst[0], x)
		}
		return
	}
	rank := len(gDims)
	srcStrides, dstStrides := make([]int, rank), make([]int, rank)
	s, d := 1, 1
	for a := rank - 1; a >= 0; a-- {
		srcStrides[a] = s
		s *= gDims[a]
		if !gReduced[a] {
			dstStrides[a] = d
			d *= gDims[a]
		}
	}
	last := rank - 1
	var walk func(axis, s, d int)
	walk = func(axis, s, d int) {
		if axis == last {
			n := gDims[last]
			if gReduced[last] {
				v := dst[d]
				for _, x := range src[s : s+n] {
					v = max(v, x)
				}
				dst[d] = v
				return
			}
			row := dst[d : d+n]
			for i, x := range src[s : s+n] {
				row[i] = max(row[i], x)
			}
			return
		}
		for i := range gDims[axis] {
			walk(axis+1, s+i*srcStrides[axis], d+i*dstStrides[axis])
		}
	}
	walk(0, 0, 0)
}
