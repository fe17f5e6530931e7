package reduce

import (
	"fmt"
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

// BenchmarkPCA fits 2, 16 and 64 components to 5000 points of 128
// dimensions (benchreduce's size) and of 512, with PCA's solver (auto: the top
// components by subspace iteration where useSubspace says it pays off) and
// with the full eigen-decomposition (full: what PCA did before issue 19). At
// d = 128 auto is full except for k = 2; at 64 of 512 the iteration keeps
// 128 vectors.
func BenchmarkPCA(b *testing.B) {
	for _, d := range []int{128, 512} {
		x := mixture(rand.New(rand.NewPCG(1, 2)), 5000, d, 0.7)
		for _, k := range []int{2, 16, 64} {
			for _, solver := range []struct {
				name   string
				solver eigenSolver
			}{{"auto", eigenAuto}, {"full", eigenFull}} {
				b.Run(fmt.Sprintf("d=%d/k=%d/%s", d, k, solver.name), func(b *testing.B) {
					start, ops := cpuSeconds(), 0
					for b.Loop() {
						if _, err := pcaRows(x, PCAOptions{Components: k}, solver.solver); err != nil {
							b.Fatal(err)
						}
						ops++
					}
					b.ReportMetric((cpuSeconds()-start)/float64(ops)*1000, "cpu-ms/op")
				})
			}
		}
	}
}
