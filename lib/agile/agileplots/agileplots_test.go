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

// The legend is drawn by plots.AddLegend, like the other plot packages': outside the data
// area (beside it, or above it where three entries beside would take the data's width),
// inside the figure, once per entry, in the legend's font size, and the x axis keeps the
// scores' range [0, 1] (a legend inside would cover the tallest bins at low scores). The
// data keep at least 60 % of the figure's width, lib/plots' rule for AddLegend (three
// entries beside the data in their own column left them 58 %).
func TestScoreHistogramLegendBesideData(t *testing.T) {
	scores := []float64{0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.6, 0.9, 0.95}
	sample := &agile.ValidationSample{Edges: []float64{0, 0.5, 1}, Windows: []int{6, 3},
		Rows: []agile.SampledWindow{{Key: embed.Key{File: "a.wav"}, Score: 0.05},
			{Key: embed.Key{File: "b.wav"}, Score: 0.9}}}
	for _, tc := range []struct {
		name    string
		sample  *agile.ValidationSample
		entries []string
	}{
		{"with a sample", sample, []string{"all windows (9)", "drawn for validation (2)", "strata edges"}},
		{"alone", nil, []string{"all windows (9)"}},
	} {
		p, err := ScoreHistogram(scores, tc.sample, 10, "Scores of bird")
		if err != nil {
			t.Fatal(err)
		}
		texts := plotstest.Render(t, p)
		data := plots.DataArea(p)
		for _, name := range tc.entries {
			found := plotstest.Find(texts, name)
			if len(found) != 1 {
				t.Fatalf("%s: legend entry %q drawn %d times, want once", tc.name, name, len(found))
			}
			e := found[0]
			beside := e.X > data.Max.X.Points()
			above := e.Y > data.Max.Y.Points()
			inFigure := e.X >= 0 && e.Right() <= plots.DefaultWidth.Points() &&
				e.Y <= plots.DefaultHeight.Points()
			if !(beside || above) || !inFigure {
				t.Errorf("%s: legend entry %q at x %.1f–%.1f, y %.1f pt: want outside the data area (x %.1f–%.1f, y %.1f–%.1f), in the %.1f × %.1f pt figure",
					tc.name, name, e.X, e.Right(), e.Y, data.Min.X.Points(), data.Max.X.Points(),
					data.Min.Y.Points(), data.Max.Y.Points(), plots.DefaultWidth.Points(), plots.DefaultHeight.Points())
			}
			if e.Size != plots.LegendFontSize {
				t.Errorf("%s: legend entry %q in %v pt, want %v", tc.name, name, e.Size, plots.LegendFontSize)
			}
		}
		if share := (data.Max.X - data.Min.X) / plots.DefaultWidth; share < 0.6 {
			t.Errorf("%s: the data area is %.0f %% of the figure's width, want at least 60 %%", tc.name, 100*share)
		}
		if p.X.Min != 0 || p.X.Max != 1 {
			t.Errorf("%s: x axis %g–%g, want 0–1", tc.name, p.X.Min, p.X.Max)
		}
	}
}
