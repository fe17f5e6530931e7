package transferplots

import (
	"slices"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/plots"
	"github.com/dawnchorus/dawnchorus/lib/transfer"
	"gonum.org/v1/plot"
)

// TestLearningCurve: a log x axis ticked at exactly the sizes of the rows, y on
// [0, 1], one legend entry per method, and an SVG that renders.
func TestLearningCurve(t *testing.T) {
	rows := []transfer.Row{
		{Method: transfer.Frozen, Size: 20, Seed: 1, Accuracy: 0.3}, {Method: transfer.Frozen, Size: 20, Seed: 2, Accuracy: 0.4},
		{Method: transfer.Frozen, Size: 300, Seed: 1, Accuracy: 0.6}, {Method: transfer.Frozen, Size: 300, Seed: 2, Accuracy: 0.7},
		{Method: transfer.Scratch, Size: 1000, Seed: 1, Accuracy: 0.9},
	}
	p, err := LearningCurve(rows, "curve")
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := p.X.Scale.(plot.LogScale); !ok {
		t.Errorf("x scale %T, want plot.LogScale", p.X.Scale)
	}
	var labels []string
	for _, tick := range p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max) {
		labels = append(labels, tick.Label)
	}
	if !slices.Equal(labels, []string{"20", "300", "1000"}) {
		t.Errorf("x ticks %v, want 20, 300, 1000", labels)
	}
	if p.Y.Min != 0 || p.Y.Max != 1 {
		t.Errorf("y range [%v, %v], want [0, 1]", p.Y.Min, p.Y.Max)
	}
	svg, err := plots.Encode(p, "svg")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{">frozen embedding + logistic<", "trained from scratch", ">1000<", "shaded: range of 2 runs; line: mean"} {
		if !strings.Contains(string(svg), want) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	if _, err := LearningCurve(nil, "empty"); err == nil {
		t.Error("no rows: no error")
	}
}
