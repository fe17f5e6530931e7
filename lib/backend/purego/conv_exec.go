package purego

import (
	"fmt"
	"reflect"
	"slices"
	"sync"
	"sync/atomic"
	_ "unsafe" // For go:linkname.

	"github.com/dawnchorus/dawnchorus/lib/internal/gemm"
	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/backends/simplego"
	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/shapes"
)

// This file installs purego's executor for the ConvGeneral nodes that
// ConvGeneral (conv.go) builds for im2col convolutions of one or two spatial
// axes in the canonical layout: input [B, S..., C], kernel [K..., C, Cout],
// output [B, O..., Cout], one channel group. It writes the patch matrix
// [B·O, K·C] in one pass straight from the input — padding and input
// dilation read as zeros, nothing else copied — into a buffer reused from
// call to call, and multiplies it with the kernel, read in place as
// [K·C, Cout], on the GEMM (lib/internal/gemm). The lowering it replaces cut
// the padded input into one strided Slice per kernel position, concatenated
// them as [K, B·O, C] and transposed that to [B·O, K, C] for the GEMM: three
// full copies of the patches instead of one. The contraction runs over the
// same values in the same order (kernel position, then channel), so outputs
// are bit for bit those of that lowering.
//
// The node's parameters are simplego's unexported convNode, read with
// reflect as gemm_exec.go reads DotGeneral's; a node whose parameters are not
// where simplego v0.26.0 keeps them, or that is not in the canonical layout,
// goes to simplego's own (direct, much slower) convolution, and
// convCounts.fallback says so to TestConvExecutorServesPurego.

//go:linkname simplegoExecConvGeneral github.com/gomlx/gomlx/backends/simplego.execConvGeneral
func simplegoExecConvGeneral(backend *simplego.Backend, node *simplego.Node, inputs []*simplego.Buffer, inputsOwned []bool) (*simplego.Buffer, error)

// convIm2colExecutor switches the lowering to execConvIm2col on; tests switch
// it off to compare with the lowering it replaces.
var convIm2colExecutor = true

func init() {
	simplegoSetNodeExecutor(backends.OpTypeConvGeneral, executorPriority, execConvIm2col)
}

// convCounts counts the ConvGeneral nodes of purego backends run by
// execConvIm2col (served) and those handed to simplego (fallback), for tests.
var convCounts struct{ served, fallback atomic.Int64 }

// convParams are what execConvIm2col needs of a ConvGeneral node, per spatial axis.
type convParams struct {
	strides, padStarts, padEnds, inputDilations, kernelDilations []int
	// gradientLayout: input [C, S..., B], kernel [C, K..., Cout] (see gradientConvAxes).
	gradientLayout bool
}

// canonicalConvAxes returns the axes of the canonical layout for n spatial axes.
func canonicalConvAxes(n int) backends.ConvolveAxesConfig {
	axes := backends.ConvolveAxesConfig{
		InputBatch: 0, InputChannels: n + 1, InputSpatial: make([]int, n),
		KernelInputChannels: n, KernelOutputChannels: n + 1, KernelSpatial: make([]int, n),
		OutputBatch: 0, OutputChannels: n + 1, OutputSpatial: make([]int, n),
	}
	for i := range n {
		axes.InputSpatial[i], axes.KernelSpatial[i], axes.OutputSpatial[i] = i+1, i, i+1
	}
	return axes
}

// gradientConvAxes returns the axes of a channels-last layer's kernel
// gradient (kernelGradientLayoutConv) for n spatial axes: input [C, S..., B]
// (the layer's batch as channels, its channels as batch), kernel [C, K...,
// Cout] (the output's gradient), output [B, O..., Cout].
func gradientConvAxes(n int) backends.ConvolveAxesConfig {
	axes := canonicalConvAxes(n)
	axes.InputChannels, axes.InputBatch = 0, n+1
	axes.KernelInputChannels = 0
	for i := range n {
		axes.InputSpatial[i], axes.KernelSpatial[i] = i+1, i+1
	}
	return axes
}

