package purego

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	. "github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
	"github.com/gomlx/gomlx/pkg/ml/layers"
	"github.com/gomlx/gomlx/pkg/ml/layers/activations"
	"github.com/gomlx/gomlx/pkg/ml/train"
	"github.com/gomlx/gomlx/pkg/ml/train/losses"
	"github.com/gomlx/gomlx/pkg/ml/train/optimizers"
)

// adamRun trains model with Adam for steps steps on one batch on a new purego
// engine (config), with the Adam fusion on or off, and returns every variable
// of the context (parameters and Adam's moments and step counters) by name.
func adamRun(t *testing.T, config string, fused bool, model train.ModelFn, task func() (inputs, labels *tensors.Tensor), steps int) map[string][]float32 {
	t.Helper()
	inputs, labels := task() // New tensors: the engine is finalized at the end.
	defer func(old bool) { adamFusion = old }(adamFusion)
	adamFusion = fused
	engine, err := New(config)
	if err != nil {
		t.Fatal(err)
	}
	defer engine.Finalize()
	ctx := context.New()
	if err := ctx.SetRNGStateFromSeed(42); err != nil {
		t.Fatal(err)
	}
	trainer := train.NewTrainer(engine, ctx, model, losses.SparseCategoricalCrossEntropyLogits,
		optimizers.Adam().LearningRate(0.01).Done(), nil, nil)
	for step := range steps {
		if _, err := trainer.TrainStep(nil, []*tensors.Tensor{inputs}, []*tensors.Tensor{labels}); err != nil {
			t.Fatalf("train step %d: %v", step, err)
		}
	}
	values := map[string][]float32{}
	for v := range ctx.IterVariables() {
		if strings.HasPrefix(v.Scope(), "/metrics") { // Named by a random UUID per trainer.
			continue
		}
		value, err := v.Value()
		if err != nil {
			t.Fatal(err)
		}
		if f, ok := value.Value().([]float32); ok { // Rank 0 and other dtypes go by their flat data.
			values[v.ScopeAndName()] = f
			continue
		}
		tensors.ConstFlatData(value, func(flat []float32) { values[v.ScopeAndName()] = append([]float32(nil), flat...) })
	}
	return values
}

// TestAdamFusion: with the Adam fusion (adam_exec.go), training an MLP gives
// every parameter and moment the unfused graph's float32 bits, step after
// step — with subnormals flushed and kept, for layer sizes that are and are
// not multiples of the assembly's 8 lanes, and on a batch whose gradients die
// away (in 300 steps the second moments fall only to about 0.74 of their
// size, so subnormal inputs are exercised by lib/internal/vec's tests, not
// here) — and the fused nodes are really built and run: two moments and one
// update per variable.
func TestAdamFusion(t *testing.T) {
	for _, tc := range []struct {
		name                  string
		config                string
		in, hidden, out, rows int
		steps                 int
	}{
		{"flushing, odd sizes", "", 33, 17, 5, 20, 40},
		{"keep_subnormals, odd sizes", "keep_subnormals", 33, 17, 5, 20, 40},
		{"flushing, multiples of 8", "", 64, 32, 8, 16, 300},
	} {
		t.Run(tc.name, func(t *testing.T) {
			task := func() (*tensors.Tensor, *tensors.Tensor) {
				return clustersTask(rand.New(rand.NewPCG(5, uint64(tc.in))), tc.rows, tc.in, tc.out)
			}
			model := func(ctx *context.Context, _ any, inputs []*Node) []*Node {
				x := activations.Relu(layers.Dense(ctx.In("hidden"), inputs[0], true, tc.hidden))
				return []*Node{layers.Dense(ctx.In("output"), x, true, tc.out)}
			}
			products, updates := adamFusionCounts.products.Load(), adamFusionCounts.updates.Load()
			ranProducts, ranUpdates := adamFusionCounts.ranProducts.Load(), adamFusionCounts.ranUpdates.Load()
			fused := adamRun(t, tc.config, true, model, task, tc.steps)
			const variables = 4 // Two weight matrices, two biases.
			if got := adamFusionCounts.products.Load() - products; got < 2*variables {
				t.Errorf("%d fused moment nodes built, want at least %d", got, 2*variables)
			}
			if got := adamFusionCounts.updates.Load() - updates; got < variables {
				t.Errorf("%d fused update nodes built, want at least %d", got, variables)
			}
			if got := adamFusionCounts.ranUpdates.Load() - ranUpdates; got < int64(variables*tc.steps) {
				t.Errorf("%d fused updates run in %d steps, want at least %d", got, tc.steps, variables*tc.steps)
			}
			if got := adamFusionCounts.ranProducts.Load() - ranProducts; got < int64(2*variables*tc.steps) {
				t.Errorf("%d fused moments run in %d steps, want at least %d", got, tc.steps, 2*variables*tc.steps)
			}
			plain := adamRun(t, tc.config, false, model, task, tc.steps)
			if len(plain) != len(fused) || len(plain) < 3*variables {
				t.Fatalf("%d variables fused, %d unfused, want the same and at least %d", len(fused), len(plain), 3*variables)
			}
			for name, want := range plain {
				got := fused[name]
				if len(got) != len(want) {
					t.Fatalf("%s: %d values fused, %d unfused", name, len(got), len(want))
				}
				for i := range want {
					if math.Float32bits(got[i]) != math.Float32bits(want[i]) {
						t.Fatalf("%s[%d] after %d steps: %g fused, %g unfused", name, i, tc.steps, got[i], want[i])
					}
				}
			}
		})
	}
}
