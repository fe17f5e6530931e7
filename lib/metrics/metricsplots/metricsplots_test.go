package metricsplots

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/metrics"
	"github.com/dawnchorus/dawnchorus/lib/plots"
	"github.com/dawnchorus/dawnchorus/lib/plots/plotstest"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
)

// A small multi-label problem: class 2 ("wren") never occurs, so its ROC curve is undefined.
var (
	scores = [][]float64{
		{0.9, 0.1, 0.3}, {0.2, 0.8, 0.4}, {0.7, 0.6, 0.2}, {0.1, 0.3, 0.1},
		{0.6, 0.2, 0.5}, {0.4, 0.9, 0.2},
	}
	labels = [][]int{{1, 0, 0}, {0, 1, 0}, {1, 0, 0}, {0, 1, 0}, {0, 0, 0}, {0, 1, 0}}
	names  = []string{"robin", "song thrush", "wren"}
)

// render draws p as SVG, checks it is an SVG document and returns its text.
func render(t *testing.T, p *plot.Plot) string {
	t.Helper()
	svg, err := plots.Encode(p, "svg")
	if err != nil {
		t.Fatal(err)
	}
	var root struct{ XMLName xml.Name }
	if err := xml.Unmarshal(svg, &root); err != nil || root.XMLName.Local != "svg" {
		t.Fatalf("not an SVG document: %v", err)
	}
	return string(svg)
}

func requireText(t *testing.T, svg string, want ...string) {
	t.Helper()
	for _, w := range want {
		// The SVG escapes text as XML.
		var escaped bytes.Buffer
		_ = xml.EscapeText(&escaped, []byte(w))
		if !strings.Contains(svg, escaped.String()) {
			t.Errorf("figure lacks the text %q", w)
		}
	}
}

func TestPlotsRender(t *testing.T) {
	rocs, err := metrics.ROCCurves(scores, labels)
	if err != nil {
		t.Fatal(err)
	}
	prs, err := metrics.PRCurves(scores, labels)
	if err != nil {
		t.Fatal(err)
	}
	classes := []int{0, 1, 0, 1, 2, 1}
	predicted, err := metrics.Argmax(scores)
	if err != nil {
		t.Fatal(err)
	}
	confusion, err := metrics.ConfusionMatrix(classes, predicted, 3)
	if err != nil {
		t.Fatal(err)
	}
	reliability, err := metrics.Reliability(metrics.Column(scores, 0), metrics.LabelColumn(labels, 0), 5)
	if err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name string
		make func() (*plot.Plot, error)
		want []string
	}{
		{"ROC", func() (*plot.Plot, error) { return ROCPlot(rocs, names) },
			[]string{"ROC curve", "false-positive rate", "true-positive rate", "chance", "robin", "song thrush", "wren (undefined)"}},
		{"ROC default names", func() (*plot.Plot, error) { return ROCPlot(rocs[:2], nil) },
			[]string{"class 0", "class 1"}},
		{"PR", func() (*plot.Plot, error) { return PRPlot(prs, names) },
			[]string{"Precision-recall curve", "recall", "precision", "robin", "wren (no positives)"}},
		{"confusion counts", func() (*plot.Plot, error) { return ConfusionHeatmap(confusion, names, false) },
			[]string{"Confusion matrix", "predicted class", "true class", "robin", "wren"}},
		{"confusion normalized", func() (*plot.Plot, error) { return ConfusionHeatmap(confusion, names, true) },
			[]string{"fraction of each true class", "1.00", "0.00", "fraction of the true class"}},
		{"confusion all zero", func() (*plot.Plot, error) { return ConfusionHeatmap([][]int{{0, 0}, {0, 0}}, nil, false) },
			[]string{"class 1"}},
		{"reliability", func() (*plot.Plot, error) { return ReliabilityDiagram(reliability, "robin") },
			[]string{"robin (ECE", "perfect calibration", "mean predicted probability", "fraction of positives"}},
		{"reliability without bins", func() (*plot.Plot, error) { return ReliabilityDiagram(metrics.ReliabilityCurve{}, "empty") },
			[]string{"ECE 0.000"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := tc.make()
			if err != nil {
				t.Fatal(err)
			}
			requireText(t, render(t, p), tc.want...)
		})
	}
}

// The confusion heat map labels each cell with its count: here 3 clips of class 0 all right.
func TestConfusionHeatmapCellLabels(t *testing.T) {
	p, err := ConfusionHeatmap([][]int{{3, 0}, {1, 7}}, []string{"a", "b"}, false)
	if err != nil {
		t.Fatal(err)
	}
	svg := render(t, p)
	for _, count := range []string{">3<", ">0<", ">1<", ">7<"} {
		if !strings.Contains(svg, count) {
			t.Errorf("no cell labelled %s", count)
		}
	}
}

