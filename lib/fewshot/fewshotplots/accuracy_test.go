package fewshotplots

import (
	"math"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/fewshot"
	"github.com/dawnchorus/dawnchorus/lib/plots"
	"github.com/dawnchorus/dawnchorus/lib/plots/plotstest"
	"gonum.org/v1/plot"
)

// sizeComparison is one training-set size of two feature sets over three draws.
func sizeComparison(perClass int, a, b []float64) *fewshot.Comparison {
	return &fewshot.Comparison{PerClass: perClass, Seeds: []uint64{1, 2, 3}, Results: []fewshot.Result{
		{Name: "embedding", Accuracies: a, TrainMean: 1}, {Name: "handcrafted", Accuracies: b, TrainMean: 0.9},
	}}
}

// TestAccuracyBySize: one series per feature set, the sizes as ticks (log scale: 2 to 30
// spans more than a factor of 10), the legend saying what the bars are, and errors for
// sizes of different sets.
func TestAccuracyBySize(t *testing.T) {
	sizes := []*fewshot.Comparison{
		sizeComparison(2, []float64{0.9, 0.95, 0.92}, []float64{0.5, 0.6, 0.55}),
		sizeComparison(30, []float64{0.99, 1, 0.98}, []float64{0.8, 0.9, 0.85}),
	}
	p := MustAccuracyBySize(sizes, "growing")
	if _, ok := p.X.Scale.(plot.LogScale); !ok {
		t.Errorf("x scale %T, want a log scale for sizes 2 to 30", p.X.Scale)
	}
	texts := plotstest.Render(t, p)
	for _, want := range []string{"embedding", "handcrafted", "bars: 95 % interval (t, 3 draws)", "2", "30", "training clips per class", "test accuracy"} {
		if len(plotstest.Find(texts, want)) == 0 {
			t.Errorf("no text %q in the figure", want)
		}
	}
	// The bars are the intervals of the table: the interval of 0.5, 0.6, 0.55 is
	// 0.55 ± 4.303·0.05/√3 = [0.426, 0.674]; the plot's y range holds [0, 1].
	series, err := sizeSeries(sizes)
	if err != nil {
		t.Fatal(err)
	}
	// The hand-worked bounds are rounded to three decimals (0.4258 and 0.6742).
	if math.Abs(series[1].lower[0]-0.426) > 5e-4 || math.Abs(series[1].upper[0]-0.674) > 5e-4 || math.Abs(series[1].ys[1]-0.85) > 1e-12 {
		t.Errorf("handcrafted series %+v, want the first bar [0.426, 0.674] and the second point 0.85", series[1])
	}
	other := sizeComparison(5, []float64{1, 1, 1}, []float64{1, 1, 1})
	other.Results = other.Results[:1]
	if _, err := AccuracyBySize(append(sizes, other), "x"); err == nil {
		t.Error("a size with one set of two: want an error")
	}
	if _, err := AccuracyBySize(nil, "x"); err == nil {
		t.Error("no comparisons: want an error")
	}
}

// TestTrainTest: two lines, training and test, at the given settings (linear: 1 to 4),
// and an error when the settings do not match the results.
func TestTrainTest(t *testing.T) {
	c := sizeComparison(10, []float64{0.9, 0.95, 0.92}, []float64{0.5, 0.6, 0.55})
	p := MustTrainTest(c, []float64{1, 4}, "deeper", "hidden layers")
	if _, ok := p.X.Scale.(plot.LogScale); ok {
		t.Error("x from 1 to 4 on a log scale")
	}
	svg, err := plots.Encode(p, "svg")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"training clips", "test clips", "hidden layers", "deeper"} {
		if !strings.Contains(string(svg), want) {
			t.Errorf("no %q in the figure", want)
		}
	}
	if _, err := TrainTest(c, []float64{1}, "x", "y"); err == nil {
		t.Error("one setting for two results: want an error")
	}
}

// TestStrengthsPlot: a curve per quantity, ticked at 1 and every quarter of the dimensions.
func TestStrengthsPlot(t *testing.T) {
	s := fewshot.Strengths([]float64{0.1, -0.7, 0.3, 0.2, 0.5, 0.4, 0, 0.6})
	p := MustStrengths([]string{"f0_mean_hz"}, []fewshot.DimensionStrengths{s}, "meaning")
	ticks := p.X.Tick.Marker.Ticks(0, 8)
	var labels []string
	for _, tk := range ticks {
		labels = append(labels, tk.Label)
	}
	if strings.Join(labels, " ") != "1 2 4 6 8" {
		t.Errorf("ticks %v, want 1 2 4 6 8", labels)
	}
	if len(plotstest.Find(plotstest.Render(t, p), "f0_mean_hz")) == 0 {
		t.Error("no legend entry f0_mean_hz")
	}
	if _, err := Strengths([]string{"a", "b"}, []fewshot.DimensionStrengths{s}, "x"); err == nil {
		t.Error("two names for one curve: want an error")
	}
}

// TestPlotsOneDistinctDraw: a comparison whose draws are all one (Repeats) has NaN
// interval bounds; both figures still draw, with no bar at its points and bars at the
// others, and the legend's note counts the distinct draws.
func TestPlotsOneDistinctDraw(t *testing.T) {
	single := sizeComparison(2, []float64{0.9, 0.9, 0.9}, []float64{0.5, 0.5, 0.5})
	single.Repeats = []int{1, 2}
	p, err := TrainTest(single, []float64{1, 4}, "one draw", "hidden layers")
	if err != nil {
		t.Fatalf("TrainTest with one distinct draw: %v", err)
	}
	if len(plotstest.Find(plotstest.Render(t, p), "bars: 95 % interval (t, 1 draws)")) != 0 {
		t.Error("a note on bars where no bar is drawn")
	}
	sizes := []*fewshot.Comparison{single, sizeComparison(30, []float64{0.99, 1, 0.98}, []float64{0.8, 0.9, 0.85})}
	p, err = AccuracyBySize(sizes, "first size one draw")
	if err != nil {
		t.Fatalf("AccuracyBySize with one distinct draw at the first size: %v", err)
	}
	if len(plotstest.Find(plotstest.Render(t, p), "bars: 95 % interval (t, 3 draws)")) == 0 {
		t.Error("no note on the bars drawn at the second size")
	}
	series, err := sizeSeries(sizes)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range series {
		points, errs := s.bars()
		if len(points) != 1 || points[0].X != 30 || len(errs) != 1 || math.IsNaN(errs[0].Low) || math.IsNaN(errs[0].High) {
			t.Errorf("%s: bars at %v (%v), want one, at 30 per class", s.name, points, errs)
		}
	}
}
