package purego

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/pkg/core/dtypes"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/tensors"
)

// referencePad pads x as XLA's Pad does: interior first, then edges (negative edges crop).
func referencePad(x array, fill float64, pads []backends.PadAxis) (array, bool) {
	rank := len(x.dims)
	outDims := make([]int, rank)
	for i, n := range x.dims {
		grown := n
		if n > 0 {
			grown = n + (n-1)*pads[i].Interior
		}
		outDims[i] = pads[i].Start + grown + pads[i].End
		if outDims[i] <= 0 {
			return array{}, false
		}
	}
	out := newArray(outDims...)
	for i := range out.data {
		out.data[i] = fill
	}
	dst := make([]int, rank)
	forEachIndex(x.dims, func(idx []int) {
		for i := range rank {
			dst[i] = pads[i].Start + idx[i]*(pads[i].Interior+1)
			if dst[i] < 0 || dst[i] >= outDims[i] {
				return
			}
		}
		out.data[out.at(dst)] = x.data[x.at(idx)]
	})
	return out, true
}

func TestPad(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for tc := range 60 {
		rank := 1 + rng.IntN(3)
		dims := make([]int, rank)
		pads := make([]backends.PadAxis, rank)
		for i := range rank {
			dims[i] = 1 + rng.IntN(5)
			pads[i] = backends.PadAxis{Start: rng.IntN(5) - 2, End: rng.IntN(5) - 2, Interior: rng.IntN(3)}
		}
		x := randomArray(rng, dims...)
		want, ok := referencePad(x, 7, pads)
		if !ok {
			continue
		}
		t.Run(fmt.Sprintf("%d:%v:%v", tc, dims, pads), func(t *testing.T) {
			got := mustExec(t, pureEngine(), func(in []*graph.Node) *graph.Node {
				return graph.Pad(in[0], graph.Scalar(in[0].Graph(), in[0].DType(), 7), pads...)
			}, x)
			assertClose(t, "Pad", got, want, 0)
		})
	}
}

func TestReverse(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for range 20 {
		rank := 1 + rng.IntN(3)
		dims := make([]int, rank)
		for i := range dims {
			dims[i] = 1 + rng.IntN(4)
		}
		var axes []int
		for i := range rank {
			if rng.IntN(2) == 0 {
				axes = append(axes, i)
			}
		}
		x := randomArray(rng, dims...)
		want := newArray(dims...)
		src := make([]int, rank)
		forEachIndex(dims, func(idx []int) {
			copy(src, idx)
			for _, a := range axes {
				src[a] = dims[a] - 1 - idx[a]
			}
			want.data[want.at(idx)] = x.data[x.at(src)]
		})
		got := mustExec(t, pureEngine(), func(in []*graph.Node) *graph.Node { return graph.Reverse(in[0], axes...) }, x)
		assertClose(t, fmt.Sprintf("Reverse(%v, %v)", dims, axes), got, want, 0)
	}
}

// convCase is one ConvGeneral configuration in canonical terms, plus the layout.
type convCase struct {
	batch, inChannels, outChannels, groups                    int
	spatial, kernel, strides, inputDilations, kernelDilations []int
	paddings                                                  [][2]int
	channelsFirst                                             bool
	// gradientLayout is the layout of a channels-last layer's kernel gradient:
	// input [C, S..., B], kernel [C, K..., Cout], output [B, S..., Cout].
	gradientLayout bool
}

func (c convCase) String() string {
	layout := "NHWC"
	if c.channelsFirst {
		layout = "NCHW"
	}
	if c.gradientLayout {
		layout = "CHWN"
	}
	return fmt.Sprintf("%s b%d ci%d co%d g%d s%v k%v str%v pad%v idil%v kdil%v", layout, c.batch, c.inChannels, c.outChannels,
		c.groups, c.spatial, c.kernel, c.strides, c.paddings, c.inputDilations, c.kernelDilations)
}

// axes returns the ConvolveAxesConfig of the case: channels last or first for
// input and output; kernel always [spatial..., in, out] or [out, in, spatial...].
func (c convCase) axes() backends.ConvolveAxesConfig {
	n := len(c.spatial)
	var a backends.ConvolveAxesConfig
	if c.gradientLayout {
		a.InputChannels, a.InputBatch = 0, n+1
		a.KernelInputChannels, a.KernelOutputChannels = 0, n+1
		a.OutputBatch, a.OutputChannels = 0, n+1
		for i := range n {
			a.InputSpatial = append(a.InputSpatial, i+1)
			a.KernelSpatial = append(a.KernelSpatial, i+1)
			a.OutputSpatial = append(a.OutputSpatial, i+1)
		}
		return a
	}
	if c.channelsFirst {
		a.InputBatch, a.InputChannels = 0, 1
		a.OutputBatch, a.OutputChannels = 0, 1
		a.KernelOutputChannels, a.KernelInputChannels = 0, 1
		for i := range n {
			a.InputSpatial = append(a.InputSpatial, i+2)
			a.OutputSpatial = append(a.OutputSpatial, i+2)
			a.KernelSpatial = append(a.KernelSpatial, i+2)
		}
	} else {
		a.InputBatch, a.InputChannels = 0, n+1
		a.OutputBatch, a.OutputChannels = 0, n+1
		a.KernelInputChannels, a.KernelOutputChannels = n, n+1
		for i := range n {
			a.InputSpatial = append(a.InputSpatial, i+1)
			a.OutputSpatial = append(a.OutputSpatial, i+1)
			a.KernelSpatial = append(a.KernelSpatial, i)
		}
	}
	return a
}

