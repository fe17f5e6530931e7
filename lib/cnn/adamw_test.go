package cnn

import (
	"encoding/json"
	"math"
	"os"
	"testing"

	. "github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"

	"github.com/dawnchorus/dawnchorus/lib/backend"
)

// TestAdamWMatchesTorch runs three AdamW steps with two rate groups and compares
// the variables with torch.optim.AdamW's (testdata/adamw_reference.py).
func TestAdamWMatchesTorch(t *testing.T) {
	raw, err := os.ReadFile("testdata/adamw_reference.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref struct {
		ClassifierRates []float64 `json:"classifier_rates"`
		ExtractorRates  []float64 `json:"extractor_rates"`
		WeightDecay     float64   `json:"weight_decay"`
		Steps           []map[string][]float64
	}
	if err := json.Unmarshal(raw, &ref); err != nil {
		t.Fatal(err)
	}
	ctx := context.New()
	cls := ctx.In(ClassifierScope)
	w := cls.VariableWithValue("w", [][]float32{{0.5, -1.0, 2.0}, {0.1, 0.0, -0.3}})
	b := cls.VariableWithValue("b", []float32{0.2, -0.4, 1.5})
	e := ctx.In(ExtractorScope).VariableWithValue("e", [][]float32{{1.0, -2.0}})
	target := [][]float32{{1, 1, 1}, {-1, 0.5, 0}}
	x := []float32{1, -2, 0.5}
	exec := context.MustNewExec(backend.MustNew(), ctx, func(ctx *context.Context, classifierRate, extractorRate *Node) *Node {
		g := classifierRate.Graph()
		wv, bv, ev := w.ValueGraph(g), b.ValueGraph(g), e.ValueGraph(g)
		loss := ReduceAllSum(Square(Sub(wv, Const(g, target))))
		loss = Add(loss, ReduceAllSum(Mul(bv, Const(g, x))))
		loss = Add(loss, ReduceAllSum(Mul(ev, Mul(ev, ev))))
		row0 := Reshape(Slice(wv, AxisRange(0, 1)), 3)
		loss = Add(loss, ReduceAllSum(Mul(row0, bv)))
		n := AdamW{WeightDecay: ref.WeightDecay}.Update(ctx, loss, []Group{{"/" + ClassifierScope, classifierRate}, {"/" + ExtractorScope, extractorRate}})
		if n != 3 {
			t.Errorf("AdamW updated %d variables, want 3", n)
		}
		return loss
	})
	for step, want := range ref.Steps {
		if _, err := exec.Exec(float32(ref.ClassifierRates[step]), float32(ref.ExtractorRates[step])); err != nil {
			t.Fatal(err)
		}
		for name, v := range map[string]*context.Variable{"w": w, "b": b, "e": e} {
			got := tensors.MustCopyFlatData[float32](v.MustValue())
			for i := range got {
				if math.Abs(float64(got[i])-want[name][i]) > 2e-6*math.Max(1, math.Abs(want[name][i])) {
					t.Errorf("step %d: %s[%d] = %.8f, torch %.8f", step+1, name, i, got[i], want[name][i])
				}
			}
		}
	}
}

// TestAdamWFrozenGroup checks that a group with a nil rate is not updated and
// that the others are.
func TestAdamWFrozenGroup(t *testing.T) {
	ctx := context.New()
	w := ctx.In(ClassifierScope).VariableWithValue("w", []float32{1, 2})
	e := ctx.In(ExtractorScope).VariableWithValue("e", []float32{3, 4})
	exec := context.MustNewExec(backend.MustNew(), ctx, func(ctx *context.Context, rate *Node) *Node {
		g := rate.Graph()
		loss := ReduceAllSum(Mul(w.ValueGraph(g), e.ValueGraph(g)))
		if n := (AdamW{WeightDecay: 0.5}).Update(ctx, loss, []Group{{"/" + ClassifierScope, rate}, {"/" + ExtractorScope, nil}}); n != 1 {
			t.Errorf("AdamW updated %d variables, want 1", n)
		}
		return loss
	})
	for range 3 {
		if _, err := exec.Exec(float32(0.1)); err != nil {
			t.Fatal(err)
		}
	}
	if got := tensors.MustCopyFlatData[float32](e.MustValue()); got[0] != 3 || got[1] != 4 {
		t.Errorf("frozen e = %v, want [3 4] unchanged", got)
	}
	// Each Adam step moves w by about the rate against the gradient's sign (e > 0).
	if got := tensors.MustCopyFlatData[float32](w.MustValue()); !(got[0] < 1-0.25 && got[1] < 2-0.25) {
		t.Errorf("trained w = %v, want both decreased by about 3×0.1", got)
	}
}

// TestRateFactor checks the warm-up and cosine schedule at hand-computed steps.
func TestRateFactor(t *testing.T) {
	for _, c := range []struct {
		step, steps, warmup int
		constant            bool
		want                float64
	}{
		{1, 100, 10, false, 0.1},
		{10, 100, 10, false, 1},
		{55, 100, 10, false, 0.5},                                 // halfway through the cosine
		{40, 100, 10, false, 0.5 * (1 + math.Cos(math.Pi*30/90))}, // 1/3 of the way: 0.75
		{100, 100, 10, false, 0},
		{80, 100, 10, true, 1},
		{5, 100, 0, false, 0.5 * (1 + math.Cos(math.Pi*5/100))},
	} {
		if got := RateFactor(c.step, c.steps, c.warmup, c.constant); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("RateFactor(%d, %d, %d, %v) = %v, want %v", c.step, c.steps, c.warmup, c.constant, got, c.want)
		}
	}
}
