package purego

import (
	"fmt"
	"sync/atomic"
	_ "unsafe" // For go:linkname.

	"github.com/dawnchorus/dawnchorus/lib/internal/gemm"
	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/backends/simplego"
	"github.com/gomlx/gomlx/pkg/core/shapes"
)

// This file runs the gradient of max- (and min-) pooling over windows that
// tile the input without padding — every pooling layer of the course's
// networks — as one node with its own executor, instead of selectAndScatter's
// graph: one strided Slice per window position, a Concatenate, ArgMinMax
// along the stacked axis, one Equal and one Where per position, a second
// Concatenate and a Transpose back (a dozen full-size copies of the
// activation). The node is a simplego node of op type SelectAndScatterMax
// (or Min), which simplego itself leaves unimplemented; it is made with
// simplego's own node constructor and carries no parameters: the window is
// the operand's dimensions divided by the source's. Its executor picks, in
// each window, the position ArgMinMax picks (the first extreme in row-major
// window order, NaN taken as the extreme, each comparison as ArgMinMax makes
// it, with subnormals read as zeros where the graph's ops read them so) and
// writes the source's value there and +0 elsewhere, as the graph's Where
// does: the results are the graph's bit for bit (TestSelectAndScatterExecutor).

//go:linkname simplegoNewNode github.com/gomlx/gomlx/backends/simplego.(*Builder).newNode
func simplegoNewNode(b *simplego.Builder, opType backends.OpType, shape shapes.Shape, inputs ...*simplego.Node) *simplego.Node

// selectAndScatterExecutor switches the executor on; tests switch it off to
// compare with the graph it replaces.
var selectAndScatterExecutor = true

// selectAndScatterCounts counts the nodes the executor ran, for tests.
var selectAndScatterCounts struct{ served atomic.Int64 }

func init() {
	simplegoSetNodeExecutor(backends.OpTypeSelectAndScatterMax, executorPriority, func(b *simplego.Backend, n *simplego.Node, in []*simplego.Buffer, owned []bool) (*simplego.Buffer, error) {
		return execSelectAndScatterTiled(false, b, in)
	})
	simplegoSetNodeExecutor(backends.OpTypeSelectAndScatterMin, executorPriority, func(b *simplego.Backend, n *simplego.Node, in []*simplego.Buffer, owned []bool) (*simplego.Buffer, error) {
		return execSelectAndScatterTiled(true, b, in)
	})
}

// tiledSelectAndScatterNode returns the executor's node for
// selectAndScatter(operand, source) when the windows tile operand exactly
// (strides equal to the window, no padding, dimensions multiples of the
// window) and the dtype is float32 or float64; ok is false otherwise.
func (b *Builder) tiledSelectAndScatterNode(operand, source backends.Op, c windowConfig, outDims []int, isMin bool) (out backends.Op, ok bool) {
	shape := b.shapeOf(operand)
	if !selectAndScatterExecutor || !c.isTiled() || (shape.DType.Size() != 4 && shape.DType.Size() != 8) || !shape.DType.IsFloat() {
		return nil, false
	}
	for i, d := range shape.Dimensions {
		if c.paddings[i] != [2]int{} || c.baseDilations[i] != 1 || outDims[i]*c.window[i] != d {
			return nil, false
		}
	}
	opNode, ok1 := operand.(*simplego.Node)
	srcNode, ok2 := source.(*simplego.Node)
	if !ok1 || !ok2 {
		return nil, false
	}
	opType := backends.OpTypeSelectAndScatterMax
	if isMin {
		opType = backends.OpTypeSelectAndScatterMin
	}
	return simplegoNewNode(b.Builder, opType, shape.Clone(), opNode, srcNode), true
}