// dims returns the input and kernel dimensions in the case's layout.
func (c convCase) dims() (input, kernel []int) {
	a := c.axes()
	n := len(c.spatial)
	input, kernel = make([]int, n+2), make([]int, n+2)
	input[a.InputBatch], input[a.InputChannels] = c.batch, c.inChannels
	kernel[a.KernelInputChannels], kernel[a.KernelOutputChannels] = c.inChannels/c.groups, c.outChannels
	for i := range n {
		input[a.InputSpatial[i]] = c.spatial[i]
		kernel[a.KernelSpatial[i]] = c.kernel[i]
	}
	return input, kernel
}

// referenceConv is a direct convolution with XLA's semantics.
func referenceConv(c convCase, x, w array) (array, bool) {
	a := c.axes()
	n := len(c.spatial)
	outSpatial := make([]int, n)
	for i := range n {
		dilated := (c.spatial[i]-1)*c.inputDilations[i] + 1 + c.paddings[i][0] + c.paddings[i][1]
		effective := (c.kernel[i]-1)*c.kernelDilations[i] + 1
		if dilated < effective {
			return array{}, false
		}
		outSpatial[i] = (dilated-effective)/c.strides[i] + 1
	}
	outDims := make([]int, n+2)
	outDims[a.OutputBatch], outDims[a.OutputChannels] = c.batch, c.outChannels
	for i := range n {
		outDims[a.OutputSpatial[i]] = outSpatial[i]
	}
	out := newArray(outDims...)
	groupIn, groupOut := c.inChannels/c.groups, c.outChannels/c.groups
	xi, wi, oi := make([]int, n+2), make([]int, n+2), make([]int, n+2)
	for b := range c.batch {
		for co := range c.outChannels {
			g := co / groupOut
			forEachIndex(outSpatial, func(o []int) {
				sum := 0.0
				forEachIndex(c.kernel, func(k []int) {
					for i := range n {
						p := o[i]*c.strides[i] + k[i]*c.kernelDilations[i] - c.paddings[i][0]
						if p < 0 || p%c.inputDilations[i] != 0 || p/c.inputDilations[i] >= c.spatial[i] {
							return
						}
						xi[a.InputSpatial[i]] = p / c.inputDilations[i]
						wi[a.KernelSpatial[i]] = k[i]
					}
					for ci := range groupIn {
						xi[a.InputBatch], xi[a.InputChannels] = b, g*groupIn+ci
						wi[a.KernelInputChannels], wi[a.KernelOutputChannels] = ci, co
						sum += x.data[x.at(xi)] * w.data[w.at(wi)]
					}
				})
				oi[a.OutputBatch], oi[a.OutputChannels] = b, co
				for i := range n {
					oi[a.OutputSpatial[i]] = o[i]
				}
				out.data[out.at(oi)] = sum
			})
		}
	}
	return out, true
}

// randomConvCase draws a small convolution with the given number of spatial axes.
func randomConvCase(rng *rand.Rand, numSpatial int) convCase {
	c := convCase{
		batch:         1 + rng.IntN(3),
		groups:        1 + rng.IntN(3),
		channelsFirst: rng.IntN(2) == 0,
	}
	c.inChannels = c.groups * (1 + rng.IntN(3))
	c.outChannels = c.groups * (1 + rng.IntN(3))
	for range numSpatial {
		c.spatial = append(c.spatial, 1+rng.IntN(7))
		c.kernel = append(c.kernel, 1+rng.IntN(3))
		c.strides = append(c.strides, 1+rng.IntN(3))
		c.inputDilations = append(c.inputDilations, 1+rng.IntN(2))
		c.kernelDilations = append(c.kernelDilations, 1+rng.IntN(2))
		c.paddings = append(c.paddings, [2]int{rng.IntN(4) - 1, rng.IntN(4) - 1}) // Negative paddings crop.
	}
	return c
}

func (c convCase) graphFn() func(in []*graph.Node) *graph.Node {
	return func(in []*graph.Node) *graph.Node {
		return graph.ConvGeneral(in[0], in[1], c.axes(), c.strides, c.paddings, c.inputDilations, c.kernelDilations, c.groups, 1)
	}
}

func TestConvGeneral(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	tested := 0
	for tc := 0; tested < 80 && tc < 400; tc++ {
		c := randomConvCase(rng, 1+rng.IntN(3))
		xDims, wDims := c.dims()
		x, w := randomArray(rng, xDims...), randomArray(rng, wDims...)
		want, ok := referenceConv(c, x, w)
		if !ok {
			continue
		}
		tested++
		t.Run(c.String(), func(t *testing.T) {
			got := mustExec(t, pureEngine(), c.graphFn(), x, w)
			assertClose(t, "purego vs reference", got, want, 1e-12)
			// simplego has ConvGeneral too (it rejects some configurations): where it runs, results agree.
			if simple, err := exec(simpleEngine(), c.graphFn(), x, w); err == nil {
				assertClose(t, "purego vs simplego", got, simple, 1e-12)
			}
		})
	}
}

