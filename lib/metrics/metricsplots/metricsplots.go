package metricsplots

import (
	"fmt"
	"image/color"
	"math"
	"strconv"

	"github.com/dawnchorus/dawnchorus/lib/metrics"
	"github.com/dawnchorus/dawnchorus/lib/plots"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/palette/brewer"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
)

// classNames returns names, or "class 0", "class 1", … when names is nil, and checks the count.
func classNames(names []string, numClasses int) ([]string, error) {
	if names == nil {
		names = make([]string, numClasses)
		for c := range names {
			names[c] = fmt.Sprintf("class %d", c)
		}
		return names, nil
	}
	if len(names) != numClasses {
		return nil, fmt.Errorf("metricsplots: %d class names for %d classes", len(names), numClasses)
	}
	return names, nil
}

// unitSquare gives p axes on [0, 1] × [0, 1] with labels.
func unitSquare(p *plot.Plot, title, xLabel, yLabel string) {
	p.Title.Text = title
	p.X.Label.Text = xLabel
	p.Y.Label.Text = yLabel
	p.X.Min, p.X.Max = 0, 1
	p.Y.Min, p.Y.Max = 0, 1.02
	p.Add(plotter.NewGrid())
}

func hasNaN(values ...[]float64) bool {
	for _, vs := range values {
		for _, v := range vs {
			if math.IsNaN(v) {
				return true
			}
		}
	}
	return false
}

func curveLine(xs, ys []float64, i int) (*plotter.Line, error) {
	line, err := plotter.NewLine(thinCurve(xs, ys, curveResolution))
	if err != nil {
		return nil, err
	}
	line.LineStyle = plots.Line(i)
	return line, nil
}

// curveResolution is the finest detail drawn of a curve on the unit square: a tenth of a
// percent of an axis, below a pixel of any figure. A ROC curve of a million pairs has up to a
// million points; drawn as they are, they make a figure of megabytes that looks the same.
const curveResolution = 1e-3

// thinCurve returns the points (xs[k], ys[k]) of a curve, leaving out each point that lies
// within step of the last point kept on both axes; the first and last points are always
// kept. Every point left out is then within step (on each axis) of a kept point that the
// drawn line passes through, so the drawing moves by at most step. A curve of total
// variation V (at most 2 for a ROC curve) keeps about V/step points.
func thinCurve(xs, ys []float64, step float64) plotter.XYs {
	points := make(plotter.XYs, 0, min(len(xs), 4096))
	for k := range xs {
		if len(points) > 0 && k < len(xs)-1 {
			last := points[len(points)-1]
			if math.Abs(xs[k]-last.X) < step && math.Abs(ys[k]-last.Y) < step {
				continue
			}
		}
		points = append(points, plotter.XY{X: xs[k], Y: ys[k]})
	}
	return points
}

func addUndefined(p *plot.Plot, name string) {
	p.Legend.Add(name + " (undefined)")
}

// ROCPlot draws ROC curves, one per class (from metrics.ROCCurves) or any list of curves
// such as several models on one class, with the diagonal of a random ranking. names label
// the curves in the legend, for example with their AUROC ("song thrush 0.91").
func ROCPlot(curves []metrics.ROC, names []string) (*plot.Plot, error) {
	names, err := classNames(names, len(curves))
	if err != nil {
		return nil, err
	}
	p := plot.New()
	unitSquare(p, "ROC curve", "false-positive rate", "true-positive rate")
	chance, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 1}})
	if err != nil {
		return nil, err
	}
	chance.Color = color.Gray{Y: 150}
	chance.Dashes = []vg.Length{vg.Points(3), vg.Points(3)}
	p.Add(chance)
	p.Legend.Add("chance", chance)
	for i, roc := range curves {
		if hasNaN(roc.FalsePositiveRate, roc.TruePositiveRate) {
			addUndefined(p, names[i])
			continue
		}
		line, err := curveLine(roc.FalsePositiveRate, roc.TruePositiveRate, i)
		if err != nil {
			return nil, fmt.Errorf("metricsplots: ROC curve of %s: %w", names[i], err)
		}
		p.Add(line)
		p.Legend.Add(names[i], line)
	}
	return p, nil
}

