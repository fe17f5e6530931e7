package metricsplots_test

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/metrics"
	"github.com/dawnchorus/dawnchorus/lib/metrics/metricsplots"
	"github.com/dawnchorus/dawnchorus/lib/plots"
)

func TestLearningCurves(t *testing.T) {
	margin := metrics.LearningCurve{Name: "margin", Metric: "accuracy", Runs: 3,
		LabelsSpent: []float64{10, 15, 20}, Mean: []float64{0.8, 0.9, 0.95}, Min: []float64{0.7, 0.85, 0.93}, Max: []float64{0.85, 0.92, 0.97}}
	random := metrics.LearningCurve{Name: "random", Metric: "accuracy", Runs: 1,
		LabelsSpent: []float64{10, 15, 20, 25}, Mean: []float64{0.8, 0.82, 0.84, 0.86}, Min: []float64{0.8, 0.82, 0.84, 0.86}, Max: []float64{0.8, 0.82, 0.84, 0.86}}
	p, err := metricsplots.LearningCurves([]metrics.LearningCurve{margin, random}, "margin vs random")
	if err != nil {
		t.Fatal(err)
	}
	// The axes span the data: x from 10 to 25 labels, y from the lowest run (0.7) to the highest (0.97).
	if p.X.Min != 10 || p.X.Max != 25 || math.Abs(p.Y.Min-0.7) > 1e-12 || math.Abs(p.Y.Max-0.97) > 1e-12 {
		t.Errorf("axes x [%v, %v], y [%v, %v]; want [10, 25], [0.7, 0.97]", p.X.Min, p.X.Max, p.Y.Min, p.Y.Max)
	}
	if p.X.Label.Text != "labels spent" || p.Y.Label.Text != "accuracy" {
		t.Errorf("axis labels %q, %q", p.X.Label.Text, p.Y.Label.Text)
	}
	svg, err := plots.Encode(p, "svg")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{">margin<", ">random<", "margin vs random", "shaded: range of 3 runs; line: mean"} {
		if !bytes.Contains(svg, []byte(want)) {
			t.Errorf("SVG lacks %q", want)
		}
	}

	bad := []struct {
		name   string
		curves []metrics.LearningCurve
		want   string
	}{
		{"none", nil, "no curves"},
		{"metrics", []metrics.LearningCurve{margin, {Name: "found", Metric: "clips found", LabelsSpent: []float64{1}, Mean: []float64{1}, Min: []float64{1}, Max: []float64{1}}}, `curve "found" shows clips found`},
		{"lengths", []metrics.LearningCurve{{Name: "short", LabelsSpent: []float64{1, 2}, Mean: []float64{1}}}, `curve "short" has 2 x values, 1 means`},
	}
	for _, tc := range bad {
		if _, err := metricsplots.LearningCurves(tc.curves, ""); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}
