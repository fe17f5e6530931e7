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

// TestSummingOrder pins the order of dotFixedGo (DotFixedOrder's Go path) and
// DotFour against loops written out in their documented orders, to the bit:
// dotFixedGo combines (s0+s1)+(s2+s3) and then adds the tail, DotFour adds the
// tail to s0 first. Values of mixed magnitude (1e-3 to 1e8, both signs) make
// the orders round differently; the first case is one where they must (1 is
// lost against 1e8 in DotFour's s0, kept in dotFixedGo's tail), so a test that
// swapped the two orders fails.
func TestSummingOrder(t *testing.T) {
	fixedRef := func(a, b []float32) float32 {
		var p [4]float32
		n := len(a) / 4 * 4
		for i := 0; i < n; i++ {
			p[i%4] += a[i] * b[i]
		}
		s := (p[0] + p[1]) + (p[2] + p[3])
		for i := n; i < len(a); i++ {
			s += a[i] * b[i]
		}
		return s
	}
	fourRef := func(a, b []float64) float64 {
		var p [4]float64
		n := len(a) / 4 * 4
		for i := 0; i < n; i++ {
			p[i%4] += a[i] * b[i]
		}
		for i := n; i < len(a); i++ {
			p[0] += a[i] * b[i]
		}
		return (p[0] + p[1]) + (p[2] + p[3])
	}
	ones := []float32{1, 1, 1, 1, 1}
	pinned := []float32{1e8, 0, -1e8, 0, 1}
	if got := dotFixedGo(pinned, ones); got != 1 {
		t.Errorf("dotFixedGo(%v, 1s) = %g, want 1 ((1e8+0)+(-1e8+0), then +1)", pinned, got)
	}
	if got := DotFour(pinned, ones); got != 0 {
		t.Errorf("DotFour(%v, 1s) = %g, want 0 (1e8+1 rounds to 1e8)", pinned, got)
	}
	if !hasAsm() {
		if got := DotFixedOrder(pinned, ones); got != 1 {
			t.Errorf("DotFixedOrder (Go path) = %g, want 1", got)
		}
	}
	rng := rand.New(rand.NewPCG(21, 22))
	differ := 0
	for n := 0; n <= 67; n++ {
		for trial := 0; trial < 20; trial++ {
			a, b := make([]float32, n), make([]float32, n)
			a64, b64 := make([]float64, n), make([]float64, n)
			for i := range a {
				a[i] = float32(rng.NormFloat64() * math.Pow(10, float64(rng.IntN(12)-3)))
				b[i] = float32(rng.NormFloat64())
				a64[i], b64[i] = float64(a[i])*(1+1e-9*rng.NormFloat64()), float64(b[i])
			}
			want := fixedRef(a, b)
			if got := dotFixedGo(a, b); math.Float32bits(got) != math.Float32bits(want) {
				t.Fatalf("n = %d: dotFixedGo = %g, want %g (the documented order)", n, got, want)
			}
			if !hasAsm() {
				if got := DotFixedOrder(a, b); math.Float32bits(got) != math.Float32bits(want) {
					t.Fatalf("n = %d: DotFixedOrder (Go path) = %g, want %g", n, got, want)
				}
			}
			if got := DotFour(a64, b64); math.Float64bits(got) != math.Float64bits(fourRef(a64, b64)) {
				t.Fatalf("n = %d: DotFour[float64] = %g, want %g (the documented order)", n, got, fourRef(a64, b64))
			}
			if dotFixedGo(a, b) != DotFour(a, b) {
				differ++
			}
		}
	}
	if differ == 0 {
		t.Error("no random case told the two orders apart: the values do not test the order")
	}
	t.Logf("%d of %d random cases round differently in the two orders", differ, 68*20)
}
