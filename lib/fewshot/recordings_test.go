package fewshot

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/classify"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
)

// TestCompareKeepsRecordingsApart: with several clips per recording (spelt
// several ways), a test clip never shares its recording with a training
// clip: 4 classes × 6 recordings × 2 clips, 1 clip per class for training,
// leave 48 − 4 − 4 siblings = 40 test clips.
func TestCompareKeepsRecordingsApart(t *testing.T) {
	lt := &dataset.LabelTable{Classes: []string{"a", "b", "c", "d"}}
	for r := range 24 {
		for k := range 2 {
			labels := make([]int, 4)
			labels[r%4] = 1
			file := fmt.Sprintf("rec%02d.wav", r)
			if k == 1 {
				file = "./" + file
			}
			lt.Rows = append(lt.Rows, dataset.Row{File: file, StartSeconds: float64(3 * k), EndSeconds: float64(3*k + 3), Labels: labels})
		}
	}
	vectors := make([][]float32, len(lt.Rows))
	for i := range vectors {
		vectors[i] = []float32{float32(i), float32(lt.Rows[i].ClassOf())}
	}
	var fitted, predicted [][]int
	c, err := Compare(lt, []FeatureSet{{"v", vectors}}, Options{PerClass: 1, Seeds: []uint64{1, 2, 3},
		NewClassifier: func() classify.Classifier { return spy{&fitted, &predicted, 4} }})
	if err != nil {
		t.Fatal(err)
	}
	for s := range fitted {
		trainFiles := map[string]bool{}
		for _, r := range fitted[s] {
			trainFiles[dataset.CanonicalFile(lt.Rows[r].File)] = true
		}
		tested := predicted[2*s] // predictions alternate: test clips, then training clips
		for _, r := range tested {
			if trainFiles[dataset.CanonicalFile(lt.Rows[r].File)] {
				t.Errorf("seed %d: test row %d (%s) shares its recording with a training clip", s, r, lt.Rows[r].File)
			}
		}
		if len(fitted[s]) != 4 || len(tested) != 40 {
			t.Errorf("seed %d: %d training and %d test clips, want 4 and 40", s, len(fitted[s]), len(tested))
		}
	}
	if c.TestClips != 40 {
		t.Errorf("TestClips %d, want 40", c.TestClips)
	}
}

// TestCompareReportsNonConvergence: fits that stop at their iteration limit
// are counted in the result and noted in its table; converged ones are not.
func TestCompareReportsNonConvergence(t *testing.T) {
	lt := table(t, 3, 12)
	vectors := make([][]float32, len(lt.Rows))
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range vectors {
		vectors[i] = []float32{float32(i % 3), float32(rng.NormFloat64()), float32(rng.NormFloat64())}
	}
	for _, c := range []struct {
		maxIter, wantUnconverged int
	}{{2, 3}, {0, 0}} {
		comparison, err := Compare(lt, []FeatureSet{{"v", vectors}}, Options{PerClass: 4, Seeds: []uint64{1, 2, 3},
			NewClassifier: func() classify.Classifier {
				return classify.NewLogisticRegression(classify.LogisticOptions{MaxIter: c.maxIter})
			}})
		if err != nil {
			t.Fatal(err)
		}
		r := comparison.Results[0]
		if r.Unconverged != c.wantUnconverged || len(r.Iterations) != 3 {
			t.Errorf("MaxIter %d: %d unconverged, iterations %v; want %d of 3 fits", c.maxIter, r.Unconverged, r.Iterations, c.wantUnconverged)
		}
		if note := strings.Contains(comparison.String(), "stopped at their iteration limit"); note != (c.wantUnconverged > 0) {
			t.Errorf("MaxIter %d: table notes non-convergence: %v\n%s", c.maxIter, note, comparison)
		}
	}
}
