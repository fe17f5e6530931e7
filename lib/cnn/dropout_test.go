package cnn

import (
	"math/rand/v2"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/backend"
	. "github.com/gomlx/gomlx/pkg/core/graph"
	"github.com/gomlx/gomlx/pkg/core/tensors"
	"github.com/gomlx/gomlx/pkg/ml/context"
)

// TestDropout: both dropouts — training's, drawing from the context's random
// state, and Embed's with Training on, drawing from a state made from a seed —
// keep a value exactly where the first uniform draw of their state is ≥ rate,
// multiplied by 1/(1−rate) (to the bit), and zero it elsewhere; with rate 0
// they return x as it is.
func TestDropout(t *testing.T) {
	engine := backend.MustNew()
	rng := rand.New(rand.NewPCG(3, 4))
	x := make([]float32, 6*10)
	for i := range x {
		x[i] = float32(rng.NormFloat64())
	}
	xTensor := tensors.FromFlatDataAndDimensions(x, 6, 10)
	const seed = 11
	seededContext := func() *context.Context {
		ctx := context.New()
		if err := ctx.SetRNGStateFromSeed(seed); err != nil {
			t.Fatal(err)
		}
		return ctx
	}
	state, err := RNGStateFromSeed(seed)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		// draw returns the uniform values the dropout's state gives first.
		draw func() []float32
		// dropout returns the dropout of x at rate.
		dropout func(rate float64) []float32
	}{
		{"context", func() []float32 {
			u := context.MustExecOnce(engine, seededContext(), func(ctx *context.Context, x *Node) *Node { return ctx.RandomUniform(x.Graph(), x.Shape()) }, xTensor)
			return tensors.MustCopyFlatData[float32](u)
		}, func(rate float64) []float32 {
			out := context.MustExecOnce(engine, seededContext(), func(ctx *context.Context, x *Node) *Node { return dropout(ctx, x, rate) }, xTensor)
			return tensors.MustCopyFlatData[float32](out)
		}},
		{"seeded", func() []float32 {
			u := MustExecOnce(engine, func(state *Node) *Node { _, u := RandomUniform(state, xTensor.Shape()); return u }, state)
			return tensors.MustCopyFlatData[float32](u)
		}, func(rate float64) []float32 {
			// The state is a constant: at rate 0 it goes unused, which a parameter may not.
			out := MustExecOnce(engine, func(x *Node) *Node { return seededDropout(x, Const(x.Graph(), state), rate) }, xTensor)
			return tensors.MustCopyFlatData[float32](out)
		}},
	} {
		uniform := tc.draw()
		for _, rate := range []float64{0, 0.25, 0.6} {
			got := tc.dropout(rate)
			kept := 0
			for i := range x {
				want := float32(0)
				switch {
				case rate == 0:
					want = x[i]
				case uniform[i] >= float32(rate):
					want = x[i] * float32(1/(1-rate))
					kept++
				}
				if got[i] != want {
					t.Errorf("%s, rate %g: value %d = %v, want %v (x %v, draw %v)", tc.name, rate, i, got[i], want, x[i], uniform[i])
				}
			}
			if rate > 0 && (kept == 0 || kept == len(x)) {
				t.Errorf("%s, rate %g: kept %d of %d values", tc.name, rate, kept, len(x))
			}
		}
	}
}
