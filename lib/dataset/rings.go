package dataset

import (
	"math"
	"math/rand/v2"
)

// Rings draws n points of a two-class problem in the plane whose answer is known: class 0
// (even i) uniform over the disc of radius 1, class 1 (odd i) at a radius uniform in
// [1.3, 2] and an angle uniform in [0, 2π); then each label is flipped with probability
// flip, so that no classifier can do better than 1 − flip on new points. No line separates
// the classes: a classifier must bend its boundary into a closed curve. Seeded (PCG with
// seed, 1): the same seed gives the same points.
func Rings(n int, flip float64, seed uint64) (points [][]float32, classes []int) {
	rng := rand.New(rand.NewPCG(seed, 1))
	points, classes = make([][]float32, n), make([]int, n)
	for i := range points {
		class := i % 2
		radius := math.Sqrt(rng.Float64())
		if class == 1 {
			radius = 1.3 + 0.7*rng.Float64()
		}
		angle := 2 * math.Pi * rng.Float64()
		points[i] = []float32{float32(radius * math.Cos(angle)), float32(radius * math.Sin(angle))}
		if rng.Float64() < flip {
			class = 1 - class
		}
		classes[i] = class
	}
	return points, classes
}
