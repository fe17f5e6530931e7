package agileplots

import (
	"bytes"
	"encoding/xml"
	"math"
	"slices"
	"testing"

	"github.com/dawnchorus/dawnchorus/lib/agile"
	"github.com/dawnchorus/dawnchorus/lib/embed"
	"github.com/dawnchorus/dawnchorus/lib/plots"
	"github.com/dawnchorus/dawnchorus/lib/plots/plotstest"
)

func TestBinCounts(t *testing.T) {
	tests := []struct {
		scores []float64
		bins   int
		want   []float64
	}{
		{[]float64{0, 0.1, 0.24, 0.25, 0.99, 1}, 4, []float64{3, 1, 0, 2}},
		{[]float64{0.5, 0.5}, 2, []float64{0, 2}},
		{nil, 3, []float64{0, 0, 0}},
		{[]float64{0.3, 1}, 1, []float64{2}},
	}
	for _, tc := range tests {
		if got := binCounts(tc.scores, tc.bins); !slices.Equal(got, tc.want) {
			t.Errorf("binCounts(%v, %d) = %v, want %v", tc.scores, tc.bins, got, tc.want)
		}
	}
}

func TestScoreHistogram(t *testing.T) {
	scores := []float64{0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.6, 0.9, 0.95}
	sample := &agile.ValidationSample{Edges: []float64{0, 0.5, 1}, Windows: []int{6, 3},
		Rows: []agile.SampledWindow{{Key: embed.Key{File: "a.wav"}, Score: 0.05}, {Key: embed.Key{File: "b.wav"}, Score: 0.9}}}
	p, err := ScoreHistogram(scores, sample, 10, "Scores of bird")
	if err != nil {
		t.Fatal(err)
	}
	svg, err := plots.Encode(p, "svg")
	if err != nil {
		t.Fatal(err)
	}
	texts, err := plotstest.Texts(svg)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tx := range texts {
		got = append(got, tx.Text)
	}
	for _, want := range []string{"Scores of bird", "score", "windows", "all windows (9)", "drawn for validation (2)", "strata edges"} {
		var esc bytes.Buffer
		xml.EscapeText(&esc, []byte(want))
		if !slices.Contains(got, want) && !slices.Contains(got, esc.String()) {
			t.Errorf("figure lacks %q; has %q", want, got)
		}
	}
	if math.Abs(p.Y.Max-1.05*3) > 1e-12 || p.X.Min != 0 || p.X.Max != 1 {
		t.Errorf("axes: x %g–%g, y max %g; want 0–1 and 1.05 × the tallest bin (3: 0.01, 0.02, 0.05)", p.X.Min, p.X.Max, p.Y.Max)
	}
	// Without a sample: one histogram, no edges.
	alone, err := ScoreHistogram(scores, nil, 4, "")
	if err != nil {
		t.Fatal(err)
	}
	if svg, _ := plots.Encode(alone, "svg"); bytes.Contains(svg, []byte("strata edges")) {
		t.Error("edges drawn without a sample")
	}
	for _, bad := range [][]float64{{math.NaN()}, {1.5}, {-0.1}} {
		if _, err := ScoreHistogram(bad, nil, 4, ""); err == nil {
			t.Errorf("scores %v accepted", bad)
		}
	}
	if _, err := ScoreHistogram(scores, nil, 0, ""); err == nil {
		t.Error("0 bins accepted")
	}
}
