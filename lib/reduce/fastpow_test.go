package reduce

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestPowPosMatchesMathPow(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	worst := 0.0
	for i := 0; i < 200000; i++ {
		x := math.Exp(rng.Float64()*60 - 30) // 1e-13 … 1e13
		y := rng.Float64()*4 - 2
		got, want := powPos(x, y), math.Pow(x, y)
		worst = max(worst, math.Abs(got-want)/want)
	}
	for _, c := range [][2]float64{{1, 0.9}, {2, 0.5}, {1e-300, 0.5}, {4.9e-324, 1}, {1e300, 1.5}, {0.25, -1}} {
		got, want := powPos(c[0], c[1]), math.Pow(c[0], c[1])
		if want > 1e-307 && !math.IsInf(want, 0) {
			worst = max(worst, math.Abs(got-want)/want)
		}
	}
	if worst > 1e-9 {
		t.Errorf("largest relative error %g, want ≤ 1e-9", worst)
	}
}