// PRPlot draws precision-recall curves, one per class (from metrics.PRCurves) or any list
// of curves, as steps: precision holds until recall reaches the next threshold's, which is
// the area that average precision sums. names label the curves, for example with their
// average precision.
func PRPlot(curves []metrics.PR, names []string) (*plot.Plot, error) {
	names, err := classNames(names, len(curves))
	if err != nil {
		return nil, err
	}
	p := plot.New()
	unitSquare(p, "Precision-recall curve", "recall", "precision")
	for i, pr := range curves {
		if hasNaN(pr.Recall, pr.Precision) {
			addUndefined(p, names[i])
			continue
		}
		// At the lowest threshold every clip is called positive and precision is the
		// fraction of positives: 0 means the class has none, and its curve says nothing.
		if len(pr.Precision) > 1 && pr.Precision[0] == 0 {
			p.Legend.Add(names[i] + " (no positives)")
			continue
		}
		line, err := curveLine(pr.Recall, pr.Precision, i)
		if err != nil {
			return nil, fmt.Errorf("metricsplots: precision-recall curve of %s: %w", names[i], err)
		}
		line.StepStyle = plotter.PostStep
		p.Add(line)
		p.Legend.Add(names[i], line)
	}
	return p, nil
}

// confusionGrid is a confusion matrix as a heat-map grid: column = predicted class,
// row 0 at the bottom holding the last true class, so the first true class is on top.
type confusionGrid struct {
	values [][]float64
}

func (g confusionGrid) Dims() (c, r int)   { return len(g.values), len(g.values) }
func (g confusionGrid) Z(c, r int) float64 { return g.values[len(g.values)-1-r][c] }
func (g confusionGrid) X(c int) float64    { return float64(c) }
func (g confusionGrid) Y(r int) float64    { return float64(r) }