// TestConvGeneralKernelGradientShape covers the lowering that loops over
// output positions (output smaller than the kernel), in float32.
func TestConvGeneralFloat32(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	c := convCase{batch: 2, inChannels: 3, outChannels: 4, groups: 1, spatial: []int{9, 7}, kernel: []int{6, 5},
		strides: []int{1, 2}, inputDilations: []int{1, 1}, kernelDilations: []int{1, 1}, paddings: [][2]int{{0, 0}, {1, 0}}}
	xDims, wDims := c.dims()
	x, w := randomArray(rng, xDims...), randomArray(rng, wDims...)
	want, _ := referenceConv(c, x, w)
	got := mustExec(t, pureEngine(), func(in []*graph.Node) *graph.Node {
		x32, w32 := graph.ConvertDType(in[0], dtypes.Float32), graph.ConvertDType(in[1], dtypes.Float32)
		return graph.ConvertDType(c.graphFn()([]*graph.Node{x32, w32}), in[0].DType())
	}, x, w)
	assertClose(t, "float32 conv", got, want, 1e-5)
}

// windowCase is one ReduceWindow configuration.
type windowCase struct {
	dims, window, strides, baseDilations, windowDilations []int
	paddings                                              [][2]int
}

// referenceReduceWindow reduces windows with XLA's semantics (padding and
// base-dilation holes hold the reduction's identity).
func referenceReduceWindow(c windowCase, x array, reduce func(a, b float64) float64, identity float64) (array, bool) {
	rank := len(c.dims)
	outDims := make([]int, rank)
	for i := range rank {
		dilated := (c.dims[i]-1)*c.baseDilations[i] + 1 + c.paddings[i][0] + c.paddings[i][1]
		effective := (c.window[i]-1)*c.windowDilations[i] + 1
		if dilated < effective {
			return array{}, false
		}
		outDims[i] = (dilated-effective)/c.strides[i] + 1
	}
	out := newArray(outDims...)
	src := make([]int, rank)
	forEachIndex(outDims, func(o []int) {
		acc := identity
		forEachIndex(c.window, func(k []int) {
			for i := range rank {
				p := o[i]*c.strides[i] + k[i]*c.windowDilations[i] - c.paddings[i][0]
				if p < 0 || p%c.baseDilations[i] != 0 || p/c.baseDilations[i] >= c.dims[i] {
					acc = reduce(acc, identity)
					return
				}
				src[i] = p / c.baseDilations[i]
			}
			acc = reduce(acc, x.data[x.at(src)])
		})
		out.data[out.at(o)] = acc
	})
	return out, true
}

func TestReduceWindow(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	reductions := []struct {
		name     string
		op       backends.ReduceOpType
		fn       func(a, b float64) float64
		identity float64
	}{
		{"max", backends.ReduceOpMax, math.Max, math.Inf(-1)},
		{"min", backends.ReduceOpMin, math.Min, math.Inf(1)},
		{"sum", backends.ReduceOpSum, func(a, b float64) float64 { return a + b }, 0},
	}
	for tc := range 60 {
		rank := 1 + rng.IntN(4)
		var c windowCase
		tiled := tc%2 == 0
		for range rank {
			w := 1 + rng.IntN(3)
			c.dims = append(c.dims, 1+rng.IntN(6))
			c.window = append(c.window, w)
			if tiled {
				c.strides = append(c.strides, w)
				c.windowDilations = append(c.windowDilations, 1)
				c.baseDilations = append(c.baseDilations, 1)
			} else {
				c.strides = append(c.strides, 1+rng.IntN(3))
				c.windowDilations = append(c.windowDilations, 1+rng.IntN(2))
				c.baseDilations = append(c.baseDilations, 1+rng.IntN(2))
			}
			c.paddings = append(c.paddings, [2]int{rng.IntN(2), rng.IntN(2)})
		}
		red := reductions[tc%len(reductions)]
		x := randomArray(rng, c.dims...)
		want, ok := referenceReduceWindow(c, x, red.fn, red.identity)
		if !ok {
			continue
		}
		fn := func(in []*graph.Node) *graph.Node {
			return graph.BackendReduceWindow(in[0], red.op, c.window, c.strides, c.baseDilations, c.windowDilations, c.paddings)
		}
		t.Run(fmt.Sprintf("%s %+v", red.name, c), func(t *testing.T) {
			got := mustExec(t, pureEngine(), fn, x)
			assertClose(t, "purego vs reference", got, want, 1e-12)
			if simple, err := exec(simpleEngine(), fn, x); err == nil {
				assertClose(t, "purego vs simplego", got, simple, 1e-12)
			}
		})
	}
}

// referenceSelectAndScatterMax adds each source value to the first maximum of
// its window (padding never wins).
func referenceSelectAndScatterMax(x, source array, window, strides []int, paddings [][2]int) array {
	rank := len(x.dims)
	out := newArray(x.dims...)
	src := make([]int, rank)
	forEachIndex(source.dims, func(o []int) {
		best, bestPos := math.Inf(-1), -1
		forEachIndex(window, func(k []int) {
			for i := range rank {
				p := o[i]*strides[i] + k[i] - paddings[i][0]
				if p < 0 || p >= x.dims[i] {
					return
				}
				src[i] = p
			}
			if v := x.data[x.at(src)]; bestPos < 0 || v > best {
				best, bestPos = v, x.at(src)
			}
		})
		if bestPos >= 0 {
			out.data[bestPos] += source.data[source.at(o)]
		}
	})
	return out
}

