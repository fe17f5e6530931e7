package purego

import (
	_ "unsafe" // For go:linkname.

	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/backends/simplego"
	"github.com/gomlx/gomlx/pkg/core/shapes"
)

// This file installs purego's executor for BroadcastInDim, the same way
// gemm_exec.go installs its DotGeneral: simplego's own executor reads the
// operand through a per-element index iterator; this one walks the output
// row by row and copies a contiguous run of the operand, or fills a run with
// one value, whichever the innermost axes call for. It serves purego
// backends and the common element types; everything else goes to simplego's
// execBroadcastInDim. The node's output dimensions and broadcast axes are
// read with reflect (broadcastParams); if a GoMLX upgrade moves them, the
// executor falls back to simplego and TestBroadcastExecutorServesPurego says so.

//go:linkname simplegoExecBroadcastInDim github.com/gomlx/gomlx/backends/simplego.execBroadcastInDim
func simplegoExecBroadcastInDim(backend *simplego.Backend, node *simplego.Node, inputs []*simplego.Buffer, inputsOwned []bool) (*simplego.Buffer, error)

func init() {
	simplegoSetNodeExecutor(backends.OpTypeBroadcastInDim, executorPriority, execBroadcastInDimFast)
}

// execBroadcastInDimFast is the BroadcastInDim executor installed in simplego.
func execBroadcastInDimFast(backend *simplego.Backend, node *simplego.Node, inputs []*simplego.Buffer, inputsOwned []bool) (*simplego.Buffer, error) {
	if _, ours := puregoBackends.Load(backend); !ours || len(inputs) != 1 {
		return simplegoExecBroadcastInDim(backend, node, inputs, inputsOwned)
	}
	in, err := backend.BufferShape(inputs[0])
	if err != nil {
		return nil, err
	}
	outDims, axes, ok := broadcastParams(node)
	if !ok || len(axes) != in.Rank() {
		rewriteCounts.broadcastFallback.Add(1)
		return simplegoExecBroadcastInDim(backend, node, inputs, inputsOwned)
	}
	plan, ok := planBroadcast(in.Dimensions, outDims, axes)
	if !ok {
		return simplegoExecBroadcastInDim(backend, node, inputs, inputsOwned)
	}
	src, err := backend.BufferData(inputs[0])
	if err != nil {
		return nil, err
	}
	switch src.(type) {
	case []float32, []float64, []int32, []int64, []bool:
	default:
		return simplegoExecBroadcastInDim(backend, node, inputs, inputsOwned)
	}
	output, dst, err := newOutput(backend, shapes.Make(in.DType, outDims...), "BroadcastInDim")
	if err != nil {
		return nil, err
	}
	switch d := dst.(type) {
	case []float32:
		runBroadcast(plan, src.([]float32), d)
	case []float64:
		runBroadcast(plan, src.([]float64), d)
	case []int32:
		runBroadcast(plan, src.([]int32), d)
	case []int64:
		runBroadcast(plan, src.([]int64), d)
	case []bool:
		runBroadcast(plan, src.([]bool), d)
	}
	rewriteCounts.fastBroadcast.Add(1)
	return output, nil
}

// broadcastParams reads a simplego BroadcastInDim node's output dimensions
// and broadcast axes (its data, []int); ok is false if they are not where
// simplego v0.26.0 keeps them.
func broadcastParams(node *simplego.Node) (outDims, axes []int, ok bool) {
	outDims, ok1 := nodeOutputDims(node)
	axes, ok2 := nodeDataInts(node)
	return outDims, axes, ok1 && ok2
}

// broadcastPlan is a broadcast laid out as loops: the output is outer rows of
// runLen elements; row r reads the operand from offset(r), and either copies
// runLen contiguous values (copyRun) or repeats one value (fill).
type broadcastPlan struct {
	outerDims    []int // Output dimensions of the outer axes.
	outerStrides []int // Operand stride of each outer axis (0 where it broadcasts).
	runLen       int
	copyRun      bool
}