// ConfusionHeatmap draws a confusion matrix from metrics.ConfusionMatrix: true classes in
// rows from top to bottom, predicted classes in columns, each cell coloured by its count
// and labelled with it, and a colour bar of the counts beside it. With normalize, each row
// is divided by its total and cells show the fraction of that true class (its recall on the
// diagonal); rows with no clips stay 0.
func ConfusionHeatmap(matrix [][]int, names []string, normalize bool) (*plot.Plot, error) {
	numClasses := len(matrix)
	if numClasses == 0 {
		return nil, fmt.Errorf("metricsplots: empty confusion matrix")
	}
	for t, row := range matrix {
		if len(row) != numClasses {
			return nil, fmt.Errorf("metricsplots: confusion matrix row %d has %d columns, want %d", t, len(row), numClasses)
		}
	}
	names, err := classNames(names, numClasses)
	if err != nil {
		return nil, err
	}
	values := make([][]float64, numClasses)
	for t, row := range matrix {
		values[t] = make([]float64, numClasses)
		total := 0
		for _, n := range row {
			total += n
		}
		for p, n := range row {
			values[t][p] = float64(n)
			if normalize && total > 0 {
				values[t][p] /= float64(total)
			}
		}
	}
	colors, err := brewer.GetPalette(brewer.TypeSequential, "Blues", 9)
	if err != nil {
		return nil, err
	}
	heat := plotter.NewHeatMap(confusionGrid{values}, colors)
	if heat.Max == heat.Min { // all equal (e.g. all zero): any colour will do, but Plot needs Min < Max
		heat.Max = heat.Min + 1
	}
	p := plot.New()
	p.Title.Text = "Confusion matrix"
	if normalize {
		p.Title.Text += " (fraction of each true class)"
	}
	p.X.Label.Text = "predicted class"
	p.Y.Label.Text = "true class"
	p.Add(heat)

	// Cell labels, white on the darker half of the palette.
	var light, dark plotter.XYLabels
	for t := range numClasses {
		for c := range numClasses {
			label := fmt.Sprint(matrix[t][c])
			if normalize {
				label = fmt.Sprintf("%.2f", values[t][c])
			}
			point := plotter.XY{X: float64(c), Y: float64(numClasses - 1 - t)}
			if values[t][c] > heat.Min+(heat.Max-heat.Min)/2 {
				dark.XYs, dark.Labels = append(dark.XYs, point), append(dark.Labels, label)
			} else {
				light.XYs, light.Labels = append(light.XYs, point), append(light.Labels, label)
			}
		}
	}
	for _, cells := range []struct {
		labels plotter.XYLabels
		color  color.Color
	}{{light, color.Black}, {dark, color.White}} {
		if len(cells.labels.XYs) == 0 {
			continue
		}
		labels, err := plotter.NewLabels(cells.labels)
		if err != nil {
			return nil, err
		}
		for i := range labels.TextStyle {
			labels.TextStyle[i].Color = cells.color
			labels.TextStyle[i].XAlign = text.XCenter
			labels.TextStyle[i].YAlign = text.YCenter
		}
		p.Add(labels)
	}
	p.NominalX(names...)
	// Class names run down from their columns, so that long names never overlap.
	p.X.Tick.Label.Rotation = math.Pi / 2
	p.X.Tick.Label.XAlign = text.XRight
	p.X.Tick.Label.YAlign = text.YCenter
	reversed := make([]string, numClasses)
	for t, name := range names {
		reversed[numClasses-1-t] = name
	}
	p.NominalY(reversed...)
	p.X.Min, p.X.Max = -0.5, float64(numClasses)-0.5
	p.Y.Min, p.Y.Max = -0.5, float64(numClasses)-0.5
	unit := "clips"
	if normalize {
		unit = "fraction of the true class"
	}
	if err := plots.ColorBar(p, plots.PaletteColor(colors.Colors(), heat.Min, heat.Max), heat.Min, heat.Max, unit); err != nil {
		return nil, fmt.Errorf("metricsplots: %w", err)
	}
	return p, nil
}

// ReliabilityDiagram draws a reliability curve from metrics.Reliability or
// metrics.TopLabelReliability: each non-empty bin's fraction of positives against its mean
// predicted probability, with the dashed diagonal of perfect calibration, and each bin's
// point labelled with its number of clips (a bin of 3 clips says little). The title gives
// name (whose curve it is: a model or a class) and the expected calibration error, and says
// what the diagonal and the numbers are, so the plot needs no legend and several fit side by
// side.
func ReliabilityDiagram(curve metrics.ReliabilityCurve, name string) (*plot.Plot, error) {
	p := plot.New()
	unitSquare(p, fmt.Sprintf("%s (ECE %.3f)\ndashed: perfect calibration; numbers: clips per bin", name, curve.ECE),
		"mean predicted probability", "fraction of positives")
	ideal, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 1}})
	if err != nil {
		return nil, err
	}
	ideal.Color = color.Gray{Y: 150}
	ideal.Dashes = []vg.Length{vg.Points(3), vg.Points(3)}
	p.Add(ideal)
	if len(curve.Bins) == 0 {
		return p, nil
	}
	points := make(plotter.XYs, len(curve.Bins))
	counts := make([]string, len(curve.Bins))
	for i, b := range curve.Bins {
		points[i] = plotter.XY{X: b.MeanProbability, Y: b.FractionPositive}
		counts[i] = strconv.Itoa(b.Count)
	}
	line, dots, err := plotter.NewLinePoints(points)
	if err != nil {
		return nil, fmt.Errorf("metricsplots: reliability curve of %s: %w", name, err)
	}
	line.LineStyle = plots.Line(0)
	dots.GlyphStyle = plots.Glyph(0, vg.Points(2.5))
	p.Add(line, dots)
	labels, err := plotter.NewLabels(plotter.XYLabels{XYs: points, Labels: counts})
	if err != nil {
		return nil, err
	}
	for i := range labels.TextStyle {
		// Right of and below the point: the curve runs up and to the right, so its next
		// point is seldom there.
		labels.TextStyle[i].Font.Size = 8
		labels.TextStyle[i].XAlign, labels.TextStyle[i].YAlign = text.XLeft, text.YTop
		labels.TextStyle[i].Color = color.Gray{Y: 60}
	}
	labels.Offset = vg.Point{X: vg.Points(3), Y: -vg.Points(2)}
	p.Add(labels)
	return p, nil
}

