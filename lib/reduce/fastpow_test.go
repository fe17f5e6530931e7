package reduce

import (
	"math"
	"math/rand/v2"
	"testing"
)

func TestPowTableMatchesMathPow(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, b := range []float64{0.8950608779914887, 0.79, 1.334, 1, 0.5} {
		tab := newPowTable(b)
		worst := 0.0
		for i := 0; i < 100000; i++ {
			x := math.Exp(rng.Float64()*60 - 30) // 1e-13 … 1e13
			got, want := tab.pow(x), math.Pow(x, b)
			worst = max(worst, math.Abs(got-want)/want)
		}
		for _, x := range []float64{1, 2, 0.25, 1e-300, 5e-324, 1e300, math.Nextafter(2, 0)} {
			got, want := tab.pow(x), math.Pow(x, b)
			if want > 0 {
				worst = max(worst, math.Abs(got-want)/want)
			}
		}
		if worst > 1e-8 {
			t.Errorf("b = %v: largest relative error %g, want ≤ 1e-8", b, worst)
		}
	}
}
