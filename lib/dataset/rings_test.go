package dataset

import (
	"math"
	"slices"
	"testing"
)

// TestRings checks the geometry without flips (class 0 within radius 1, class 1 between
// 1.3 and 2, classes alternating), the share of flipped labels on many points, and the
// seeding.
func TestRings(t *testing.T) {
	points, classes := Rings(1000, 0, 3)
	for i, p := range points {
		r := math.Hypot(float64(p[0]), float64(p[1]))
		if classes[i] != i%2 || (classes[i] == 0 && r > 1+1e-6) || (classes[i] == 1 && (r < 1.3-1e-6 || r > 2+1e-6)) {
			t.Fatalf("point %d at radius %v has class %d", i, r, classes[i])
		}
	}
	for _, tc := range []struct {
		n    int
		flip float64
	}{{20000, 0.1}, {20000, 0.3}} {
		_, classes := Rings(tc.n, tc.flip, 1)
		flipped := 0
		for i, c := range classes {
			if c != i%2 {
				flipped++
			}
		}
		// Binomial(n, flip): within 5 standard deviations.
		sd := math.Sqrt(float64(tc.n) * tc.flip * (1 - tc.flip))
		if math.Abs(float64(flipped)-float64(tc.n)*tc.flip) > 5*sd {
			t.Errorf("flip %v: %d of %d flipped", tc.flip, flipped, tc.n)
		}
	}
	a, ca := Rings(50, 0.1, 7)
	b, cb := Rings(50, 0.1, 7)
	c, _ := Rings(50, 0.1, 8)
	if !slices.EqualFunc(a, b, slices.Equal) || !slices.Equal(ca, cb) || slices.EqualFunc(a, c, slices.Equal) {
		t.Error("the same seed must give the same points, another seed others")
	}
}