// ScoreHistograms draws, for every class, the distribution of its scores over the clips
// where it is present and where it is absent (labels[i][c] == 1 or 0), each as the
// fraction of its clips per bin, so that the two shapes compare however rare the class.
// Well-separated histograms mean a high AUROC. The bins split [min score, max score] over
// all classes into numBins equal parts, and every plot has that x range, so that plots side
// by side compare score for score. It returns one plot per class, in class order, for
// plots.Grid. Inputs are checked as in package metrics.
func ScoreHistograms(scores [][]float64, labels [][]int, names []string, numBins int) ([]*plot.Plot, error) {
	if numBins < 1 {
		return nil, fmt.Errorf("metricsplots: %d histogram bins, want at least 1", numBins)
	}
	numClasses, err := metrics.CheckMultiLabel(scores, labels)
	if err != nil {
		return nil, err
	}
	names, err = classNames(names, numClasses)
	if err != nil {
		return nil, err
	}
	low, high := scores[0][0], scores[0][0]
	for _, row := range scores {
		for _, s := range row {
			low, high = min(low, s), max(high, s)
		}
	}
	if high == low {
		low, high = low-0.5, high+0.5
	}
	width := (high - low) / float64(numBins)
	figures := make([]*plot.Plot, numClasses)
	for c := range numClasses {
		column := metrics.Column(scores, c)
		truth := metrics.LabelColumn(labels, c)
		p := plot.New()
		p.Title.Text = "Scores for " + names[c]
		p.X.Label.Text = "score"
		p.Y.Label.Text = "fraction of clips"
		tallest := 0.0
		var entries []plots.LegendEntry
		for outcome, legend := range []string{"absent", "present"} {
			bins := make([]plotter.HistogramBin, numBins)
			for b := range bins {
				bins[b].Min = low + float64(b)*width
				bins[b].Max = low + float64(b+1)*width
			}
			bins[numBins-1].Max = high
			count := 0
			for i, s := range column {
				if truth[i] != outcome {
					continue
				}
				b := min(int((s-low)/width), numBins-1)
				bins[b].Weight++
				count++
			}
			if count == 0 {
				entries = append(entries, plots.LegendEntry{Name: fmt.Sprintf("%s (no clips)", legend)})
				continue
			}
			for b := range bins {
				bins[b].Weight /= float64(count)
				tallest = max(tallest, bins[b].Weight)
			}
			fill := plots.Color(outcome)
			hist := &plotter.Histogram{
				Bins:      bins,
				Width:     width,
				FillColor: plots.Faded(fill, 0.45),
				LineStyle: plotter.DefaultLineStyle,
			}
			hist.LineStyle.Color = fill
			p.Add(hist)
			entries = append(entries, plots.LegendEntry{Name: fmt.Sprintf("%s (%d clips)", legend, count), Thumbs: []plot.Thumbnailer{hist}})
		}
		// Beside the bars, or above them in a Grid's narrow tiles.
		plots.AddLegend(p, entries)
		p.X.Min, p.X.Max = low, high
		p.Y.Min = 0
		p.Y.Max = 1.05 * tallest
		figures[c] = p
	}
	return figures, nil
}
