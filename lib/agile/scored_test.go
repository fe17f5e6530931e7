package agile

import (
	"errors"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"slices"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/classify"
)

// TestOpenScored: scoring the archive a batch at a time gives, for every batch
// size and classifier, the keys and scores of Open's archive scored at once,
// bit for bit, and so the same validation sample; a keys-only archive still
// finds its windows; errors of the scorer reach the caller.
func TestOpenScored(t *testing.T) {
	a, truth := testArchive(t)
	n := a.Len()
	classes := make([]int, n)
	copy(classes, truth)
	for _, tc := range []struct {
		name string
		clf  classify.Classifier
	}{
		{"logistic", classify.NewLogisticRegression(classify.LogisticOptions{})},
		{"mlp", classify.NewMLP(classify.MLPOptions{Hidden: []int{8}, Steps: 50, Seed: 2})},
		{"forest", classify.NewRandomForest(classify.ForestOptions{Trees: 5, Seed: 3})},
		{"knn", classify.NewKNN(classify.KNNOptions{K: 3})},
	} {
		// Train on every other window, so that the scores spread over (0, 1).
		var x [][]float32
		var y []int
		for i := 0; i < n; i += 2 {
			x, y = append(x, a.Windows.Vectors[i]), append(y, classes[i])
		}
		if err := tc.clf.Fit(x, dataset.SingleLabel(y, 2)); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		want, err := a.Scores(tc.clf)
		if err != nil {
			t.Fatal(err)
		}
		wantSample, err := a.ValidateSample(want, SampleOptions{N: 12, Strata: 4, Seed: 9, Exclude: map[string]bool{"rec03.wav": true}})
		if err != nil {
			t.Fatal(err)
		}
		for _, batch := range []int{1, 7, n - 1, n, 1000, 0} {
			calls := 0
			b, got, err := OpenScored(a.DB, a.Model, batch, func(v [][]float32) ([]float64, error) {
				calls++
				p, err := tc.clf.PredictProba(v)
				if err != nil {
					return nil, err
				}
				s := make([]float64, len(p))
				for i, row := range p {
					s[i] = float64(row[1])
				}
				return s, nil
			})
			if err != nil {
				t.Fatalf("%s, batch %d: %v", tc.name, batch, err)
			}
			if wantCalls := (n + max(batch, 1) - 1) / max(batch, 1); batch > 0 && calls != wantCalls {
				t.Errorf("%s, batch %d: %d batches, want %d", tc.name, batch, calls, wantCalls)
			}
			if b.Windows.Vectors != nil || b.Len() != n || !slices.Equal(b.Windows.Keys, a.Windows.Keys) {
				t.Errorf("%s, batch %d: %d windows, vectors %v: not Open's keys alone", tc.name, batch, b.Len(), b.Windows.Vectors != nil)
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s, batch %d: scores differ from scoring at once:\n got %v\nwant %v", tc.name, batch, got, want)
			}
			s, err := b.ValidateSample(got, SampleOptions{N: 12, Strata: 4, Seed: 9, Exclude: map[string]bool{"rec03.wav": true}})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(s.Rows, wantSample.Rows) || !slices.Equal(s.Windows, wantSample.Windows) {
				t.Errorf("%s, batch %d: another validation sample", tc.name, batch)
			}
			for _, i := range []int{0, n / 2, n - 1} {
				k := a.Windows.Keys[i]
				if j, ok := b.Find(k.File, k.StartSeconds); !ok || j != i {
					t.Errorf("%s, batch %d: Find(%s, %g) = %d, %v, want %d", tc.name, batch, k.File, k.StartSeconds, j, ok, i)
				}
			}
		}
	}
	bad := errors.New("bad batch")
	if _, _, err := OpenScored(a.DB, a.Model, 5, func([][]float32) ([]float64, error) { return nil, bad }); !errors.Is(err, bad) {
		t.Errorf("a failing scorer: %v", err)
	}
	if _, _, err := OpenScored(a.DB, a.Model, 5, func(v [][]float32) ([]float64, error) { return make([]float64, len(v)-1), nil }); err == nil {
		t.Error("a scorer giving too few scores: no error")
	}
}
