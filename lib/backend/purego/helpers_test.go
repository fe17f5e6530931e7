package purego

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/backends/simplego"
	"github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/tensors"
)

// engines under test: this package's and plain simplego, created once.
var (
	pureEngine = sync.OnceValue(func() backends.Backend {
		b, err := New("")
		if err != nil {
			panic(err)
		}
		return b
	})
	simpleEngine = sync.OnceValue(func() backends.Backend {
		b, err := simplego.New(raceConfig)
		if err != nil {
			panic(err)
		}
		return b
	})
)

// array is a dense float64 tensor in row-major order, the reference's data type.
type array struct {
	dims []int
	data []float64
}

func newArray(dims ...int) array {
	return array{dims: slices.Clone(dims), data: make([]float64, product(dims))}
}

func randomArray(rng *rand.Rand, dims ...int) array {
	a := newArray(dims...)
	for i := range a.data {
		a.data[i] = rng.Float64()*2 - 1
	}
	return a
}

// at returns the flat position of the multi-index idx.
func (a array) at(idx []int) int {
	pos := 0
	for i, d := range a.dims {
		pos = pos*d + idx[i]
	}
	return pos
}

func (a array) tensor() *tensors.Tensor {
	return tensors.FromFlatDataAndDimensions(slices.Clone(a.data), a.dims...)
}

func toArray(t *tensors.Tensor) array {
	return array{dims: t.Shape().Dimensions, data: tensors.MustCopyFlatData[float64](t)}
}

// exec runs fn on engine with the arrays as inputs and returns its output;
// panics (GoMLX's way of failing) become errors.
func exec(engine backends.Backend, fn func(inputs []*graph.Node) *graph.Node, inputs ...array) (out array, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	args := make([]any, len(inputs))
	for i, in := range inputs {
		args[i] = in.tensor()
	}
	result, err := graph.ExecOnce(engine, fn, args...)
	if err != nil {
		return array{}, err
	}
	return toArray(result), nil
}

// mustExec is exec failing the test on error.
func mustExec(t *testing.T, engine backends.Backend, fn func(inputs []*graph.Node) *graph.Node, inputs ...array) array {
	t.Helper()
	out, err := exec(engine, fn, inputs...)
	if err != nil {
		t.Fatalf("executing on %s: %v", engine, err)
	}
	return out
}

// assertClose fails unless got and want have the same dimensions and values within
// tol, relative to max(1, |want|).
func assertClose(t *testing.T, what string, got, want array, tol float64) {
	t.Helper()
	if !slices.Equal(got.dims, want.dims) {
		t.Fatalf("%s: dimensions %v, want %v", what, got.dims, want.dims)
	}
	for i := range want.data {
		diff := math.Abs(got.data[i] - want.data[i])
		if diff > tol*math.Max(1, math.Abs(want.data[i])) || math.IsNaN(got.data[i]) {
			t.Fatalf("%s: element %d = %g, want %g (diff %g > tol %g)", what, i, got.data[i], want.data[i], diff, tol)
		}
	}
}

// checkGradients compares the gradient of loss(inputs) = Σ f(inputs)·weights,
// built by GoMLX on the purego engine, with central finite differences, for
// every element of every input (inputs must be small).
func checkGradients(t *testing.T, name string, f func(inputs []*graph.Node) *graph.Node, rng *rand.Rand, inputs ...array) {
	t.Helper()
	engine := pureEngine()
	outDims, err := exec(engine, f, inputs...)
	if err != nil {
		t.Fatalf("%s: forward: %v", name, err)
	}
	weights := randomArray(rng, outDims.dims...)
	loss := func(nodes []*graph.Node) *graph.Node {
		w := graph.Const(nodes[0].Graph(), weights.tensor())
		return graph.ReduceAllSum(graph.Mul(f(nodes), w))
	}
	lossExec, err := graph.NewExec(engine, loss)
	if err != nil {
		t.Fatal(err)
	}
	gradExec, err := graph.NewExec(engine, func(nodes []*graph.Node) []*graph.Node {
		return graph.Gradient(loss(nodes), nodes...)
	})
	if err != nil {
		t.Fatal(err)
	}
	args := func(arrays []array) []any {
		out := make([]any, len(arrays))
		for i, a := range arrays {
			out[i] = a.tensor()
		}
		return out
	}
	grads, err := gradExec.Exec(args(inputs)...)
	if err != nil {
		t.Fatalf("%s: gradient: %v", name, err)
	}
	evalLoss := func(arrays []array) float64 {
		out, err := lossExec.Exec(args(arrays)...)
		if err != nil {
			t.Fatalf("%s: loss: %v", name, err)
		}
		return out[0].Value().(float64)
	}
	const h = 1e-5
	for i, in := range inputs {
		got := toArray(grads[i])
		want := newArray(in.dims...)
		for j := range in.data {
			perturbed := slices.Clone(inputs)
			plus, minus := array{in.dims, slices.Clone(in.data)}, array{in.dims, slices.Clone(in.data)}
			plus.data[j] += h
			minus.data[j] -= h
			perturbed[i] = plus
			lp := evalLoss(perturbed)
			perturbed[i] = minus
			lm := evalLoss(perturbed)
			want.data[j] = (lp - lm) / (2 * h)
		}
		assertClose(t, fmt.Sprintf("%s: gradient of input #%d", name, i), got, want, 1e-5)
	}
}
