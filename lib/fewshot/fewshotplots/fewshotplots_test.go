package fewshotplots

import (
	"strings"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/classify"
	"github.com/dawnchorus/dawnchorus/lib/plots"
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
	p, err := Heatmap([][]float64{{-1, 0.5}, {0.25, 2}}, []string{"a", "b"}, "weights", "feature", "class")
	if err != nil {
		t.Fatal(err)
	}
	svg, err := plots.Encode(p, "svg")
	if err != nil || !strings.Contains(string(svg), "weights") {
		t.Errorf("SVG: %v", err)
	}
	for name, values := range map[string][][]float64{"empty": nil, "ragged": {{1, 2}, {3}}} {
		if _, err := Heatmap(values, nil, "", "", ""); err == nil {
			t.Errorf("%s matrix: no error", name)
		}
	}
	if _, err := Heatmap([][]float64{{1}}, []string{"a", "b"}, "", "", ""); err == nil {
		t.Error("2 names for 1 row: no error")
	}
}

// TestDecisionRegions draws the regions of a logistic regression fitted on
// two separated clusters and refuses bad points.
func TestDecisionRegions(t *testing.T) {
	points := [][]float32{{0, 0}, {0, 1}, {1, 0}, {5, 5}, {5, 6}, {6, 5}}
	classes := []int{0, 0, 0, 1, 1, 1}
	model := classify.NewLogisticRegression(classify.LogisticOptions{})
	if err := model.Fit(points, classify.SingleLabel(classes, 2)); err != nil {
		t.Fatal(err)
	}
	p, err := DecisionRegions(model, points, classes, "two clusters", 20)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := plots.Encode(p, "svg"); err != nil {
		t.Fatal(err)
	}
	if p.X.Min >= 0 || p.X.Max <= 6 {
		t.Errorf("x range %g–%g does not hold the points with a margin", p.X.Min, p.X.Max)
	}
	if _, err := DecisionRegions(model, [][]float32{{1, 2, 3}}, []int{0}, "", 10); err == nil {
		t.Error("a 3-D point: no error")
	}
	if _, err := DecisionRegions(model, points, classes[:2], "", 10); err == nil {
		t.Error("6 points, 2 classes: no error")
	}
}
