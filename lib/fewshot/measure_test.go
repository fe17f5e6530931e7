package fewshot

import (
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/classify"
	"github.com/dawnchorus/dawnchorus/lib/dataset"
)

// TestMeasure counts right test rows by hand, keeps each row's recording, and checks the
// intervals' estimates and their refusals.
func TestMeasure(t *testing.T) {
	labels := extractorTable([]int{3, 3}) // 12 rows: 6 recordings of 2 clips
	x := make([][]float32, len(labels.Rows))
	for i, r := range labels.Rows {
		x[i] = []float32{float32(r.ClassOf())}
	}
	x[7] = []float32{0} // row 7 is class 1 (rows 6–11): predicted 0, wrong
	train, test := []int{0, 6}, []int{2, 3, 7, 8, 9}
	m, err := Measure(&fixedClassifier{2}, x, labels, train, test, dataset.ClassIndex)
	if err != nil {
		t.Fatal(err)
	}
	wantCorrect := []bool{true, true, false, true, true}
	if !slices.Equal(m.Correct, wantCorrect) || !slices.Equal(m.Test, test) {
		t.Errorf("Correct %v on rows %v, want %v", m.Correct, m.Test, wantCorrect)
	}
	if m.Recordings[0] != m.Recordings[1] || m.Recordings[2] == m.Recordings[3] || m.Recordings[3] != m.Recordings[4] {
		t.Errorf("Recordings %v: rows 2, 3 share one, 8, 9 another, 7 a third", m.Recordings)
	}
	if m.TestAccuracy != 0.8 || m.TrainAccuracy != 1 {
		t.Errorf("accuracy train %v, test %v; want 1 and 0.8", m.TrainAccuracy, m.TestAccuracy)
	}
	iv := m.MustInterval()
	if math.Abs(iv.Estimate-0.8) > 1e-12 || iv.Lower > iv.Estimate || iv.Upper < iv.Estimate || iv.Upper > 1 || iv.Level != 0.95 {
		t.Errorf("Interval = %+v, want 0.8 inside [0, 1]", iv)
	}
	// Against a model right everywhere: the difference is −1/5 on these rows; the
	// resamples that miss row 7's recording (3 recordings drawn 3 times: (2/3)³ ≈ 30 % of
	// them) give 0, so the upper bound is 0.
	perfect := MustMeasure(&fixedClassifier{2}, func() [][]float32 {
		y := make([][]float32, len(labels.Rows))
		for i, r := range labels.Rows {
			y[i] = []float32{float32(r.ClassOf())}
		}
		return y
	}(), labels, train, test, dataset.ClassIndex)
	d := m.MustDifference(perfect)
	if math.Abs(d.Estimate+0.2) > 1e-12 || d.Upper != 0 || d.Lower >= d.Estimate {
		t.Errorf("Difference = %+v, want −0.2 with upper bound 0", d)
	}
	other := MustMeasure(&fixedClassifier{2}, x, labels, train, []int{2, 3}, dataset.ClassIndex)
	if _, err := m.Difference(other); !errors.Is(err, ErrInput) {
		t.Errorf("different test rows: error %v, want ErrInput", err)
	}
	if _, err := (Measured{}).Interval(); !errors.Is(err, ErrInput) {
		t.Errorf("nothing measured: error %v, want ErrInput", err)
	}
	if _, err := Measure(&fixedClassifier{2}, x[:3], labels, train, test, dataset.ClassIndex); !errors.Is(err, ErrInput) {
		t.Errorf("3 vectors for 12 rows: error %v, want ErrInput", err)
	}
}