// execSelectAndScatterTiled runs a node made by tiledSelectAndScatterNode.
func execSelectAndScatterTiled(isMin bool, backend *simplego.Backend, inputs []*simplego.Buffer) (*simplego.Buffer, error) {
	if len(inputs) != 2 {
		return nil, fmt.Errorf("purego: SelectAndScatter: %d inputs, want operand and source", len(inputs))
	}
	shape, err := backend.BufferShape(inputs[0])
	if err != nil {
		return nil, err
	}
	srcShape, err := backend.BufferShape(inputs[1])
	if err != nil {
		return nil, err
	}
	if srcShape.DType != shape.DType || srcShape.Rank() != shape.Rank() {
		return nil, fmt.Errorf("purego: SelectAndScatter of %s and %s: shapes do not match", shape, srcShape)
	}
	window := make([]int, shape.Rank())
	for i, d := range shape.Dimensions {
		if s := srcShape.Dimensions[i]; s == 0 || d%s != 0 {
			return nil, fmt.Errorf("purego: SelectAndScatter of %s and %s: windows do not tile the operand", shape, srcShape)
		}
		window[i] = d / srcShape.Dimensions[i]
	}
	operand, err := backend.BufferData(inputs[0])
	if err != nil {
		return nil, err
	}
	source, err := backend.BufferData(inputs[1])
	if err != nil {
		return nil, err
	}
	output, out, err := newOutput(backend, shape, "SelectAndScatter")
	if err != nil {
		return nil, err
	}
	switch operand := operand.(type) {
	case []float32:
		err = selectAndScatterTiled(isMin, operand, source, out, shape.Dimensions, window)
	case []float64:
		err = selectAndScatterTiled(isMin, operand, source, out, shape.Dimensions, window)
	default:
		err = fmt.Errorf("purego: SelectAndScatter of %s: not a float dtype", shape)
	}
	if err != nil {
		return nil, err
	}
	selectAndScatterCounts.served.Add(1)
	return output, nil
}

// selectAndScatterTiled writes into out (dimensions dims) source's value of
// each window at the position of the window's extreme, +0 elsewhere.
func selectAndScatterTiled[T gemm.Float](isMin bool, operand []T, sourceData, outData any, dims, window []int) error {
	source, ok1 := sourceData.([]T)
	out, ok2 := outData.([]T)
	if !ok1 || !ok2 || len(out) != len(operand) {
		return fmt.Errorf("purego: SelectAndScatter: buffers hold %T, %T and %T", operand, sourceData, outData)
	}
	rank := len(dims)
	// offsets[k]: the flat offset, from a window's first element, of window
	// position k (row-major over window).
	strides := make([]int, rank)
	s := 1
	for a := rank - 1; a >= 0; a-- {
		strides[a] = s
		s *= dims[a]
	}
	var offsets []int
	forEachIndex(window, func(k []int) {
		at := 0
		for a, i := range k {
			at += i * strides[a]
		}
		offsets = append(offsets, at)
	})
	outDims := make([]int, rank)
	for a := range rank {
		outDims[a] = dims[a] / window[a]
	}
	// Windows in row-major order, with an odometer over outDims that tracks
	// the flat index of each window's first element.
	idx, first := make([]int, rank), 0
	o := 0
	for o < len(source) {
		best, arg := operand[first], 0
		for k, off := range offsets[1:] {
			v := operand[first+off]
			if (isMin && v < best) || (!isMin && v > best) || v != v {
				best, arg = v, k+1
			}
		}
		// The windows tile out: each element is written once, +0 or the source.
		for k, off := range offsets {
			if k == arg {
				out[first+off] = source[o]
			} else {
				out[first+off] = 0
			}
		}
		o++
		for a := rank - 1; a >= 0; a-- {
			idx[a]++
			first += window[a] * strides[a]
			if idx[a] < outDims[a] {
				break
			}
			first -= outDims[a] * window[a] * strides[a]
			idx[a] = 0
		}
	}
	if o != len(source) {
		return fmt.Errorf("purego: SelectAndScatter: %d windows for a source of %d values", o, len(source))
	}
	return nil
}
