package fewshotplots

import (
	"github.com/dawnchorus/dawnchorus/lib/dataset"
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/classify"
	"github.com/dawnchorus/dawnchorus/lib/plots"
	"github.com/dawnchorus/dawnchorus/lib/plots/plotstest"
)

// TestHeatmap checks the grid's orientation (row 0 on top) and that bad
// matrices are refused.
func TestHeatmap(t *testing.T) {
	g := grid{{1, 2, 3}, {4, 5, 6}}
	if c, r := g.Dims(); c != 3 || r != 2 {
		t.Errorf("Dims = %d, %d; want 3 columns, 2 rows", c, r)
	}
	if g.Z(0, 1) != 1 || g.Z(2, 0) != 6 {
		t.Errorf("Z(0, 1) = %g (want the top-left 1), Z(2, 0) = %g (want the bottom-right 6)", g.Z(0, 1), g.Z(2, 0))
	}
	p, err := Heatmap([][]float64{{-1, 0.5}, {0.25, 2}}, []string{"a", "b"}, "weights", "feature", "class", "weight")
	if err != nil {
		t.Fatal(err)
	}
	svg, err := plots.Encode(p, "svg")
	if err != nil || !strings.Contains(string(svg), "weights") {
		t.Errorf("SVG: %v", err)
	}
	// A colour bar from −2 to 2 (the largest magnitude) beside the map, labelled with what
	// the values are.
	texts, _ := plotstest.Texts(svg)
	data := plots.DataArea(p)
	for _, want := range []string{"-2", "2"} {
		found := false
		for _, e := range plotstest.Find(texts, want) {
			found = found || e.X > data.Max.X.Points()
		}
		if !found {
			t.Errorf("no colour-bar label %q beside the heat map", want)
		}
	}
	if labels := plotstest.Find(texts, "weight"); len(labels) != 1 || !labels[0].Rotated {
		t.Errorf("colour bar label %q: found %+v, want one, turned along the bar", "weight", labels)
	}
	for name, values := range map[string][][]float64{"empty": nil, "ragged": {{1, 2}, {3}}} {
		if _, err := Heatmap(values, nil, "", "", "", ""); err == nil {
			t.Errorf("%s matrix: no error", name)
		}
	}
	if _, err := Heatmap([][]float64{{1}}, []string{"a", "b"}, "", "", "", ""); err == nil {
		t.Error("2 names for 1 row: no error")
	}
}

// TestDecisionRegions draws the regions of a logistic regression fitted on
// two separated clusters and refuses bad points.
func TestDecisionRegions(t *testing.T) {
	points := [][]float32{{0, 0}, {0, 1}, {1, 0}, {5, 5}, {5, 6}, {6, 5}}
	classes := []int{0, 0, 0, 1, 1, 1}
	model := classify.NewLogisticRegression(classify.LogisticOptions{})
	if err := model.Fit(points, dataset.SingleLabel(classes, 2)); err != nil {
		t.Fatal(err)
	}
	p, err := DecisionRegions(model, points, classes, RegionOptions{Title: "two clusters", ClassNames: []string{"near", "far"}, Steps: 20})
	if err != nil {
		t.Fatal(err)
	}
	// Axis labels, and a class legend beside the regions.
	texts := plotstest.Render(t, p)
	data := plots.DataArea(p)
	for _, want := range []string{"feature 1", "feature 2", "near", "far"} {
		if len(plotstest.Find(texts, want)) != 1 {
			t.Errorf("no text %q", want)
		}
	}
	for _, name := range []string{"near", "far"} {
		if e := plotstest.Find(texts, name); len(e) == 1 && e[0].X <= data.Max.X.Points() {
			t.Errorf("legend entry %q at x %.1f, over the regions (they end at %.1f)", name, e[0].X, data.Max.X.Points())
		}
	}
	if p.X.Min >= 0 || p.X.Max <= 6 {
		t.Errorf("x range %g–%g does not hold the points with a margin", p.X.Min, p.X.Max)
	}
	if _, err := DecisionRegions(model, [][]float32{{1, 2, 3}}, []int{0}, RegionOptions{}); err == nil {
		t.Error("a 3-D point: no error")
	}
	if _, err := DecisionRegions(model, points, classes[:2], RegionOptions{}); err == nil {
		t.Error("6 points, 2 classes: no error")
	}
	if _, err := DecisionRegions(model, points, classes, RegionOptions{ClassNames: []string{"one"}}); err == nil {
		t.Error("1 name for 2 classes: no error")
	}
}
