package metrics

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
)

// LearningCurve is a metric against the number of labels a model was given,
// summarised over runs (seeds): the mean, and the lowest and highest run, at
// each point. Active learning (labels spent round by round, lib/active) and
// transfer learning (training clips per method, lib/transfer) both produce
// one, and one plot draws either.
type LearningCurve struct {
	// Name labels the curve ("margin", "fine-tune").
	Name string
	// Metric names the y values ("accuracy", "clips found"): curves drawn
	// together must show the same metric.
	Metric string
	// LabelsSpent[k] is the mean number of labels of point k; Mean[k] is the
	// mean metric there and Min[k], Max[k] its range over the runs.
	LabelsSpent    []float64
	Mean, Min, Max []float64
	// Runs is the number of runs averaged: the fewest of any point.
	Runs int
	// Values[k] holds every run's value at point k, in run order (a copy of what Add was
	// given); IntervalAt and DifferenceAt read it. Nil for a curve built without Add.
	Values [][]float64
}

// Add appends a point at labels x with the values of every run there, in run
// order (their mean is summed in that order). values must not be empty.
func (c *LearningCurve) Add(x float64, values []float64) {
	sum := 0.0
	for _, v := range values {
		sum += v
	}
	c.LabelsSpent = append(c.LabelsSpent, x)
	c.Mean = append(c.Mean, sum/float64(len(values)))
	c.Min = append(c.Min, slices.Min(values))
	c.Max = append(c.Max, slices.Max(values))
	c.Values = append(c.Values, slices.Clone(values))
	if len(c.LabelsSpent) == 1 || len(values) < c.Runs {
		c.Runs = len(values)
	}
}

// LabelsToReach returns the mean labels spent at the first point where the
// curve's mean is at least level, and false when it never is.
func (c LearningCurve) LabelsToReach(level float64) (float64, bool) {
	for k, v := range c.Mean {
		if v >= level {
			return c.LabelsSpent[k], true
		}
	}
	return 0, false
}

// IntervalAt returns the 95 % Student t interval on the mean at point k over the runs
// ([MeanInterval]: each run one independent repeat), for a curve built with Add.
func (c LearningCurve) IntervalAt(k int) (Interval, error) {
	if k < 0 || k >= len(c.Values) {
		return Interval{}, fmt.Errorf("metrics: curve %q: point %d of %d with run values", c.Name, k, len(c.Values))
	}
	iv, err := MeanInterval(c.Values[k], 0.95)
	if err != nil {
		return Interval{}, fmt.Errorf("metrics: curve %q, point %d: %w", c.Name, k, err)
	}
	return iv, nil
}

// DifferenceAt returns the 95 % Student t interval on the mean of c's value minus other's
// at point k, run by run: for two curves whose runs are paired (run i of each started
// from the same seed, as lib/active's Compare makes them), the differences vary far less
// than either curve, so this interval, not the two curves' overlap, says whether they
// differ. The two curves must hold the same number of runs at k.
func (c LearningCurve) DifferenceAt(other LearningCurve, k int) (Interval, error) {
	if k < 0 || k >= len(c.Values) || k >= len(other.Values) {
		return Interval{}, fmt.Errorf("metrics: curves %q and %q: point %d of %d and %d with run values",
			c.Name, other.Name, k, len(c.Values), len(other.Values))
	}
	a, b := c.Values[k], other.Values[k]
	if len(a) != len(b) {
		return Interval{}, fmt.Errorf("metrics: curves %q and %q have %d and %d runs at point %d, want them paired",
			c.Name, other.Name, len(a), len(b), k)
	}
	iv, err := PairedInterval(a, b, 0.95)
	if err != nil {
		return Interval{}, fmt.Errorf("metrics: %q minus %q, point %d: %w", c.Name, other.Name, k, err)
	}
	return iv, nil
}

