package cnnplots

import (
	"bytes"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/cnn"
	"github.com/dawnchorus/dawnchorus/lib/plots"
	"github.com/dawnchorus/dawnchorus/lib/plots/plotstest"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// svg renders p.
func svg(t *testing.T, p *plot.Plot) string {
	t.Helper()
	w, err := p.WriterTo(8*vg.Centimeter, 6*vg.Centimeter, "svg")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if _, err := w.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestCurves checks the curves' points against a history written by hand, the
// titles and axes, and that records without validation draw no validation curve.
func TestCurves(t *testing.T) {
	h := cnn.History{Records: []cnn.Record{
		{Step: 10, TrainLoss: 2.4, TrainAccuracy: 0.1, ValLoss: 2.5, ValAccuracy: 0.05, Validated: true},
		{Step: 20, TrainLoss: 1.2, TrainAccuracy: 0.6, ValLoss: 1.9, ValAccuracy: 0.3, Validated: true},
		{Step: 25, TrainLoss: 0.3, TrainAccuracy: 0.95, ValLoss: 2.2, ValAccuracy: 0.35, Validated: true},
	}}
	trainLoss, valLoss, trainAcc, valAcc := points(h)
	for _, tc := range []struct {
		name      string
		got, want plotter.XYs
	}{
		{"training loss", trainLoss, plotter.XYs{{X: 10, Y: 2.4}, {X: 20, Y: 1.2}, {X: 25, Y: 0.3}}},
		{"validation loss", valLoss, plotter.XYs{{X: 10, Y: 2.5}, {X: 20, Y: 1.9}, {X: 25, Y: 2.2}}},
		{"training accuracy", trainAcc, plotter.XYs{{X: 10, Y: 0.1}, {X: 20, Y: 0.6}, {X: 25, Y: 0.95}}},
		{"validation accuracy", valAcc, plotter.XYs{{X: 10, Y: 0.05}, {X: 20, Y: 0.3}, {X: 25, Y: 0.35}}},
	} {
		if len(tc.got) != len(tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, tc.got, tc.want)
			continue
		}
		for k := range tc.got {
			if tc.got[k] != tc.want[k] {
				t.Errorf("%s point %d: %v, want %v", tc.name, k, tc.got[k], tc.want[k])
			}
		}
	}

	loss, accuracy, err := Curves(h, "run")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		p          *plot.Plot
		title      string
		yMin, yMax float64
		yLabel     string
	}{{loss, "run", 0, 2.5, "loss"}, {accuracy, "run", 0, 1, "accuracy"}} {
		if tc.p.Y.Label.Text != tc.yLabel {
			t.Errorf("y label %q, want %q", tc.p.Y.Label.Text, tc.yLabel)
		}
		if tc.p.Title.Text != tc.title || tc.p.X.Label.Text != "step" || tc.p.X.Min != 10 || tc.p.X.Max != 25 {
			t.Errorf("title %q, x label %q, x %v–%v; want %q, step, 10–25", tc.p.Title.Text, tc.p.X.Label.Text, tc.p.X.Min, tc.p.X.Max, tc.title)
		}
		if tc.p.Y.Min != tc.yMin || tc.p.Y.Max != tc.yMax {
			t.Errorf("%s: y axis %v–%v, want %v–%v", tc.title, tc.p.Y.Min, tc.p.Y.Max, tc.yMin, tc.yMax)
		}
		s := svg(t, tc.p)
		if hasLegend := bytes.Contains([]byte(s), []byte("validation")) && bytes.Contains([]byte(s), []byte("training")); !hasLegend {
			t.Errorf("%s plot: no legend, want one on both plots (the same width side by side)", tc.yLabel)
		}
	}

	trainOnly := cnn.History{Records: []cnn.Record{{Step: 5, TrainLoss: 1, TrainAccuracy: 0.5}}}
	if _, valLoss, _, valAcc := points(trainOnly); len(valLoss)+len(valAcc) != 0 {
		t.Errorf("no validation: validation points %v %v", valLoss, valAcc)
	}
	loss, _, err = Curves(trainOnly, "")
	if err != nil {
		t.Fatal(err)
	}
	if s := svg(t, loss); loss.Title.Text != "" || bytes.Contains([]byte(s), []byte("validation")) {
		t.Errorf("no validation: title %q (want none), legend with validation %v", loss.Title.Text, bytes.Contains([]byte(s), []byte("validation")))
	}
	if _, _, err := Curves(cnn.History{}, "x"); err == nil {
		t.Error("empty history: no error")
	}
}

// In a narrow figure (one tile of lesson 03's side-by-side curves) the legend stands above
// the curves, within their width, so that they keep it.
func TestCurvesLegendAboveInNarrowFigure(t *testing.T) {
	h := cnn.History{Records: []cnn.Record{
		{Step: 10, TrainLoss: 2.4, ValLoss: 2.5, Validated: true},
		{Step: 20, TrainLoss: 1.2, ValLoss: 1.9, Validated: true},
	}}
	loss, _, err := Curves(h, "run")
	if err != nil {
		t.Fatal(err)
	}
	size := plots.Size(8*vg.Centimeter, 10*vg.Centimeter)
	texts := plotstest.Render(t, loss, size)
	data := plots.DataArea(loss, size)
	for _, name := range []string{"training", "validation"} {
		found := plotstest.Find(texts, name)
		if len(found) != 1 {
			t.Fatalf("legend entry %q drawn %d times, want once", name, len(found))
		}
		if e := found[0]; e.Y <= data.Max.Y.Points() || e.X < data.Min.X.Points() || e.Right() > data.Max.X.Points() {
			t.Errorf("legend entry %q at x %.1f–%.1f, y %.1f: want above the data area (x %.1f–%.1f, top %.1f)",
				name, e.X, e.Right(), e.Y, data.Min.X.Points(), data.Max.X.Points(), data.Max.Y.Points())
		}
	}
}
