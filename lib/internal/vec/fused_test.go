package vec

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestFusedPassesMatchReference: ScaledSum, ScaledSumSquare and AdamUpdate
// (assembly head where the CPU has it, Go tail) give, bit for bit, the
// element-by-element float32 operations written out here in the graph's
// order, for lengths around the 8-wide blocks, on values that include zeros,
// subnormals and both signs, writing to a separate slice and in place.
func TestFusedPassesMatchReference(t *testing.T) {
	// One rounding each: the explicit conversions forbid the compiler to fuse
	// add(mul(…), mul(…)) into an FMA (as it does on arm64 when inlined).
	mul := func(a, b float32) float32 { return float32(a * b) }
	add := func(a, b float32) float32 { return float32(a + b) }
	const a, b, d1, lr, d2, eps = float32(0.9), float32(0.1), float32(1.7), float32(1e-3), float32(31.6), float32(1e-7)
	for _, n := range []int{0, 1, 7, 8, 9, 16, 37, 1000} {
		for _, inPlace := range []bool{false, true} {
			rng := rand.New(rand.NewPCG(uint64(n), 7))
			x, y, z, w := make([]float32, n), make([]float32, n), make([]float32, n), make([]float32, n)
			for i := range x {
				x[i], y[i], z[i], w[i] = drawEdge(rng), drawEdge(rng), drawEdge(rng), drawEdge(rng)
			}
			m2 := make([]float32, n)
			for i := range m2 {
				m2[i] = float32(math.Abs(float64(drawEdge(rng))))
			}
			wantSum, wantSq, wantUpd := make([]float32, n), make([]float32, n), make([]float32, n)
			for i := range x {
				wantSum[i] = add(mul(a, x[i]), mul(b, y[i]))
				wantSq[i] = add(mul(a, x[i]), mul(b, mul(y[i], z[i])))
				num := mul(lr, mul(x[i], d1))
				den := add(float32(math.Sqrt(float64(mul(m2[i], d2)))), eps)
				wantUpd[i] = w[i] - num/den
			}
			out := func(in []float32) []float32 {
				if inPlace {
					return append([]float32(nil), in...)
				}
				return make([]float32, n)
			}
			gotSum, gotSq, gotUpd := out(x), out(z), out(w)
			xs, zs, ws := x, z, w
			if inPlace { // out aliases x, z and w respectively.
				xs, zs, ws = gotSum, gotSq, gotUpd
			}
			ScaledSum(gotSum, xs, y, a, b)
			ScaledSumSquare(gotSq, x, y, zs, a, b)
			AdamUpdate(gotUpd, ws, x, m2, d1, lr, d2, eps)
			for _, c := range []struct {
				name      string
				got, want []float32
			}{{"ScaledSum", gotSum, wantSum}, {"ScaledSumSquare", gotSq, wantSq}, {"AdamUpdate", gotUpd, wantUpd}} {
				for i := range c.got {
					if math.Float32bits(c.got[i]) != math.Float32bits(c.want[i]) {
						t.Fatalf("%s, n %d, in place %v, element %d: %g, want %g", c.name, n, inPlace, i, c.got[i], c.want[i])
					}
				}
			}
		}
	}
}

// TestAdamUpdateByHand checks one update worked out by hand:
// w = 1, m1 = 0.5, m2 = 0.25, d1 = 2, lr = 0.1, d2 = 4, eps = 0:
// 1 − 0.1·(0.5·2) / √(0.25·4) = 0.9.
func TestAdamUpdateByHand(t *testing.T) {
	out := make([]float32, 9) // 8 in assembly (where it runs), 1 in Go.
	w, m1, m2 := make([]float32, 9), make([]float32, 9), make([]float32, 9)
	for i := range out {
		w[i], m1[i], m2[i] = 1, 0.5, 0.25
	}
	AdamUpdate(out, w, m1, m2, 2, 0.1, 4, 0)
	for i, v := range out {
		if v != float32(1)-float32(0.1) {
			t.Fatalf("element %d: %g, want 0.9", i, v)
		}
	}
	ScaledSumSquare(out, w, m1, m2, 0.5, 8) // 0.5·1 + 8·(0.5·0.25) = 1.5.
	if out[0] != 1.5 || out[8] != 1.5 {
		t.Fatalf("ScaledSumSquare: %g and %g, want 1.5", out[0], out[8])
	}
}