// readConvParams reads a ConvGeneral node's parameters (simplego's convNode)
// with reflect; ok is false unless they are where simplego v0.26.0 keeps them
// and describe a convolution of n spatial axes in the canonical layout or
// the kernel gradient's (gradientConvAxes), with one channel group and one batch group.
func readConvParams(node *simplego.Node, n int) (convParams, bool) {
	return readNodeStruct(node, func(v reflect.Value) (p convParams, ok bool) {
		if v.FieldByName("channelGroupCount").Int() != 1 || v.FieldByName("batchGroupCount").Int() != 1 {
			return p, false
		}
		axes := v.FieldByName("axes")
		matches := func(want backends.ConvolveAxesConfig) bool {
			wantV := reflect.ValueOf(want)
			for i := range wantV.NumField() {
				name := wantV.Type().Field(i).Name
				got, w := axes.FieldByName(name), wantV.Field(i)
				if w.Kind() == reflect.Int {
					if got.Int() != w.Int() {
						return false
					}
					continue
				}
				gotInts, ok := reflectInts(got)
				if !ok || len(gotInts) != w.Len() {
					return false
				}
				for j := range gotInts {
					if gotInts[j] != int(w.Index(j).Int()) {
						return false
					}
				}
			}
			return true
		}
		p.gradientLayout = matches(gradientConvAxes(n))
		if !p.gradientLayout && !matches(canonicalConvAxes(n)) {
			return p, false
		}
		ones := func(name string) ([]int, bool) {
			values, ok := reflectInts(v.FieldByName(name))
			if !ok {
				return nil, false
			}
			if len(values) == 0 {
				return onesOr(nil, n), true
			}
			return values, len(values) == n
		}
		var ok1, ok2, ok3 bool
		p.strides, ok1 = ones("strides")
		p.inputDilations, ok2 = ones("inputDilations")
		p.kernelDilations, ok3 = ones("kernelDilations")
		paddings := v.FieldByName("paddings")
		if !ok1 || !ok2 || !ok3 || paddings.Kind() != reflect.Slice || paddings.Len() != n {
			return p, false
		}
		p.padStarts, p.padEnds = make([]int, n), make([]int, n)
		for i := range n {
			p.padStarts[i] = int(paddings.Index(i).Index(0).Int())
			p.padEnds[i] = int(paddings.Index(i).Index(1).Int())
		}
		return p, true
	})
}

// execConvIm2col is the ConvGeneral executor installed in simplego (see the top of this file).
func execConvIm2col(backend *simplego.Backend, node *simplego.Node, inputs []*simplego.Buffer, inputsOwned []bool) (*simplego.Buffer, error) {
	inShape, kShape, ours, err := operandShapes(backend, inputs)
	if err != nil {
		return nil, err
	}
	if !ours {
		return simplegoExecConvGeneral(backend, node, inputs, inputsOwned)
	}
	n := inShape.Rank() - 2
	outDims, ok := nodeOutputDims(node)
	if n < 1 || n > 2 || kShape.DType != inShape.DType || !ok || len(outDims) != n+2 {
		convCounts.fallback.Add(1)
		return simplegoExecConvGeneral(backend, node, inputs, inputsOwned)
	}
	p, ok := readConvParams(node, n)
	if !ok {
		convCounts.fallback.Add(1)
		return simplegoExecConvGeneral(backend, node, inputs, inputsOwned)
	}
	input, isFloat, err := floatData(backend, inputs[0])
	if err != nil {
		return nil, err
	}
	if !isFloat {
		convCounts.fallback.Add(1)
		return simplegoExecConvGeneral(backend, node, inputs, inputsOwned)
	}
	kernel, err := backend.BufferData(inputs[1])
	if err != nil {
		return nil, err
	}
	// One spatial axis is run as two, the first of size 1.
	geo := convGeometry{
		batch: inShape.Dimensions[0], channels: inShape.Dimensions[n+1], outChannels: kShape.Dimensions[n+1],
		in: [2]int{1, 1}, kernel: [2]int{1, 1}, out: [2]int{1, 1},
		stride: [2]int{1, 1}, inDilation: [2]int{1, 1}, kernelDilation: [2]int{1, 1},
		gradientLayout: p.gradientLayout,
	}
	kernelChannelAxis, kernelFirstSpatial := n, 0
	if p.gradientLayout {
		geo.batch, geo.channels = inShape.Dimensions[n+1], inShape.Dimensions[0]
		kernelChannelAxis, kernelFirstSpatial = 0, 1
	}
	for i := range n {
		a := i + 2 - n
		geo.in[a], geo.kernel[a], geo.out[a] = inShape.Dimensions[i+1], kShape.Dimensions[kernelFirstSpatial+i], outDims[i+1]
		geo.stride[a], geo.padStart[a], geo.padEnd[a] = p.strides[i], p.padStarts[i], p.padEnds[i]
		geo.inDilation[a], geo.kernelDilation[a] = p.inputDilations[i], p.kernelDilations[i]
	}
	if kShape.Dimensions[kernelChannelAxis] != geo.channels || outDims[0] != geo.batch || outDims[n+1] != geo.outChannels {
		return nil, fmt.Errorf("purego: ConvGeneral of %s and %s into %v: shapes do not match", inShape, kShape, outDims)
	}
	output, out, err := newOutput(backend, shapes.Make(inShape.DType, outDims...), "ConvGeneral")
	if err != nil {
		return nil, err
	}
	_, flush := flushingBackends.Load(backend)
	switch input := input.(type) {
	case []float32:
		err = runConv(geo, input, kernel, out, flush, &convPool32)
	case []float64:
		err = runConv(geo, input, kernel, out, flush, &convPool64)
	}
	if err != nil {
		return nil, err
	}
	convCounts.served.Add(1)
	return output, nil
}

