package purego

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/tensors"
)

// naiveDotGeneral is the float64 reference of DotGeneral: output axes are
// [batch..., lhs cross..., rhs cross...], each element the sum over the
// contracting indices, computed index by index.
func naiveDotGeneral(l array, lc, lb []int, r array, rc, rb []int) array {
	lCross, rCross := crossAxes(len(l.dims), lc, lb), crossAxes(len(r.dims), rc, rb)
	var outDims []int
	for _, a := range lb {
		outDims = append(outDims, l.dims[a])
	}
	for _, a := range lCross {
		outDims = append(outDims, l.dims[a])
	}
	for _, a := range rCross {
		outDims = append(outDims, r.dims[a])
	}
	contractDims := make([]int, len(lc))
	for i, a := range lc {
		contractDims[i] = l.dims[a]
	}
	out := newArray(outDims...)
	outIdx := make([]int, len(outDims))
	li, ri := make([]int, len(l.dims)), make([]int, len(r.dims))
	for o := range out.data {
		// Decode outIdx from o.
		rem := o
		for ax := len(outDims) - 1; ax >= 0; ax-- {
			outIdx[ax] = rem % outDims[ax]
			rem /= outDims[ax]
		}
		pos := 0
		for i, a := range lb {
			li[a], ri[rb[i]] = outIdx[pos], outIdx[pos]
			pos++
		}
		for _, a := range lCross {
			li[a] = outIdx[pos]
			pos++
		}
		for _, a := range rCross {
			ri[a] = outIdx[pos]
			pos++
		}
		var sum float64
		for c := range product(contractDims) {
			rem := c
			for i := len(lc) - 1; i >= 0; i-- {
				li[lc[i]], ri[rc[i]] = rem%contractDims[i], rem%contractDims[i]
				rem /= contractDims[i]
			}
			sum += l.data[l.at(li)] * r.data[r.at(ri)]
		}
		out.data[o] = sum
	}
	return out
}

// execFloat32 runs fn on engine with the arrays converted to float32 and
// returns the float32 output.
func execFloat32(t *testing.T, engine interface{ String() string }, fn func(in []*graph.Node) *graph.Node, inputs ...array) ([]float32, []int) {
	t.Helper()
	args := make([]any, len(inputs))
	for i, in := range inputs {
		flat := make([]float32, len(in.data))
		for j, v := range in.data {
			flat[j] = float32(v)
		}
		args[i] = tensors.FromFlatDataAndDimensions(flat, in.dims...)
	}
	var result *tensors.Tensor
	var err error
	switch engine {
	case pureEngine():
		result, err = graph.ExecOnce(pureEngine(), fn, args...)
	default:
		result, err = graph.ExecOnce(simpleEngine(), fn, args...)
	}
	if err != nil {
		t.Fatalf("executing on %s: %v", engine, err)
	}
	return tensors.MustCopyFlatData[float32](result), result.Shape().Dimensions
}

// dotCases are DotGeneral layouts the executor must handle: in place (plain,
// transposed, batch first or last) and through a transposed copy (contracting
// axes out of order, interleaved groups), with size-1 axes and odd sizes.
var dotCases = []struct {
	name           string
	l, r           []int
	lc, lb, rc, rb []int
}{
	{"matrix product", []int{37, 53}, []int{53, 29}, []int{1}, nil, []int{0}, nil},
	{"lhs transposed", []int{53, 37}, []int{53, 29}, []int{0}, nil, []int{0}, nil},
	{"rhs transposed", []int{37, 53}, []int{29, 53}, []int{1}, nil, []int{1}, nil},
	{"row vector", []int{1, 300}, []int{300, 70}, []int{1}, nil, []int{0}, nil},
	{"column result", []int{70, 300}, []int{300, 1}, []int{1}, nil, []int{0}, nil},
	{"vector dot vector", []int{513}, []int{513}, []int{0}, nil, []int{0}, nil},
	{"batch first", []int{3, 20, 33}, []int{3, 33, 18}, []int{2}, []int{0}, []int{1}, []int{0}},
	{"batch last", []int{20, 33, 3}, []int{33, 18, 3}, []int{1}, []int{2}, []int{0}, []int{2}},
	{"batch in the middle", []int{20, 4, 33}, []int{33, 4, 18}, []int{2}, []int{1}, []int{0}, []int{1}},
	{"two contracting axes in order", []int{6, 10, 7}, []int{10, 7, 5}, []int{1, 2}, nil, []int{0, 1}, nil},
	{"two contracting axes swapped", []int{8, 40, 12}, []int{12, 8, 30}, []int{0, 2}, nil, []int{1, 0}, nil},
	{"cross axes split by contraction", []int{5, 9, 6}, []int{9, 4}, []int{1}, nil, []int{0}, nil},
	{"two batch axes swapped", []int{2, 3, 7, 5}, []int{3, 2, 5, 4}, []int{3}, []int{1, 0}, []int{2}, []int{0, 1}},
	{"im2col kernel gradient", []int{9, 1, 300, 4}, []int{300, 4, 8}, []int{2, 3}, nil, []int{0, 1}, nil},
	{"long contraction", []int{9, 6000}, []int{6000, 16}, []int{1}, nil, []int{0}, nil},
}