// planBroadcast lays out the broadcast of an operand of dimensions inDims
// into outDims, operand axis i going to output axis axes[i]. ok is false when
// the axes are not increasing (a transposing broadcast) or a dimension does
// not fit; simplego's executor then runs it.
func planBroadcast(inDims, outDims, axes []int) (broadcastPlan, bool) {
	rank := len(outDims)
	// The operand's dimension and stride on each output axis.
	od, ok := keptDims(inDims, outDims, axes)
	if !ok {
		return broadcastPlan{}, false
	}
	strides := make([]int, rank)
	stride := 1
	for a := rank - 1; a >= 0; a-- {
		if od[a] != 1 {
			strides[a] = stride
		}
		stride *= od[a]
	}
	// The run: the trailing axes that all copy (operand dimension = output
	// dimension) or all broadcast; output axes of size 1 go with either.
	kind := 0 // 0: undecided, 1: copy, 2: fill.
	start := rank
	for a := rank - 1; a >= 0; a-- {
		k := 0
		switch {
		case outDims[a] == 1:
		case od[a] == outDims[a]:
			k = 1
		default:
			k = 2
		}
		if k != 0 && kind != 0 && k != kind {
			break
		}
		if k != 0 {
			kind = k
		}
		start = a
	}
	p := broadcastPlan{outerDims: outDims[:start], outerStrides: strides[:start], runLen: 1, copyRun: kind != 2}
	for _, d := range outDims[start:] {
		p.runLen *= d
	}
	return p, true
}

// keptDims returns, for a BroadcastInDim of an operand of dimensions inDims
// into outDims (operand axis i to output axis axes[i]), the operand's
// dimension on each output axis: 1 where it is broadcast. ok is false when
// the axes are out of range or not increasing (a transposing broadcast), or a
// dimension is neither 1 nor the output's.
func keptDims(inDims, outDims, axes []int) (dims []int, ok bool) {
	dims = make([]int, len(outDims))
	for i := range dims {
		dims[i] = 1
	}
	for i, a := range axes {
		if a < 0 || a >= len(outDims) || (i > 0 && a <= axes[i-1]) {
			return nil, false
		}
		if inDims[i] != 1 && inDims[i] != outDims[a] {
			return nil, false
		}
		dims[a] = inDims[i]
	}
	return dims, true
}

// runBroadcast writes the broadcast of src into dst per plan.
func runBroadcast[T any](p broadcastPlan, src, dst []T) {
	if len(dst) == 0 {
		return
	}
	outer := len(p.outerDims)
	// Leading outer axes that broadcast make the output periodic: the first
	// period is written run by run, the rest copied from it in doubling blocks
	// (a [C] scale broadcast over [B, H, W, C] is then log₂(B·H·W) copies, not B·H·W).
	lead := 0
	for lead < outer && p.outerStrides[lead] == 0 {
		lead++
	}
	period := p.runLen
	for _, d := range p.outerDims[lead:] {
		period *= d
	}
	written := dst[:min(period, len(dst))]
	if lead == 0 {
		written = dst
	}
	defer func() {
		for filled := len(written); filled < len(dst); filled *= 2 {
			copy(dst[filled:], dst[:filled])
		}
	}()
	index := make([]int, outer)
	offset := 0
	for row := 0; row*p.runLen < len(written); row++ {
		run := dst[row*p.runLen : (row+1)*p.runLen]
		if p.copyRun {
			copy(run, src[offset:offset+p.runLen])
		} else {
			v := src[offset]
			for i := range run {
				run[i] = v
			}
		}
		// Advance the odometer over the outer axes, last axis fastest.
		for a := outer - 1; a >= 0; a-- {
			index[a]++
			offset += p.outerStrides[a]
			if index[a] < p.outerDims[a] {
				break
			}
			offset -= index[a] * p.outerStrides[a]
			index[a] = 0
		}
	}
}
