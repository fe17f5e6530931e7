package fewshotplots

import (
	"errors"
	"fmt"
	"math"
	"strconv"

	"github.com/dawnchorus/dawnchorus/lib/fewshot"
	"github.com/dawnchorus/dawnchorus/lib/plots"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// series is one line of an accuracy plot: means at xs, with 95 % interval bounds when
// lower and upper are set.
type series struct {
	name                 string
	xs, ys, lower, upper []float64
}

// bars returns the points of s that have both bounds, and their distances below and
// above the mean: a NaN bound (an interval over a single distinct draw) gets no bar.
func (s series) bars() (plotter.XYs, plotter.YErrors) {
	var points plotter.XYs
	var errs plotter.YErrors
	for i := range s.lower {
		if math.IsNaN(s.lower[i]) || math.IsNaN(s.upper[i]) {
			continue
		}
		points = append(points, plotter.XY{X: s.xs[i], Y: s.ys[i]})
		errs = append(errs, struct{ Low, High float64 }{s.ys[i] - s.lower[i], s.upper[i] - s.ys[i]})
	}
	return points, errs
}

// accuracyPlot draws lines, each in plots.Color(k) with its markers, and a vertical bar
// from the lower to the upper bound at every point of a line that has bounds (none where
// a bound is NaN: an interval over a single distinct draw, which has no spread); the legend
// (plots.AddLegend, beside the data) ends with what the bars are. x is ticked at the
// values of xs, on a log scale when they span more than a factor of 10; y is an accuracy
// on [0, 1].
func accuracyPlot(lines []series, title, xLabel, barsNote string) (*plot.Plot, error) {
	p := plot.New()
	p.Title.Text, p.X.Label.Text, p.Y.Label.Text = title, xLabel, "accuracy"
	p.Y.Min, p.Y.Max = 0, 1
	p.Add(plotter.NewGrid())
	var legend []plots.LegendEntry
	bars := false
	for k, s := range lines {
		points := make(plotter.XYs, len(s.xs))
		for i := range s.xs {
			points[i] = plotter.XY{X: s.xs[i], Y: s.ys[i]}
		}
		line, dots, err := plotter.NewLinePoints(points)
		if err != nil {
			return nil, fmt.Errorf("fewshotplots: %s: %w", s.name, err)
		}
		line.LineStyle = plots.Line(k)
		dots.GlyphStyle = plots.Glyph(k, vg.Points(2.5))
		p.Add(line, dots)
		if barPoints, errs := s.bars(); len(barPoints) > 0 {
			bar, err := plotter.NewYErrorBars(struct {
				plotter.XYs
				plotter.YErrors
			}{barPoints, errs})
			if err != nil {
				return nil, fmt.Errorf("fewshotplots: %s: %w", s.name, err)
			}
			bar.LineStyle = plots.Line(k)
			bar.LineStyle.Width = vg.Points(1)
			bar.LineStyle.Dashes = nil
			bar.CapWidth = vg.Points(5)
			p.Add(bar)
			bars = true
		}
		legend = append(legend, plots.LegendEntry{Name: s.name, Thumbs: []plot.Thumbnailer{line, dots}})
	}
	if bars {
		legend = append(legend, plots.LegendEntry{Name: barsNote})
	}
	var ticks []plot.Tick
	seen := map[float64]bool{}
	lo, hi := 0.0, 0.0
	for _, s := range lines {
		for _, x := range s.xs {
			if !seen[x] {
				seen[x] = true
				ticks = append(ticks, plot.Tick{Value: x, Label: strconv.FormatFloat(x, 'f', -1, 64)})
				if len(seen) == 1 || x < lo {
					lo = x
				}
				hi = max(hi, x)
			}
		}
	}
	if lo > 0 && hi > 10*lo {
		p.X.Scale = plot.LogScale{}
	}
	p.X.Tick.Marker = plot.ConstantTicks(ticks)
	plots.AddLegend(p, legend)
	return p, nil
}

// AccuracyBySize draws CompareSizes' comparisons: for each feature set, its mean test
// accuracy against the training clips per class, with a bar at every size for the 95 %
// Student t interval over the draws (Comparison.Interval), the interval SizesTable
// prints (no bar at a size with a single distinct draw). The comparisons must hold the same feature sets, in the same order.
func AccuracyBySize(comparisons []*fewshot.Comparison, title string) (*plot.Plot, error) {
	if len(comparisons) == 0 {
		return nil, errors.New("fewshotplots: AccuracyBySize: no comparisons")
	}
	lines, err := sizeSeries(comparisons)
	if err != nil {
		return nil, err
	}
	// The note counts the distinct draws of the sizes that have bars (two or more).
	fewest, most := 0, 0
	for _, c := range comparisons {
		if draws := len(c.Seeds) - len(c.Repeats); draws >= 2 {
			if fewest == 0 || draws < fewest {
				fewest = draws
			}
			most = max(most, draws)
		}
	}
	draws := strconv.Itoa(most)
	if fewest != most {
		draws = fmt.Sprintf("%d–%d", fewest, most)
	}
	p, err := accuracyPlot(lines, title, "training clips per class", fmt.Sprintf("bars: 95 %% interval (t, %s draws)", draws))
	if err != nil {
		return nil, err
	}
	p.Y.Label.Text = "test accuracy"
	return p, nil
}

// MustAccuracyBySize is AccuracyBySize that panics on an error, for notebooks.
func MustAccuracyBySize(comparisons []*fewshot.Comparison, title string) *plot.Plot {
	p, err := AccuracyBySize(comparisons, title)
	if err != nil {
		panic(err)
	}
	return p
}

// TrainTest draws a comparison of several settings of one classifier
// (fewshot.CompareClassifiers, result k at setting xs[k]: hidden units, layers) as two
// lines, the mean accuracy on the training clips and on the test clips, the test line with
// a bar for its 95 % Student t interval over the draws (Comparison.Interval): the gap
// between the two lines is overfitting.
func TrainTest(c *fewshot.Comparison, xs []float64, title, xLabel string) (*plot.Plot, error) {
	if len(xs) != len(c.Results) || len(xs) == 0 {
		return nil, fmt.Errorf("fewshotplots: TrainTest: %d settings for %d results", len(xs), len(c.Results))
	}
	train := series{name: "training clips", xs: xs}
	test := series{name: "test clips", xs: xs}
	for k, r := range c.Results {
		iv, err := c.Interval(k)
		if err != nil {
			return nil, fmt.Errorf("fewshotplots: TrainTest: %w", err)
		}
		train.ys = append(train.ys, r.TrainMean)
		test.ys, test.lower, test.upper = append(test.ys, iv.Estimate), append(test.lower, iv.Lower), append(test.upper, iv.Upper)
	}
	p, err := accuracyPlot([]series{train, test}, title, xLabel, fmt.Sprintf("bars: 95 %% interval (t, %d draws)", len(c.Seeds)-len(c.Repeats)))
	if err != nil {
		return nil, err
	}
	p.Y.Max = 1.05
	return p, nil
}

// MustTrainTest is TrainTest that panics on an error, for notebooks.
func MustTrainTest(c *fewshot.Comparison, xs []float64, title, xLabel string) *plot.Plot {
	p, err := TrainTest(c, xs, title, xLabel)
	if err != nil {
		panic(err)
	}
	return p
}

// Strengths draws, for each named quantity, the strength |r| of every embedding
// dimension's correlation with it, strongest first (fewshot.Strengths): a curve that
// falls at once means one dimension stands out, a flat low one that none does. x runs
// over the dimensions, ticked at the first, the last and every quarter; y is |r| on [0, 1].
func Strengths(names []string, strengths []fewshot.DimensionStrengths, title string) (*plot.Plot, error) {
	if len(names) != len(strengths) || len(names) == 0 {
		return nil, fmt.Errorf("fewshotplots: Strengths: %d names for %d curves", len(names), len(strengths))
	}
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text, p.Y.Label.Text = "embedding dimensions, strongest first", "|correlation|"
	p.Y.Min, p.Y.Max = 0, 1
	var legend []plots.LegendEntry
	dims := 0
	for k, s := range strengths {
		points := make(plotter.XYs, len(s))
		for d, v := range s {
			points[d] = plotter.XY{X: float64(d + 1), Y: v}
		}
		line, err := plotter.NewLine(points)
		if err != nil {
			return nil, fmt.Errorf("fewshotplots: Strengths: %s: %w", names[k], err)
		}
		line.LineStyle = plots.Line(k)
		p.Add(line)
		legend = append(legend, plots.LegendEntry{Name: names[k], Thumbs: []plot.Thumbnailer{line}})
		dims = max(dims, len(s))
	}
	ticks := []plot.Tick{{Value: 1, Label: "1"}}
	for q := 1; q <= 4 && dims >= 4; q++ {
		ticks = append(ticks, plot.Tick{Value: float64(q * dims / 4), Label: strconv.Itoa(q * dims / 4)})
	}
	p.X.Tick.Marker = plot.ConstantTicks(ticks)
	plots.AddLegend(p, legend)
	return p, nil
}

// MustStrengths is Strengths that panics on an error, for notebooks.
func MustStrengths(names []string, strengths []fewshot.DimensionStrengths, title string) *plot.Plot {
	p, err := Strengths(names, strengths, title)
	if err != nil {
		panic(err)
	}
	return p
}

// sizeSeries turns comparisons at several sizes into one series per feature set.
func sizeSeries(comparisons []*fewshot.Comparison) ([]series, error) {
	lines := make([]series, len(comparisons[0].Results))
	for k, r := range comparisons[0].Results {
		lines[k].name = r.Name
	}
	for _, c := range comparisons {
		if len(c.Results) != len(lines) {
			return nil, fmt.Errorf("fewshotplots: AccuracyBySize: %d per class has %d results, the first %d", c.PerClass, len(c.Results), len(lines))
		}
		for k := range c.Results {
			iv, err := c.Interval(k)
			if err != nil {
				return nil, fmt.Errorf("fewshotplots: AccuracyBySize: %d per class: %w", c.PerClass, err)
			}
			s := &lines[k]
			s.xs = append(s.xs, float64(c.PerClass))
			s.ys, s.lower, s.upper = append(s.ys, iv.Estimate), append(s.lower, iv.Lower), append(s.upper, iv.Upper)
		}
	}
	return lines, nil
}
