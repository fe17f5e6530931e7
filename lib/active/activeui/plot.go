package activeui

import (
	"errors"
	"fmt"
	"image/color"

	"github.com/dawnchorus/dawnchorus/lib/metrics"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
)

// PlotCurves draws labels spent (x) against each curve's mean metric (y) — learning
// curves of active learning (active.Compare) or of transfer learning — one line per
// strategy with a point per round, and a light band from the lowest to the highest run
// when a curve averages several runs. All curves must have the same metric. Show the plot
// with lib/plots.
func PlotCurves(curves []metrics.LearningCurve, title string) (*plot.Plot, error) {
	if len(curves) == 0 {
		return nil, errors.New("activeui: PlotCurves: no curves")
	}
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = "labels spent"
	p.Y.Label.Text = curves[0].Metric
	p.Add(plotter.NewGrid())
	p.Legend.Top = false
	p.Legend.Left = false
	for i, c := range curves {
		if c.Metric != curves[0].Metric {
			return nil, fmt.Errorf("activeui: PlotCurves: curve %q shows %v, curve %q %v", c.Name, c.Metric, curves[0].Name, curves[0].Metric)
		}
		if err := c.Check(); err != nil {
			return nil, fmt.Errorf("activeui: PlotCurves: %w", err)
		}
		n := len(c.LabelsSpent)
		col := plotutil.Color(i)
		if c.Runs > 1 {
			band := make(plotter.XYs, 0, 2*n)
			for k := range n {
				band = append(band, plotter.XY{X: c.LabelsSpent[k], Y: c.Max[k]})
			}
			for k := n - 1; k >= 0; k-- {
				band = append(band, plotter.XY{X: c.LabelsSpent[k], Y: c.Min[k]})
			}
			poly, err := plotter.NewPolygon(band)
			if err != nil {
				return nil, fmt.Errorf("activeui: PlotCurves: curve %q: %w", c.Name, err)
			}
			r, g, b, _ := col.RGBA()
			poly.Color = color.NRGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), 48}
			poly.LineStyle.Width = 0
			p.Add(poly)
		}
		points := make(plotter.XYs, n)
		for k := range n {
			points[k] = plotter.XY{X: c.LabelsSpent[k], Y: c.Mean[k]}
		}
		line, dots, err := plotter.NewLinePoints(points)
		if err != nil {
			return nil, fmt.Errorf("activeui: PlotCurves: curve %q: %w", c.Name, err)
		}
		line.Color, line.Width = col, vg.Points(1.5)
		dots.Color, dots.Shape, dots.Radius = col, plotutil.Shape(i), vg.Points(2)
		p.Add(line, dots)
		name := c.Name
		if c.Runs > 1 {
			name = fmt.Sprintf("%s (mean of %d runs)", c.Name, c.Runs)
		}
		p.Legend.Add(name, line, dots)
	}
	return p, nil
}

// MustPlotCurves is PlotCurves for notebook cells: it panics on error.
func MustPlotCurves(curves []metrics.LearningCurve, title string) *plot.Plot {
	p, err := PlotCurves(curves, title)
	if err != nil {
		panic(err)
	}
	return p
}
