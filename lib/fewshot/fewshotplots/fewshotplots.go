// Package fewshotplots draws the figures of the transfer-learning lesson as
// gonum plots: a weight matrix as a heat map (a classifier's class-specific
// weights) and the decision regions of a classifier on a 2-D problem. It
// computes nothing but the grid of predictions it draws; show the plots with
// lib/plots. It is kept out of lib/fewshot so that the numeric package does
// not import plotting code.
package fewshotplots

import (
	"fmt"
	"image/color"
	"math"
	"slices"

	"github.com/dawnchorus/dawnchorus/lib/classify"
	"github.com/dawnchorus/dawnchorus/lib/plots"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/moreland"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// grid is a [][]float64 as a plotter.GridXYZ: row r is drawn at y = rows−1−r
// (top to bottom), column c at x = c.
type grid [][]float64

func (g grid) Dims() (c, r int)   { return len(g[0]), len(g) }
func (g grid) Z(c, r int) float64 { return g[len(g)-1-r][c] }
func (g grid) X(c int) float64    { return float64(c) }
func (g grid) Y(r int) float64    { return float64(r) }

// Heatmap draws values (rows × columns) as a heat map with a diverging
// colour scale centred on 0 (blue negative, red positive), rows from top to
// bottom, and a colour bar from −m to m beside it (m the largest magnitude),
// labelled valueLabel: what the values are, with their unit ("weight", "r",
// "level (dB)"); rowNames label the rows when given (nil: row numbers).
func Heatmap(values [][]float64, rowNames []string, title, xLabel, yLabel, valueLabel string) (*plot.Plot, error) {
	if len(values) == 0 || len(values[0]) == 0 {
		return nil, fmt.Errorf("fewshotplots: empty matrix")
	}
	limit := 0.0
	for r, row := range values {
		if len(row) != len(values[0]) {
			return nil, fmt.Errorf("fewshotplots: row %d has %d values, want %d", r, len(row), len(values[0]))
		}
		for _, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("fewshotplots: row %d holds %v", r, v)
			}
			limit = math.Max(limit, math.Abs(v))
		}
	}
	if rowNames != nil && len(rowNames) != len(values) {
		return nil, fmt.Errorf("fewshotplots: %d row names for %d rows", len(rowNames), len(values))
	}
	if limit == 0 {
		limit = 1
	}
	colours := moreland.SmoothBlueRed()
	colours.SetMin(-limit)
	colours.SetMax(limit)
	heat := plotter.NewHeatMap(grid(values), colours.Palette(255))
	heat.Min, heat.Max = -limit, limit
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	p.Add(heat)
	if rowNames != nil {
		var ticks []plot.Tick
		for r, name := range rowNames {
			ticks = append(ticks, plot.Tick{Value: float64(len(values) - 1 - r), Label: name})
		}
		p.Y.Tick.Marker = plot.ConstantTicks(ticks)
	}
	bar := plots.PaletteColor(heat.Palette.Colors(), -limit, limit)
	if err := plots.ColorBar(p, bar, -limit, limit, valueLabel); err != nil {
		return nil, fmt.Errorf("fewshotplots: %w", err)
	}
	return p, nil
}

// RegionOptions labels a DecisionRegions plot.
type RegionOptions struct {
	// Title heads the plot.
	Title string
	// XLabel and YLabel name the two features; "" means "feature 1" and "feature 2".
	XLabel, YLabel string
	// ClassNames name the classes in the legend, by class index; nil means "class 0",
	// "class 1", ….
	ClassNames []string
	// Steps is the grid's resolution per axis; under 2 means 100.
	Steps int
}

