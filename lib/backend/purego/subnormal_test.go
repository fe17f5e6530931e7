package purego

import (
	"math"
	"testing"

	"github.com/gomlx/gomlx/backends"
	"github.com/gomlx/gomlx/pkg/core/graph"
)

// TestFlushSubnormals checks that purego gives zero where a float op reads or
// produces a subnormal (on amd64 builds with assembly), that plain simplego and
// purego with "keep_subnormals" give IEEE's subnormal, and that normal values
// are untouched. The references are IEEE products computed by Go itself.
func TestFlushSubnormals(t *testing.T) {
	keep, err := New("keep_subnormals")
	if err != nil {
		t.Fatal(err)
	}
	defer keep.Finalize()
	mul := func(in []*graph.Node) *graph.Node { return graph.Mul(in[0], in[1]) }
	tiny32, huge32 := float32(math.Float32frombits(0x00000400)), float32(1e10) // tiny32 ≈ 1.4e-42 is subnormal.
	tests := []struct {
		name string
		fn   func([]*graph.Node) *graph.Node
		args []any
		ieee float64 // IEEE 754 result, what simplego gives
	}{
		{"float32 product 1e-20·1e-20 = 1e-40", mul, []any{float32(1e-20), float32(1e-20)}, float64(float32(1e-20) * float32(1e-20))},
		{"float64 product 1e-160·1e-160 = 1e-320", mul, []any{1e-160, 1e-160}, 1e-160 * 1e-160},
		{"float32 subnormal operand times 1e10", mul, []any{tiny32, huge32}, float64(tiny32 * huge32)},
		{"float32 sum of subnormal operand and 0", func(in []*graph.Node) *graph.Node { return graph.Add(in[0], in[1]) }, []any{tiny32, float32(0)}, float64(tiny32)},
		{"float32 exp(-100)", func(in []*graph.Node) *graph.Node { return graph.Exp(in[0]) }, []any{float32(-100)}, float64(float32(math.Exp(-100)))},
		{"float32 product 2e-19·1e-19 = 2e-38 (normal)", mul, []any{float32(2e-19), float32(1e-19)}, float64(float32(2e-19) * float32(1e-19))},
	}
	smallest32, smallest64 := float64(math.Float32frombits(0x00800000)), math.Float64frombits(0x0010000000000000)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, is64 := tc.args[0].(float64)
			smallest := smallest32
			if is64 {
				smallest = smallest64
			}
			subnormal := tc.ieee != 0 && math.Abs(tc.ieee) < smallest
			// A subnormal operand makes the result flushed too, under DAZ.
			for _, a := range tc.args {
				if v := toFloat(a); v != 0 && math.Abs(v) < smallest {
					subnormal = true
				}
			}
			wantPure := tc.ieee
			if subnormal && flushesSubnormals {
				wantPure = 0
			}
			for _, c := range []struct {
				engine backends.Backend
				want   float64
			}{{pureEngine(), wantPure}, {simpleEngine(), tc.ieee}, {keep, tc.ieee}} {
				out, err := graph.ExecOnce(c.engine, tc.fn, tc.args...)
				if err != nil {
					t.Fatalf("%s: %v", c.engine, err)
				}
				if got := toFloat(out.Value()); got != c.want {
					t.Errorf("%s: got %g, want %g", c.engine, got, c.want)
				}
			}
		})
	}
}

func toFloat(v any) float64 {
	switch v := v.(type) {
	case float32:
		return float64(v)
	case float64:
		return v
	}
	panic("not a float")
}
