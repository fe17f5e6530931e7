package fewshot

import (
	"errors"
	"fmt"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"math"
	"slices"
	"testing"
)

// TestSplit: perClass training rows of each class, the rest test rows less the
// other clips of the training rows' recordings; seeded.
func TestSplit(t *testing.T) {
	labels := extractorTable([]int{5, 6}) // two clips per recording
	train, test, err := Split(labels, 2, 7)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[int]int{}
	recordings := map[string]bool{}
	for _, r := range train {
		counts[labels.Rows[r].ClassOf()]++
		recordings[dataset.CanonicalFile(labels.Rows[r].File)] = true
	}
	if counts[0] != 2 || counts[1] != 2 || !slices.IsSorted(train) || !slices.IsSorted(test) {
		t.Errorf("train %v (per class %v), test %v: want 2 per class, both sorted", train, counts, test)
	}
	for _, r := range test {
		if recordings[dataset.CanonicalFile(labels.Rows[r].File)] {
			t.Errorf("test row %d (%s) shares a recording with a training row", r, labels.Rows[r].File)
		}
	}
	// 22 rows = 11 recordings × 2 clips; the 4 training rows come from at most
	// 4 recordings, whose 8 clips are all out of the test set when distinct.
	if len(test) != len(labels.Rows)-2*len(recordings) {
		t.Errorf("%d test rows, want %d", len(test), len(labels.Rows)-2*len(recordings))
	}
	again, _, _ := Split(labels, 2, 7)
	other, _, _ := Split(labels, 2, 8)
	if !slices.Equal(train, again) || slices.Equal(train, other) {
		t.Errorf("seed 7 twice: %v and %v; seed 8: %v", train, again, other)
	}
	if _, _, err := Split(labels, 11, 1); err == nil {
		t.Error("11 per class from a class of 10 clips: want an error")
	}
}

// fixedClassifier predicts the class given by the first value of each vector.
type fixedClassifier struct{ classes int }

func (f *fixedClassifier) Fit(x [][]float32, y dataset.Labels) error { return nil }
func (f *fixedClassifier) Predict(x [][]float32) (dataset.Labels, error) {
	out := make([]int, len(x))
	for i, v := range x {
		out[i] = int(v[0])
	}
	return dataset.SingleLabel(out, f.classes), nil
}
func (f *fixedClassifier) PredictProba(x [][]float32) ([][]float32, error) { return nil, nil }
func (f *fixedClassifier) Name() string                                    { return "fixed" }
func (f *fixedClassifier) NumWeights() int                                 { return 0 }
func (f *fixedClassifier) Save(string) error                               { return nil }

// TestEvaluate counts right answers on training and test rows by hand.
func TestEvaluate(t *testing.T) {
	labels := &dataset.LabelTable{Classes: []string{"a", "b"}}
	classes := []int{0, 1, 0, 1, 0, 1}
	for i, c := range classes {
		l := []int{0, 0}
		l[c] = 1
		labels.Rows = append(labels.Rows, dataset.Row{File: fmt.Sprintf("r%d.wav", i), EndSeconds: 3, Labels: l})
	}
	// Predicted classes: right on rows 0, 1, 2 and 4; wrong on 3 and 5.
	x := [][]float32{{0}, {1}, {0}, {0}, {0}, {0}}
	s, err := Evaluate(&fixedClassifier{2}, x, labels, []int{0, 1, 3}, []int{2, 4, 5})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(s.TrainAccuracy-2.0/3) > 1e-12 || math.Abs(s.TestAccuracy-2.0/3) > 1e-12 {
		t.Errorf("train %v, test %v; want 2/3 and 2/3", s.TrainAccuracy, s.TestAccuracy)
	}
	if s, _ := Evaluate(&fixedClassifier{2}, x, labels, []int{0, 1}, []int{3, 5}); s.TrainAccuracy != 1 || s.TestAccuracy != 0 {
		t.Errorf("train %v, test %v; want 1 and 0", s.TrainAccuracy, s.TestAccuracy)
	}
	if _, err := Evaluate(&fixedClassifier{2}, x[:5], labels, []int{0}, []int{1}); !errors.Is(err, ErrInput) {
		t.Errorf("5 vectors for 6 rows: error %v, want ErrInput", err)
	}
}

// TestMixtures pairs rows from both ends, skips same-class pairs and adds the
// samples at half gain.
func TestMixtures(t *testing.T) {
	labels := &dataset.LabelTable{Classes: []string{"a", "b"}}
	for i, c := range []int{0, 0, 1, 0, 1, 0} {
		l := []int{0, 0}
		l[c] = 1
		labels.Rows = append(labels.Rows, dataset.Row{File: fmt.Sprintf("r%d.wav", i), EndSeconds: 1, Labels: l})
	}
	load := func(row int) ([]float32, int, error) {
		return []float32{float32(row), 1}, 2, nil
	}
	rows := []int{0, 1, 2, 3, 4, 5}
	// Pairs (0, 5): same class, skipped; (1, 4): a+b; (2, 3): b+a.
	got, err := Mixtures(labels, rows, 2, load)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].Rows != [2]int{1, 4} || got[1].Rows != [2]int{2, 3} || got[0].Classes != [2]int{0, 1} {
		t.Fatalf("mixtures %+v", got)
	}
	if !slices.Equal(got[0].Clip.Samples, []float32{2.5, 1}) || got[0].Clip.SampleRateHz != 2 || got[0].Clip.EndSeconds != 1 {
		t.Errorf("mixture of rows 1 and 4: %+v, want samples [2.5 1] at 2 Hz, 1 s", got[0].Clip)
	}
	if _, err := Mixtures(labels, rows, 3, load); !errors.Is(err, ErrInput) {
		t.Errorf("3 mixtures from 2 usable pairs: error %v, want ErrInput", err)
	}
}

// TestSummariseScores against a hand count.
func TestSummariseScores(t *testing.T) {
	s := SummariseScores([][]float32{{0.7, 0.2, 0.1}, {0.6, 0.6, 0}, {0.1, 0.2, 0.3}})
	want := ScoreSummary{MeanSum: (1 + 1.2 + 0.6) / 3, MeanMax: (0.7 + 0.6 + 0.3) / 3, None: 1, Several: 1}
	if math.Abs(s.MeanSum-want.MeanSum) > 1e-6 || math.Abs(s.MeanMax-want.MeanMax) > 1e-6 || s.None != 1 || s.Several != 1 {
		t.Errorf("%+v, want %+v", s, want)
	}
}
