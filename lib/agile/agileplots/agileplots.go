// Package agileplots draws the results of the agile loop (lib/agile): the
// scores a classifier gives an archive's windows, and where a validation
// sample stratified by score checks them. Numbers come from lib/agile; the
// look (palette, sizes) from lib/plots.
package agileplots

import (
	"fmt"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/dawnchorus/dawnchorus/lib/agile"
	"github.com/dawnchorus/dawnchorus/lib/plots"
)

// binCounts counts the scores (in [0, 1]) in numBins equal bins of [0, 1],
// the last one closed.
func binCounts(scores []float64, numBins int) []float64 {
	counts := make([]float64, numBins)
	for _, s := range scores {
		counts[min(numBins-1, max(0, int(s*float64(numBins))))]++
	}
	return counts
}

// ScoreHistogram draws how many of the archive's windows fall in each of
// numBins equal score bins of [0, 1] and, when sample is not nil, how many of
// its windows, with its strata's inner edges as dashed lines: most windows
// score low and few high, and a sample stratified by score checks both. The legend
// goes beside the data area (plots.AddLegend), never over the bins.
// scores are the classifier's, one per window; the archive's windows that the
// sample leaves out count in the first histogram too.
func ScoreHistogram(scores []float64, sample *agile.ValidationSample, numBins int, title string) (*plot.Plot, error) {
	if numBins < 1 {
		return nil, fmt.Errorf("agileplots: %d bins, want at least 1", numBins)
	}
	for i, s := range scores {
		if !(s >= 0 && s <= 1) {
			return nil, fmt.Errorf("agileplots: score %d is %g, outside [0, 1]", i, s)
		}
	}
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "score"
	p.Y.Label.Text = "windows"
	width := 1 / float64(numBins)
	var legend []plots.LegendEntry
	histogram := func(values []float64, k int, name string) float64 {
		counts := binCounts(values, numBins)
		bins := make([]plotter.HistogramBin, numBins)
		tallest := 0.0
		for b := range bins {
			bins[b] = plotter.HistogramBin{Min: float64(b) * width, Max: float64(b+1) * width, Weight: counts[b]}
			tallest = max(tallest, counts[b])
		}
		h := &plotter.Histogram{Bins: bins, Width: width, FillColor: plots.Faded(plots.Color(k), 0.45), LineStyle: plotter.DefaultLineStyle}
		h.LineStyle.Color = plots.Color(k)
		p.Add(h)
		legend = append(legend, plots.LegendEntry{Name: fmt.Sprintf("%s (%d)", name, len(values)),
			Thumbs: []plot.Thumbnailer{h}})
		return tallest
	}
	tallest := histogram(scores, 0, "all windows")
	if sample != nil {
		drawn := make([]float64, len(sample.Rows))
		for j, r := range sample.Rows {
			drawn[j] = r.Score
		}
		histogram(drawn, 1, "drawn for validation")
		for h, edge := range sample.Edges[1 : len(sample.Edges)-1] {
			line, err := plotter.NewLine(plotter.XYs{{X: edge, Y: 0}, {X: edge, Y: 1.05 * tallest}})
			if err != nil {
				return nil, err
			}
			line.LineStyle = plots.Line(2)
			line.LineStyle.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
			p.Add(line)
			if h == 0 {
				legend = append(legend, plots.LegendEntry{Name: "strata edges",
					Thumbs: []plot.Thumbnailer{line}})
			}
		}
	}
	p.X.Min, p.X.Max = 0, 1
	p.Y.Min, p.Y.Max = 0, 1.05*max(tallest, 1)
	plots.AddLegend(p, legend)
	return p, nil
}

// MustScoreHistogram is ScoreHistogram, panicking on error (for notebooks).
func MustScoreHistogram(scores []float64, sample *agile.ValidationSample, numBins int, title string) *plot.Plot {
	p, err := ScoreHistogram(scores, sample, numBins, title)
	if err != nil {
		panic(err)
	}
	return p
}
