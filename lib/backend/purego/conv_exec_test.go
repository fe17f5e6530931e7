package purego

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/gomlx/gomlx/pkg/core/graph"
)

// TestConvExecutor: the convolutions execConvIm2col serves (one or two
// spatial axes, one channel group, output at least as large as the kernel;
// Winograd's where useWinograd holds) agree with the direct reference, run on
// the executor (convCounts), and give in float32 the bits of the graph
// lowerings they replaced (Slice-and-Concatenate im2col, winogradConv): the
// same values are multiplied and summed in the same order.
func TestConvExecutor(t *testing.T) {
	ones := []int{1, 1}
	cases := []convCase{
		// birds-v1's stem: one input channel, 3×3 stride 2, SAME padding.
		{batch: 2, inChannels: 1, outChannels: 5, groups: 1, spatial: []int{13, 8}, kernel: []int{3, 3},
			strides: []int{2, 2}, inputDilations: ones, kernelDilations: ones, paddings: [][2]int{{1, 1}, {0, 1}}},
		// A residual stage's first convolution and its 1×1 shortcut.
		{batch: 3, inChannels: 6, outChannels: 7, groups: 1, spatial: []int{9, 6}, kernel: []int{3, 3},
			strides: []int{2, 2}, inputDilations: ones, kernelDilations: ones, paddings: [][2]int{{1, 1}, {1, 1}}},
		{batch: 2, inChannels: 6, outChannels: 4, groups: 1, spatial: []int{9, 6}, kernel: []int{1, 1},
			strides: []int{2, 2}, inputDilations: ones, kernelDilations: ones, paddings: [][2]int{{0, 0}, {0, 0}}},
		// The input gradient of a stride-2 convolution: input dilation, and cropping.
		{batch: 2, inChannels: 3, outChannels: 4, groups: 1, spatial: []int{5, 4}, kernel: []int{3, 2},
			strides: []int{1, 1}, inputDilations: []int{2, 2}, kernelDilations: ones, paddings: [][2]int{{1, 2}, {1, -1}}},
		// Kernel dilation and uneven strides, channels first (transposed to the canonical layout).
		{batch: 1, inChannels: 4, outChannels: 3, groups: 1, spatial: []int{11, 9}, kernel: []int{2, 3},
			strides: []int{1, 2}, inputDilations: ones, kernelDilations: []int{2, 1}, paddings: [][2]int{{2, 0}, {1, 1}},
			channelsFirst: true},
		// Winograd's F(4×4, 3×3) (a residual block's second convolution, odd
		// sizes so that tiles overhang), F(2×2, 3×3) on small outputs, and with input dilation.
		{batch: 2, inChannels: 16, outChannels: 9, groups: 1, spatial: []int{9, 7}, kernel: []int{3, 3},
			strides: ones, inputDilations: ones, kernelDilations: ones, paddings: [][2]int{{1, 1}, {1, 1}}},
		{batch: 3, inChannels: 17, outChannels: 5, groups: 1, spatial: []int{3, 5}, kernel: []int{3, 3},
			strides: ones, inputDilations: ones, kernelDilations: ones, paddings: [][2]int{{1, 1}, {0, 1}}},
		{batch: 1, inChannels: 16, outChannels: 4, groups: 1, spatial: []int{4, 5}, kernel: []int{3, 3},
			strides: ones, inputDilations: []int{2, 1}, kernelDilations: ones, paddings: [][2]int{{-1, 2}, {1, 1}},
			channelsFirst: true},
		// Kernel gradients in a channels-last layer's layout (kernelGradientIm2col):
		// input [C', S..., B'], kernel [C', K..., Cout], output smaller than the kernel.
		{batch: 4, inChannels: 5, outChannels: 3, groups: 1, spatial: []int{9, 7}, kernel: []int{5, 4},
			strides: []int{2, 2}, inputDilations: ones, kernelDilations: ones, paddings: [][2]int{{1, 0}, {1, 1}},
			gradientLayout: true},
		{batch: 3, inChannels: 2, outChannels: 4, groups: 1, spatial: []int{11}, kernel: []int{9},
			strides: []int{1}, inputDilations: []int{1}, kernelDilations: []int{1}, paddings: [][2]int{{0, 0}},
			gradientLayout: true},
		// Kernel gradients of 3×3 stride-1 layers in that layout (a 3×3
		// output; winogradKernelGradientExec): F(3×3, 4×4) with tiles
		// overhanging the kernel, F(3×3, 2×2), and uneven, negative padding.
		{batch: 4, inChannels: 5, outChannels: 6, groups: 1, spatial: []int{9, 7}, kernel: []int{9, 7},
			strides: ones, inputDilations: ones, kernelDilations: ones, paddings: [][2]int{{1, 1}, {1, 1}},
			gradientLayout: true},
		{batch: 3, inChannels: 2, outChannels: 5, groups: 1, spatial: []int{3, 6}, kernel: []int{3, 6},
			strides: ones, inputDilations: ones, kernelDilations: ones, paddings: [][2]int{{1, 1}, {1, 1}},
			gradientLayout: true},
		{batch: 4, inChannels: 3, outChannels: 7, groups: 1, spatial: []int{10, 8}, kernel: []int{9, 7},
			strides: ones, inputDilations: ones, kernelDilations: ones, paddings: [][2]int{{0, 1}, {2, -1}},
			gradientLayout: true},
		// One spatial axis.
		{batch: 2, inChannels: 4, outChannels: 3, groups: 1, spatial: []int{11}, kernel: []int{3},
			strides: []int{1}, inputDilations: []int{1}, kernelDilations: []int{1}, paddings: [][2]int{{2, 0}}},
	}
	rng := rand.New(rand.NewPCG(19, 20))
	for _, c := range cases {
		t.Run(c.String(), func(t *testing.T) {
			xDims, wDims := c.dims()
			x, w := randomArray(rng, xDims...), randomArray(rng, wDims...)
			want, ok := referenceConv(c, x, w)
			if !ok {
				t.Fatalf("the case has no output")
			}
			// A 3×3 output of a 2-D stride-1 gradient-layout case: a 3×3 kernel's gradient.
			winogradGradient := c.gradientLayout && len(c.spatial) == 2
			for i := range c.spatial {
				padded := c.spatial[i] + c.paddings[i][0] + c.paddings[i][1]
				winogradGradient = winogradGradient && c.strides[i] == 1 && padded-c.kernel[i]+1 == 3
			}
			served, fallback := convCounts.served.Load(), convCounts.fallback.Load()
			winogradBefore := rewriteCounts.winogradKernelGradient.Load()
			got := mustExec(t, pureEngine(), c.graphFn(), x, w)
			if ran := rewriteCounts.winogradKernelGradient.Load() != winogradBefore; ran != winogradGradient {
				t.Errorf("Winograd's kernel gradient ran: %v, want %v", ran, winogradGradient)
			}
			if convCounts.served.Load() == served {
				t.Errorf("the float64 convolution did not run on execConvIm2col (fallbacks: %d)", convCounts.fallback.Load()-fallback)
			}
			assertClose(t, "float64 vs reference", got, want, 1e-12)

			served = convCounts.served.Load()
			got32, _ := execFloat32(t, pureEngine(), c.graphFn(), x, w)
			if convCounts.served.Load() == served {
				t.Errorf("the float32 convolution did not run on execConvIm2col")
			}
			convIm2colExecutor = false
			defer func() { convIm2colExecutor = true }()
			served = convCounts.served.Load()
			old32, _ := execFloat32(t, pureEngine(), c.graphFn(), x, w)
			if convCounts.served.Load() != served {
				t.Errorf("with the executor switched off, a convolution still ran on it")
			}
			if !slices.Equal(got32, old32) {
				t.Errorf("float32 results differ from the Slice-and-Concatenate lowering's:\n%v\n%v", got32, old32)
			}
		})
	}
}

// TestConvExecutorLeavesSimplego: plain simplego's ConvGeneral keeps its own executor.
func TestConvExecutorLeavesSimplego(t *testing.T) {
	c := convCase{batch: 1, inChannels: 2, outChannels: 3, groups: 1, spatial: []int{5, 5}, kernel: []int{3, 3},
		strides: []int{1, 1}, inputDilations: []int{1, 1}, kernelDilations: []int{1, 1}, paddings: [][2]int{{1, 1}, {1, 1}}}
	rng := rand.New(rand.NewPCG(21, 22))
	xDims, wDims := c.dims()
	x, w := randomArray(rng, xDims...), randomArray(rng, wDims...)
	served := convCounts.served.Load()
	got := mustExec(t, simpleEngine(), func(in []*graph.Node) *graph.Node { return c.graphFn()(in) }, x, w)
	if convCounts.served.Load() != served {
		t.Errorf("plain simplego's ConvGeneral ran on purego's executor")
	}
	want, _ := referenceConv(c, x, w)
	assertClose(t, "simplego vs reference", got, want, 1e-12)
}
