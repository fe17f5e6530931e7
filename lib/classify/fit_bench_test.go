package classify

import (
	"math/rand/v2"
	"testing"
)

// benchMixture draws n examples of d features in k classes: Gaussian class
// centres of standard deviation spread around which each example has unit
// noise (benchclassify's default mixture, 1600 training examples).
func benchMixture(n, d, k int, spread float64) ([][]float32, Labels) {
	rng := rand.New(rand.NewPCG(1, 19))
	centres := make([][]float64, k)
	for c := range centres {
		centres[c] = make([]float64, d)
		for j := range centres[c] {
			centres[c][j] = spread * rng.NormFloat64()
		}
	}
	x := make([][]float32, n)
	idx := make([]int, n)
	for i := range x {
		idx[i] = i % k
		x[i] = make([]float32, d)
		for j := range x[i] {
			x[i][j] = float32(centres[idx[i]][j] + rng.NormFloat64())
		}
	}
	return x, SingleLabel(idx, k)
}

func benchFit(b *testing.B, model func() Classifier) {
	x, y := benchMixture(1600, 128, 20, 0.3)
	start, ops := cpuSeconds(), 0
	for b.Loop() {
		if err := model().Fit(x, y); err != nil {
			b.Fatal(err)
		}
		ops++
	}
	b.ReportMetric((cpuSeconds()-start)/float64(ops)*1000, "cpu-ms/op")
}

func BenchmarkFitSVM(b *testing.B) {
	benchFit(b, func() Classifier { return NewSVM(SVMOptions{Kernel: RBF, C: 1, Tol: 1e-3}) })
}

func BenchmarkFitLogistic(b *testing.B) {
	benchFit(b, func() Classifier { return NewLogisticRegression(LogisticOptions{}) })
}

func BenchmarkFitMLP(b *testing.B) {
	benchFit(b, func() Classifier { return NewMLP(MLPOptions{}) })
}
