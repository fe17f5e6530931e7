package metrics

import (
	"reflect"
	"strings"
	"testing"
)

// TestLearningCurveAdd checks points against hand values: means, ranges, the
// fewest runs, and LabelsToReach.
func TestLearningCurveAdd(t *testing.T) {
	var c LearningCurve
	c.Name, c.Metric = "x", "accuracy"
	c.Add(4, []float64{0.5, 0.7, 0.6})
	c.Add(8, []float64{0.9, 0.7})
	c.Add(16, []float64{1, 0.8, 0.9})
	want := LearningCurve{Name: "x", Metric: "accuracy", Runs: 2,
		LabelsSpent: []float64{4, 8, 16},
		Mean:        []float64{(0.5 + 0.7 + 0.6) / 3, 0.8, (1 + 0.8 + 0.9) / 3},
		Min:         []float64{0.5, 0.7, 0.8}, Max: []float64{0.7, 0.9, 1}}
	if !reflect.DeepEqual(c, want) {
		t.Errorf("curve = %+v, want %+v", c, want)
	}
	if err := c.Check(); err != nil {
		t.Errorf("Check: %v", err)
	}
	for _, tc := range []struct {
		level  float64
		want   float64
		reachd bool
	}{{0.5, 4, true}, {0.75, 8, true}, {0.85, 16, true}, {0.95, 0, false}} {
		if got, ok := c.LabelsToReach(tc.level); got != tc.want || ok != tc.reachd {
			t.Errorf("LabelsToReach(%v) = %v, %v; want %v, %v", tc.level, got, ok, tc.want, tc.reachd)
		}
	}
	for _, bad := range []LearningCurve{{Name: "empty"}, {Name: "short", LabelsSpent: []float64{1, 2}, Mean: []float64{1}}} {
		if err := bad.Check(); err == nil || !strings.Contains(err.Error(), bad.Name) {
			t.Errorf("Check(%+v) = %v, want an error naming the curve", bad, err)
		}
	}
}