func TestScoreHistograms(t *testing.T) {
	figures, err := ScoreHistograms(scores, labels, names, 5)
	if err != nil {
		t.Fatal(err)
	}
	if len(figures) != 3 {
		t.Fatalf("%d plots, want one per class (3)", len(figures))
	}
	requireText(t, render(t, figures[0]), "Scores for robin", "score", "fraction of clips", "present (2 clips)", "absent (4 clips)")
	requireText(t, render(t, figures[2]), "Scores for wren", "present (no clips)", "absent (6 clips)")
	// They lay out in a grid.
	if _, err := plots.Encode(plots.Grid{figures}, "svg"); err != nil {
		t.Fatal(err)
	}
	// Constant scores still get a bin.
	constant, err := ScoreHistograms([][]float64{{0.5}, {0.5}}, [][]int{{1}, {0}}, nil, 3)
	if err != nil {
		t.Fatal(err)
	}
	render(t, constant[0])
}

func TestErrors(t *testing.T) {
	rocs, _ := metrics.ROCCurves(scores, labels)
	tests := []struct {
		name string
		call func() error
		want string
	}{
		{"names count", func() error { _, err := ROCPlot(rocs, []string{"a"}); return err }, "1 class names for 3 classes"},
		{"ragged confusion", func() error { _, err := ConfusionHeatmap([][]int{{1, 2}, {3}}, nil, false); return err }, "row 1 has 1 columns, want 2"},
		{"empty confusion", func() error { _, err := ConfusionHeatmap(nil, nil, false); return err }, "empty confusion matrix"},
		{"zero bins", func() error { _, err := ScoreHistograms(scores, labels, nil, 0); return err }, "0 histogram bins"},
		{"bad label", func() error {
			_, err := ScoreHistograms([][]float64{{0.1}}, [][]int{{3}}, nil, 4)
			return err
		}, "labels[0][0] = 3"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := tc.call(); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

// TestThinCurve checks which points of a curve are drawn: a hand-made case, a small curve
// that must stay whole, and a ROC curve of 200,000 scores that must shrink to about 2/step
// points while no point left out lies farther than step from the last kept one.
func TestThinCurve(t *testing.T) {
	for _, tc := range []struct {
		name   string
		xs, ys []float64
		want   plotter.XYs
	}{
		{"close points dropped, ends kept",
			[]float64{0, 0.0001, 0.0002, 0.5, 0.5005, 1}, []float64{0, 0, 0.0005, 0.5, 0.5, 1},
			plotter.XYs{{X: 0, Y: 0}, {X: 0.5, Y: 0.5}, {X: 1, Y: 1}}},
		{"last point kept even when close",
			[]float64{0, 0.5, 0.5004}, []float64{0, 0.5, 0.5},
			plotter.XYs{{X: 0, Y: 0}, {X: 0.5, Y: 0.5}, {X: 0.5004, Y: 0.5}}},
		{"a step on one axis is enough",
			[]float64{0, 0, 0.0004}, []float64{0, 0.002, 0.002},
			plotter.XYs{{X: 0, Y: 0}, {X: 0, Y: 0.002}, {X: 0.0004, Y: 0.002}}},
		{"one point", []float64{0.3}, []float64{0.7}, plotter.XYs{{X: 0.3, Y: 0.7}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := thinCurve(tc.xs, tc.ys, 1e-3)
			if len(got) != len(tc.want) {
				t.Fatalf("got %v, want %v", got, tc.want)
			}
			for k := range got {
				if got[k] != tc.want[k] {
					t.Fatalf("got %v, want %v", got, tc.want)
				}
			}
		})
	}
	t.Run("small ROC curve unchanged", func(t *testing.T) {
		roc, err := metrics.ROCCurve(metrics.Column(scores, 0), metrics.LabelColumn(labels, 0))
		if err != nil {
			t.Fatal(err)
		}
		if got := thinCurve(roc.FalsePositiveRate, roc.TruePositiveRate, curveResolution); len(got) != len(roc.Thresholds) {
			t.Errorf("%d points drawn of %d", len(got), len(roc.Thresholds))
		}
	})
	t.Run("large ROC curve", func(t *testing.T) {
		rng := rand.New(rand.NewPCG(1, 2))
		n := 200000
		s, l := make([]float64, n), make([]int, n)
		for i := range s {
			l[i] = rng.IntN(2)
			s[i] = rng.NormFloat64() + 0.5*float64(l[i])
		}
		roc, err := metrics.ROCCurve(s, l)
		if err != nil {
			t.Fatal(err)
		}
		xs, ys := roc.FalsePositiveRate, roc.TruePositiveRate
		line, err := curveLine(xs, ys, 0) // what ROCPlot draws
		if err != nil {
			t.Fatal(err)
		}
		drawn := line.XYs
		// A ROC curve moves at most 2 in total (1 along each axis): at most 2/1e-3 + 2 points.
		if len(drawn) > 2002 || len(drawn) < 100 {
			t.Fatalf("%d of %d points drawn, want at most 2002", len(drawn), len(xs))
		}
		if drawn[0].X != xs[0] || drawn[0].Y != ys[0] || drawn[len(drawn)-1].X != xs[len(xs)-1] || drawn[len(drawn)-1].Y != ys[len(ys)-1] {
			t.Errorf("ends not kept: %v … %v", drawn[0], drawn[len(drawn)-1])
		}
		kept := 0
		for k := range xs {
			if kept+1 < len(drawn) && xs[k] == drawn[kept+1].X && ys[k] == drawn[kept+1].Y {
				kept++
				continue
			}
			if math.Abs(xs[k]-drawn[kept].X) >= 1e-3 || math.Abs(ys[k]-drawn[kept].Y) >= 1e-3 {
				t.Fatalf("point %d (%g, %g) left out, but %g, %g from the last kept point", k, xs[k], ys[k], xs[k]-drawn[kept].X, ys[k]-drawn[kept].Y)
			}
		}
	})
}

// Each bin of the reliability diagram is labelled with its count of clips, next to its point.
func TestReliabilityBinCounts(t *testing.T) {
	curve := metrics.ReliabilityCurve{ECE: 0.1, Bins: []metrics.ReliabilityBin{
		{Lower: 0, Upper: 0.5, Count: 37, MeanProbability: 0.2, FractionPositive: 0.1},
		{Lower: 0.5, Upper: 1, Count: 5, MeanProbability: 0.8, FractionPositive: 0.6},
	}}
	p, err := ReliabilityDiagram(curve, "logistic")
	if err != nil {
		t.Fatal(err)
	}
	texts := plotstest.Render(t, p)
	data := plots.DataArea(p)
	for _, b := range curve.Bins {
		found := plotstest.Find(texts, fmt.Sprint(b.Count))
		if len(found) != 1 {
			t.Fatalf("bin of %d clips: %d labels, want 1", b.Count, len(found))
		}
		x := data.Min.X.Points() + b.MeanProbability*(data.Max.X-data.Min.X).Points()
		if dx := found[0].X - x; dx < 0 || dx > 10 {
			t.Errorf("bin of %d clips: label at x %.1f, its point at %.1f: want just right of it", b.Count, found[0].X, x)
		}
	}
}

// Score histograms of all classes share one x range, the scores' overall minimum to maximum.
func TestScoreHistogramsShareXRange(t *testing.T) {
	figures, err := ScoreHistograms(scores, labels, names, 5)
	if err != nil {
		t.Fatal(err)
	}
	for c, p := range figures {
		if p.X.Min != 0.1 || p.X.Max != 0.9 {
			t.Errorf("class %d: x range [%v, %v], want all scores' [0.1, 0.9]", c, p.X.Min, p.X.Max)
		}
	}
}

// The ROC plot's legend stands beside the curves, with the AUROC-sized names inside the
// figure, and the confusion heat map has a colour bar of counts beside its cells.
func TestLegendAndColourBarBesideData(t *testing.T) {
	long := []string{"dysaeicola_phaeens (0.965)", "curyus_cryula (0.948)", "wren"}
	p, err := ROCPlot(rocsOf(t), long)
	if err != nil {
		t.Fatal(err)
	}
	svg, _ := plots.Encode(p, "svg")
	texts, _ := plotstest.Texts(svg)
	data := plots.DataArea(p)
	for _, name := range []string{"chance", long[0], long[1]} {
		found := plotstest.Find(texts, name)
		if len(found) != 1 || found[0].X <= data.Max.X.Points() || found[0].Right() > plots.DefaultWidth.Points() {
			t.Errorf("legend entry %q: %+v; want one, right of the data area (x > %.1f) and inside the figure", name, found, data.Max.X.Points())
		}
	}
	heat, err := ConfusionHeatmap([][]int{{30, 2}, {5, 40}}, []string{"a", "b"}, false)
	if err != nil {
		t.Fatal(err)
	}
	svg, _ = plots.Encode(heat, "svg")
	texts, _ = plotstest.Texts(svg)
	data = plots.DataArea(heat)
	if found := plotstest.Find(texts, "clips"); len(found) != 1 || !found[0].Rotated {
		t.Errorf("colour bar label \"clips\": %+v", found)
	}
	beside := 0
	for _, e := range texts {
		if !e.Rotated && e.X > data.Max.X.Points() {
			beside++
		}
	}
	if beside < 2 {
		t.Errorf("%d tick labels right of the cells, want a colour bar's (at least 2)", beside)
	}
}

func rocsOf(t *testing.T) []metrics.ROC {
	t.Helper()
	rocs, err := metrics.ROCCurves(scores, labels)
	if err != nil {
		t.Fatal(err)
	}
	return rocs
}