// TestMaxPoolGradient checks SelectAndScatterMax and SelectAndScatterMin
// through the gradients of max- and min-pooling, against the reference, with
// tiled and overlapping windows, and ties.
func TestMaxPoolGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for tc := range 24 {
		dims := []int{1 + rng.IntN(2), 2 + rng.IntN(6), 2 + rng.IntN(6), 1 + rng.IntN(3)}
		window := []int{1, 1 + rng.IntN(3), 1 + rng.IntN(3), 1}
		strides := []int{1, window[1], window[2], 1}
		paddings := [][2]int{{0, 0}, {0, 0}, {0, 0}, {0, 0}}
		if tc%2 == 1 {
			strides[1], strides[2] = 1+rng.IntN(2), 1+rng.IntN(2)
			paddings[1], paddings[2] = [2]int{rng.IntN(2), rng.IntN(2)}, [2]int{rng.IntN(2), rng.IntN(2)}
		}
		if dims[1]+paddings[1][0]+paddings[1][1] < window[1] || dims[2]+paddings[2][0]+paddings[2][1] < window[2] {
			continue
		}
		x := randomArray(rng, dims...)
		if tc%3 == 0 { // Ties: the first maximum of each window is selected.
			for i := range x.data {
				x.data[i] = math.Round(x.data[i] * 2)
			}
		}
		// Max-pooling selects the first maximum; min-pooling the first minimum,
		// which is the first maximum of -x.
		reduction, name, reference := backends.ReduceOpMax, "max", x
		if tc%4 >= 2 {
			reduction, name = backends.ReduceOpMin, "min"
			reference = newArray(dims...)
			for i, v := range x.data {
				reference.data[i] = -v
			}
		}
		fwd := func(in []*graph.Node) *graph.Node {
			return graph.BackendReduceWindow(in[0], reduction, window, strides, nil, nil, paddings)
		}
		pooled := mustExec(t, pureEngine(), fwd, x)
		source := randomArray(rng, pooled.dims...)
		want := referenceSelectAndScatterMax(reference, source, window, strides, paddings)
		got := mustExec(t, pureEngine(), func(in []*graph.Node) *graph.Node {
			loss := graph.ReduceAllSum(graph.Mul(fwd(in[:1]), in[1]))
			return graph.Gradient(loss, in[0])[0]
		}, x, source)
		assertClose(t, fmt.Sprintf("case %d: %s-pool gradient x%v window%v strides%v pad%v", tc, name, dims, window, strides, paddings), got, want, 1e-12)
	}
}

func TestBatchNorm(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for _, tc := range []struct {
		dims        []int
		featureAxis int
	}{{[]int{4, 3}, 1}, {[]int{2, 5, 3, 4}, 3}, {[]int{3, 4, 2, 2}, 1}, {[]int{6, 2}, 0}} {
		x := randomArray(rng, tc.dims...)
		features := tc.dims[tc.featureAxis]
		scale, offset := randomArray(rng, features), randomArray(rng, features)
		const eps = float32(1e-3)
		n := float64(len(x.data) / features)
		mean, variance := newArray(features), newArray(features)
		forEachIndex(tc.dims, func(idx []int) { mean.data[idx[tc.featureAxis]] += x.data[x.at(idx)] / n })
		forEachIndex(tc.dims, func(idx []int) {
			d := x.data[x.at(idx)] - mean.data[idx[tc.featureAxis]]
			variance.data[idx[tc.featureAxis]] += d * d / n
		})
		want := newArray(tc.dims...)
		forEachIndex(tc.dims, func(idx []int) {
			f := idx[tc.featureAxis]
			want.data[want.at(idx)] = (x.data[x.at(idx)]-mean.data[f])/math.Sqrt(variance.data[f]+float64(eps))*scale.data[f] + offset.data[f]
		})
		name := fmt.Sprintf("%v axis %d", tc.dims, tc.featureAxis)
		train := func(in []*graph.Node) *graph.Node {
			normalized, _, _ := graph.InternalBatchNormForTraining(in[0], in[1], in[2], eps, tc.featureAxis)
			return normalized
		}
		assertClose(t, name+": training", mustExec(t, pureEngine(), train, x, scale, offset), want, 1e-12)
		for i, stat := range []array{mean, variance} {
			got := mustExec(t, pureEngine(), func(in []*graph.Node) *graph.Node {
				_, m, v := graph.InternalBatchNormForTraining(in[0], in[1], in[2], eps, tc.featureAxis)
				return []*graph.Node{m, v}[i]
			}, x, scale, offset)
			assertClose(t, fmt.Sprintf("%s: statistic %d", name, i), got, stat, 1e-12)
		}
		infer := mustExec(t, pureEngine(), func(in []*graph.Node) *graph.Node {
			return graph.InternalBatchNormForInference(in[0], in[1], in[2], in[3], in[4], eps, tc.featureAxis)
		}, x, scale, offset, mean, variance)
		assertClose(t, name+": inference", infer, want, 1e-12)
		checkGradients(t, name+": training gradient", train, rng, x, scale, offset)
	}
}