// DecisionRegions fits nothing: it colours a steps × steps grid over the
// points' range (plus a margin) by the class model predicts there, then draws
// the points, coloured and shaped by their class (plots.Color, plots.Shape),
// with both features' axis labels and a legend beside the plot giving each
// class's marker and region colour. model must be fitted on 2 features and
// single labels.
func DecisionRegions(model classify.Classifier, points [][]float32, classes []int, o RegionOptions) (*plot.Plot, error) {
	if len(points) == 0 || len(points) != len(classes) {
		return nil, fmt.Errorf("fewshotplots: %d points for %d classes", len(points), len(classes))
	}
	steps := o.Steps
	if steps < 2 {
		steps = 100
	}
	numClasses := slices.Max(classes) + 1
	if slices.Min(classes) < 0 {
		return nil, fmt.Errorf("fewshotplots: class %d: classes are numbered from 0", slices.Min(classes))
	}
	names := o.ClassNames
	if names == nil {
		for k := range numClasses {
			names = append(names, fmt.Sprintf("class %d", k))
		}
	}
	if len(names) < numClasses {
		return nil, fmt.Errorf("fewshotplots: %d class names for classes 0–%d", len(names), numClasses-1)
	}
	minX, maxX, minY, maxY := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for i, p := range points {
		if len(p) != 2 {
			return nil, fmt.Errorf("fewshotplots: point %d has %d coordinates, want 2", i, len(p))
		}
		minX, maxX = math.Min(minX, float64(p[0])), math.Max(maxX, float64(p[0]))
		minY, maxY = math.Min(minY, float64(p[1])), math.Max(maxY, float64(p[1]))
	}
	mx, my := 0.05*(maxX-minX), 0.05*(maxY-minY)
	minX, maxX, minY, maxY = minX-mx, maxX+mx, minY-my, maxY+my
	var queries [][]float32
	for r := range steps {
		for c := range steps {
			queries = append(queries, []float32{
				float32(minX + (maxX-minX)*(float64(c)+0.5)/float64(steps)),
				float32(minY + (maxY-minY)*(float64(r)+0.5)/float64(steps)),
			})
		}
	}
	predicted, err := model.Predict(queries)
	if err != nil {
		return nil, fmt.Errorf("fewshotplots: %w", err)
	}
	if predicted.IsMulti() {
		return nil, fmt.Errorf("fewshotplots: DecisionRegions needs a single-label model")
	}
	p := plot.New()
	p.Title.Text = o.Title
	p.X.Label.Text, p.Y.Label.Text = o.XLabel, o.YLabel
	if o.XLabel == "" {
		p.X.Label.Text = "feature 1"
	}
	if o.YLabel == "" {
		p.Y.Label.Text = "feature 2"
	}
	cellW, cellH := (maxX-minX)/float64(steps), (maxY-minY)/float64(steps)
	regions := &cells{w: cellW, h: cellH}
	for i, q := range queries {
		regions.xy = append(regions.xy, plotter.XY{X: float64(q[0]), Y: float64(q[1])})
		regions.colour = append(regions.colour, region(predicted.Index[i]))
	}
	p.Add(regions)
	var legend []plots.LegendEntry
	for k := range numClasses {
		var xys plotter.XYs
		for i, c := range classes {
			if c == k {
				xys = append(xys, plotter.XY{X: float64(points[i][0]), Y: float64(points[i][1])})
			}
		}
		if xys == nil {
			continue
		}
		s, err := plotter.NewScatter(xys)
		if err != nil {
			return nil, err
		}
		s.GlyphStyle = plots.Glyph(k, 2.5)
		p.Add(s)
		legend = append(legend, plots.LegendEntry{Name: names[k], Thumbs: []plot.Thumbnailer{plots.BandThumbnail(region(k)), s}})
	}
	plots.AddLegend(p, legend)
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = minX, maxX, minY, maxY
	return p, nil
}

// region is the background colour of class k's region: its colour, 3 parts white to 1.
func region(k int) color.Color { return plots.Lighten(plots.Color(k), 0.75) }

// cells draws filled rectangles of size w × h centred on xy.
type cells struct {
	xy     plotter.XYs
	colour []color.Color
	w, h   float64
}

// Plot implements plot.Plotter.
func (c *cells) Plot(canvas draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&canvas)
	for i, q := range c.xy {
		// 3% wider and taller than the grid step, so that neighbours overlap
		// and no seam of background shows between them.
		x0, x1 := trX(q.X-0.515*c.w), trX(q.X+0.515*c.w)
		y0, y1 := trY(q.Y-0.515*c.h), trY(q.Y+0.515*c.h)
		rect := canvas.ClipPolygonXY([]vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
		canvas.FillPolygon(c.colour[i], rect)
	}
}
