package fewshot

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestCorrelations checks against hand computation: for x = 1, 2, 3 and
// y = 1, 2, 4, Σdx·dy = 3, Σdx² = 2, Σdy² = 42/9, so r = 3/√(84/9) ≈ 0.98198;
// a column 2y+1 has r = 1, −y has r = −1, a constant 0.
func TestCorrelations(t *testing.T) {
	y := []float64{1, 2, 4}
	vectors := [][]float32{{1, 3, -1, 7}, {2, 5, -2, 7}, {3, 9, -4, 7}}
	r, err := Correlations(vectors, y)
	if err != nil {
		t.Fatal(err)
	}
	want := []float64{3 / math.Sqrt(84.0/9), 1, -1, 0}
	for j := range want {
		if math.Abs(r[j]-want[j]) > 1e-6 {
			t.Errorf("feature %d: r = %.6f, want %.6f", j, r[j], want[j])
		}
	}
	if _, err := Correlations(vectors[:1], y[:1]); err == nil {
		t.Error("one vector: no error")
	}
}

// TestHeldOutR2 checks a target that is an exact linear function of the
// features (R² = 1 without a penalty), and one independent of them (R² near
// or below 0).
func TestHeldOutR2(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	vectors := make([][]float32, 200)
	linear, noise := make([]float64, 200), make([]float64, 200)
	var train, test []int
	for i := range vectors {
		a, b, c := rng.NormFloat64(), rng.NormFloat64(), rng.NormFloat64()
		vectors[i] = []float32{float32(a), float32(b), float32(c)}
		linear[i] = 2*float64(float32(a)) - float64(float32(b)) + 3
		noise[i] = rng.NormFloat64()
		if i < 100 {
			train = append(train, i)
		} else {
			test = append(test, i)
		}
	}
	r2, err := HeldOutR2(vectors, linear, train, test, 0)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(r2-1) > 1e-9 {
		t.Errorf("exact linear target: R² = %.12f, want 1", r2)
	}
	r2, err = HeldOutR2(vectors, noise, train, test, 1)
	if err != nil {
		t.Fatal(err)
	}
	if r2 > 0.1 {
		t.Errorf("independent target: R² = %.3f, want ≤ 0.1", r2)
	}
	if _, err := HeldOutR2(vectors, linear, train[:1], test, 0); err == nil {
		t.Error("one training row: no error")
	}
}
