package classify

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"github.com/dawnchorus/dawnchorus/lib/metrics"
)

// echo is a stand-in classifier that records what it was fitted on and gives each row's
// features back as its probabilities, so FitScores' plumbing can be checked row by row.
type echo struct {
	x      [][]float32
	y      dataset.Labels
	fitErr error
}

func (m *echo) Name() string { return "echo" }
func (m *echo) Fit(x [][]float32, y dataset.Labels) error {
	m.x, m.y = x, y
	return m.fitErr
}
func (m *echo) PredictProba(x [][]float32) ([][]float32, error) { return x, nil }
func (m *echo) Predict(x [][]float32) (dataset.Labels, error) {
	return dataset.Labels{}, errors.New("echo: no predictions")
}
func (m *echo) NumWeights() int        { return 0 }
func (m *echo) Save(path string) error { return errors.New("echo: not saved") }

// TestFitScores checks that the model is fitted on the train rows with labels of the kind
// asked for, and scored on the validation and test rows, in the split's order.
func TestFitScores(t *testing.T) {
	table := &dataset.LabelTable{Classes: []string{"a", "b"}}
	var features [][]float32
	for i := range 6 {
		table.Rows = append(table.Rows, dataset.Row{File: string(rune('p' + i)), Labels: []int{1 - i%2, i % 2}})
		features = append(features, []float32{float32(i) / 8, 1 - float32(i)/8})
	}
	split := dataset.Split{Train: []int{0, 1, 4}, Validation: []int{5}, Test: []int{3, 2}}
	for _, kind := range []dataset.LabelKind{dataset.ClassIndex, dataset.MultiHot} {
		model := &echo{}
		got, err := FitScores(model, table, features, split, kind)
		if err != nil {
			t.Fatal(err)
		}
		wantY, _ := dataset.FromTable(table, split.Train, kind)
		if !reflect.DeepEqual(model.x, metrics.Rows(features, split.Train)) || !reflect.DeepEqual(model.y, wantY) {
			t.Errorf("kind %v: fitted on %v %+v, want the train rows", kind, model.x, model.y)
		}
		want := SplitScores{
			Validation: [][]float64{{5.0 / 8, 3.0 / 8}},
			Test:       [][]float64{{3.0 / 8, 5.0 / 8}, {2.0 / 8, 6.0 / 8}},
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("kind %v: scores %v, want %v", kind, got, want)
		}
	}
	if got, err := FitScores(&echo{}, table, features, dataset.Split{Train: []int{0, 1}, Test: []int{2}}, dataset.ClassIndex); err != nil || got.Validation != nil || len(got.Test) != 1 {
		t.Errorf("no validation rows: %v, %v; want nil validation scores", got, err)
	}
	for _, c := range []struct {
		model    Classifier
		features [][]float32
		split    dataset.Split
		want     string
	}{
		{&echo{}, features[:5], split, "5 feature vectors for a label table of 6 rows"},
		{&echo{}, features, dataset.Split{Train: []int{0}, Test: []int{6}}, "row 6 outside the table's 6 rows"},
		{&echo{}, features, dataset.Split{Train: []int{0, 9}}, "train rows"},
		{&echo{fitErr: errors.New("no convergence")}, features, split, "fitting echo: no convergence"},
	} {
		if _, err := FitScores(c.model, table, c.features, c.split, dataset.ClassIndex); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("error %v, want one saying %q", err, c.want)
		}
	}
}

// TestSplitChecksTable checks the table against lines written out by hand, NaN bounds
// (a single distinct split) included.
func TestSplitChecksTable(t *testing.T) {
	iv := func(estimate, lower, upper float64) metrics.Interval {
		return metrics.Interval{Estimate: estimate, Lower: lower, Upper: upper, Level: 0.95}
	}
	nanOf := math.NaN
	checks := []SplitCheck{
		{Classifier: "m1", Splitting: "leaky", Seeds: []uint64{1, 2}, DistinctSplits: 2,
			TestCI: iv(0.961, 0.944, 0.978), NewCI: iv(0.904, 0.883, 0.926), InflationCI: iv(0.056, 0.025, 0.087)},
		{Classifier: "m1", Splitting: "by site", Seeds: []uint64{1, 2}, DistinctSplits: 1,
			TestCI: iv(0.9, nanOf(), nanOf()), NewCI: iv(0.85, nanOf(), nanOf()), InflationCI: iv(-0.05, nanOf(), nanOf())},
		{Classifier: "m2", Splitting: "leaky", Seeds: []uint64{1, 2}, DistinctSplits: 2,
			TestCI: iv(1, 1, 1), NewCI: iv(0.5, 0.25, 0.75), InflationCI: iv(0.5, 0.25, 0.75)},
	}
	want := "\n" +
		"m1, 2 seeds: mean over the distinct splits [95 % interval]\n" +
		"  split                    test accuracy %     new recordings %    inflation (points)  splits\n" +
		"  leaky                    96.1 [94.4, 97.8]   90.4 [88.3, 92.6]   +5.6 [+2.5, +8.7]        2\n" +
		"  by site                  90.0 [—, —]         85.0 [—, —]         -5.0 [—, —]              1\n" +
		"\n" +
		"m2, 2 seeds: mean over the distinct splits [95 % interval]\n" +
		"  split                    test accuracy %     new recordings %    inflation (points)  splits\n" +
		"  leaky                    100.0 [100.0, 100.0] 50.0 [25.0, 75.0]   +50.0 [+25.0, +75.0]      2\n"
	if got := SplitChecksTable(checks); got != want {
		t.Errorf("table:\n%s\nwant:\n%s", got, want)
	}
}