func TestDynamicSliceAndUpdate(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	for tc := range 20 {
		rank := 1 + rng.IntN(3)
		dims, sizes, starts := make([]int, rank), make([]int, rank), make([]int, rank)
		for i := range rank {
			dims[i] = 1 + rng.IntN(5)
			sizes[i] = 1 + rng.IntN(dims[i])
			starts[i] = rng.IntN(dims[i]+2) - 1 // Out of range on purpose: clamped.
		}
		clamped := make([]int, rank)
		for i := range rank {
			clamped[i] = min(max(starts[i], 0), dims[i]-sizes[i])
		}
		x, update := randomArray(rng, dims...), randomArray(rng, sizes...)
		wantSlice, wantUpdate := newArray(sizes...), array{dims, slices.Clone(x.data)}
		pos := make([]int, rank)
		forEachIndex(sizes, func(idx []int) {
			for i := range rank {
				pos[i] = clamped[i] + idx[i]
			}
			wantSlice.data[wantSlice.at(idx)] = x.data[x.at(pos)]
			wantUpdate.data[x.at(pos)] = update.data[update.at(idx)]
		})
		startNodes := func(g *graph.Graph) []*graph.Node {
			nodes := make([]*graph.Node, rank)
			for i, s := range starts {
				nodes[i] = graph.Const(g, int32(s))
			}
			return nodes
		}
		name := fmt.Sprintf("case %d: dims %v sizes %v starts %v", tc, dims, sizes, starts)
		got := mustExec(t, pureEngine(), func(in []*graph.Node) *graph.Node {
			return graph.DynamicSlice(in[0], startNodes(in[0].Graph()), sizes)
		}, x)
		assertClose(t, name+": DynamicSlice", got, wantSlice, 0)
		got = mustExec(t, pureEngine(), func(in []*graph.Node) *graph.Node {
			return graph.DynamicUpdateSlice(in[0], in[1], startNodes(in[0].Graph()))
		}, x, update)
		assertClose(t, name+": DynamicUpdateSlice", got, wantUpdate, 0)
	}
}

// TestWinogradConv checks the Winograd F(4×4, 3×3) and F(2×2, 3×3) paths on 3×3 stride-1
// convolutions of random sizes, paddings (negative too), input dilations and
// layouts, against the reference, with its channel threshold lowered so small
// cases take it.
func TestWinogradConv(t *testing.T) {
	saved := winogradMinChannels
	winogradMinChannels = 1
	defer func() { winogradMinChannels = saved }()
	rng := rand.New(rand.NewPCG(17, 18))
	for tc := range 30 {
		c := convCase{batch: 1 + rng.IntN(2), inChannels: 1 + rng.IntN(4), outChannels: 1 + rng.IntN(4), groups: 1,
			spatial: []int{1 + rng.IntN(12), 1 + rng.IntN(12)}, kernel: []int{3, 3}, strides: []int{1, 1},
			inputDilations: []int{1 + rng.IntN(2), 1}, kernelDilations: []int{1, 1},
			paddings: [][2]int{{rng.IntN(3) - 1, rng.IntN(3)}, {rng.IntN(3), rng.IntN(3) - 1}}, channelsFirst: tc%2 == 1}
		xDims, wDims := c.dims()
		x, w := randomArray(rng, xDims...), randomArray(rng, wDims...)
		want, ok := referenceConv(c, x, w)
		if !ok {
			continue
		}
		for _, f4 := range []bool{true, false} { // 4×4-output tiles where large enough, then 2×2 only.
			winogradTileF4 = f4
			before := rewriteCounts.winograd.Load()
			got := mustExec(t, pureEngine(), c.graphFn(), x, w)
			if rewriteCounts.winograd.Load() == before {
				t.Fatalf("%s: Winograd path not taken", c)
			}
			assertClose(t, fmt.Sprintf("Winograd (F4 %v) %s", f4, c), got, want, 1e-10)
		}
		winogradTileF4 = true
	}
	// float32, at the default threshold, with the reference CNN's layer shape.
	winogradMinChannels = saved
	c := convCase{batch: 2, inChannels: 16, outChannels: 8, groups: 1, spatial: []int{7, 6}, kernel: []int{3, 3},
		strides: []int{1, 1}, inputDilations: []int{1, 1}, kernelDilations: []int{1, 1}, paddings: [][2]int{{1, 1}, {1, 1}}}
	xDims, wDims := c.dims()
	x, w := randomArray(rng, xDims...), randomArray(rng, wDims...)
	want, _ := referenceConv(c, x, w)
	before := rewriteCounts.winograd.Load()
	got := mustExec(t, pureEngine(), func(in []*graph.Node) *graph.Node {
		x32, w32 := graph.ConvertDType(in[0], dtypes.Float32), graph.ConvertDType(in[1], dtypes.Float32)
		return graph.ConvertDType(c.graphFn()([]*graph.Node{x32, w32}), in[0].DType())
	}, x, w)
	if rewriteCounts.winograd.Load() == before {
		t.Fatalf("%s: Winograd path not taken at the default threshold", c)
	}
	assertClose(t, "float32 Winograd", got, want, 1e-4)
}

