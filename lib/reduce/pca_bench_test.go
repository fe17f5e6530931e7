package reduce

import (
	"math/rand/v2"
	"testing"
)

// mixture draws n points of d dimensions around 20 random centres (unit
// normal coordinates) with isotropic noise of standard deviation sd, the kind
// of data benchreduce uses.
func mixture(rng *rand.Rand, n, d int, sd float64) [][]float32 {
	centres := make([][]float64, 20)
	for c := range centres {
		centres[c] = make([]float64, d)
		for j := range centres[c] {
			centres[c][j] = rng.NormFloat64()
		}
	}
	x := make([][]float32, n)
	for i := range x {
		c := centres[i%len(centres)]
		x[i] = make([]float32, d)
		for j := range x[i] {
			x[i][j] = float32(c[j] + sd*rng.NormFloat64())
		}
	}
	return x
}

// BenchmarkPCA fits two components to 5000 points × 128 dimensions, benchreduce's size.
func BenchmarkPCA(b *testing.B) {
	x := mixture(rand.New(rand.NewPCG(1, 2)), 5000, 128, 0.7)
	start, ops := cpuSeconds(), 0
	for b.Loop() {
		if _, err := PCA(x, PCAOptions{Components: 2}); err != nil {
			b.Fatal(err)
		}
		ops++
	}
	b.ReportMetric((cpuSeconds()-start)/float64(ops)*1000, "cpu-ms/op")
}
