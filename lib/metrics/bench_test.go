package metrics

import (
	"math/rand/v2"
	"testing"
)

// benchmarkProblem is a multi-label problem of the size of a BirdSet test split's class
// count on a few thousand clips.
func benchmarkProblem(numClips, numClasses int) ([][]float64, [][]int) {
	rng := rand.New(rand.NewPCG(1, 2))
	scores := make([][]float64, numClips)
	labels := make([][]int, numClips)
	for i := range scores {
		scores[i] = make([]float64, numClasses)
		labels[i] = make([]int, numClasses)
		for c := range scores[i] {
			if rng.Float64() < 0.05 {
				labels[i][c] = 1
			}
			scores[i][c] = rng.Float64() + 0.5*float64(labels[i][c])
		}
	}
	return scores, labels
}

func BenchmarkAUROCPerClass(b *testing.B) {
	scores, labels := benchmarkProblem(5000, 50)
	for b.Loop() {
		if _, err := AUROCPerClass(scores, labels); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkAveragePrecisionPerClass(b *testing.B) {
	scores, labels := benchmarkProblem(5000, 50)
	for b.Loop() {
		if _, err := AveragePrecisionPerClass(scores, labels); err != nil {
			b.Fatal(err)
		}
	}
}
