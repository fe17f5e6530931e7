package classify

import (
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"math"
	"runtime"
	"slices"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/backend"
)

// TestMLPTrainersAgree fits the same seeded problems with the plain-Go
// trainer (the default) and the GoMLX graph trainer (MLPOptions.Backend):
// without dropout both take the same Adam steps on the same batches, so the
// weights, the loss history and the probabilities agree to float32 rounding.
func TestMLPTrainersAgree(t *testing.T) {
	engine, err := backend.NewSmallGraphs()
	if err != nil {
		t.Fatal(err)
	}
	x, yIdx := gaussianBlobs(240, 12, 4, 21)
	hot := make([][]int, len(yIdx))
	for i := range hot {
		hot[i] = []int{oneIf(yIdx[i] == 0), oneIf(yIdx[i] != 1), oneIf(yIdx[i] >= 2)}
	}
	const tol = 1e-4
	for _, tc := range []struct {
		name string
		opts MLPOptions
		y    dataset.Labels
	}{
		{"one hidden layer, L2", MLPOptions{Hidden: []int{16}, Steps: 60, BatchSize: 50, Seed: 2}, dataset.SingleLabel(yIdx, 4)},
		{"two hidden layers, no L2", MLPOptions{Hidden: []int{16, 8}, Steps: 60, BatchSize: 32, LearningRate: 3e-3,
			WeightDecay: -1, Seed: 3}, dataset.SingleLabel(yIdx, 4)},
		{"multi-label, strong L2", MLPOptions{Hidden: []int{10}, Steps: 60, BatchSize: 40, WeightDecay: 0.5, Seed: 4},
			dataset.MultiLabel(hot)},
		{"linear, hold-out", MLPOptions{Hidden: []int{}, Steps: 40, BatchSize: 30, ValidationFraction: 0.2,
			EvalEvery: 10, Patience: -1, Seed: 5}, dataset.SingleLabel(yIdx, 4)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			plain := NewMLP(tc.opts)
			graphOpts := tc.opts
			graphOpts.Backend = engine
			graph := NewMLP(graphOpts)
			for _, m := range []*MLP{plain, graph} {
				if err := m.Fit(x, tc.y); err != nil {
					t.Fatal(err)
				}
			}
			if plain.Steps() != graph.Steps() || len(plain.History()) != len(graph.History()) {
				t.Fatalf("plain: %d steps, %d records; graph: %d steps, %d records",
					plain.Steps(), len(plain.History()), graph.Steps(), len(graph.History()))
			}
			moved := 0.0
			for l := range plain.m.W {
				for i, w := range plain.m.W[l] {
					g := graph.m.W[l][i]
					if d := math.Abs(float64(w - g)); d > tol {
						t.Fatalf("layer %d weight %d: plain %.7f, graph %.7f", l, i, w, g)
					}
					moved = math.Max(moved, math.Abs(float64(w)))
				}
				for i, b := range plain.m.B[l] {
					if d := math.Abs(float64(b - graph.m.B[l][i])); d > tol {
						t.Fatalf("layer %d bias %d: plain %.7f, graph %.7f", l, i, b, graph.m.B[l][i])
					}
				}
			}
			for i, r := range plain.History() {
				g := graph.History()[i]
				for _, pair := range [][2]float64{{r.TrainLoss, g.TrainLoss}, {r.ValLoss, g.ValLoss}} {
					if !(math.IsNaN(pair[0]) && math.IsNaN(pair[1])) && math.Abs(pair[0]-pair[1]) > tol*math.Max(1, math.Abs(pair[1])) {
						t.Fatalf("record %d: plain %+v, graph %+v", i, r, g)
					}
				}
			}
			pp, _ := plain.PredictProba(x)
			pg, _ := graph.PredictProba(x)
			for i := range pp {
				for c := range pp[i] {
					if math.Abs(float64(pp[i][c]-pg[i][c])) > tol {
						t.Fatalf("row %d: plain %v, graph %v", i, pp[i], pg[i])
					}
				}
			}
			// The test must not pass on untrained weights: the loss falls.
			h := plain.History()
			if first, last := h[0].TrainLoss, h[len(h)-1].TrainLoss; len(h) > 1 && !(last < first) {
				t.Errorf("training loss went from %.4f to %.4f", first, last)
			}
		})
	}
}

// TestReluMask: the gradient survives exactly where the activation is
// positive, including at the smallest positive (subnormal) float.
func TestReluMask(t *testing.T) {
	act := []float32{0, 1, 0, 3.5, math.SmallestNonzeroFloat32, 0, math.MaxFloat32}
	grad := []float32{-1, -2, 3, 4, 5, float32(math.Inf(1)), -7}
	want := []float32{0, -2, 0, 4, 5, 0, -7}
	reluMask(grad, act)
	for i := range want {
		if grad[i] != want[i] {
			t.Fatalf("reluMask: %v, want %v", grad, want)
		}
	}
}

// TestMLPSameOnAnyCores: the Go trainer splits its products over the cores;
// the weights must be bit-identical on one core and on several, with and
// without dropout.
func TestMLPSameOnAnyCores(t *testing.T) {
	x, y := benchMixture(600, 64, 5, 0.5)
	for _, o := range []MLPOptions{
		{Hidden: []int{96}, Steps: 20, Seed: 1},
		{Hidden: []int{64, 40}, Steps: 20, BatchSize: 150, Dropout: 0.3, Seed: 2},
	} {
		fit := func(procs int) *MLP {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			m := NewMLP(o)
			if err := m.Fit(x, y); err != nil {
				t.Fatal(err)
			}
			return m
		}
		one, four := fit(1), fit(4)
		for l := range one.m.W {
			if !slices.Equal(one.m.W[l], four.m.W[l]) || !slices.Equal(one.m.B[l], four.m.B[l]) {
				t.Fatalf("hidden %v: layer %d differs between 1 and 4 cores", o.Hidden, l)
			}
		}
	}
}
