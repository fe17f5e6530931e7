package classify

import (
	"slices"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/dataset"
)

// TestNamed renames a classifier and leaves its fit and predictions its own.
func TestNamed(t *testing.T) {
	x := [][]float32{{0}, {0.1}, {1}, {1.1}}
	y := dataset.SingleLabel([]int{0, 0, 1, 1}, 2)
	knn := NewKNN(KNNOptions{K: 1})
	named := Named("1-NN, as the table calls it", knn)
	if named.Name() != "1-NN, as the table calls it" {
		t.Errorf("Name() = %q", named.Name())
	}
	if err := named.Fit(x, y); err != nil {
		t.Fatal(err)
	}
	got, err := named.Predict([][]float32{{0.05}, {0.9}})
	if err != nil || !slices.Equal(got.Index, []int{0, 1}) || named.NumWeights() != knn.NumWeights() {
		t.Errorf("Predict = %v (%v), NumWeights %d and %d", got.Index, err, named.NumWeights(), knn.NumWeights())
	}
}
