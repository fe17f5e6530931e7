package metricsplots

import (
	"errors"
	"fmt"
	"image/color"

	"github.com/dawnchorus/dawnchorus/lib/metrics"
	"github.com/dawnchorus/dawnchorus/lib/plots"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// LearningCurves draws learning curves (metrics.LearningCurve: lib/active's strategies
// compared, lib/transfer's methods by training-set size): labels spent (x) against each
// curve's mean metric (y), one line per curve with a point per round, in plots.Color(k) and plots.Shape(k) for curve k. A curve
// that averages several runs has a light band, in its colour, from the lowest to the
// highest run at each x; its legend entry shows the band with the line, and a last entry,
// a grey band, says what bands and lines are ("shaded: range of 5 runs; line: mean": the
// band runs from the lowest to the highest run). All curves must have the same metric. Show
// the plot with lib/plots.
func LearningCurves(curves []metrics.LearningCurve, title string) (*plot.Plot, error) {
	if len(curves) == 0 {
		return nil, errors.New("metricsplots: LearningCurves: no curves")
	}
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "labels spent"
	p.Y.Label.Text = curves[0].Metric
	p.Add(plotter.NewGrid())
	runs := map[int]bool{} // the numbers of runs of curves with a band
	var legend []plots.LegendEntry
	for _, c := range curves {
		if c.Runs > 1 {
			runs[c.Runs] = true
		}
	}
	for i, c := range curves {
		if c.Metric != curves[0].Metric {
			return nil, fmt.Errorf("metricsplots: LearningCurves: curve %q shows %v, curve %q %v", c.Name, c.Metric, curves[0].Name, curves[0].Metric)
		}
		if err := c.Check(); err != nil {
			return nil, fmt.Errorf("metricsplots: LearningCurves: %w", err)
		}
		n := len(c.LabelsSpent)
		col := plots.Color(i)
		var band *plotter.Polygon
		if c.Runs > 1 {
			outline := make(plotter.XYs, 0, 2*n)
			for k := range n {
				outline = append(outline, plotter.XY{X: c.LabelsSpent[k], Y: c.Max[k]})
			}
			for k := n - 1; k >= 0; k-- {
				outline = append(outline, plotter.XY{X: c.LabelsSpent[k], Y: c.Min[k]})
			}
			poly, err := plotter.NewPolygon(outline)
			if err != nil {
				return nil, fmt.Errorf("metricsplots: LearningCurves: curve %q: %w", c.Name, err)
			}
			poly.Color = plots.Faded(col, 0.2)
			poly.LineStyle.Width = 0
			p.Add(poly)
			band = poly
		}
		points := make(plotter.XYs, n)
		for k := range n {
			points[k] = plotter.XY{X: c.LabelsSpent[k], Y: c.Mean[k]}
		}
		line, dots, err := plotter.NewLinePoints(points)
		if err != nil {
			return nil, fmt.Errorf("metricsplots: LearningCurves: curve %q: %w", c.Name, err)
		}
		line.LineStyle = plots.Line(i)
		dots.GlyphStyle = plots.Glyph(i, vg.Points(2))
		p.Add(line, dots)
		name, thumbs := c.Name, []plot.Thumbnailer{line, dots}
		if band != nil {
			thumbs = append([]plot.Thumbnailer{plots.BandThumbnail(band.Color)}, thumbs...)
			if len(runs) > 1 { // the note below cannot give one number
				name = fmt.Sprintf("%s (%d runs)", c.Name, c.Runs)
			}
		}
		legend = append(legend, plots.LegendEntry{Name: name, Thumbs: thumbs})
	}
	shaded := plots.BandThumbnail(plots.Faded(color.Gray{Y: 100}, 0.3))
	switch len(runs) {
	case 0:
	case 1:
		for n := range runs {
			legend = append(legend, plots.LegendEntry{Name: fmt.Sprintf("shaded: range of %d runs; line: mean", n), Thumbs: []plot.Thumbnailer{shaded}})
		}
	default:
		legend = append(legend, plots.LegendEntry{Name: "shaded: range of the runs; line: mean", Thumbs: []plot.Thumbnailer{shaded}})
	}
	// Beside the data, or above it where that would take more than a quarter of the width
	// (long names, a Grid's narrow tiles).
	plots.AddLegend(p, legend)
	return p, nil
}

// MustLearningCurves is LearningCurves for notebook cells: it panics on error.
func MustLearningCurves(curves []metrics.LearningCurve, title string) *plot.Plot {
	p, err := LearningCurves(curves, title)
	if err != nil {
		panic(err)
	}
	return p
}
