package vec

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestDotFixedOrderAgainstFloat64 checks DotFixedOrder and its Go twin against
// a float64 sum for lengths 0..100 and a few long ones, at unaligned offsets.
func TestDotFixedOrderAgainstFloat64(t *testing.T) {
	buf := unalignedPairs(11, 12, func(n int, a, b []float32) {
		var want, mag float64
		for i := range a {
			want += float64(a[i]) * float64(b[i])
			mag += math.Abs(float64(a[i]) * float64(b[i]))
		}
		tol := 1e-6 * (mag + 1)
		for name, got := range map[string]float32{"DotFixedOrder": DotFixedOrder(a, b), "DotFour": DotFour(a, b)} {
			if d := math.Abs(float64(got) - want); d > tol {
				t.Fatalf("%s, n = %d: %g, want %g", name, n, got, want)
			}
		}
	})
	if _, ok := dotFixedAsm(buf[:8], buf[8:16]); ok != hasAsm() {
		t.Errorf("assembly kernel used: %v, want %v", ok, hasAsm())
	}
}

// TestDotFixedOrderIgnoresAlignment: the same values copied to every offset of
// a buffer give the same bits (gonum's Dot does not promise this).
func TestDotFixedOrderIgnoresAlignment(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for _, n := range []int{7, 8, 31, 93, 103, 257} {
		a := make([]float32, n)
		b := make([]float32, n)
		for i := range a {
			a[i] = float32(rng.NormFloat64())
			b[i] = float32(rng.NormFloat64())
		}
		want := DotFixedOrder(a, b)
		buf := make([]float32, n+16)
		for off := range 16 {
			copy(buf[off:], b)
			if got := DotFixedOrder(a, buf[off:off+n]); math.Float32bits(got) != math.Float32bits(want) {
				t.Fatalf("n = %d, offset %d: %v, want %v", n, off, got, want)
			}
		}
	}
}

// TestDotFourFloat64 checks DotFour on float64 against exact integer
// arithmetic: products of small integers sum exactly in float64, in any order.
func TestDotFourFloat64(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	for _, n := range []int{0, 1, 3, 4, 5, 8, 17, 100} {
		a, b := make([]float64, n), make([]float64, n+2)
		want := 0
		for i := range a {
			x, y := rng.IntN(2001)-1000, rng.IntN(2001)-1000
			a[i], b[i] = float64(x), float64(y)
			want += x * y
		}
		if got := DotFour(a, b); got != float64(want) {
			t.Errorf("n = %d: DotFour = %v, want %d", n, got, want)
		}
	}
}