// convGeometry is a canonical-layout convolution with two spatial axes (the
// first of size 1 for a one-axis convolution).
type convGeometry struct {
	batch, channels, outChannels int
	in, kernel, out              [2]int // Spatial sizes of input, kernel, output.
	stride, padStart, padEnd     [2]int
	inDilation, kernelDilation   [2]int
	// gradientLayout: input [channels, in..., batch], kernel [channels,
	// kernel..., outChannels] (gradientConvAxes); output as canonical.
	gradientLayout bool
}

// convPools holds the executors' scratch buffers between calls, so that a
// network's convolutions do not allocate (and fault in) their patches anew at
// every step. It is a free list, not a sync.Pool: a sync.Pool is emptied at
// every garbage collection, which a training step triggers several times, so
// the buffers were allocated again all the same. At most convPoolMaxHeld
// buffers are kept (the largest), for the process's lifetime.
type convPools[T gemm.Float] struct {
	mu   sync.Mutex
	held [][]T
}

// convPoolMaxHeld is the most buffers a convPools keeps: one Winograd call uses six.
const convPoolMaxHeld = 8

var (
	convPool32 convPools[float32]
	convPool64 convPools[float64]
)

// get returns a buffer of n values (not cleared): the smallest held one large
// enough, or a new one.
func (p *convPools[T]) get(n int) []T {
	p.mu.Lock()
	defer p.mu.Unlock()
	best := -1
	for i, b := range p.held {
		if cap(b) >= n && (best < 0 || cap(b) < cap(p.held[best])) {
			best = i
		}
	}
	if best < 0 {
		return make([]T, n)
	}
	b := p.held[best]
	p.held = slices.Delete(p.held, best, best+1)
	return b[:n]
}

// put hands buffers back for later calls, dropping the smallest beyond convPoolMaxHeld.
func (p *convPools[T]) put(bufs ...[]T) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.held = append(p.held, bufs...)
	for len(p.held) > convPoolMaxHeld {
		smallest := 0
		for i, b := range p.held {
			if cap(b) < cap(p.held[smallest]) {
				smallest = i
			}
		}
		p.held = slices.Delete(p.held, smallest, smallest+1)
	}
}

// runConv computes the convolution geo of input with kernel into out, all
// []T: by winogradExec where ConvGeneral's lowering chose Winograd's
// algorithm (useWinograd, asked again with the same geometry), else by im2colConv.
func runConv[T gemm.Float](geo convGeometry, input []T, kernelData, outData any, flush bool, pools *convPools[T]) error {
	kernel, ok1 := kernelData.([]T)
	out, ok2 := outData.([]T)
	if !ok1 || !ok2 {
		return fmt.Errorf("purego: ConvGeneral: buffers hold %T, %T and %T", input, kernelData, outData)
	}
	padded := []int{geo.batch, 0, 0, geo.channels}
	for a := range 2 {
		padded[a+1] = (geo.in[a]-1)*geo.inDilation[a] + 1 + geo.padStart[a] + geo.padEnd[a]
	}
	if geo.gradientLayout {
		if useWinogradKernelGradient(dtypes.FromGenericsType[T](), 2, geo.kernel[:], geo.out[:], geo.stride[:], geo.kernelDilation[:], 1, geo.batch, geo.outChannels) {
			winogradKernelGradientExec(geo, input, kernel, out, flush, pools)
			return nil
		}
		kernelGradientIm2col(geo, input, kernel, out, pools)
		return nil
	}
	if useWinograd(2, geo.kernel[:], geo.stride[:], geo.kernelDilation[:], 1, geo.channels, padded) {
		winogradExec(geo, input, kernel, out, flush, pools)
		return nil
	}
	im2colConv(geo, input, kernel, out, pools)
	return nil
}