func TestGemmExecutorServesPurego(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	for _, c := range dotCases {
		t.Run(c.name, func(t *testing.T) {
			l, r := randomArray(rng, c.l...), randomArray(rng, c.r...)
			// The reference uses the float32-rounded inputs.
			for _, a := range []array{l, r} {
				for i, v := range a.data {
					a.data[i] = float64(float32(v))
				}
			}
			want := naiveDotGeneral(l, c.lc, c.lb, r, c.rc, c.rb)
			fn := func(in []*graph.Node) *graph.Node {
				return graph.DotGeneral(in[0], c.lc, c.lb, in[1], c.rc, c.rb)
			}
			served, fallback := gemmCounts.served.Load(), gemmCounts.fallback.Load()
			got, dims := execFloat32(t, pureEngine(), fn, l, r)
			if gemmCounts.served.Load() == served {
				t.Errorf("purego's DotGeneral did not run on its GEMM (fallbacks: %d)", gemmCounts.fallback.Load()-fallback)
			}
			if !slices.Equal(dims, want.dims) {
				t.Fatalf("dimensions %v, want %v", dims, want.dims)
			}
			k := 1
			for _, a := range c.lc {
				k *= c.l[a]
			}
			tol := 2e-6 * float64(k)
			for i, w := range want.data {
				if d := math.Abs(float64(got[i]) - w); !(d <= tol*math.Max(1, math.Abs(w))) {
					t.Fatalf("element %d = %g, want %g (diff %g)", i, got[i], w, d)
				}
			}
			// Twice more: bit-identical.
			for range 2 {
				again, _ := execFloat32(t, pureEngine(), fn, l, r)
				if !slices.Equal(again, got) {
					t.Fatalf("a second run gives different bits")
				}
			}
			// Plain simplego keeps its own kernel.
			served = gemmCounts.served.Load()
			execFloat32(t, simpleEngine(), fn, l, r)
			if gemmCounts.served.Load() != served {
				t.Errorf("plain simplego's DotGeneral ran on purego's GEMM")
			}
		})
	}
}

// TestGemmExecutorFloat64 checks the float64 path against the reference.
func TestGemmExecutorFloat64(t *testing.T) {
	rng := rand.New(rand.NewPCG(43, 44))
	for _, c := range dotCases {
		l, r := randomArray(rng, c.l...), randomArray(rng, c.r...)
		want := naiveDotGeneral(l, c.lc, c.lb, r, c.rc, c.rb)
		served := gemmCounts.served.Load()
		got := mustExec(t, pureEngine(), func(in []*graph.Node) *graph.Node {
			return graph.DotGeneral(in[0], c.lc, c.lb, in[1], c.rc, c.rb)
		}, l, r)
		if gemmCounts.served.Load() == served {
			t.Errorf("%s: float64 DotGeneral did not run on purego's GEMM", c.name)
		}
		assertClose(t, c.name, got, want, 1e-12)
	}
}

// TestTransposeFlat checks transposeFlat against the definition — output
// element at index i is the input element at the index i permuted back — for
// permutations that keep the last axis (rows copied) and that move it (rows gathered).
func TestTransposeFlat(t *testing.T) {
	rng := rand.New(rand.NewPCG(43, 44))
	for _, tc := range []struct{ dims, perm []int }{
		{[]int{7}, []int{0}},
		{[]int{3, 4}, []int{1, 0}},
		{[]int{9, 5, 6}, []int{1, 0, 2}}, // im2col patches [K, B·O, C] → [B·O, K, C].
		{[]int{9, 5, 6}, []int{0, 2, 1}}, // kernel-gradient patches [O, C·K, B] → [O, B, C·K].
		{[]int{2, 3, 4, 5}, []int{3, 1, 0, 2}},
		{[]int{2, 1, 4, 3}, []int{0, 2, 3, 1}},
	} {
		x := make([]float32, product(tc.dims))
		for i := range x {
			x[i] = rng.Float32()
		}
		got := transposeFlat(x, tc.dims, tc.perm)
		outDims := make([]int, len(tc.dims))
		for i, a := range tc.perm {
			outDims[i] = tc.dims[a]
		}
		in := array{dims: tc.dims}
		src := make([]int, len(tc.dims))
		forEachIndex(outDims, func(o []int) {
			for i, a := range tc.perm {
				src[a] = o[i]
			}
			at := 0
			for i, d := range outDims {
				at = at*d + o[i]
			}
			if want := x[in.at(src)]; got[at] != want {
				t.Fatalf("dims %v perm %v: output %v = %g, want %g", tc.dims, tc.perm, o, got[at], want)
			}
		})
	}
}
