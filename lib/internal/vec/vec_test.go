package vec

import (
	"math"
	"slices"
	"testing"
)

func TestKernels(t *testing.T) {
	for _, n := range []int{0, 1, 3, 4, 5, 8, 13} {
		a := make([]float32, n)
		b := make([]float32, n)
		var dot, sq, nn float64
		for i := range a {
			a[i] = float32(i) + 0.5
			b[i] = 2 - float32(i)*0.25
			dot += float64(a[i]) * float64(b[i])
			sq += (float64(a[i]) - float64(b[i])) * (float64(a[i]) - float64(b[i]))
			nn += float64(a[i]) * float64(a[i])
		}
		if got := Dot(a, b); math.Abs(float64(got)-dot) > 1e-4*(1+math.Abs(dot)) {
			t.Errorf("n=%d: Dot = %v, want %v", n, got, dot)
		}
		if got := SquaredDistance(a, b); math.Abs(float64(got)-sq) > 1e-4*(1+sq) {
			t.Errorf("n=%d: SquaredDistance = %v, want %v", n, got, sq)
		}
		if got := Norm(a); math.Abs(got-math.Sqrt(nn)) > 1e-9*(1+nn) {
			t.Errorf("n=%d: Norm = %v, want %v", n, got, math.Sqrt(nn))
		}
	}
	// Products: a 2×3 by 3×3 check by hand.
	a := []float32{1, 2, 3, 4, 5, 6}
	b := []float32{1, 0, 0, 0, 1, 0, 1, 1, 1}
	dst := make([]float32, 6)
	Products(dst, a, b, 2, 3, 3)
	if want := []float32{1, 2, 6, 4, 5, 15}; !slices.Equal(dst, want) {
		t.Errorf("Products = %v, want %v", dst, want)
	}
	if got := Finite([]float32{1, float32(math.NaN())}); got != 1 {
		t.Errorf("Finite = %d, want 1", got)
	}
	if got := Finite([]float32{1, 2}); got != -1 {
		t.Errorf("Finite = %d, want -1", got)
	}
}