// TestMeasureMultiHot fits one sigmoid per class on two separated clusters: every test row
// is right, so the exact-match accuracy, and its interval, is 1; a row with a class
// missing or an extra class counts as wrong; with ClassIndex the Score is Evaluate's.
func TestMeasureMultiHot(t *testing.T) {
	labels := extractorTable([]int{4, 4})
	x := make([][]float32, len(labels.Rows))
	for i, r := range labels.Rows {
		x[i] = []float32{float32(4*r.ClassOf()) + float32(i%3)/10}
	}
	train, test := []int{0, 1, 8, 9}, []int{2, 4, 6, 10, 12, 14}
	m := MustMeasure(classify.NewLogisticRegression(classify.LogisticOptions{}), x, labels, train, test, dataset.MultiHot)
	if m.TestAccuracy != 1 || !slices.Equal(m.Correct, []bool{true, true, true, true, true, true}) {
		t.Errorf("multi-hot: test accuracy %v, correct %v", m.TestAccuracy, m.Correct)
	}
	if iv := m.MustInterval(); iv.Lower != 1 || iv.Upper != 1 {
		t.Errorf("interval %+v, want [1, 1]", iv)
	}
	// Two clips with two classes each: a prediction that misses one class and one that adds
	// a third are both wrong under exact match (a per-class Hamming score would give them
	// 1/2 and 2/3), so 2 of the 4 test rows are right.
	pairs := extractorTable([]int{1, 1, 1})
	pairs.Rows[1].Labels = []int{1, 1, 0}
	pairs.Rows[3].Labels = []int{0, 1, 1}
	// hotClassifier predicts each vector as it is: the classes of its nonzero values.
	hot := [][]float32{{1, 0, 0}, {1, 0, 0}, {0, 1, 0}, {1, 1, 1}, {0, 0, 1}, {0, 0, 1}}
	mixed := MustMeasure(hotClassifier{}, hot, pairs, []int{0}, []int{1, 2, 3, 4}, dataset.MultiHot)
	if !slices.Equal(mixed.Correct, []bool{false, true, false, true}) || mixed.TestAccuracy != 0.5 || mixed.TrainAccuracy != 1 {
		t.Errorf("one class missing, one extra: correct %v, test accuracy %v, train %v; want [false true false true], 0.5, 1",
			mixed.Correct, mixed.TestAccuracy, mixed.TrainAccuracy)
	}
	single := MustMeasure(classify.NewLogisticRegression(classify.LogisticOptions{}), x, labels, train, test, dataset.ClassIndex)
	evaluated, err := Evaluate(classify.NewLogisticRegression(classify.LogisticOptions{}), x, labels, train, test)
	if err != nil || single.TestAccuracy != evaluated.TestAccuracy || single.TrainAccuracy != evaluated.TrainAccuracy {
		t.Errorf("ClassIndex: Measure %+v, Evaluate %+v (%v)", single.Score, evaluated, err)
	}
}

// TestStrengths sorts |r| strongest first, NaN last, and counts those above a level.
func TestStrengths(t *testing.T) {
	s := Strengths([]float64{0.2, -0.9, math.NaN(), 0.5})
	if s[0] != 0.9 || s[1] != 0.5 || s[2] != 0.2 || !math.IsNaN(s[3]) {
		t.Errorf("Strengths = %v, want 0.9, 0.5, 0.2, NaN", s)
	}
	if s.Above(0.4) != 2 || s.Above(0.9) != 0 {
		t.Errorf("Above(0.4) = %d, Above(0.9) = %d; want 2 and 0", s.Above(0.4), s.Above(0.9))
	}
	even, odd := Halves(5)
	if !slices.Equal(even, []int{0, 2, 4}) || !slices.Equal(odd, []int{1, 3}) {
		t.Errorf("Halves(5) = %v, %v", even, odd)
	}
	if even, odd := Halves(0); even != nil || odd != nil {
		t.Errorf("Halves(0) = %v, %v, want none", even, odd)
	}
}

// TestBothFound counts, by hand, the mixtures whose two classes both reach 0.5.
func TestBothFound(t *testing.T) {
	mixtures := []Mixture{{Classes: [2]int{0, 1}}, {Classes: [2]int{1, 2}}, {Classes: [2]int{0, 2}}}
	mixtures[1].Clip.File = "second"
	scores := [][]float32{{0.6, 0.5, 0}, {0.9, 0.4, 0.7}, {0.5, 0.5, 0.5}}
	if n := BothFound(scores, mixtures); n != 2 {
		t.Errorf("BothFound = %d, want 2 (the first and the third)", n)
	}
	if clips := MixtureClips(mixtures); len(clips) != 3 || clips[1].File != "second" {
		t.Errorf("MixtureClips = %v", clips)
	}
}

// hotClassifier predicts multi-hot labels straight from its input: class c where x[i][c]
// is nonzero.
type hotClassifier struct{}

func (hotClassifier) Fit(x [][]float32, y dataset.Labels) error { return nil }
func (hotClassifier) Predict(x [][]float32) (dataset.Labels, error) {
	hot := make([][]int, len(x))
	for i, v := range x {
		hot[i] = make([]int, len(v))
		for c, f := range v {
			if f != 0 {
				hot[i][c] = 1
			}
		}
	}
	return dataset.MultiLabel(hot), nil
}
func (hotClassifier) PredictProba(x [][]float32) ([][]float32, error) { return nil, nil }
func (hotClassifier) Name() string                                    { return "hot" }
func (hotClassifier) NumWeights() int                                 { return 0 }
func (hotClassifier) Save(string) error                               { return nil }