// TestWinogradKernelGradient checks the F(3×3, 2×2) path, taken by
// convolutions with a 3×3 output (a 3×3 kernel's gradient), against the
// reference on odd and even kernel sizes, and the whole kernel gradient of a
// layer with it on and off.
func TestWinogradKernelGradient(t *testing.T) {
	rng := rand.New(rand.NewPCG(19, 20))
	for _, spatial := range [][]int{{6, 7}, {5, 4}, {9, 9}, {3, 8}} {
		c := convCase{batch: 32, inChannels: 2, outChannels: 16, groups: 1, spatial: spatial,
			kernel: []int{spatial[0], spatial[1]}, strides: []int{1, 1}, inputDilations: []int{1, 1},
			kernelDilations: []int{1, 1}, paddings: [][2]int{{1, 1}, {1, 1}}}
		xDims, wDims := c.dims()
		x, w := randomArray(rng, xDims...), randomArray(rng, wDims...)
		want, _ := referenceConv(c, x, w)
		for _, f4 := range []bool{true, false} {
			winogradTileF4 = f4
			before := rewriteCounts.winogradKernelGradient.Load()
			got := mustExec(t, pureEngine(), c.graphFn(), x, w)
			if rewriteCounts.winogradKernelGradient.Load() == before {
				t.Fatalf("%s: Winograd kernel-gradient path not taken (F4 %v)", c, f4)
			}
			assertClose(t, fmt.Sprintf("Winograd kernel gradient (F4 %v) %s", f4, c), got, want, 1e-10)
		}
		winogradTileF4 = true
	}

	// The gradient of a 3×3 layer's kernel, as GoMLX builds it, with and without.
	x, kernel := randomArray(rng, 2, 7, 6, 32), randomArray(rng, 3, 3, 32, 16)
	weights := randomArray(rng, 2, 7, 6, 16)
	grad := func(in []*graph.Node) *graph.Node {
		out := graph.Convolve(in[0], in[1]).PadSame().Done()
		loss := graph.ReduceAllSum(graph.Mul(out, graph.Const(out.Graph(), weights.tensor())))
		return graph.Gradient(loss, in[1])[0]
	}
	before := rewriteCounts.winogradKernelGradient.Load()
	withWinograd := mustExec(t, pureEngine(), grad, x, kernel)
	if rewriteCounts.winogradKernelGradient.Load() == before {
		t.Fatal("kernel gradient of a 3x3 convolution with 32 input channels did not take the Winograd path")
	}
	winogradKernelGradientEnabled = false
	defer func() { winogradKernelGradientEnabled = true }()
	withIm2col := mustExec(t, pureEngine(), grad, x, kernel)
	assertClose(t, "kernel gradient, Winograd vs im2col", withWinograd, withIm2col, 1e-10)
}

// TestExplicitBroadcast checks binary ops whose operands broadcast along any
// axes of size 1 — one side or both, leading, trailing or in between — which
// purego turns into explicit BroadcastInDim nodes run by its own executor,
// against simplego's implicit broadcasting, exactly.
func TestExplicitBroadcast(t *testing.T) {
	rng := rand.New(rand.NewPCG(27, 28))
	ops := []struct {
		name string
		fn   func(a, b *graph.Node) *graph.Node
	}{
		{"Add", graph.Add}, {"Sub", graph.Sub}, {"Mul", graph.Mul}, {"Div", graph.Div}, {"Max", graph.Max}, {"Min", graph.Min},
	}
	for tc := range 24 {
		rank := 2 + rng.IntN(3)
		dims := make([]int, rank)
		for i := range dims {
			dims[i] = 1 + rng.IntN(12)
		}
		for product(dims) < minExplicitBroadcast {
			dims[rng.IntN(rank)] *= 2
		}
		// Each axis: both full, or size 1 on one side; at least one axis broadcasts.
		lDims, rDims := slices.Clone(dims), slices.Clone(dims)
		for i := range dims {
			switch rng.IntN(3) {
			case 1:
				lDims[i] = 1
			case 2:
				rDims[i] = 1
			}
		}
		if slices.Equal(lDims, rDims) {
			rDims[rank-1] = 1
		}
		if product(lDims) == 1 || product(rDims) == 1 {
			continue // simplego's scalar case: not rewritten.
		}
		lhs, rhs := randomArray(rng, lDims...), randomArray(rng, rDims...)
		for i := range rhs.data {
			rhs.data[i] += 2 // Keeps Div away from zero.
		}
		op := ops[tc%len(ops)]
		fn := func(in []*graph.Node) *graph.Node { return op.fn(in[0], in[1]) }
		explicit, fast, fallback := rewriteCounts.explicitBroadcast.Load(), rewriteCounts.fastBroadcast.Load(), rewriteCounts.broadcastFallback.Load()
		got := mustExec(t, pureEngine(), fn, lhs, rhs)
		if rewriteCounts.explicitBroadcast.Load() == explicit || rewriteCounts.fastBroadcast.Load() == fast {
			t.Fatalf("%s %v with %v: the explicit broadcast was not built or not run by purego's executor", op.name, lDims, rDims)
		}
		if rewriteCounts.broadcastFallback.Load() != fallback {
			t.Fatalf("%s %v with %v: purego's BroadcastInDim executor could not read the node and fell back to simplego", op.name, lDims, rDims)
		}
		assertClose(t, fmt.Sprintf("%s %v with %v", op.name, lDims, rDims), got, mustExec(t, simpleEngine(), fn, lhs, rhs), 0)
	}
}

