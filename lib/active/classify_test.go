package active_test

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/active"
	"github.com/dawnchorus/dawnchorus/lib/classify"
)

// blobs returns perClass points around each centre (uniform jitter of ±0.5 per axis),
// labelled with the class given for that centre.
func blobs(centres [][2]float32, classes []int, perClass int, seed uint64) (x [][]float32, y []int) {
	rng := rand.New(rand.NewPCG(seed, 3))
	for i, c := range centres {
		for range perClass {
			x = append(x, []float32{c[0] + float32(rng.Float64()-0.5), c[1] + float32(rng.Float64()-0.5)})
			y = append(y, classes[i])
		}
	}
	return x, y
}

func newLogistic() active.Classifier {
	return active.FromClassify(classify.NewLogisticRegression(classify.LogisticOptions{}))
}

// TestFromClassify fits classify's logistic regression through the adapter on blobs far
// apart (each blob's centre is nearer its own points than any other blob's, so the true
// class of each centre is known without the model) and checks the shape of its
// probabilities, including classes that have no examples yet.
func TestFromClassify(t *testing.T) {
	centres := [][2]float32{{-5, 0}, {5, 0}, {0, 6}}
	for _, tc := range []struct {
		name    string
		classes []int // the class of each centre
		want    int   // columns of PredictProba: max class + 1
	}{
		{"binary", []int{0, 1, 1}, 2},
		{"three classes", []int{0, 1, 2}, 3},
		{"gaps: classes 1, 3 and 4 not seen yet", []int{0, 2, 5}, 6},
		{"class 0 not seen yet", []int{3, 1, 2}, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x, y := blobs(centres, tc.classes, 20, 1)
			m := newLogistic()
			if err := m.Fit(x, y); err != nil {
				t.Fatal(err)
			}
			query := [][]float32{{-5, 0}, {5, 0}, {0, 6}}
			p, err := m.PredictProba(query)
			if err != nil {
				t.Fatal(err)
			}
			seen := map[int]bool{}
			for _, c := range tc.classes {
				seen[c] = true
			}
			for i, row := range p {
				if len(row) != tc.want {
					t.Fatalf("row %d has %d columns, want %d", i, len(row), tc.want)
				}
				sum, best := 0.0, 0
				for c, v := range row {
					sum += float64(v)
					if v > row[best] {
						best = c
					}
					if !seen[c] && v > 0.01 {
						t.Errorf("centre %d: class %d has no examples but probability %.3f", i, c, v)
					}
				}
				if math.Abs(sum-1) > 1e-5 {
					t.Errorf("centre %d: probabilities sum to %.6f, want 1", i, sum)
				}
				if best != tc.classes[i] {
					t.Errorf("centre %d: most probable class %d, want %d (probabilities %.3f)", i, best, tc.classes[i], row)
				}
			}
		})
	}
}

// TestFromClassifyErrors checks that bad labels come back as errors that say what is wrong.
func TestFromClassifyErrors(t *testing.T) {
	x, _ := blobs([][2]float32{{0, 0}, {3, 3}}, []int{0, 1}, 3, 1)
	for _, tc := range []struct {
		name string
		y    []int
		want string
		is   error
	}{
		{"negative class", []int{0, 0, 0, 1, 1, -1}, "class -1", nil},
		{"one class only", []int{2, 2, 2, 2, 2, 2}, "same class", classify.ErrInput},
		{"labels and rows differ", []int{0, 1}, "2 labels for 6", classify.ErrInput},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := newLogistic().Fit(x, tc.y)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not say %q", err, tc.want)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %q does not wrap %v", err, tc.is)
			}
		})
	}
	if _, err := newLogistic().PredictProba(x); !errors.Is(err, classify.ErrNotFitted) {
		t.Errorf("PredictProba before Fit: %v, want ErrNotFitted", err)
	}
}

// TestFromClassifyInLoop runs the loop with the adapter on five separable blobs, starting
// from one label of two classes only: the classes found later join the model under their
// own indices, and once every class has been asked about the classifier labels the
// held-out blobs perfectly.
func TestFromClassifyInLoop(t *testing.T) {
	centres := [][2]float32{{-6, 0}, {6, 0}, {0, 6}, {0, -6}, {6, 6}}
	classes := []int{0, 1, 2, 3, 4}
	pool, labels := blobs(centres, classes, 8, 1)
	evalX, evalY := blobs(centres, classes, 8, 2)
	oracle, err := active.NewSimulatedOracle(labels, 5, active.Noise{})
	if err != nil {
		t.Fatal(err)
	}
	h, err := active.Run(context.Background(), active.Pool{Embeddings: pool}, oracle, active.Options{
		Strategy: active.Random, NewClassifier: newLogistic, NumClasses: 5, BatchSize: 5, Rounds: 4,
		Initial: []int{0, 8}, Seed: 1, Eval: &active.EvalSet{Embeddings: evalX, Labels: evalY},
	})
	if err != nil {
		t.Fatal(err)
	}
	last := h.Rounds[len(h.Rounds)-1]
	asked := map[int]bool{}
	for _, i := range h.Asked {
		asked[labels[i]] = true
	}
	if len(asked) == 5 && last.Accuracy != 1 {
		t.Errorf("every class asked about, but accuracy %.3f, want 1", last.Accuracy)
	}
	if len(asked) < 5 {
		t.Fatalf("only %d classes asked about in %d labels; pick another seed", len(asked), last.LabelsSpent)
	}
	if !h.Rounds[0].Trained || math.IsNaN(h.Rounds[0].Accuracy) {
		t.Errorf("round 0 (classes 0 and 1) should train")
	}
}
