package metricsplots_test

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/metrics"
	"github.com/dawnchorus/dawnchorus/lib/metrics/metricsplots"
	"github.com/dawnchorus/dawnchorus/lib/plots"
	"github.com/dawnchorus/dawnchorus/lib/plots/plotstest"
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

// Learning curves with long names in the default figure: beside the data their legend would
// take more than a quarter of the width, so it stands above the curves, inside the data's
// width, and the curves keep at least two thirds of the figure's width.
func TestLearningCurvesLegendAbove(t *testing.T) {
	var curves []metrics.LearningCurve
	for i, name := range []string{"frozen embedding + logistic", "fine-tuned", "trained from scratch"} {
		c := metrics.LearningCurve{Name: name, Metric: "test accuracy"}
		for x := 20.0; x <= 1000; x *= 3 {
			y := 0.5 + 0.1*float64(i) + x/10000
			c.Add(x, []float64{y - 0.05, y, y + 0.05})
		}
		curves = append(curves, c)
	}
	p, err := metricsplots.LearningCurves(curves, "how much data")
	if err != nil {
		t.Fatal(err)
	}
	texts := plotstest.Render(t, p)
	data := plots.DataArea(p)
	for _, c := range append(curves, metrics.LearningCurve{Name: "shaded: range of 3 runs; line: mean"}) {
		found := plotstest.Find(texts, c.Name)
		if len(found) != 1 {
			t.Fatalf("legend entry %q drawn %d times, want once", c.Name, len(found))
		}
		if e := found[0]; e.Y <= data.Max.Y.Points() || e.X < data.Min.X.Points() || e.Right() > data.Max.X.Points() {
			t.Errorf("legend entry %q at x %.1f–%.1f, y %.1f: want above the data area (x %.1f–%.1f, top %.1f)",
				c.Name, e.X, e.Right(), e.Y, data.Min.X.Points(), data.Max.X.Points(), data.Max.Y.Points())
		}
	}
	if share := (data.Max.X - data.Min.X) / plots.DefaultWidth; share < 2.0/3 {
		t.Errorf("the curves take %.0f %% of the figure's width, want at least two thirds", 100*share)
	}
}