// TestBroadcastInDimExecutor checks purego's BroadcastInDim executor on new
// axes inserted anywhere (ExpandAndBroadcast) against an index-by-index
// reference.
func TestBroadcastInDimExecutor(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	for _, tc := range []struct {
		in, out  []int
		expanded []int // Axes of out that are new.
	}{
		{[]int{5}, []int{4, 5}, []int{0}},
		{[]int{5}, []int{5, 4}, []int{1}},
		{[]int{3, 5}, []int{3, 4, 5}, []int{1}},
		{[]int{3, 5}, []int{2, 3, 5, 6}, []int{0, 3}},
		{[]int{7}, []int{2, 3, 7}, []int{0, 1}},
		{[]int{2, 1, 3}, []int{4, 2, 1, 3}, []int{0}}, // A size-1 axis kept.
		// Leading broadcast axes (filled by doubling copies of the first period):
		// batch norm's per-channel [C] over [B, H, W, C], and a period that itself holds a broadcast.
		{[]int{6}, []int{3, 5, 7, 6}, []int{0, 1, 2}},
		{[]int{5, 3}, []int{3, 5, 2, 3}, []int{0, 2}},
	} {
		x := randomArray(rng, tc.in...)
		fast := rewriteCounts.fastBroadcast.Load()
		got := mustExec(t, pureEngine(), func(in []*graph.Node) *graph.Node {
			return graph.ExpandAndBroadcast(in[0], tc.out, tc.expanded)
		}, x)
		if rewriteCounts.fastBroadcast.Load() == fast {
			t.Fatalf("%v → %v: not run by purego's executor", tc.in, tc.out)
		}
		want := newArray(tc.out...)
		idx := make([]int, len(tc.out))
		for pos := range want.data {
			rem := pos
			for a := len(tc.out) - 1; a >= 0; a-- {
				idx[a], rem = rem%tc.out[a], rem/tc.out[a]
			}
			var src []int
			for a, i := range idx {
				if !slices.Contains(tc.expanded, a) {
					src = append(src, i)
				}
			}
			want.data[pos] = x.data[x.at(src)]
		}
		assertClose(t, fmt.Sprintf("%v → %v", tc.in, tc.out), got, want, 0)
	}
}

// TestKernelGradientLayoutConv checks convolutions in the layout of a
// channels-last layer's kernel gradient, which purego runs without
// transposing (kernelGradientLayoutConv), against the reference: im2col with
// strides and dilations, and Winograd F(3×3, 2×2).
func TestKernelGradientLayoutConv(t *testing.T) {
	rng := rand.New(rand.NewPCG(29, 30))
	for tc := range 24 {
		n := 1 + rng.IntN(2)
		c := convCase{batch: 1 + rng.IntN(3), inChannels: 1 + rng.IntN(3), outChannels: 1 + rng.IntN(3), groups: 1, gradientLayout: true}
		if tc%3 == 0 { // Large enough for Winograd.
			n, c.batch, c.outChannels = 2, 32, 16
		}
		for range n {
			size := 4 + rng.IntN(6)
			c.spatial = append(c.spatial, size)
			c.inputDilations = append(c.inputDilations, 1)
			if tc%3 == 0 {
				c.strides, c.kernelDilations = append(c.strides, 1), append(c.kernelDilations, 1)
				c.paddings = append(c.paddings, [2]int{1, 1})
				c.kernel = append(c.kernel, size)
			} else {
				c.strides, c.kernelDilations = append(c.strides, 1+rng.IntN(2)), append(c.kernelDilations, 1+rng.IntN(2))
				c.paddings = append(c.paddings, [2]int{rng.IntN(2), rng.IntN(2)})
				c.kernel = append(c.kernel, 2+rng.IntN(size/2))
			}
		}
		xDims, wDims := c.dims()
		x, w := randomArray(rng, xDims...), randomArray(rng, wDims...)
		want, ok := referenceConv(c, x, w)
		if !ok {
			continue
		}
		numOut, numKernel := product(want.dims[1:n+1]), product(c.kernel)
		before, beforeWinograd := rewriteCounts.kernelGradientLayout.Load(), rewriteCounts.winogradKernelGradient.Load()
		got := mustExec(t, pureEngine(), c.graphFn(), x, w)
		if numOut < numKernel && rewriteCounts.kernelGradientLayout.Load() == before {
			t.Errorf("%s: kernel-gradient layout path not taken", c)
		}
		if tc%3 == 0 && rewriteCounts.winogradKernelGradient.Load() == beforeWinograd {
			t.Errorf("%s: Winograd kernel-gradient path not taken", c)
		}
		assertClose(t, c.String(), got, want, 1e-10)
	}
}

