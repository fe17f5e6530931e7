package metrics

import (
	"math"
	"strings"
	"testing"
)

// Bad input gets an error naming the index and the value.
func TestInputErrors(t *testing.T) {
	scores := [][]float64{{0.1, 0.9}, {0.4, 0.6}}
	labels := [][]int{{0, 1}, {1, 0}}
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"NaN score", func() error {
			_, err := AUROCPerClass([][]float64{{0.1, 0.9}, {math.NaN(), 0.6}}, labels)
			return err
		}, "scores[1][0] is NaN"},
		{"Inf score", func() error { _, err := AUROC([]float64{0.2, math.Inf(-1)}, []int{0, 1}); return err }, "scores[1] is -Inf"},
		{"label 2", func() error {
			_, err := AveragePrecisionPerClass(scores, [][]int{{0, 1}, {2, 0}})
			return err
		}, "labels[1][0] = 2, want 0 or 1"},
		{"binary label -1", func() error { _, err := ROCCurve([]float64{0.2, 0.3}, []int{-1, 1}); return err }, "labels[0] = -1"},
		{"ragged scores", func() error {
			_, err := AUROCPerClass([][]float64{{0.1, 0.9}, {0.4}}, labels)
			return err
		}, "scores[1] has 1 classes, scores[0] has 2"},
		{"labels with fewer clips", func() error { _, err := PRCurves(scores, labels[:1]); return err }, "scores has 2 clips but labels has 1"},
		{"labels with fewer classes", func() error {
			_, err := ROCCurves(scores, [][]int{{0, 1}, {1}})
			return err
		}, "labels[1] has 1 classes, scores has 2"},
		{"binary length mismatch", func() error { _, err := PRCurve([]float64{0.2}, []int{0, 1}); return err }, "1 scores but 2 labels"},
		{"empty", func() error { _, err := AveragePrecision([]float64(nil), nil); return err }, "no clips"},
		{"class out of range", func() error { _, err := Accuracy(scores, []int{0, 2}); return err }, "classes[1] = 2, want a class index in [0, 2)"},
		{"top-k with k 0", func() error { _, err := TopKAccuracy(scores, []int{0, 1}, 0); return err }, "k = 0"},
		{"NaN threshold", func() error { _, err := AtThreshold([]float64{0.2}, []int{1}, math.NaN()); return err }, "threshold is NaN"},
		{"confusion predicted out of range", func() error {
			_, err := ConfusionMatrix([]int{0, 1}, []int{0, 5}, 2)
			return err
		}, "predictedClasses[1] = 5"},
		{"probability above 1", func() error { _, err := Reliability([]float64{0.2, 1.5}, []int{0, 1}, 10); return err }, "probabilities[1] = 1.5"},
		{"zero bins", func() error { _, err := Reliability([]float64{0.2}, []int{0}, 0); return err }, "0 bins"},
		{"one-hot out of range", func() error { _, err := OneHot([]int{0, 3}, 3); return err }, "classes[1] = 3"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestOneHotAndFlatten(t *testing.T) {
	labels, err := OneHot([]int{2, 0}, 3)
	if err != nil {
		t.Fatal(err)
	}
	if want := [][]int{{0, 0, 1}, {1, 0, 0}}; !equalInts(labels, want) {
		t.Errorf("OneHot = %v, want %v", labels, want)
	}
	flatScores, flatLabels := Flatten([][]float64{{0.1, 0.2, 0.3}, {0.4, 0.5, 0.6}}, labels)
	if len(flatScores) != 6 || flatScores[3] != 0.4 || len(flatLabels) != 6 || flatLabels[2] != 1 || flatLabels[3] != 1 {
		t.Errorf("Flatten = %v, %v", flatScores, flatLabels)
	}
}

func equalInts(a, b [][]int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return false
		}
		for j := range a[i] {
			if a[i][j] != b[i][j] {
				return false
			}
		}
	}
	return true
}

// Five clips of three classes, counted by hand from the confusion matrix
// [[1 1 0] [0 2 0] [1 0 0]].
func TestCountsFromConfusion(t *testing.T) {
	got := CountsFromConfusion([][]int{{1, 1, 0}, {0, 2, 0}, {1, 0, 0}})
	want := []Counts{
		{TruePositives: 1, FalsePositives: 1, FalseNegatives: 1, TrueNegatives: 2},
		{TruePositives: 2, FalsePositives: 1, FalseNegatives: 0, TrueNegatives: 2},
		{TruePositives: 0, FalsePositives: 0, FalseNegatives: 1, TrueNegatives: 4},
	}
	for c := range want {
		if got[c] != want[c] {
			t.Errorf("class %d: %+v, want %+v", c, got[c], want[c])
		}
	}
}