// im2colConv computes the convolution geo of input with kernel into out.
func im2colConv[T gemm.Float](geo convGeometry, input, kernel, out []T, pools *convPools[T]) {
	rows := geo.batch * geo.out[0] * geo.out[1]
	cols := geo.kernel[0] * geo.kernel[1] * geo.channels
	size := rows * cols
	patches := pools.get(size)
	taps := convTaps(geo)
	fill := func(firstRow, lastRow int) {
		c := geo.channels
		dst := patches[firstRow*cols : lastRow*cols]
		for r := firstRow; r < lastRow; r++ {
			ow := r % geo.out[1]
			oh := (r / geo.out[1]) % geo.out[0]
			b := r / (geo.out[1] * geo.out[0])
			image := input[b*geo.in[0]*geo.in[1]*c : (b+1)*geo.in[0]*geo.in[1]*c]
			for _, ih := range taps[0][oh*geo.kernel[0] : (oh+1)*geo.kernel[0]] {
				for _, iw := range taps[1][ow*geo.kernel[1] : (ow+1)*geo.kernel[1]] {
					if ih < 0 || iw < 0 {
						clear(dst[:c])
					} else if c == 1 {
						dst[0] = image[ih*geo.in[1]+iw]
					} else {
						at := (ih*geo.in[1] + iw) * c
						copy(dst[:c], image[at:at+c])
					}
					dst = dst[c:]
				}
			}
		}
	}
	// Rows are split over the cores when there are enough values to copy
	// (copies only: no flushing needed).
	inParallel(rows, size, false, fill)
	gemm.Multiply(1, rows, geo.outChannels, cols,
		gemm.Operand[T]{Data: patches, RowStride: cols, ColStride: 1},
		gemm.Operand[T]{Data: kernel, RowStride: geo.outChannels, ColStride: 1},
		out, 0)
	pools.put(patches)
}

// convTaps returns, for each spatial axis a, taps[a][o*kernel[a]+k]: the input
// index along a read by output position o and kernel position k, or -1 for
// padding and for the holes of input dilation.
func convTaps(geo convGeometry) (taps [2][]int) {
	for a := range 2 {
		taps[a] = make([]int, geo.out[a]*geo.kernel[a])
		for o := range geo.out[a] {
			for k := range geo.kernel[a] {
				d := o*geo.stride[a] + k*geo.kernelDilation[a] - geo.padStart[a]
				i := -1
				if d >= 0 && d%geo.inDilation[a] == 0 && d/geo.inDilation[a] < geo.in[a] {
					i = d / geo.inDilation[a]
				}
				taps[a][o*geo.kernel[a]+k] = i
			}
		}
	}
	return taps
}

// kernelGradientIm2col computes a convolution in the kernel gradient's layout
// (geo.gradientLayout: input [C, S..., B], kernel [C, K..., Cout], output
// [B, O..., Cout]) as kernelGradientLayoutConv's im2col
// did with Slices, a Concatenate and the GEMM's transpose: the patches
// [O, B, C·K] gathered in one pass, one product with the kernel as
// [C·K, Cout] into [O, B, Cout], then moved to [B, O, Cout]. Same products
// in the same order: the same bits.
func kernelGradientIm2col[T gemm.Float](geo convGeometry, input, kernel, out []T, pools *convPools[T]) {
	batch, channels, cOut := geo.batch, geo.channels, geo.outChannels
	numOut, numKernel := geo.out[0]*geo.out[1], geo.kernel[0]*geo.kernel[1]
	rows, cols := numOut*batch, channels*numKernel
	patches := pools.get(rows * cols)
	taps := convTaps(geo)
	planeSize := geo.in[0] * geo.in[1] * batch // One input channel: [S1, S2, B].
	fill := func(first, last int) {            // Over output positions o.
		for o := first; o < last; o++ {
			o1, o2 := o/geo.out[1], o%geo.out[1]
			block := patches[o*batch*cols : (o+1)*batch*cols] // [B, C·K] of position o.
			for c := range channels {
				plane := input[c*planeSize : (c+1)*planeSize]
				col := c * numKernel
				for _, ih := range taps[0][o1*geo.kernel[0] : (o1+1)*geo.kernel[0]] {
					for _, iw := range taps[1][o2*geo.kernel[1] : (o2+1)*geo.kernel[1]] {
						if ih < 0 || iw < 0 {
							for b := range batch {
								block[b*cols+col] = 0
							}
						} else {
							at := (ih*geo.in[1] + iw) * batch
							for b, x := range plane[at : at+batch] {
								block[b*cols+col] = x
							}
						}
						col++
					}
				}
			}
		}
	}
	inParallel(numOut, rows*cols, false, fill)
	product := pools.get(numOut * batch * cOut) // [O, B, Cout].
	gemm.Multiply(1, rows, cOut, cols,
		gemm.Operand[T]{Data: patches, RowStride: cols, ColStride: 1},
		gemm.Operand[T]{Data: kernel, RowStride: cOut, ColStride: 1},
		product, 0)
	for o := range numOut {
		for b := range batch {
			copy(out[(b*numOut+o)*cOut:(b*numOut+o+1)*cOut], product[(o*batch+b)*cOut:(o*batch+b+1)*cOut])
		}
	}
	pools.put(patches, product)
}
