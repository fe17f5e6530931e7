package purego

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/gomlx/gomlx/pkg/core/graph"
)

// TestRowOpExecutor: Mul and Add of [..., C] by a [1, ..., 1, C] vector run on
// execRowOp and give each element as lhs·v or lhs+v, bit for bit as plain
// simplego's implicit broadcasting gives them; other shapes are left to simplego.
func TestRowOpExecutor(t *testing.T) {
	rng := rand.New(rand.NewPCG(45, 46))
	for _, tc := range []struct {
		lhs, rhs []int
		served   bool
	}{
		{[]int{4, 5, 3, 6}, []int{1, 1, 1, 6}, true}, // Batch norm's scale over [B, H, W, C].
		{[]int{7, 3}, []int{1, 3}, true},
		{[]int{7, 3}, []int{7, 1}, false}, // A column, not a row: simplego's (after purego's explicit broadcast).
		{[]int{2, 3}, []int{2, 3}, false}, // Same shapes.
	} {
		x, v := randomArray(rng, tc.lhs...), randomArray(rng, tc.rhs...)
		for _, op := range []struct {
			name string
			fn   func(a, b *graph.Node) *graph.Node
			ref  func(a, b float32) float32
		}{
			{"Mul", graph.Mul, func(a, b float32) float32 { return a * b }},
			{"Add", graph.Add, func(a, b float32) float32 { return a + b }},
		} {
			fn := func(in []*graph.Node) *graph.Node { return op.fn(in[0], in[1]) }
			before := rewriteCounts.rowOp.Load()
			got, _ := execFloat32(t, pureEngine(), fn, x, v)
			if served := rewriteCounts.rowOp.Load() != before; served != tc.served {
				t.Errorf("%s %v by %v: served by execRowOp %v, want %v", op.name, tc.lhs, tc.rhs, served, tc.served)
			}
			simple, _ := execFloat32(t, simpleEngine(), fn, x, v)
			if !slices.Equal(got, simple) {
				t.Errorf("%s %v by %v: purego and simplego differ", op.name, tc.lhs, tc.rhs)
			}
			if tc.served {
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