// CurvesTable compares curves whose runs are paired (run i of each started from the
// same seed) at the given points, as a text table: one line per point with its labels
// spent (the first curve's), each curve's mean [95 % interval] over the runs (IntervalAt),
// then every other curve's paired difference from the first (DifferenceAt) — the interval
// that says whether two curves differ. low and high are the metric's bounds (0 and 1 for
// an accuracy, 0 and the number there are for clips found): t's symmetric interval can
// run past them when the runs sit near one, so each curve's interval is clipped to
// [low, high] and each difference's to [low − high, high − low] ([Interval.Clip]). Numbers
// are written with format, one verb for a float64 such as "%.3f" (the differences get a
// "+" flag); any other format is an error. Every curve must have the point, with labels spent within 0.5 of the
// first curve's.
func CurvesTable(curves []LearningCurve, points []int, format string, low, high float64) (string, error) {
	if len(curves) == 0 || len(points) == 0 {
		return "", fmt.Errorf("metrics: curves table of %d curves at %d points, want at least one of each", len(curves), len(points))
	}
	if !(low < high) {
		return "", fmt.Errorf("metrics: curves table with bounds [%v, %v], want low < high", low, high)
	}
	if !curvesFormat.MatchString(format) {
		return "", fmt.Errorf("metrics: curves table format %q, want one float verb such as \"%%.3f\"", format)
	}
	cell := func(iv Interval, sign string) string {
		f := "%" + sign + format[1:]
		return fmt.Sprintf(f+" ["+f+", "+f+"]", iv.Estimate, iv.Lower, iv.Upper)
	}
	var rows [][]string
	header := []string{"labels"}
	for _, c := range curves {
		header = append(header, c.Name)
	}
	for _, c := range curves[1:] {
		header = append(header, curves[0].Name+" − "+c.Name)
	}
	rows = append(rows, header)
	for _, k := range points {
		if k < 0 || k >= len(curves[0].LabelsSpent) {
			return "", fmt.Errorf("metrics: curve %q has no point %d (it has %d)", curves[0].Name, k, len(curves[0].LabelsSpent))
		}
		row := []string{fmt.Sprintf("%.0f", curves[0].LabelsSpent[k])}
		for _, c := range curves {
			if k >= len(c.LabelsSpent) || math.Abs(c.LabelsSpent[k]-curves[0].LabelsSpent[k]) > 0.5 {
				return "", fmt.Errorf("metrics: curves %q and %q differ at point %d: not the same labels spent", curves[0].Name, c.Name, k)
			}
			iv, err := c.IntervalAt(k)
			if err != nil {
				return "", err
			}
			row = append(row, cell(iv.Clip(low, high), ""))
		}
		for _, c := range curves[1:] {
			iv, err := curves[0].DifferenceAt(c, k)
			if err != nil {
				return "", err
			}
			row = append(row, cell(iv.Clip(low-high, high-low), "+"))
		}
		rows = append(rows, row)
	}
	widths := make([]int, len(header))
	for _, row := range rows {
		for j, v := range row {
			widths[j] = max(widths[j], len([]rune(v)))
		}
	}
	var b strings.Builder
	for _, row := range rows {
		for j, v := range row {
			if j > 0 {
				b.WriteString("  ")
			}
			b.WriteString(strings.Repeat(" ", widths[j]-len([]rune(v))) + v)
		}
		b.WriteString("\n")
	}
	return b.String(), nil
}

// curvesFormat matches the formats CurvesTable accepts: one %f, %e or %g verb with an
// optional width and precision, nothing else.
var curvesFormat = regexp.MustCompile(`^%[0-9]*(\.[0-9]+)?[feg]$`)

// MustCurvesTable is CurvesTable that panics on an error, for notebooks.
func MustCurvesTable(curves []LearningCurve, points []int, format string, low, high float64) string {
	table, err := CurvesTable(curves, points, format, low, high)
	if err != nil {
		panic(err)
	}
	return table
}

// Check returns an error naming the curve when it has no points or when its
// columns differ in length.
func (c LearningCurve) Check() error {
	n := len(c.LabelsSpent)
	if n == 0 || len(c.Mean) != n || len(c.Min) != n || len(c.Max) != n {
		return fmt.Errorf("curve %q has %d x values, %d means, %d minima, %d maxima; want the same, non-zero number",
			c.Name, n, len(c.Mean), len(c.Min), len(c.Max))
	}
	return nil
}
