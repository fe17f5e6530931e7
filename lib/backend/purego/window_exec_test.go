package purego

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/pkg/core/graph"
)

// TestSelectAndScatterExecutor: the gradients of max- and min-pooling over
// windows that tile the input run on execSelectAndScatterTiled (counted),
// agree with the reference, and give in float32 the bits of the graph they
// replace (selectAndScatterExecutor off), with ties, NaN and ±0 in the
// windows; windows that do not tile the input (overlapping, padded, or a
// remainder) keep the graph.
func TestSelectAndScatterExecutor(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	cases := []struct {
		dims, window, strides []int
		paddings              [][2]int
		served                bool
	}{
		{[]int{2, 8, 6, 3}, []int{1, 2, 2, 1}, []int{1, 2, 2, 1}, nil, true}, // The reference CNN's pooling.
		{[]int{3, 9, 4, 2}, []int{1, 3, 2, 1}, []int{1, 3, 2, 1}, nil, true},
		{[]int{4, 6}, []int{2, 3}, []int{2, 3}, nil, true},
		{[]int{2, 7, 6, 3}, []int{1, 2, 2, 1}, []int{1, 2, 2, 1}, nil, false},                                      // A remainder row.
		{[]int{2, 6, 6, 3}, []int{1, 3, 3, 1}, []int{1, 2, 2, 1}, nil, false},                                      // Overlapping.
		{[]int{2, 6, 6, 3}, []int{1, 2, 2, 1}, []int{1, 2, 2, 1}, [][2]int{{0, 0}, {1, 1}, {0, 0}, {0, 0}}, false}, // Padded.
	}
	for ci, c := range cases {
		for _, reduction := range []backends.ReduceOpType{backends.ReduceOpMax, backends.ReduceOpMin} {
			x := randomArray(rng, c.dims...)
			for i := range x.data {
				switch i % 7 {
				case 1, 2: // Ties.
					x.data[i] = math.Round(x.data[i])
				case 3:
					x.data[i] = 0
				}
			}
			if ci == 0 {
				x.data[5], x.data[17] = math.NaN(), math.Copysign(0, -1)
			}
			fwd := func(in []*graph.Node) *graph.Node {
				return graph.BackendReduceWindow(in[0], reduction, c.window, c.strides, nil, nil, c.paddings)
			}
			pooled := mustExec(t, pureEngine(), func(in []*graph.Node) *graph.Node { return graph.StopGradient(fwd(in)) }, x)
			source := randomArray(rng, pooled.dims...)
			source.data[0] = math.Copysign(0, -1)
			grad := func(in []*graph.Node) *graph.Node {
				loss := graph.ReduceAllSum(graph.Mul(fwd(in[:1]), in[1]))
				return graph.Gradient(loss, in[0])[0]
			}
			name := fmt.Sprintf("x%v window%v strides%v pad%v %v", c.dims, c.window, c.strides, c.paddings, reduction)
			if ci != 0 { // NaN has no reference.
				reference := x
				if reduction == backends.ReduceOpMin {
					reference = newArray(c.dims...)
					for i, v := range x.data {
						reference.data[i] = -v
					}
				}
				paddings := c.paddings
				if paddings == nil {
					paddings = make([][2]int, len(c.dims))
				}
				want := referenceSelectAndScatterMax(reference, source, c.window, c.strides, paddings)
				got := mustExec(t, pureEngine(), grad, x, source)
				assertClose(t, name, got, want, 1e-12)
			}
			before := selectAndScatterCounts.served.Load()
			got32, _ := execFloat32(t, pureEngine(), grad, x, source)
			if served := selectAndScatterCounts.served.Load() != before; served != c.served {
				t.Errorf("%s: served by the executor: %v, want %v", name, served, c.served)
			}
			selectAndScatterExecutor = false
			old32, _ := execFloat32(t, pureEngine(), grad, x, source)
			selectAndScatterExecutor = true
			if !slices.EqualFunc(got32, old32, func(a, b float32) bool { return math.Float32bits(a) == math.Float32bits(b) }) {
				t.Errorf("%s: float32 bits differ from the graph's:\n%v\n%v", name, got32, old32)
			}
		}
	}
}

// TestCNNGradientExecutorsBits: the float32 gradients of a small network
// shaped like lib/cmd/benchengine's reference CNN (3×3 SAME convolutions of
// 1→16 and 16→32 channels, ReLU, 2×2 max-pooling, mean, dense) with respect
// to its input and every weight are the same bits with purego's
// convolution and pooling-gradient executors on as with the graphs they
// replace, and both paths took the executors' Winograd kernel gradient and
// tiled pooling gradient, or their graphs, as switched.
func TestCNNGradientExecutorsBits(t *testing.T) {
	rng := rand.New(rand.NewPCG(43, 44))
	x, w1, w2 := randomArray(rng, 2, 16, 12, 1), randomArray(rng, 3, 3, 1, 16), randomArray(rng, 3, 3, 16, 32)
	dense := randomArray(rng, 32, 5)
	grads := func(in []*graph.Node) *graph.Node {
		h := in[0]
		for _, w := range in[1:3] {
			h = graph.Convolve(h, w).PadSame().Done()
			h = graph.Max(h, graph.ScalarZero(h.Graph(), h.DType()))
			h = graph.MaxPool(h).Window(2).Done()
		}
		logits := graph.Dot(graph.ReduceMean(h, 1, 2), in[3])
		loss := graph.ReduceAllSum(graph.Mul(logits, logits))
		parts := graph.Gradient(loss, in...)
		for i, p := range parts {
			parts[i] = graph.Reshape(p, -1)
		}
		return graph.Concatenate(parts, 0)
	}
	winograd, pooling := rewriteCounts.winogradKernelGradient.Load(), selectAndScatterCounts.served.Load()
	got, _ := execFloat32(t, pureEngine(), grads, x, w1, w2, dense)
	if rewriteCounts.winogradKernelGradient.Load()-winograd != 2 || selectAndScatterCounts.served.Load()-pooling != 2 {
		t.Errorf("executors ran %d Winograd kernel gradients and %d pooling gradients, want 2 and 2",
			rewriteCounts.winogradKernelGradient.Load()-winograd, selectAndScatterCounts.served.Load()-pooling)
	}
	convIm2colExecutor, selectAndScatterExecutor = false, false
	defer func() { convIm2colExecutor, selectAndScatterExecutor = true, true }()
	winograd, pooling = rewriteCounts.winogradKernelGradient.Load(), selectAndScatterCounts.served.Load()
	old, _ := execFloat32(t, pureEngine(), grads, x, w1, w2, dense)
	if rewriteCounts.winogradKernelGradient.Load()-winograd != 2 || selectAndScatterCounts.served.Load() != pooling {
		t.Errorf("graphs built %d Winograd kernel gradients (want 2) and the pooling executor ran %d times (want 0)",
			rewriteCounts.winogradKernelGradient.Load()-winograd, selectAndScatterCounts.served.Load()-pooling)
	}
	if !slices.EqualFunc(got, old, func(a, b float32) bool { return math.Float32bits(a) == math.Float32bits(b) }) {
		differ := 0
		for i := range got {
			if math.Float32bits(got[i]) != math.Float32bits(old[i]) {
				differ++
			}
		}
		t.Errorf("%d of %d gradient values differ in their bits between the executors and the graphs", differ, len(got))
	}
}
