package active_test

import (
	"context"
	"math"
	"slices"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/active"
	"github.com/dawnchorus/dawnchorus/lib/metrics"
)

func TestMeanCurveHandValues(t *testing.T) {
	nan := math.NaN()
	runs := []*active.History{
		{Rounds: []active.Round{{LabelsSpent: 4, Accuracy: nan}, {LabelsSpent: 6, Accuracy: 0.5}, {LabelsSpent: 8, Accuracy: 0.9}}},
		{Rounds: []active.Round{{LabelsSpent: 4, Accuracy: 0.6}, {LabelsSpent: 6, Accuracy: 0.7}, {LabelsSpent: 8, Accuracy: 0.7}, {LabelsSpent: 10, Accuracy: 1}}},
	}
	c, err := active.MeanCurve("x", runs, active.Accuracy)
	if err != nil {
		t.Fatal(err)
	}
	// Round 0 is NaN in run 0 and left out; round 3 exists only in run 1 and is left out.
	want := metrics.LearningCurve{Name: "x", Metric: "accuracy", Runs: 2,
		LabelsSpent: []float64{6, 8}, Mean: []float64{0.6, 0.8}, Min: []float64{0.5, 0.7}, Max: []float64{0.7, 0.9}}
	if c.Name != want.Name || c.Runs != 2 || !close(c.LabelsSpent, want.LabelsSpent) || !close(c.Mean, want.Mean) ||
		!close(c.Min, want.Min) || !close(c.Max, want.Max) {
		t.Errorf("MeanCurve = %+v, want %+v", c, want)
	}
	if got, ok := c.LabelsToReach(0.75); !ok || got != 8 {
		t.Errorf("LabelsToReach(0.75) = %v, %v; want 8, true", got, ok)
	}
	if _, ok := c.LabelsToReach(0.95); ok {
		t.Error("LabelsToReach(0.95) reached on a curve whose best mean is 0.8")
	}
	if got, ok := runs[1].LabelsToReach(active.Accuracy, 0.7); !ok || got != 6 {
		t.Errorf("History.LabelsToReach(0.7) = %d, %v; want 6, true", got, ok)
	}
	if _, err := active.MeanCurve("none", nil, active.Accuracy); err == nil {
		t.Error("MeanCurve of no runs: no error")
	}
}

// TestCompareAveragesRuns checks Compare against runs made one by one.
func TestCompareAveragesRuns(t *testing.T) {
	embeddings, labels := linearPool(300, 0.3, 11)
	evalEmb, evalLabels := linearPool(300, 0.3, 12)
	oracle, err := active.NewSimulatedOracle(labels, 2, active.Noise{})
	if err != nil {
		t.Fatal(err)
	}
	pool := active.Pool{Embeddings: embeddings}
	o := active.Options{NewClassifier: newSoftmax, NumClasses: 2, BatchSize: 5, Rounds: 4, InitialRandom: 6,
		Eval: &active.EvalSet{Embeddings: evalEmb, Labels: evalLabels}}
	seeds := []uint64{1, 2}
	curves, err := active.Compare(context.Background(), pool, oracle, o,
		[]active.Strategy{active.Entropy, active.Random}, seeds, active.Accuracy)
	if err != nil {
		t.Fatal(err)
	}
	if len(curves) != 2 || curves[0].Name != "entropy" || curves[1].Name != "random" {
		t.Fatalf("curves %+v, want entropy then random", curves)
	}
	for k, s := range []active.Strategy{active.Entropy, active.Random} {
		var mean [5]float64
		for _, seed := range seeds {
			o.Strategy, o.Seed = s, seed
			h, err := active.Run(context.Background(), pool, oracle, o)
			if err != nil {
				t.Fatal(err)
			}
			for r := range mean {
				mean[r] += h.Rounds[r].Accuracy / 2
			}
		}
		if !close(curves[k].Mean, mean[:]) {
			t.Errorf("%v: Compare's mean %v, runs one by one %v", s, curves[k].Mean, mean)
		}
		if !slices.Equal(curves[k].LabelsSpent, []float64{6, 11, 16, 21, 26}) {
			t.Errorf("%v: labels spent %v, want 6, 11, …, 26", s, curves[k].LabelsSpent)
		}
	}
	if _, err := active.Compare(context.Background(), pool, oracle, o, nil, seeds, active.Accuracy); err == nil {
		t.Error("Compare with no strategies: no error")
	}
}

// close says whether a and b have the same length and agree to 1e-12.
func close(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if math.Abs(a[i]-b[i]) > 1e-12 {
			return false
		}
	}
	return true
}