// TestSignExecutor checks purego's Sign on float32 and float64 against the
// definition, including ±0, NaN, infinities and the smallest subnormals.
func TestSignExecutor(t *testing.T) {
	special := []float64{0, math.Copysign(0, -1), math.NaN(), math.Inf(1), math.Inf(-1), 5e-324, -5e-324, 1e-45, -1e-45, 3, -2.5}
	rng := rand.New(rand.NewPCG(33, 34))
	values := append([]float64{}, special...)
	for range 2000 {
		v := rng.NormFloat64()
		if rng.IntN(2) == 0 {
			v = 0 // Half zeros, as after a ReLU.
		}
		values = append(values, v)
	}
	want := func(v float64) float64 {
		switch {
		case v > 0:
			return 1
		case v < 0:
			return -1
		}
		return 0 // ±0 and NaN give +0.
	}
	v32 := make([]float32, len(values))
	for i, v := range values {
		v32[i] = float32(v)
	}
	// Sign of an input (a new buffer) and of an intermediate (its buffer reused).
	for _, tc := range []struct {
		name string
		fn   func(x *graph.Node) *graph.Node
		neg  bool
	}{{"Sign(x)", graph.Sign, false}, {"Sign(-x)", func(x *graph.Node) *graph.Node { return graph.Sign(graph.Neg(x)) }, true}} {
		fast := rewriteCounts.fastSign.Load()
		got64, err := graph.ExecOnce(pureEngine(), tc.fn, tensors.FromFlatDataAndDimensions(slices.Clone(values), len(values)))
		if err != nil {
			t.Fatal(err)
		}
		got32, err := graph.ExecOnce(pureEngine(), tc.fn, tensors.FromFlatDataAndDimensions(slices.Clone(v32), len(v32)))
		if err != nil {
			t.Fatal(err)
		}
		if rewriteCounts.fastSign.Load() < fast+2 {
			t.Fatalf("%s was not run by purego's executor", tc.name)
		}
		arg := func(v float64) float64 {
			if tc.neg {
				return -v
			}
			return v
		}
		for i, g := range tensors.MustCopyFlatData[float64](got64) {
			if w := want(arg(values[i])); math.Float64bits(g) != math.Float64bits(w) {
				t.Fatalf("float64 %s with x = %g: %g, want %g", tc.name, values[i], g, w)
			}
		}
		for i, g := range tensors.MustCopyFlatData[float32](got32) {
			if w := float32(want(arg(float64(v32[i])))); math.Float32bits(g) != math.Float32bits(w) {
				t.Fatalf("float32 %s with x = %g: %g, want %g", tc.name, v32[i], g, w)
			}
		}
	}
}

// TestReduceExecutor checks ReduceSum and ReduceMax over consecutive axes and
// ReduceMax over any (max-pooling's tiles among them), run by purego's
// executor, and ReduceSum over other axes (left to simplego), against an
// index-by-index reference, and bit for bit against simplego.
func TestReduceExecutor(t *testing.T) {
	rng := rand.New(rand.NewPCG(35, 36))
	for tc := range 40 {
		rank := 1 + rng.IntN(4)
		dims := make([]int, rank)
		for i := range dims {
			dims[i] = 1 + rng.IntN(7)
		}
		var axes []int
		switch {
		case tc%5 == 4 && rank >= 3:
			axes = []int{0, rank - 1} // Not consecutive: simplego's for sums, reduceMaxStrided for maxima.
		case tc%10 == 3:
			// Max-pooling's tiles [B, 1, H/2, 2, W/2, 2, C, 1], windows 1–3.
			dims = []int{1 + rng.IntN(2), 1, 1 + rng.IntN(4), 1 + rng.IntN(3), 1 + rng.IntN(4), 1 + rng.IntN(3), 1 + rng.IntN(5), 1}
			rank, axes = len(dims), []int{1, 3, 5, 7}
		default:
			lo := rng.IntN(rank)
			hi := lo + rng.IntN(rank-lo)
			for a := lo; a <= hi; a++ {
				axes = append(axes, a)
			}
		}
		consecutive := axes[len(axes)-1]-axes[0]+1 == len(axes)
		x := randomArray(rng, dims...)
		for _, isMax := range []bool{false, true} {
			name := fmt.Sprintf("ReduceSum%v%v", dims, axes)
			fn := func(in []*graph.Node) *graph.Node { return graph.ReduceSum(in[0], axes...) }
			if isMax {
				name = fmt.Sprintf("ReduceMax%v%v", dims, axes)
				fn = func(in []*graph.Node) *graph.Node { return graph.ReduceMax(in[0], axes...) }
			}
			fast, fallback := rewriteCounts.fastReduce.Load(), rewriteCounts.reduceFallback.Load()
			got := mustExec(t, pureEngine(), fn, x)
			if ran := rewriteCounts.fastReduce.Load() > fast; ran != (consecutive || isMax) {
				t.Fatalf("%s: run by purego's executor = %v, want %v", name, ran, consecutive || isMax)
			}
			if rewriteCounts.reduceFallback.Load() != fallback {
				t.Fatalf("%s: purego's executor could not read the node", name)
			}
			// Reference: every operand element goes to the output element of its kept indices.
			var outDims []int
			for a, d := range dims {
				if !slices.Contains(axes, a) {
					outDims = append(outDims, d)
				}
			}
			want := newArray(outDims...)
			if isMax {
				for i := range want.data {
					want.data[i] = math.Inf(-1)
				}
			}
			idx := make([]int, rank)
			for pos, v := range x.data {
				rem := pos
				for a := rank - 1; a >= 0; a-- {
					idx[a], rem = rem%dims[a], rem/dims[a]
				}
				var kept []int
				for a, i := range idx {
					if !slices.Contains(axes, a) {
						kept = append(kept, i)
					}
				}
				o := want.at(kept)
				if isMax {
					want.data[o] = math.Max(want.data[o], v)
				} else {
					want.data[o] += v
				}
			}
			assertClose(t, name, got, want, 1e-12)
			assertClose(t, name+" against simplego", got, mustExec(t, simpleEngine(), fn, x), 0)
		}
	}
}
