package classify

import (
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"math"
	"testing"
)

// TestLogisticWeights recomputes PredictProba by hand from Weights: the
// features standardized with the population mean and standard deviation of
// the training rows (computed here, independently), then softmax of z·W + b
// (single label) or a sigmoid per column (multi-label).
func TestLogisticWeights(t *testing.T) {
	x := [][]float32{{0, 1}, {1, 0}, {4, 5}, {5, 4}, {9, 1}, {8, 0}, {1, 1}, {4, 4}, {9, 0}}
	single := dataset.SingleLabel([]int{0, 0, 1, 1, 2, 2, 0, 1, 2}, 3)
	multi := dataset.MultiLabel([][]int{{1, 0}, {1, 0}, {0, 1}, {0, 1}, {1, 1}, {1, 1}, {1, 0}, {0, 1}, {1, 1}})
	for _, tc := range []struct {
		name string
		y    dataset.Labels
	}{{"softmax", single}, {"sigmoid", multi}} {
		t.Run(tc.name, func(t *testing.T) {
			l := NewLogisticRegression(LogisticOptions{})
			if w, b := l.Weights(); w != nil || b != nil {
				t.Fatal("Weights before Fit are not nil")
			}
			if err := l.Fit(x, tc.y); err != nil {
				t.Fatal(err)
			}
			w, b := l.Weights()
			if len(w) != 2 || len(w[0]) != tc.y.NumClasses || len(b) != tc.y.NumClasses {
				t.Fatalf("Weights shapes %d×%d, %d", len(w), len(w[0]), len(b))
			}
			if got := 2*len(b) + len(b); got != l.NumWeights() {
				t.Errorf("weights + intercepts = %d, NumWeights %d", got, l.NumWeights())
			}
			mean, std := make([]float64, 2), make([]float64, 2)
			for j := range 2 {
				for _, row := range x {
					mean[j] += float64(row[j]) / float64(len(x))
				}
				for _, row := range x {
					std[j] += math.Pow(float64(row[j])-mean[j], 2) / float64(len(x))
				}
				std[j] = math.Sqrt(std[j])
			}
			proba, err := l.PredictProba(x)
			if err != nil {
				t.Fatal(err)
			}
			for i, row := range x {
				logits := append([]float64(nil), b...)
				for j, v := range row {
					z := (float64(v) - mean[j]) / std[j]
					for c := range logits {
						logits[c] += z * w[j][c]
					}
				}
				want := make([]float64, len(logits))
				if tc.y.IsMulti() {
					for c, v := range logits {
						want[c] = 1 / (1 + math.Exp(-v))
					}
				} else {
					sum := 0.0
					for _, v := range logits {
						sum += math.Exp(v)
					}
					for c, v := range logits {
						want[c] = math.Exp(v) / sum
					}
				}
				for c := range want {
					if math.Abs(float64(proba[i][c])-want[c]) > 1e-5 {
						t.Errorf("row %d class %d: PredictProba %.6f, by hand from Weights %.6f", i, c, proba[i][c], want[c])
					}
				}
			}
			w[0][0] = 1e9 // Weights returns a copy.
			if w2, _ := l.Weights(); w2[0][0] == 1e9 {
				t.Error("Weights shares its slices with the model")
			}
		})
	}
}
