package purego

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/gomlx/gomlx/pkg/core/graph"
)

// TestRowOpExecutor: Mul and Add of [..., C] by a [1, ..., 1, C] vector run on
// execRowOp and give each element as lhs·v or lhs+v, bit for bit as plain
// simplego's implicit broadcasting gives them — Add at any size, Mul below
// minExplicitBroadcast (above it, Mul is broadcast explicitly, for
// ReduceSum's contraction rewrite); other shapes are left to simplego.
func TestRowOpExecutor(t *testing.T) {
	rng := rand.New(rand.NewPCG(45, 46))
	for _, tc := range []struct {
		lhs, rhs             []int
		mulServed, addServed bool
	}{
		{[]int{4, 5, 3, 6}, []int{1, 1, 1, 6}, true, true}, // Batch norm's scale over [B, H, W, C].
		{[]int{7, 3}, []int{1, 3}, true, true},
		{[]int{4, 16, 8, 16}, []int{1, 1, 1, 16}, false, true}, // A convolution's bias, above minExplicitBroadcast.
		{[]int{7, 3}, []int{7, 1}, false, false},               // A column, not a row: simplego's (after purego's explicit broadcast).
		{[]int{2, 3}, []int{2, 3}, false, false},               // Same shapes.
	} {
		x, v := randomArray(rng, tc.lhs...), randomArray(rng, tc.rhs...)
		for _, op := range []struct {
			name   string
			fn     func(a, b *graph.Node) *graph.Node
			ref    func(a, b float32) float32
			served bool
		}{
			{"Mul", graph.Mul, func(a, b float32) float32 { return a * b }, tc.mulServed},
			{"Add", graph.Add, func(a, b float32) float32 { return a + b }, tc.addServed},
		} {
			fn := func(in []*graph.Node) *graph.Node { return op.fn(in[0], in[1]) }
			before := rewriteCounts.rowOp.Load()
			got, _ := execFloat32(t, pureEngine(), fn, x, v)
			if served := rewriteCounts.rowOp.Load() != before; served != op.served {
				t.Errorf("%s %v by %v: served by execRowOp %v, want %v", op.name, tc.lhs, tc.rhs, served, op.served)
			}
			simple, _ := execFloat32(t, simpleEngine(), fn, x, v)
			if !slices.Equal(got, simple) {
				t.Errorf("%s %v by %v: purego and simplego differ", op.name, tc.lhs, tc.rhs)
			}
			if op.served {
				c := tc.lhs[len(tc.lhs)-1]
				for i, g := range got {
					if want := op.ref(float32(x.data[i]), float32(v.data[i%c])); g != want {
						t.Fatalf("%s %v: element %d = %g, want %g", op.name, tc.lhs, i, g, want)
					}
				}
			}
		}
	}
}
